package org.mtpjava.cli;

import org.mtpjava.al.ExtrapolativeNeighbourhoods;
import org.mtpjava.al.PeriodicCut;
import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "cut-extrapolative-nbh", mixinStandardHelpOptions = true,
        description = {"For every configuration of IN.cfg (graded in neighbourhood mode, i.e. with an nbh_grades column) whose "
                + "largest per-atom grade is at least --threshold, writes a non-periodic cluster to OUT.cfg: the worst atom at "
                + "the origin and its neighbours within --cutoff (MLIP-3's cut_extrapolative_nbh).",
                "Features: cfg# (counter of written clusters), nbh# (0-based atom index), extrapolation_grade. Neighbours are "
                        + "listed in MLIP-3's order, so the clusters are identical to MLIP-3's.",
                "With --periodic: small periodic cells instead (for plane-wave DFT): the parent's lattice directions, each wider "
                        + "than 2 x --cutoff / 0.75 shortened to the perpendicular width 2 x --cutoff around the worst atom; atoms that "
                        + "would meet across the new faces closer than any pair of the parent are removed, never those within "
                        + "--keep-radius (the potential's cutoff), so the worst atom's neighbourhood, site energy and grade are the "
                        + "parent's. Extra features: cut = periodic, removed_at_faces."})
public final class CutExtrapolativeNbhCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.cfg", description = "configurations with nbh_grades (from calculate-grade)")
    Path input;
    @Parameters(index = "1", paramLabel = "OUT.cfg", description = "clusters (written atomically)") Path output;
    @Option(names = "--cutoff", description = "radius of the cut sphere in A (default ${DEFAULT-VALUE}, MLIP-3's default)")
    double cutoff = ExtrapolativeNeighbourhoods.DEFAULT_CUTOFF;
    @Option(names = "--periodic", description = "write small periodic cells of half-width --cutoff instead of clusters")
    boolean periodic;
    @Option(names = "--keep-radius", paramLabel = "R", description = "with --periodic: atoms within R A of the worst atom are kept (the potential's max_dist)")
    Double keepRadius;
    @Option(names = "--threshold", description = "cut configurations whose largest nbh_grades value is >= this (default ${DEFAULT-VALUE})")
    double threshold = ExtrapolativeNeighbourhoods.DEFAULT_THRESHOLD;

    @Override public Integer call() {
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) throw new IllegalArgumentException("--cutoff must be a positive number of A");
        if (periodic && keepRadius == null) throw new IllegalArgumentException("--periodic needs --keep-radius R (the potential's cutoff max_dist, in A)");
        if (!periodic && keepRadius != null) throw new IllegalArgumentException("--keep-radius applies only with --periodic");
        int[] counts = {0, 0};
        AtomicFiles.write(output, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.ISO_8859_1);
            CfgFiles.forEach(input, cfg -> {
                counts[0]++;
                Configuration cl;
                try {
                    cl = periodic ? PeriodicCut.cut(cfg, cutoff, keepRadius, threshold, counts[1])
                            : ExtrapolativeNeighbourhoods.cut(cfg, cutoff, threshold, counts[1]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(input + ": configuration " + counts[0] + ": " + e.getMessage(), e);
                }
                if (cl == null) return;
                System.out.println("from cfg#" + (counts[1] + 1) + " cut nbh#" + cl.features().get("nbh#") + " with grade="
                        + AlCli.cppDouble(cfg.neighbourhoodGrades()[Integer.parseInt(cl.features().get("nbh#"))])
                        + (periodic ? " (periodic cell of " + cl.size() + " atoms, " + cl.features().get("removed_at_faces") + " removed at the faces)"
                                : " (atoms count is " + (cl.size() - 1) + ")"));
                counts[1]++;
                CfgFiles.writeOne(w, cl, CfgFiles.Precision.MLIP);
            });
            w.flush();
        });
        System.err.println("cut-extrapolative-nbh: " + counts[1] + (periodic ? " periodic cells" : " clusters") + " from " + counts[0] + " configurations written to " + output);
        return 0;
    }
}
