package org.mtpjava.cli;

import org.mtpjava.al.ActiveLearning;
import org.mtpjava.al.ActiveSet;
import org.mtpjava.al.SelectionWeights;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Potential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "update-active-set", mixinStandardHelpOptions = true,
        description = {"Rebuilds the active set of a potential from its training set (what MLIP-3 does with "
                + "'train --iteration_limit=0', and at the end of every training): an empty state (A = 1e-6 I), all rows of "
                + "TRAIN.cfg, MaxVol swaps while a grade exceeds 1.001. The coefficients are not changed.",
                "The selection weights are those of POT's #MVS section; a potential without one gets --al-mode."})
public final class UpdateActiveSetCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POT", description = "potential (.mtp or .almtp)") Path potentialFile;
    @Parameters(index = "1", paramLabel = "TRAIN.cfg", description = "training set") Path training;
    @Option(names = "--save-to", paramLabel = "OUT.almtp", description = "output (default: overwrite POT, as MLIP-3's train does)")
    Path saveTo;
    @Option(names = "--al-mode", paramLabel = "cfg|nbh", description = "for a potential without an active set: configuration or neighbourhood mode (default ${DEFAULT-VALUE})")
    String alMode = "cfg";
    @Option(names = "--threads", description = "worker threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override public Integer call() {
        Potential p = Cli.readPotential(potentialFile);
        SelectionWeights mode = SelectionWeights.forMode(alMode);
        Path out = saveTo != null ? saveTo : potentialFile;
        if (!out.getFileName().toString().endsWith(".almtp")) {
            throw new IllegalArgumentException("the output " + out + " must end in .almtp (the active set is stored after the potential)");
        }
        var list = org.mtpjava.io.CfgFiles.read(training);
        if (p.activeSet() != null) {
            try {
                SelectionWeights.of(p.activeSet()).requireValid();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(potentialFile + ": " + e.getMessage());
            }
        }
        var d = ActiveLearning.updateActiveSet(p, list, mode, Math.max(1, threads));
        PotentialFiles.write(p, out);
        ActiveSet as = ActiveSet.fromData(d, out.toString());
        System.out.println(list.size() + " configurations in the training set; " + d.selected().size()
                + " in the active set; " + as.filledRows() + " of " + d.n() + " rows filled"
                + (as.filledRows() < d.n() ? " (" + (d.n() - as.filledRows()) + " still at the initial 1e-6: grades stay large until more data is added)" : ""));
        System.out.println("Selection: state saved to \"" + out + "\"");
        return 0;
    }
}
