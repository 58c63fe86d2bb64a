package org.mtpjava.al.loop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Training through mtpjava's own {@code train} command in a child JVM (its public entry point; the output .almtp
 * gets a fresh active set from the training set): {@code java [java_options] -jar mtpjava.jar train POT TRAIN.cfg
 * --save-to OUT [args]}, log in {@code train.log}.
 */
public final class TrainCommandFitter implements LearningLoop.Fitter {
    private final LoopConfig.Train cfg;

    public TrainCommandFitter(LoopConfig.Train cfg) { this.cfg = cfg; }

    @Override public void train(Path potential, Path trainingSet, Path out, Path dir) {
        List<String> argv = new ArrayList<>(Processes.javaCommand(cfg.javaOptions()));
        argv.add("train");
        argv.add(potential.toAbsolutePath().toString());
        argv.add(trainingSet.toAbsolutePath().toString());
        argv.add("--save-to");
        argv.add(out.toAbsolutePath().toString());
        argv.addAll(cfg.args());
        Path log = dir.resolve("train.log");
        int code = Processes.run(argv, dir, Map.of(), log);
        if (code != 0) {
            throw new IllegalStateException("training failed (exit " + code + "): " + Processes.firstError(log) + " (full output: " + log + ")");
        }
    }
}
