package org.mtpjava.cli;

import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.BasisGenerator;
import org.mtpjava.model.MagneticBasis;
import org.mtpjava.model.MomentBasis;
import org.mtpjava.model.Potential;
import org.mtpjava.model.RadialBasisType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "generate-basis", mixinStandardHelpOptions = true,
        description = {"Writes an untrained MTP (no coefficients) of any even level >= 2: the moment basis of every "
                + "independent scalar contraction of level <= L (lev M_{mu,nu} = 2 + 4 mu + nu), identical to MLIP's "
                + "templates for levels 2-28; levels above 28 keep the templates' caps (6 radial functions, rank 10).",
                "Train it with 'train'; MLIP-3 and LAMMPS ML-MTP read the file as it is."})
public final class GenerateBasisCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OUT.mtp", description = "output file (.mtp, .almtp or .mmtp)")
    Path output;
    @Option(names = "--level", required = true, description = "MTP level (even, >= 2)")
    int level;
    @Option(names = "--species", defaultValue = "1", description = "number of species (default ${DEFAULT-VALUE})")
    int species;
    @Option(names = "--radial-basis-size", defaultValue = "8", description = "Chebyshev functions per radial function (default ${DEFAULT-VALUE})")
    int radialBasisSize;
    @Option(names = "--radial-funcs", description = "number of radial functions (default: the template's for the level)")
    Integer radialFuncs;
    @Option(names = "--min-dist", defaultValue = "2.0", description = "R_min in A (default ${DEFAULT-VALUE}; train updates it to 0.99 x the smallest distance)")
    double minDist;
    @Option(names = "--max-dist", defaultValue = "5.0", description = "cutoff R_cut in A (default ${DEFAULT-VALUE})")
    double maxDist;
    @Option(names = "--repulsive", description = "use MLIP-3's RBChebyshev_repuls radial basis (a short-range wall below R_min)")
    boolean repulsive;
    @Option(names = "--magnetic-basis-size", description = "magnetic MTP: Chebyshev functions of each collinear moment (M >= 2)")
    Integer magneticSize;
    @Option(names = "--magnetic-range", arity = "2", paramLabel = "MIN MAX", description = "magnetic MTP: moment interval in muB (default -3.5 3.5)")
    double[] magneticRange;

    @Override public Integer call() {
        if (level < 2 || level % 2 != 0) throw new IllegalArgumentException("--level " + level + ": expected an even level >= 2");
        if (species < 1) throw new IllegalArgumentException("--species must be >= 1");
        if (radialBasisSize < 1) throw new IllegalArgumentException("--radial-basis-size must be >= 1");
        if (!(maxDist > minDist) || minDist < 0) throw new IllegalArgumentException("need 0 <= --min-dist < --max-dist");
        int k = radialFuncs != null ? radialFuncs : BasisGenerator.radialFunctionsCount(level);
        MomentBasis basis = radialFuncs != null ? BasisGenerator.generate(level, k, BasisGenerator.MAX_RANK) : BasisGenerator.generate(level);
        MagneticBasis magnetic = null;
        if (magneticSize != null || magneticRange != null) {
            int m = magneticSize == null ? 2 : magneticSize;
            double lo = magneticRange == null ? -3.5 : magneticRange[0], hi = magneticRange == null ? 3.5 : magneticRange[1];
            if (m < 1) throw new IllegalArgumentException("--magnetic-basis-size must be >= 1");
            if (!(hi > lo)) throw new IllegalArgumentException("--magnetic-range needs MIN < MAX");
            magnetic = new MagneticBasis(lo, hi, m);
        }
        Potential p = new Potential(repulsive ? RadialBasisType.RB_CHEBYSHEV_REPULSIVE : RadialBasisType.RB_CHEBYSHEV,
                minDist, maxDist, radialBasisSize, magnetic, k, basis, species);
        PotentialFiles.write(p, output);
        System.err.printf("generate-basis: level %d, %d species, %d radial functions, %d basic moments, %d products, "
                        + "%d scalar basis functions, %d parameters -> %s%n", level, species, k, basis.basicCount(),
                basis.timesCount(), basis.scalarCount(), p.parameterCount(), output);
        return 0;
    }
}
