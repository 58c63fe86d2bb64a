package org.mtpjava.cli;

import org.mtpjava.al.ActiveSet;
import org.mtpjava.al.RowCalculator;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench-grade", mixinStandardHelpOptions = true,
        description = {"Measures the cost of extrapolation grades on top of energy+forces, one thread, neighbour list prebuilt.",
                "Times, interleaved: (1) EfsCalculator (energy, forces, stress), (2) the same per-atom loop as the grade path "
                        + "without grades, (3) energy, forces and every atom's neighbourhood grade in one pass (the forward/backward "
                        + "pass is reused for dV/dtheta, then b A^-1), (4) configuration mode: energy, forces and the grade of the summed row (any active set: the "
                        + "product uses it as if it were in configuration mode). "
                        + "Prints median microseconds per atom and the overheads."})
public final class BenchGradeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POT.almtp") Path potentialFile;
    @Parameters(index = "1", paramLabel = "IN.cfg", description = "the first configuration is timed") Path input;
    @Option(names = "--repeat", description = "timed rounds (default ${DEFAULT-VALUE})") int repeat = 15;
    @Option(names = "--warmup", description = "untimed rounds first (default ${DEFAULT-VALUE})") int warmup = 5;

    @Override public Integer call() {
        Potential p = Cli.readPotential(potentialFile);
        ActiveSet as = AlCli.activeSet(p, potentialFile);
        List<Configuration> cfgs = CfgFiles.read(input);
        if (cfgs.isEmpty()) throw new IllegalArgumentException(input + ": no configurations");
        Configuration cfg = cfgs.get(0);
        int n = cfg.size();
        NeighbourList nl = NeighbourList.build(cfg, p.cutoff());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] t = new double[4][repeat];
        double[] sink = new double[1];
        try (EfsCalculator efs = new EfsCalculator(p, 1); RowCalculator rc = new RowCalculator(p, as, 1)) {
            double[] forces = new double[3 * n];
            Runnable[] work = {
                    () -> sink[0] += efs.compute(cfg, nl).energy(),
                    () -> sink[0] += rc.efsWithGrades(cfg, nl, false).energy(),
                    () -> sink[0] += rc.efsWithGrades(cfg, nl, true).neighbourhoodGrades()[0],
                    () -> sink[0] += rc.efsWithConfigurationGrade(cfg, nl, forces)[1],
            };
            for (int r = 0; r < warmup + repeat; r++) {
                for (int k = 0; k < work.length; k++) {
                    long c0 = mx.getCurrentThreadCpuTime();
                    work[k].run();
                    long c1 = mx.getCurrentThreadCpuTime();
                    if (r >= warmup) t[k][r - warmup] = (c1 - c0) / 1e3 / n;
                }
            }
        }
        double[] med = new double[4];
        for (int k = 0; k < 4; k++) {
            double[] s = t[k].clone();
            Arrays.sort(s);
            med[k] = s[repeat / 2];
        }
        var b = p.basis();
        System.out.printf(Locale.ROOT, "potential        %s (%s rows, n = %d parameters, %d rows filled)%n", potentialFile,
                as.weights().rowKinds(), as.dimension(), as.filledRows());
        System.out.printf(Locale.ROOT, "configuration    %s, %d atoms, %.2f neighbours/atom%n", input, n, nl.averageNeighbours());
        System.out.printf(Locale.ROOT, "basis            species %d, radial functions %d, radial basis %d, basic %d, times %d, scalar %d%n",
                p.speciesCount(), p.radialFunctionsCount(), p.radialBasisSize(), b.basicCount(), b.timesCount(), b.scalarCount());
        System.out.printf(Locale.ROOT, "(1) EFS (EfsCalculator)                   %8.3f us/atom (thread CPU, median of %d)%n", med[0], repeat);
        System.out.printf(Locale.ROOT, "(2) energy+forces, grade loop w/o grades  %8.3f us/atom%n", med[1]);
        System.out.printf(Locale.ROOT, "(3) energy+forces+nbh grades              %8.3f us/atom  overhead %+.1f %% vs (2), %+.1f %% vs (1)%n",
                med[2], 100 * (med[2] / med[1] - 1), 100 * (med[2] / med[0] - 1));
        System.out.printf(Locale.ROOT, "(4) energy+forces+configuration grade     %8.3f us/atom  overhead %+.1f %% vs (2), %+.1f %% vs (1) (rows summed over atoms, one product)%n",
                med[3], 100 * (med[3] / med[1] - 1), 100 * (med[3] / med[0] - 1));
        System.out.printf(Locale.ROOT, "JVM              %s %s; CPU %s%n", System.getProperty("java.vm.name"), Runtime.version(), BenchCommand.cpuModel());
        if (sink[0] == 12345.678) System.out.println();
        return 0;
    }
}
