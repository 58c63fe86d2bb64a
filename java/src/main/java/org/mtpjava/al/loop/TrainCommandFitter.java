package org.mtpjava.al.loop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Training through mtpjava's own {@code train} command in a child JVM (its public entry point; the output .almtp
 * gets a fresh active set from the training set): {@code java [java_options] -jar mtpjava.jar train POT TRAIN.cfg
 * --save-to OUT [args]}, log in {@code train.log}. If the trainer left a checkpoint ({@code OUT.checkpoint}, written on
 * SIGTERM/Ctrl-C), the training is continued with {@code --resume} (log {@code train-resume.log}).
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
        Path checkpoint = Path.of(out.toAbsolutePath() + ".checkpoint");
        if (java.nio.file.Files.isRegularFile(checkpoint)) {
            // an interrupted training of this round: continue it (the trainer checks that data and options match)
            List<String> resume = new ArrayList<>(argv);
            resume.add("--resume");
            resume.add(checkpoint.toString());
            if (Processes.run(resume, dir, Map.of(), dir.resolve("train-resume.log")) == 0) return;
            try {
                java.nio.file.Files.deleteIfExists(checkpoint); // could not resume: train this round again
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        int code = Processes.run(argv, dir, Map.of(), log);
        if (code != 0) {
            throw new IllegalStateException("training failed (exit " + code + "): " + Processes.firstError(log) + " (full output: " + log + ")");
        }
    }
}
