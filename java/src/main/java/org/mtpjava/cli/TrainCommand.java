package org.mtpjava.cli;

import org.mtpjava.al.SelectionWeights;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.train.LossWeights;
import org.mtpjava.train.Trainer;
import org.mtpjava.train.TrainingOptions;
import org.mtpjava.train.TrainingOutputs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, footer = {"", org.mtpjava.compress.CompressionSpec.HELP},
        description = {"Fits an MTP to energies, forces and stresses (MLIP-3's 'mlp train', same loss, options and procedure).",
                "",
                "Loss: (1/K) sum over configurations of  w_e/N^p_e (E-E*)^2 + sum_i w_f/N^p_f s_i |F_i-F*_i|^2 + w_s/N sum_ab (S_ab-S*_ab)^2,"
                        + " stress over all 9 virial components (eV), plus a 1e-6 orthonormality penalty on the radial coefficients and the"
                        + " linear step's tiny regularisation. Gradients are exact (no finite differences).",
                "Procedure: species taken from the data (an untrained template is rebuilt with the data's species, sorted; a trained"
                        + " potential keeps its coefficients and gets new species appended); min_dist := 0.99 x the smallest interatomic"
                        + " distance (unless --no-mindist-update); an untrained potential is pre-trained (linear least squares, rescaling,"
                        + " 75 BFGS steps, rescaling); then BFGS for --iteration-limit steps with the linear step inserted at steps 25, 70, 100,"
                        + " 150, 250, 400; then the linear step and rescaling. Output .almtp files get a fresh active set (MaxVol over the"
                        + " training set, weights from the input's #MVS block or --al-mode).",
                "Long runs: a progress line per BFGS iteration; a checkpoint every --checkpoint-every iterations and on Ctrl-C/SIGTERM;"
                        + " '--resume CHECKPOINT' (same POT, TRAIN.cfg and options) continues to exactly the result of an uninterrupted run."
                        + " At the end: the check-errors tables and parity/learning-curve PNGs (PREFIX.*, PREFIX = output without extension).",
                "Typical weight choices (MLIP): --weight-scaling 1 --weight-scaling-forces 0 for MD-sampled data, 0 0 for molecules,"
                        + " 2 1 for periodic structures.",
                ""})
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "POT", description = "starting potential: an untrained template (.almtp/.mtp without coefficients) or a trained potential to continue")
    Path potentialFile;
    @Parameters(index = "1", paramLabel = "TRAIN.cfg", description = "training configurations with reference energies, forces (and stresses)")
    Path trainFile;

    @Option(names = "--save-to", paramLabel = "OUT", description = "output potential (.almtp: with active set; .mtp: without). Default: overwrite POT, as MLIP-3")
    Path saveTo;
    @Option(names = "--valid", paramLabel = "VALID.cfg", description = "validation configurations: errors in the progress line and the final report (never trained on)")
    Path validFile;

    @Option(names = "--energy-weight", paramLabel = "W", defaultValue = "1", description = "w_e (default ${DEFAULT-VALUE})") double energyWeight;
    @Option(names = "--force-weight", paramLabel = "W", defaultValue = "0.01", description = "w_f (default ${DEFAULT-VALUE})") double forceWeight;
    @Option(names = "--stress-weight", paramLabel = "W", defaultValue = "0.001", description = "w_s (default ${DEFAULT-VALUE}); stress terms are always divided by N, as in MLIP-3") double stressWeight;
    @Option(names = "--weight-scaling", paramLabel = "P", defaultValue = "1", description = "p_e: energy weight / N^p_e (default ${DEFAULT-VALUE})") int weightScaling;
    @Option(names = "--weight-scaling-forces", paramLabel = "P", defaultValue = "0", description = "p_f: force weight / N^p_f (default ${DEFAULT-VALUE})") int weightScalingForces;
    @Option(names = "--scale-by-force", paramLabel = "S", defaultValue = "0", description = "s > 0: each atom's force weight x s/(|F*_i|^2 + s), F* the reference force (default ${DEFAULT-VALUE} = off)") double scaleByForce;
    @Option(names = "--penalty-weight", paramLabel = "W", defaultValue = "1e-6", description = "weight of the radial orthonormality penalty (MLIP-3 penalty_weight, default ${DEFAULT-VALUE})") double penaltyWeight;
    @Option(names = "--iteration-limit", paramLabel = "N", defaultValue = "1000", description = "main BFGS steps (default ${DEFAULT-VALUE}); 0 = no fitting, only the error report and the active set") int iterationLimit;
    @Option(names = "--tolerance", paramLabel = "TOL", defaultValue = "1e-3", description = "stop when the loss decreased by less than this fraction over 50 steps (checked every 50 steps after step 100; default ${DEFAULT-VALUE}, MLIP-3's code default)") double tolerance;
    @Option(names = "--init-random", description = "random radial coefficients for an untrained potential (5e-7 U(-1,1), diagonal 1e-7 (1+U))") boolean initRandom;
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed for --init-random (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--no-mindist-update", description = "keep min_dist (otherwise 0.99 x the smallest interatomic distance of TRAIN.cfg)") boolean noMindistUpdate;
    @Option(names = "--skip-preinit", description = "no pre-training of an untrained potential (MLIP-3's skip_preinit)") boolean skipPreinit;
    @Option(names = "--al-mode", defaultValue = "cfg", paramLabel = "cfg|nbh", description = "selection mode of the new active set when POT has none: cfg (energy rows) or nbh (site energies); default ${DEFAULT-VALUE}") String alMode;
    @Option(names = "--allow-missing", description = "configurations without energy/forces although their weight is non-zero: drop those terms (MLIP-3) instead of stopping") boolean allowMissing;
    @Option(names = "--magnetic-force-weight", paramLabel = "W", defaultValue = "0", description = "w_m: adds w_m/N^p_f sum_i (dE/dm_i - dE/dm_i*)^2 per configuration for a magnetic potential, "
            + "dE/dm* from the en_der_mx column (default ${DEFAULT-VALUE} = MLIP-3, which does not fit magnetic forces)") double magneticForceWeight;
    @Option(names = "--auto-minmax-magmom", description = "widen the magnetic interval [min_val, max_val] to the smallest/largest moment of TRAIN.cfg (MLIP-3's auto_minmax_magmom; default off)") boolean autoMinmaxMagmom;

    @Option(names = "--compress", paramLabel = "METHOD:k=v,...", description = "train a compressed MTP: mf:rank=5 | tf:ranks=4,4,4 | rmf:rank=5 | "
            + "mfra:rmin=1,rmax=8,every=50,step=1 | tfra:rmin=1,rmax=4,8,4,every=50,budget=N (see below)") String compress;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)") int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "checkpoint file (default OUT.checkpoint)") Path checkpoint;
    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "10", description = "write a checkpoint every N BFGS iterations (default ${DEFAULT-VALUE}; 0 = only on a signal)") int checkpointEvery;
    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "continue the run saved in CHECKPOINT") Path resume;
    @Option(names = "--valid-every", paramLabel = "N", defaultValue = "1", description = "evaluate VALID.cfg every N iterations (default ${DEFAULT-VALUE})") int validEvery;
    @Option(names = "--report-prefix", paramLabel = "PREFIX", description = "prefix of the report files (default: OUT without extension)") String reportPrefix;
    @Option(names = "--no-plots", description = "no PNG files") boolean noPlots;
    @Option(names = "--keep-checkpoint", description = "keep the checkpoint after a successful run") boolean keepCheckpoint;
    @Option(names = "--quiet", description = "no progress lines") boolean quiet;

    private static final String[] NUMERIC = {"--energy-weight", "--force-weight", "--stress-weight", "--weight-scaling",
            "--weight-scaling-forces", "--scale-by-force", "--penalty-weight", "--tolerance", "--init-random", "--seed",
            "--no-mindist-update", "--skip-preinit", "--al-mode", "--allow-missing", "--magnetic-force-weight", "--auto-minmax-magmom"};

    TrainingOptions options() {
        TrainingOptions o = new TrainingOptions();
        o.weights = new LossWeights(energyWeight, forceWeight, stressWeight, weightScaling, weightScalingForces, scaleByForce, penaltyWeight, magneticForceWeight);
        o.autoMinmaxMagmom = autoMinmaxMagmom;
        o.iterationLimit = iterationLimit;
        o.tolerance = tolerance;
        o.initRandom = initRandom;
        o.seed = seed;
        o.noMindistUpdate = noMindistUpdate;
        o.skipPreinit = skipPreinit;
        o.alMode = alMode;
        o.allowMissing = allowMissing;
        o.threads = Math.max(1, threads);
        o.checkpointEvery = checkpointEvery;
        o.validEvery = validEvery;
        return o;
    }

    @Override public Integer call() {
        TrainingOptions o;
        try {
            o = options();
            o.validate();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path out = saveTo != null ? saveTo : potentialFile;
        String prefix = reportPrefix != null ? reportPrefix : stripExtension(out.toString());
        Path ckpt = checkpoint != null ? checkpoint : Path.of(out + ".checkpoint");
        List<String> logLines = new ArrayList<>();
        java.util.function.Consumer<String> log = m -> {
            if (!quiet || !m.contains(" iter ")) System.out.println(m);
            System.out.flush();
        };
        org.mtpjava.compress.CompressionSpec cs;
        try {
            cs = compress == null ? null : org.mtpjava.compress.CompressionSpec.parse(compress);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Potential input = PotentialFiles.read(potentialFile);
        // compressed training: --compress, or a compressed POT trained as it is
        if (cs == null && input.radialRepresentation() instanceof org.mtpjava.compress.Factorisation f) cs = org.mtpjava.compress.CompressionSpec.of(f);
        if (cs != null) o.parameterMap = org.mtpjava.compress.CompressedTraining.factory(cs, o.seed, m -> System.out.println(m));
        SelectionWeights selection = input.activeSet() != null ? SelectionWeights.of(input.activeSet()) : SelectionWeights.forMode(o.alMode);
        log.accept(input.activeSet() != null ? "selection weights taken from the #MVS block of " + potentialFile
                : "no selection data in " + potentialFile + "; selection by " + (o.alMode.equals("nbh") ? "neighbourhoods" : "configurations"));
        List<Configuration> train = CfgFiles.read(trainFile);
        List<Configuration> valid = validFile == null ? null : CfgFiles.read(validFile);
        Trainer trainer;
        if (resume != null) {
            Trainer.Checkpoint c = Trainer.Checkpoint.read(resume);
            TrainingOptions saved = c.options();
            List<String> differ = new ArrayList<>();
            CommandLine.ParseResult pr = spec.commandLine().getParseResult();
            for (String name : NUMERIC) {
                if (pr.hasMatchedOption(name) && saved.numericsDiffer(o).contains(name)) differ.add(name);
            }
            if (!differ.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resume: " + String.join(", ", differ)
                        + " differ from the checkpointed run; leave them out (the checkpoint's values are used) or start a new run");
            }
            if (!pr.hasMatchedOption("--iteration-limit")) o.iterationLimit = saved.iterationLimit;
            log.accept("resuming from " + resume + " (" + c.stageName() + ", " + c.iterations() + " BFGS iterations done)");
            trainer = Trainer.resume(c, input, train, trainFile.toString(), trainFile, valid,
                    validFile == null ? null : validFile.toString(), validFile, o, log);
        } else {
            trainer = new Trainer(input, train, trainFile.toString(), trainFile, valid,
                    validFile == null ? null : validFile.toString(), validFile, o, log);
        }
        trainer.setCheckpointPath(ckpt);
        log.accept(trainer.setupReport().stripTrailing());
        LossWeights w = o.weights;
        log.accept(String.format(Locale.ROOT, "options: energy_weight %s, force_weight %s, stress_weight %s, weight_scaling %d, weight_scaling_forces %d, "
                        + "scale_by_force %s, penalty_weight %s, iteration_limit %d, tolerance %s, threads %d",
                g(w.energyWeight()), g(w.forceWeight()), g(w.stressWeight()), w.weightScaling(), w.weightScalingForces(),
                g(w.scaleByForce()), g(w.penaltyWeight()), o.iterationLimit, g(o.tolerance), o.threads));
        if (trainer.potential().isMagnetic()) {
            log.accept("magnetic: magnetic_force_weight " + g(w.magneticForceWeight()) + ", interval [" + g(trainer.potential().magneticBasis().min())
                    + ", " + g(trainer.potential().magneticBasis().max()) + "], basis size " + trainer.potential().magneticSize()
                    + (o.autoMinmaxMagmom ? ", auto-minmax-magmom" : ""));
        }
        final Trainer t = trainer;
        Thread hook = new Thread(() -> {
            t.requestStop();
            if (t.writeLatestCheckpoint()) {
                System.err.println("\nmtpjava train: interrupted; checkpoint written to " + ckpt + "; continue with the same command plus --resume " + ckpt);
            } else {
                System.err.println("\nmtpjava train: interrupted before the first BFGS iteration; nothing to resume");
            }
        }, "mtpjava-train-checkpoint");
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        try (trainer) {
            try {
                trainer.run();
            } catch (Trainer.Interrupted e) {
                System.err.println("mtpjava train: " + e.getMessage());
                return 3;
            }
            double sec = (System.nanoTime() - t0) * 1e-9;
            log.accept(String.format(Locale.ROOT, "training done: %d BFGS iterations, %d loss+gradient evaluations, %d linear assemblies, %.1f s",
                    trainer.totalIterations(), trainer.evaluations(), trainer.assemblies(), sec));
            if (out.getFileName().toString().endsWith(".almtp")) {
                TrainingOutputs.selectActiveSet(trainer.potential(), train, selection, o.threads, log);
            }
            TrainingOutputs.write(trainer, train, valid, out, prefix, !noPlots, o.threads, log);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down: the hook is running
            }
        }
        if (!keepCheckpoint) {
            try {
                java.nio.file.Files.deleteIfExists(ckpt);
            } catch (java.io.IOException ignored) {
                // best effort
            }
        }
        return 0;
    }

    static String g(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) return s;
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    static String stripExtension(String s) {
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        int dot = s.lastIndexOf('.');
        return dot > slash ? s.substring(0, dot) : s;
    }
}
