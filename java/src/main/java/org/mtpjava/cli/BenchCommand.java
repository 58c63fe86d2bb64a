package org.mtpjava.cli;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Times energy+forces+stress evaluation with the neighbour list prebuilt (as MLIP-3's timing log does).",
                "Prints the median microseconds per atom per evaluation over --repeat runs after --warmup runs, "
                        + "thread CPU time and wall time, neighbours per atom and the basis sizes."})
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POT") Path potentialFile;
    @Parameters(index = "1", paramLabel = "IN.cfg", description = "the first configuration is timed")
    Path input;
    @Option(names = "--repeat", description = "timed evaluations (default ${DEFAULT-VALUE})") int repeat = 20;
    @Option(names = "--warmup", description = "untimed evaluations first, for the JIT (default ${DEFAULT-VALUE}; at least 2 s)") int warmup = 10;
    @Option(names = "--threads", description = "worker threads (default ${DEFAULT-VALUE})") int threads = 1;

    @Override public Integer call() {
        Potential p = Cli.readPotential(potentialFile);
        List<Configuration> cfgs = CfgFiles.read(input);
        if (cfgs.isEmpty()) throw new IllegalArgumentException(input + ": no configurations");
        Configuration cfg = cfgs.get(0);
        long t0 = System.nanoTime();
        NeighbourList nl = NeighbourList.build(cfg, p.cutoff());
        double buildMs = (System.nanoTime() - t0) / 1e6;
        double[] wall = new double[repeat];
        double[] cpu = new double[repeat];
        var mx = ManagementFactory.getThreadMXBean();
        double energy = 0;
        try (EfsCalculator calc = new EfsCalculator(p, threads)) {
            // warm up for --warmup evaluations and at least 2 s, so that small cells are JIT-compiled too
            long until = System.nanoTime() + 2_000_000_000L;
            for (int i = 0; i < warmup || System.nanoTime() < until; i++) energy = calc.compute(cfg, nl).energy();
            for (int i = 0; i < repeat; i++) {
                long s = System.nanoTime(), c = mx.getCurrentThreadCpuTime();
                energy = calc.compute(cfg, nl).energy();
                wall[i] = (System.nanoTime() - s) / 1e3 / cfg.size();
                cpu[i] = (mx.getCurrentThreadCpuTime() - c) / 1e3 / cfg.size();
            }
        }
        double[] sorted = wall.clone();
        Arrays.sort(sorted);
        double median = sorted[repeat / 2];
        var b = p.basis();
        System.out.printf(Locale.ROOT, "potential        %s%n", potentialFile);
        System.out.printf(Locale.ROOT, "configuration    %s (first of %d), %d atoms, energy %.10f eV%n", input, cfgs.size(), cfg.size(), energy);
        System.out.printf(Locale.ROOT, "neighbours/atom  %.2f (cutoff %.3f A), list built in %.1f ms%n", nl.averageNeighbours(), p.cutoff(), buildMs);
        System.out.printf(Locale.ROOT, "basis            species %d, radial functions %d, radial basis %d, magnetic %d, basic %d, times %d, scalar %d%n",
                p.speciesCount(), p.radialFunctionsCount(), p.radialBasisSize(), p.magneticSize(), b.basicCount(), b.timesCount(), b.scalarCount());
        System.out.printf(Locale.ROOT, "threads          %d%n", threads);
        System.out.printf(Locale.ROOT, "us/atom/eval     median %.3f wall (min %.3f, max %.3f; %d runs after %d warm-up)%n",
                median, sorted[0], sorted[repeat - 1], repeat, warmup);
        if (threads == 1) {
            double[] c = cpu.clone();
            Arrays.sort(c);
            System.out.printf(Locale.ROOT, "us/atom/eval     median %.3f thread CPU time (min %.3f)%n", c[repeat / 2], c[0]);
        }
        System.out.printf(Locale.ROOT, "JVM              %s %s%n", System.getProperty("java.vm.name"), Runtime.version());
        System.out.printf(Locale.ROOT, "CPU              %s (%d visible)%n", cpuModel(), Runtime.getRuntime().availableProcessors());
        return 0;
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).strip();
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return ManagementFactory.getOperatingSystemMXBean().getArch();
    }
}
