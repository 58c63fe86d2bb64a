package org.mtpjava.cli;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "calculate-efs", mixinStandardHelpOptions = true,
        description = {"Computes energies, forces and stresses (PlusStress virial, eV) of every configuration in IN.cfg "
                + "and writes them to OUT.cfg (MLIP-3's calculate_efs).",
                "Reference data in the input (energy, forces, stress, site energies) is replaced; features are kept, "
                        + "and 'EFS_by MultiMTP<N>' is added as MLIP-3 does."})
public final class CalculateEfsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POT", description = "potential (.mtp or .almtp)")
    Path potentialFile;
    @Parameters(index = "1", paramLabel = "IN.cfg", description = "configurations")
    Path input;
    @Parameters(index = "2", paramLabel = "OUT.cfg", description = "output (written atomically)")
    Path output;
    @Option(names = "--lossless", description = "write all numbers with 17 significant digits (default: MLIP's fixed decimals)")
    boolean lossless;
    @Option(names = "--site-energies", description = "also write per-atom energies (AtomData column site_en)")
    boolean siteEnergies;
    @Option(names = "--threads", description = "worker threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--mlip-magnetic-fallback", description = "for a magnetic potential and data without moments, "
            + "use MLIP-3's behaviour (magnetic basis = 1) instead of stopping with an error")
    boolean mlipMagneticFallback;
    @Option(names = "--magnetic-extrapolation", description = "evaluate moments outside the magnetic interval [min_val, max_val] "
            + "(the Chebyshev basis is extrapolated; default: stop with an error)")
    boolean magneticExtrapolation;

    @Override public Integer call() {
        Potential p = Cli.readPotential(potentialFile);
        int[] count = {0};
        try (EfsCalculator calc = new EfsCalculator(p, Math.max(1, threads))) {
            if (mlipMagneticFallback) calc.setMissingMoments(EfsCalculator.MissingMoments.MLIP_SUM);
            String efsBy = "MultiMTP" + (p.basis().scalarCount() + 1);
            AtomicFiles.write(output, out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.ISO_8859_1);
                CfgFiles.forEach(input, cfg -> {
                    count[0]++;
                    Configuration c = cfg.copy();
                    c.clearComputed();
                    try {
                        if (!magneticExtrapolation) org.mtpjava.magnetic.MomentChecks.requireInsideInterval(p, c, "use --magnetic-extrapolation to evaluate anyway");
                        calc.computeInto(c);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(input + ": configuration " + count[0] + ": " + e.getMessage(), e);
                    }
                    if (!siteEnergies) c.setSiteEnergies(null);
                    c.features().put("EFS_by", efsBy);
                    CfgFiles.writeOne(w, c, lossless ? CfgFiles.Precision.LOSSLESS : CfgFiles.Precision.MLIP);
                });
                w.flush();
            });
        }
        System.err.println("calculate-efs: " + count[0] + " configurations written to " + output);
        return 0;
    }
}
