package org.mtpjava.cli;

import org.mtpjava.al.loop.LearningLoop;
import org.mtpjava.al.loop.LoopConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "active-learn", mixinStandardHelpOptions = true,
        description = {"The active-learning loop in one command: LAMMPS MD with pair_style mtpjava extrapolation -> the "
                + "configurations above 'select' -> select-add -> the oracle command labels them -> retrain -> repeat, until a "
                + "round's MD saves nothing above 'select' (or max_rounds).",
                "Everything is kept in the work folder (state.properties, train.cfg, round-NNN/, rounds.csv, rounds.png); "
                        + "running the command again resumes an interrupted loop without losing labelled data. The TOML format is "
                        + "described in docs/active-learning.md."})
public final class ActiveLearnCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "al.toml", description = "loop configuration")
    Path config;
    @Option(names = "--threads", description = "threads for selection and error reports (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override public Integer call() {
        LoopConfig c = LoopConfig.read(config);
        var summary = LearningLoop.standard(c, Math.max(1, threads), System.out::println).run();
        System.out.println("active-learn: " + (summary.converged() ? "converged" : "stopped") + " after " + summary.rounds()
                + " retraining round(s); potential " + summary.potential() + "; log " + c.workDir().resolve("rounds.csv")
                + ", plot " + c.workDir().resolve("rounds.png"));
        return summary.converged() ? 0 : 1;
    }
}
