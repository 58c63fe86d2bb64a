package org.mtpjava.compress;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.eval.RadialBasis;
import org.mtpjava.eval.SpeciesMap;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;
import org.mtpjava.train.LossFunction;
import org.mtpjava.train.Trainer;
import org.mtpjava.train.TrainingOptions;
import org.mtpjava.train.TrainingSet;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Side-by-side timing of plain and compressed potentials (one JVM, interleaved rounds): evaluation us/atom with the
 * materialised dense tensor (what every evaluator uses), the radial-function stage with the dense slice versus
 * the factors contracted per pair, and training seconds per loss+gradient evaluation and per BFGS iteration.
 */
public final class CompressionBench {
    private CompressionBench() {}

    public static String run(List<Path> files, Path evalCfg, Path trainCfg, int iterations, int repeat, int warmup, int rounds, int threads) {
        List<Potential> pots = new ArrayList<>();
        for (Path f : files) pots.add(PotentialFiles.read(f));
        List<Configuration> cfgs = CfgFiles.read(evalCfg);
        if (cfgs.isEmpty()) throw new IllegalArgumentException(evalCfg + ": no configurations");
        Configuration cfg = cfgs.get(0);
        int np = pots.size();
        double[][] eval = new double[np][rounds], radialDense = new double[np][rounds], radialFactor = new double[np][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < np; k++) {
                Potential p = pots.get(k);
                NeighbourList nl = NeighbourList.build(cfg, p.cutoff());
                try (EfsCalculator calc = new EfsCalculator(p, threads)) {
                    for (int i = 0; i < warmup; i++) calc.compute(cfg, nl);
                    long s = cpuNanos();
                    for (int i = 0; i < repeat; i++) calc.compute(cfg, nl);
                    eval[k][round] = (cpuNanos() - s) / 1e3 / cfg.size() / repeat;
                }
                double[] rs = radialStage(p, cfg, nl, repeat, warmup);
                radialDense[k][round] = rs[0];
                radialFactor[k][round] = rs[1];
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "evaluation: %s, first configuration (%d atoms), %d threads, CPU time (process; radial stage: thread), "
                        + "mean of %d after %d warm-up, best of %d rounds%n",
                evalCfg, cfg.size(), threads, repeat, warmup, rounds));
        sb.append(String.format(Locale.ROOT, "%-44s %8s %8s %12s %14s %14s%n", "potential", "radial", "params", "EFS CPU us/at",
                "radial dense", "radial per-pair"));
        for (int k = 0; k < np; k++) {
            Potential p = pots.get(k);
            sb.append(String.format(Locale.ROOT, "%-44s %8d %8d %12.3f %11.3f us %11s%n", shorten(files.get(k).toString(), 44), p.radialParameterCount(),
                    p.radialParameterCount() + p.speciesCount() + p.basis().scalarCount(), min(eval[k]), min(radialDense[k]),
                    Double.isNaN(radialFactor[k][0]) ? "-" : String.format(Locale.ROOT, "%.3f us", min(radialFactor[k]))));
        }
        sb.append("(radial: time per atom of computing f_mu(r) and f'_mu(r) for all its neighbours; dense = the materialised slice c[ti,tj],\n"
                + " per-pair = the factors contracted for every pair, as an evaluator without materialisation would)\n");
        if (trainCfg != null) sb.append(training(pots, files, trainCfg, iterations, threads, rounds));
        sb.append(String.format(Locale.ROOT, "JVM %s %s, CPU %s%n", System.getProperty("java.vm.name"), Runtime.version(), cpuModel()));
        return sb.toString();
    }

    private static String training(List<Potential> pots, List<Path> files, Path trainCfg, int iterations, int threads, int rounds) {
        List<Configuration> data = CfgFiles.read(trainCfg);
        int np = pots.size();
        double[][] perEval = new double[np][rounds], perPull = new double[np][rounds], perIter = new double[np][rounds];
        double[][] evalsPerIter = new double[np][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < np; k++) {
                Potential p = pots.get(k).copy();
                TrainingSet set = TrainingSet.of(trainCfg.toString(), trainCfg, data, p);
                TrainingOptions o = new TrainingOptions();
                try (LossFunction lf = new LossFunction(p, set, o.weights, threads)) {
                    double[] g = new double[p.parameterCount()];
                    lf.evaluate(g);
                    int reps = 3;
                    long s = cpuNanos();
                    for (int i = 0; i < reps; i++) lf.evaluate(g);
                    perEval[k][round] = (cpuNanos() - s) * 1e-9 / reps;
                    if (p.radialRepresentation() instanceof Factorisation f) {
                        double[] gx = new double[f.storedCount()];
                        long s2 = threadNanos();
                        int pr = 200;
                        for (int i = 0; i < pr; i++) f.pullBack(g, gx, 0);
                        perPull[k][round] = (threadNanos() - s2) * 1e-9 / pr;
                    }
                }
                o.iterationLimit = iterations;
                o.skipPreinit = true;
                o.tolerance = 0;
                o.threads = threads;
                o.checkpointEvery = 0;
                o.noMindistUpdate = true;
                // CPU seconds per BFGS iteration of the trainer's optimiser on this representation (no LinOptimize steps)
                Potential pq = pots.get(k).copy();
                TrainingSet sq = TrainingSet.of(trainCfg.toString(), trainCfg, data, pq);
                try (LossFunction lf = new LossFunction(pq, sq, o.weights, threads)) {
                    org.mtpjava.train.ParameterMap map = pq.radialRepresentation() instanceof Factorisation f
                            ? CompressedTraining.factory(CompressionSpec.of(f), 1, m -> {}).apply(pq) : null;
                    double[] r = bfgsIterations(pq, lf, map, iterations);
                    perIter[k][round] = r[0] / iterations;
                    evalsPerIter[k][round] = r[1] / iterations;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "training: %s (%d configurations), %d threads, process CPU time, %d BFGS iterations of the trainer's optimiser from POT, best of %d rounds%n",
                trainCfg, data.size(), threads, iterations, rounds));
        sb.append(String.format(Locale.ROOT, "%-44s %14s %14s %12s %12s%n", "potential", "loss+grad CPU s", "J^T pull-back", "CPU s/iter", "evals/iter"));
        for (int k = 0; k < np; k++) {
            sb.append(String.format(Locale.ROOT, "%-44s %14.4f %11.1f us %12.4f %12.2f%n", shorten(files.get(k).toString(), 44), min(perEval[k]),
                    1e6 * min(perPull[k]), min(perIter[k]), min(evalsPerIter[k])));
        }
        return sb.toString();
    }

    /** {dense us/atom, factorised-per-pair us/atom (NaN if not compressed)} for the radial-function stage. */
    static double[] radialStage(Potential p, Configuration cfg, NeighbourList nl, int repeat, int warmup) {
        RadialBasis rb = new RadialBasis(p);
        int K = p.radialFunctionsCount(), R = p.radialBasisSize(), S = p.speciesCount();
        if (p.isMagnetic()) return new double[]{Double.NaN, Double.NaN};
        int[] sp = new SpeciesMap(p).speciesOf(cfg);
        double[] c = p.radialCoefficients();
        double[] q = new double[R], dq = new double[R], f = new double[K], df = new double[K];
        double[] vec = nl.vectors();
        double scaling = p.scaling();
        // factorised data: per pair slice source
        Factorisation rep = p.radialRepresentation() instanceof Factorisation ff ? ff : null;
        MatrixFactorisation mf = null;
        if (rep instanceof MatrixFactorisation m && isDefaultRows(m)) mf = m;
        if (rep instanceof FixedRankMatrix rm && isDefaultRows(rm.rowModes(), rm.layout())) {
            mf = new MatrixFactorisation(rm.layout(), rm.rowModes(), rm.rank());
            mf.setFactors(Dense.mul(rm.u(), rm.s(), rm.rows(), rm.rank(), rm.rank()), rm.v(), rm.rank());
        }
        TensorTrain tt = rep instanceof TensorTrain t ? t : null;
        double sink = 0;
        double[] times = new double[repeat], timesF = new double[repeat];
        for (int pass = 0; pass < warmup + repeat; pass++) {
            long s = threadNanos();
            for (int i = 0; i < cfg.size(); i++) {
                for (int e = nl.offset(i); e < nl.offset(i + 1); e++) {
                    double x = vec[3 * e], y = vec[3 * e + 1], z = vec[3 * e + 2];
                    double r = Math.sqrt(x * x + y * y + z * z);
                    if (r >= p.cutoff()) continue;
                    rb.radial(r, q, dq);
                    int base = (sp[i] * S + sp[nl.neighbour(e)]) * K * R;
                    for (int mu = 0; mu < K; mu++) {
                        double v = 0, d = 0;
                        for (int b = 0; b < R; b++) {
                            v += c[base + mu * R + b] * q[b];
                            d += c[base + mu * R + b] * dq[b];
                        }
                        f[mu] = scaling * v;
                        df[mu] = scaling * d;
                    }
                    sink += f[0] + df[K - 1];
                }
            }
            if (pass >= warmup) times[pass - warmup] = (threadNanos() - s) / 1e3 / cfg.size();
        }
        if (mf == null && tt == null) return new double[]{median(times), Double.NaN};
        double[] slice = new double[K * R];
        for (int pass = 0; pass < warmup + repeat; pass++) {
            long s = threadNanos();
            for (int i = 0; i < cfg.size(); i++) {
                for (int e = nl.offset(i); e < nl.offset(i + 1); e++) {
                    double x = vec[3 * e], y = vec[3 * e + 1], z = vec[3 * e + 2];
                    double r = Math.sqrt(x * x + y * y + z * z);
                    if (r >= p.cutoff()) continue;
                    rb.radial(r, q, dq);
                    int ti = sp[i], tj = sp[nl.neighbour(e)];
                    if (mf != null) {
                        // f_mu = sum_k V[(ti,tj),k] sum_beta U[(mu,beta),k] Q_beta
                        int rk = mf.rank();
                        double[] u = mf.u(), v = mf.v();
                        int col = ti * S + tj;
                        for (int mu = 0; mu < K; mu++) {
                            double fv = 0, fd = 0;
                            for (int k = 0; k < rk; k++) {
                                double h = 0, dh = 0;
                                for (int b = 0; b < R; b++) {
                                    double w = u[(mu * R + b) * rk + k];
                                    h += w * q[b];
                                    dh += w * dq[b];
                                }
                                double vk = v[col * rk + k];
                                fv += vk * h;
                                fd += vk * dh;
                            }
                            f[mu] = scaling * fv;
                            df[mu] = scaling * fd;
                        }
                    } else {
                        pairSlice(tt, ti, tj, slice);
                        for (int mu = 0; mu < K; mu++) {
                            double v = 0, d = 0;
                            for (int b = 0; b < R; b++) {
                                v += slice[mu * R + b] * q[b];
                                d += slice[mu * R + b] * dq[b];
                            }
                            f[mu] = scaling * v;
                            df[mu] = scaling * d;
                        }
                    }
                    sink += f[0] + df[K - 1];
                }
            }
            if (pass >= warmup) timesF[pass - warmup] = (threadNanos() - s) / 1e3 / cfg.size();
        }
        if (sink == 12345.6789) System.out.print(""); // keep the loops
        return new double[]{median(times), median(timesF)};
    }

    private static boolean isDefaultRows(MatrixFactorisation m) { return isDefaultRows(m.rowModes(), m.layout()); }

    private static boolean isDefaultRows(int[] rows, TensorLayout l) {
        return Arrays.equals(rows, MatrixFactorisation.defaultRows(l)) && !l.isMagnetic();
    }

    /** The K x R slice c[., ., ti, tj] of a 4-way train (any mode order), contracted from the cores. */
    static void pairSlice(TensorTrain tt, int ti, int tj, double[] slice) {
        TensorLayout l = tt.layout();
        int[] order = tt.order();
        int K = l.radialFuncs(), R = l.radialSize();
        // contract left to right: state indexed by (free indices so far) x rank
        double[] state = {1.0};
        int free = 1, rank = 1;
        int[] freeModes = new int[2];
        int nf = 0;
        for (int k = 0; k < order.length; k++) {
            int mode = order[k], n = l.size(mode), r2 = tt.rank(k + 1);
            double[] core = tt.core(k);
            String name = l.name(mode);
            if (name.equals(TensorLayout.TI) || name.equals(TensorLayout.TJ)) {
                int idx = name.equals(TensorLayout.TI) ? ti : tj;
                double[] next = new double[free * r2];
                for (int a = 0; a < free; a++) {
                    for (int x = 0; x < rank; x++) {
                        double w = state[a * rank + x];
                        if (w == 0) continue;
                        int co = (x * n + idx) * r2;
                        for (int y = 0; y < r2; y++) next[a * r2 + y] += w * core[co + y];
                    }
                }
                state = next;
            } else {
                double[] next = new double[free * n * r2];
                for (int a = 0; a < free; a++) {
                    for (int x = 0; x < rank; x++) {
                        double w = state[a * rank + x];
                        if (w == 0) continue;
                        for (int i = 0; i < n; i++) {
                            int co = (x * n + i) * r2, no = (a * n + i) * r2;
                            for (int y = 0; y < r2; y++) next[no + y] += w * core[co + y];
                        }
                    }
                }
                state = next;
                free *= n;
                freeModes[nf++] = mode;
            }
            rank = r2;
        }
        // state: free index over (first free mode, second free mode)
        boolean muFirst = l.name(freeModes[0]).equals(TensorLayout.MU);
        for (int a = 0; a < K; a++) {
            for (int b = 0; b < R; b++) slice[a * R + b] = muFirst ? state[a * R + b] : state[b * K + a];
        }
    }

    /**
     * Runs the optimiser the trainer would use (BFGS on x, Riemannian BFGS for R-MF) for a number of accepted
     * iterations; {process CPU seconds, loss+gradient evaluations}.
     */
    static double[] bfgsIterations(Potential p, LossFunction lf, org.mtpjava.train.ParameterMap map, int iterations) {
        int n = map == null ? p.parameterCount() : map.size();
        org.mtpjava.train.Optimizer opt = map == null ? new org.mtpjava.train.Bfgs(n) : map.newOptimizer();
        double[] x = map == null ? p.parameters() : map.current(p);
        double[] g = new double[n], gFull = new double[p.parameterCount()];
        opt.setX(x);
        long c0 = cpuNanos();
        int accepted = 0, evals = 0;
        while (accepted < iterations) {
            System.arraycopy(opt.x(), 0, x, 0, n);
            double f;
            if (map == null) {
                p.setParameters(x);
                f = lf.evaluate(g);
            } else {
                map.apply(x, p);
                f = lf.evaluate(gFull);
                map.pullBack(p, gFull, g);
            }
            evals++;
            if (!opt.iterate(f, g)) break;
            while (Math.abs(opt.x()[0] - x[0]) > 0.5) opt.reduceStep(0.25);
            if (!opt.inLineSearch()) accepted++;
        }
        return new double[]{(cpuNanos() - c0) * 1e-9, evals};
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long threadNanos() { return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }

    static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static double min(double[] t) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : t) if (v < m) m = v;
        return m;
    }

    static String shorten(String s, int n) { return s.length() <= n ? s : "..." + s.substring(s.length() - n + 3); }

    static String cpuModel() {
        try {
            for (String l : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).strip();
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return ManagementFactory.getOperatingSystemMXBean().getArch();
    }
}
