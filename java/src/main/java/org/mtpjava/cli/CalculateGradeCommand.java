package org.mtpjava.cli;

import org.mtpjava.al.ActiveLearning;
import org.mtpjava.al.ActiveSet;
import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Potential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "calculate-grade", mixinStandardHelpOptions = true,
        description = {"Computes the extrapolation grade of every configuration in IN.cfg against the active set stored in "
                + "POT.almtp and writes the configurations to OUT.cfg (MLIP-3's calculate_grade).",
                "Adds 'Feature ID' (0-based input index) and 'Feature MV_grade'; in neighbourhood mode also the per-atom "
                        + "AtomData column nbh_grades (the configuration's grade is their maximum). As MLIP-3, only configurations "
                        + "with a grade above 0 are written (empty ones are dropped)."})
public final class CalculateGradeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POT.almtp", description = "potential with an active set (#MVS_v1.1 section)")
    Path potentialFile;
    @Parameters(index = "1", paramLabel = "IN.cfg") Path input;
    @Parameters(index = "2", paramLabel = "OUT.cfg", description = "output (written atomically)") Path output;
    @Option(names = "--log", paramLabel = "stdout|stderr|none|FILE",
            description = "per-configuration grades as MLIP-3 logs them (default ${DEFAULT-VALUE})")
    String log = "stdout";
    @Option(names = "--threads", description = "worker threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override public Integer call() {
        Potential p = Cli.readPotential(potentialFile);
        ActiveSet as = AlCli.activeSet(p, potentialFile);
        int[] counts = {0};
        try (PrintStream logOut = AlCli.openLog(log)) {
            if (logOut != null) AlCli.logState(logOut, potentialFile, as);
            AtomicFiles.write(output, out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.ISO_8859_1);
                int written = ActiveLearning.calculateGrades(p, as, AlCli.source(input), Math.max(1, threads), c -> {
                    counts[0]++;
                    if (logOut != null) logOut.println("Sampling: cfg# " + (Integer.parseInt(c.features().get("ID")) + 1)
                            + "\tgrade: " + AlCli.cppDouble(Double.parseDouble(c.features().get("MV_grade"))));
                    CfgFiles.writeOne(w, c, CfgFiles.Precision.MLIP);
                });
                w.flush();
                counts[0] = written;
            });
        }
        System.err.println("calculate-grade: " + counts[0] + " configurations written to " + output);
        return 0;
    }
}
