package org.mtpjava.cli;

import org.mtpjava.al.ActiveLearning;
import org.mtpjava.al.ActiveSet;
import org.mtpjava.al.SelectionWeights;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Potential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "select-add", mixinStandardHelpOptions = true,
        description = {"Chooses the candidates that enlarge the active set's volume (MaxVol) and writes them to NEW.cfg "
                + "(MLIP-3's select_add). POT.almtp is not modified.",
                "Steps as MLIP-3: the active set of POT.almtp (or a fresh one if any weight option is given) is re-selected "
                        + "from TRAIN.cfg with threshold 1.001; the candidates are added in batches and selected with --threshold "
                        + "and --swap-limit; the training set is selected again; the candidates that end up in the active set are "
                        + "written, in input order, with 'Feature selected_eqn_inds'."})
public final class SelectAddCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POT.almtp") Path potentialFile;
    @Parameters(index = "1", paramLabel = "TRAIN.cfg", description = "current training set") Path training;
    @Parameters(index = "2", paramLabel = "CANDIDATES.cfg") Path candidates;
    @Parameters(index = "3", paramLabel = "NEW.cfg", description = "output: the newly selected candidates (written atomically)")
    Path output;
    @Option(names = "--swap-limit", description = "maximal number of MaxVol swaps for the candidates, 0 = unlimited (default)")
    int swapLimit = 0;
    @Option(names = "--threshold", description = "selection threshold for the candidates (default ${DEFAULT-VALUE}, must exceed 1)")
    double threshold = ActiveSet.DEFAULT_THRESHOLD;
    @Option(names = "--batch-size", description = "candidates per selection batch, 0 = all at once (default ${DEFAULT-VALUE})")
    int batchSize = 9999;
    @Option(names = "--energy-weight", description = "fresh state: weight of the configuration (energy) row (MLIP default 1)")
    Double energyWeight;
    @Option(names = "--force-weight", description = "fresh state: weight of the force rows dF/dtheta, 3 per atom (MLIP default 0)")
    Double forceWeight;
    @Option(names = "--stress-weight", description = "fresh state: weight of the 9 virial rows dW/dtheta / N^(p/2) (MLIP default 0)")
    Double stressWeight;
    @Option(names = "--site-en-weight", description = "fresh state: weight of neighbourhood (site-energy) rows (MLIP default 0)")
    Double siteEnergyWeight;
    @Option(names = "--weight-scaling", description = "fresh state: energy and virial rows divided by N^(p/2) (MLIP default 2)")
    Integer weightScaling;
    @Option(names = "--threads", description = "worker threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override public Integer call() {
        Potential p = Cli.readPotential(potentialFile);
        ActiveSet start;
        boolean fresh = energyWeight != null || forceWeight != null || stressWeight != null || siteEnergyWeight != null
                || weightScaling != null;
        if (fresh || p.activeSet() == null) {
            SelectionWeights w = new SelectionWeights(energyWeight != null ? energyWeight : 1.0,
                    forceWeight != null ? forceWeight : 0.0, stressWeight != null ? stressWeight : 0.0,
                    siteEnergyWeight != null ? siteEnergyWeight : 0.0, weightScaling != null ? weightScaling : 2);
            w.requireValid();
            if (!fresh) System.err.println("note: " + potentialFile + " has no active set; starting from an empty one (configuration mode)");
            if (energyWeight == null && (w.hasForceRows() || w.hasStressRows() || w.hasSiteRows())) {
                System.err.println("note: rows " + w.rowKinds() + ": energy_weight is 1 unless given (MLIP-3's default), so the "
                        + "energy row is used too; give --energy-weight 0 to leave it out");
            }
            start = ActiveSet.empty(p, w);
        } else {
            start = AlCli.activeSet(p, potentialFile);
        }
        if (!(threshold > 1)) throw new IllegalArgumentException("--threshold must exceed 1, got " + threshold);
        if (swapLimit < 0 || batchSize < 0) throw new IllegalArgumentException("--swap-limit and --batch-size must be >= 0");
        var opts = new ActiveLearning.SelectAddOptions(threshold, swapLimit, batchSize, Math.max(1, threads));
        var res = ActiveLearning.selectAdd(p, start, AlCli.source(training), AlCli.source(candidates), opts);
        CfgFiles.write(output, res.newlySelected(), CfgFiles.Precision.MLIP);
        System.out.println(res.selectedFromTraining() + " configurations selected from training set");
        System.out.println("Loading and selection of candidates completed (" + res.candidates() + " candidates)");
        System.out.println("Training set was increased by " + res.newlySelected().size() + " configurations");
        return 0;
    }
}
