package org.mtpjava.cli;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.magnetic.MomentChecks;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.relax.RelaxationReport;
import org.mtpjava.relax.StructureRelaxation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "relax", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Relaxes every configuration of IN.cfg: positions, cell and, for a magnetic MTP, the collinear magnetic "
                + "moments together (MLIP-3's relax; enthalpy E + PV minimised by L-BFGS).",
                "A tolerance <= 0 holds that degree of freedom (MLIP-3 semantics): --force-tolerance 0 --stress-tolerance 0 relaxes "
                        + "only the moments at fixed positions. Moments keep their sign unless --allow-flips and stay inside the "
                        + "magnetic interval [min_val, max_val].",
                "Each output configuration gets the feature 'from' = relaxation_OK, relaxation_NOT_CONVERGED or "
                        + "relaxation_MINDIST_ERROR (MLIP-3's), the computed energy, forces, stress and magnetic forces (en_der_mx). "
                        + "At the end: the relaxation reliability (share of structures reaching small forces, stresses and magnetic "
                        + "forces; Kotykhov et al., Comput. Mater. Sci. 2024).",
                ""})
public final class RelaxCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "POT", description = "potential (.mtp, .almtp, .mmtp)") Path potentialFile;
    @Parameters(index = "1", paramLabel = "IN.cfg", description = "starting configurations (magnetic potentials: with magmom_x)") Path input;
    @Parameters(index = "2", paramLabel = "OUT.cfg", description = "relaxed configurations (all of them, with the 'from' feature)") Path output;

    @Option(names = "--force-tolerance", defaultValue = "1e-4", description = "max |F_i| for convergence, eV/A; <= 0 holds positions (default ${DEFAULT-VALUE})") double forceTolerance;
    @Option(names = "--stress-tolerance", defaultValue = "1e-3", description = "max |stress component| (pressure subtracted), GPa; <= 0 holds the cell (default ${DEFAULT-VALUE})") double stressTolerance;
    @Option(names = "--magnetic-force-tolerance", defaultValue = "1e-4", description = "max |dE/dm_i|, eV/muB; <= 0 holds the moments (default ${DEFAULT-VALUE})") double magneticForceTolerance;
    @Option(names = "--pressure", defaultValue = "0", description = "external pressure, GPa (default ${DEFAULT-VALUE})") double pressure;
    @Option(names = "--iteration-limit", defaultValue = "1000", description = "L-BFGS steps per structure (default ${DEFAULT-VALUE})") int iterationLimit;
    @Option(names = "--max-step", defaultValue = "0.05", description = "largest move of an atom or lattice vector per step, A (default ${DEFAULT-VALUE})") double maxStep;
    @Option(names = "--max-magnetic-step", defaultValue = "0.2", description = "largest change of a moment per step, muB (default ${DEFAULT-VALUE})") double maxMagneticStep;
    @Option(names = "--min-dist", defaultValue = "0.5", description = "atoms closer than this at the end: relaxation_MINDIST_ERROR, A (default ${DEFAULT-VALUE})") double minDist;
    @Option(names = "--allow-flips", description = "moments may change sign during the relaxation") boolean allowFlips;
    @Option(names = "--save-unrelaxed", paramLabel = "FILE", description = "also write the starting configurations of the structures that did not reach relaxation_OK") Path saveUnrelaxed;
    @Option(names = "--report-to", paramLabel = "FILE", description = "also write the reliability report to FILE") Path reportTo;
    @Option(names = "--lossless", description = "write all numbers with 17 significant digits") boolean lossless;
    @Option(names = "--log", description = "one line per structure on stderr (default on)", negatable = true, defaultValue = "true") boolean log;
    @Option(names = "--threads", description = "worker threads (default: all cores)") int threads = Runtime.getRuntime().availableProcessors();

    @Override public Integer call() {
        StructureRelaxation.Options o = new StructureRelaxation.Options();
        o.forceTolerance = forceTolerance;
        o.stressTolerance = stressTolerance;
        o.magneticForceTolerance = magneticForceTolerance;
        o.pressure = pressure;
        o.iterationLimit = iterationLimit;
        o.maxStep = maxStep;
        o.maxMagneticStep = maxMagneticStep;
        o.minDist = minDist;
        o.allowFlips = allowFlips;
        try {
            o.validate();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Potential p = Cli.readPotential(potentialFile);
        List<Configuration> cfgs = CfgFiles.read(input);
        RelaxationReport report = new RelaxationReport(o, p.isMagnetic());
        List<Configuration> relaxed = new ArrayList<>(), unrelaxed = new ArrayList<>();
        try (EfsCalculator calc = new EfsCalculator(p, Math.max(1, threads))) {
            for (int k = 0; k < cfgs.size(); k++) {
                Configuration start = cfgs.get(k);
                Configuration c = start.copy();
                c.clearComputed();
                StructureRelaxation.Result r;
                try {
                    MomentChecks.requireInsideInterval(p, c, "moments are relaxed inside the interval only; move them in first");
                    r = StructureRelaxation.relax(calc, c, o);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(input + ": configuration " + (k + 1) + ": " + e.getMessage(), e);
                }
                report.add(r);
                relaxed.add(c);
                if (!r.ok()) unrelaxed.add(start);
                if (log) {
                    System.err.printf(Locale.ROOT, "relax cfg %d: %s, %d iterations, E/atom %.6f eV, max |F| %.2e eV/A, max |stress| %.2e GPa%s, min dist %.3f A%s%n",
                            k + 1, r.status(), r.iterations(), c.size() > 0 ? r.energy() / c.size() : 0, r.maxForce(), r.maxStress(),
                            p.isMagnetic() ? String.format(Locale.ROOT, ", max |dE/dm| %.2e eV/muB", r.maxMagneticForce()) : "",
                            r.minDistance(), r.ok() ? "" : " (" + r.message() + ")");
                }
            }
        }
        CfgFiles.Precision prec = lossless ? CfgFiles.Precision.LOSSLESS : CfgFiles.Precision.MLIP;
        writeAll(output, relaxed, prec);
        if (saveUnrelaxed != null) writeAll(saveUnrelaxed, unrelaxed, prec);
        String text = report.text();
        System.out.print(text);
        if (reportTo != null) AtomicFiles.writeString(reportTo, text);
        return 0;
    }

    private static void writeAll(Path path, List<Configuration> cfgs, CfgFiles.Precision prec) {
        AtomicFiles.write(path, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.ISO_8859_1);
            for (Configuration c : cfgs) CfgFiles.writeOne(w, c, prec);
            w.flush();
        });
    }
}
