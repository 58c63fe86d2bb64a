package org.mtpjava.cli;

import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.train.LossFunction;
import org.mtpjava.train.Trainer;
import org.mtpjava.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = {"Times training: the loss-and-gradient evaluation (median of --repeat after --warmup) and main BFGS iterations "
                + "(MLIP-3 semantics, LinOptimize at steps 25 and 70 included) starting from POT, for each thread count.",
                "POT should be a trained potential (an untrained one is first fitted linearly). Nothing is written."})
public final class BenchTrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POT") Path potentialFile;
    @Parameters(index = "1", paramLabel = "TRAIN.cfg") Path trainFile;
    @Option(names = "--threads", split = ",", description = "thread counts to time (default: 1,2)") int[] threads = {1, 2};
    @Option(names = "--iterations", defaultValue = "100", description = "main BFGS iterations to time (default ${DEFAULT-VALUE})") int iterations;
    @Option(names = "--warmup", defaultValue = "5", description = "untimed evaluations first (default ${DEFAULT-VALUE})") int warmup;
    @Option(names = "--repeat", defaultValue = "20", description = "timed loss+gradient evaluations (default ${DEFAULT-VALUE})") int repeat;

    static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    @Override public Integer call() {
        List<Configuration> data = CfgFiles.read(trainFile);
        System.out.printf(Locale.ROOT, "data             %s: %d configurations, %d atoms%n", trainFile, data.size(),
                data.stream().mapToLong(Configuration::size).sum());
        System.out.printf(Locale.ROOT, "JVM              %s, CPU %s (%d visible)%n", Runtime.version(), BenchCommand.cpuModel(),
                Runtime.getRuntime().availableProcessors());
        for (int t : threads) {
            Potential p = PotentialFiles.read(potentialFile);
            TrainingOptions o = new TrainingOptions();
            o.iterationLimit = iterations;
            o.threads = t;
            o.checkpointEvery = 0;
            o.skipPreinit = true;
            try (Trainer tr = new Trainer(p, data, trainFile.toString(), trainFile, null, null, null, o, m -> {})) {
                if (t == threads[0]) {
                    System.out.printf(Locale.ROOT, "potential        %s: %d parameters, %d species, %d scalar basis functions, cutoff %s A, %.1f neighbours/atom%n",
                            potentialFile, p.parameterCount(), p.speciesCount(), p.basis().scalarCount(), TrainCommand.g(p.cutoff()),
                            (double) tr.trainingSet().pairs() / Math.max(1, tr.trainingSet().atoms()));
                }
                LossFunction loss = tr.lossFunction();
                double[] g = new double[p.parameterCount()];
                for (int i = 0; i < warmup; i++) loss.evaluate(g);
                double[] times = new double[repeat];
                long cpu0 = processCpuNanos();
                for (int i = 0; i < repeat; i++) {
                    long t0 = System.nanoTime();
                    loss.evaluate(g);
                    times[i] = (System.nanoTime() - t0) * 1e-9;
                }
                double evalCpu = (processCpuNanos() - cpu0) * 1e-9 / repeat;
                Arrays.sort(times);
                double evalMedian = times[repeat / 2];
                long e0 = tr.evaluations();
                long t0 = System.nanoTime();
                long c0 = processCpuNanos();
                tr.run();
                double total = (System.nanoTime() - t0) * 1e-9;
                double cpu = (processCpuNanos() - c0) * 1e-9;
                List<Trainer.Iteration> h = tr.history();
                double perIt = h.size() > 1 ? (h.get(h.size() - 1).seconds() - h.get(0).seconds()) / (h.size() - 1) : Double.NaN;
                System.out.printf(Locale.ROOT, "threads %d        loss+gradient %.4f s wall (median of %d), %.4f s CPU (mean, all threads) | %d BFGS iterations: %.4f s/iteration (wall), %.2f evaluations/iteration, "
                                + "total with final linear step + rescale %.1f s wall / %.1f s CPU, final loss %.8e | load average %.2f%n",
                        t, evalMedian, repeat, evalCpu, h.size(), perIt, (double) (tr.evaluations() - e0) / Math.max(1, h.size()), total, cpu,
                        h.isEmpty() ? Double.NaN : h.get(h.size() - 1).loss(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
        return 0;
    }
}
