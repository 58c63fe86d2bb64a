package org.mtpjava.optim;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class LbfgsTest {

    static double rosenbrock(double[] x, double[] g) {
        double f = 0;
        java.util.Arrays.fill(g, 0);
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
            f += 100 * a * a + b * b;
            g[i] += -400 * a * x[i] - 2 * b;
            g[i + 1] += 200 * a;
        }
        return f;
    }

    @Test
    void minimisesRosenbrock() {
        for (int n : new int[]{2, 10}) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = i % 2 == 0 ? -1.2 : 1.0;
            Lbfgs.Options o = new Lbfgs.Options();
            o.gradientTolerance = 1e-9;
            Lbfgs.Result r = Lbfgs.minimize(LbfgsTest::rosenbrock, x, o, null);
            assertTrue(r.converged(), r.toString());
            for (int i = 0; i < n; i++) assertEquals(1.0, x[i], 1e-7, "n=" + n + " x" + i);
            assertTrue(r.iterations() < 200, "iterations " + r.iterations());
        }
    }

    /** f = 1/2 |x - c|^2 with c outside the box: the minimiser is the projection of c, held components reported. */
    @Test
    void boundsHoldComponentsAndStepsAreCapped() {
        double[] c = {2, -3, 0.5, 4};
        Lbfgs.Options o = new Lbfgs.Options();
        o.lower = new double[]{-1, -1, -1, -1};
        o.upper = new double[]{1, 1, 1, 1};
        o.maxStep = 0.1;
        o.gradientTolerance = 1e-12;
        int[] evals = {0};
        double[][] prev = {null};
        double[] maxMove = {0};
        Lbfgs.Objective f = (x, g) -> {
            evals[0]++;
            if (prev[0] != null) for (int i = 0; i < x.length; i++) maxMove[0] = Math.max(maxMove[0], Math.abs(x[i] - prev[0][i]));
            prev[0] = x.clone();
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                g[i] = x[i] - c[i];
                s += 0.5 * g[i] * g[i];
            }
            return s;
        };
        double[] x = new double[4];
        Lbfgs.Result r = Lbfgs.minimize(f, x, o, null);
        assertTrue(r.converged(), r.toString());
        assertArrayEquals(new double[]{1, -1, 0.5, 1}, x, 1e-12);
        assertEquals(3, r.atBounds());
        assertTrue(maxMove[0] <= 0.1 + 1e-15, "largest move " + maxMove[0]);
    }

    /**
     * The same problem split over two "ranks" (threads with a barrier reduction, as MPI_Allreduce): both ranks take
     * the same decisions and reach the serial minimiser.
     */
    @Test
    void distributedRunAgreesWithSerial() throws Exception {
        int n = 40;
        Random rnd = new Random(4);
        double[] a = new double[n], b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 1 + rnd.nextDouble();
            b[i] = rnd.nextGaussian();
        }
        // f = sum_i a_i d_i^2 + d_i^4 / 4 (d = x - b) + 0.3 sum x_i x_{i+1} with couplings inside each half
        double[] serial = new double[n];
        Lbfgs.Options so = new Lbfgs.Options();
        so.gradientTolerance = 1e-11;
        int h = n / 2;
        Lbfgs.Result sr = Lbfgs.minimize((x, g) -> {
            double[] x0 = java.util.Arrays.copyOfRange(x, 0, h), x1 = java.util.Arrays.copyOfRange(x, h, n);
            double[] g0 = new double[h], g1 = new double[h];
            double f = local(x0, g0, a, b, 0, h) + local(x1, g1, a, b, h, h);
            System.arraycopy(g0, 0, g, 0, h);
            System.arraycopy(g1, 0, g, h, h);
            return f;
        }, serial, so, null);
        assertTrue(sr.converged());

        CyclicBarrier barrier = new CyclicBarrier(2);
        double[] slots = new double[2];
        Lbfgs.Reduction[] red = new Lbfgs.Reduction[2];
        for (int rank = 0; rank < 2; rank++) {
            int me = rank;
            red[rank] = new Lbfgs.Reduction() {
                double reduce(double v, boolean max) {
                    try {
                        slots[me] = v;
                        barrier.await();
                        double out = max ? Math.max(slots[0], slots[1]) : slots[0] + slots[1];
                        barrier.await();
                        return out;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                @Override public double sum(double v) { return reduce(v, false); }
                @Override public double max(double v) { return reduce(v, true); }
            };
        }
        double[][] parts = new double[2][n / 2];
        AtomicReference<Lbfgs.Result>[] results = new AtomicReference[]{new AtomicReference<>(), new AtomicReference<>()};
        Thread[] t = new Thread[2];
        for (int rank = 0; rank < 2; rank++) {
            int me = rank, off = rank * n / 2;
            t[rank] = new Thread(() -> {
                Lbfgs.Options o = new Lbfgs.Options();
                o.gradientTolerance = 1e-11;
                o.reduction = red[me];
                results[me].set(Lbfgs.minimize((x, g) -> red[me].sum(local(x, g, a, b, off, n / 2)), parts[me], o, null));
            });
            t[rank].start();
        }
        for (Thread th : t) th.join(20000);
        assertEquals(results[0].get().iterations(), results[1].get().iterations());
        assertEquals(results[0].get().value(), results[1].get().value(), 0.0);
        assertTrue(results[0].get().converged());
        for (int i = 0; i < n; i++) assertEquals(serial[i], parts[i / (n / 2)][i % (n / 2)], 1e-9, "x" + i);
    }

    /** Part of f over components [off, off+len) of a separable function with couplings inside each half. */
    static double local(double[] x, double[] g, double[] a, double[] b, int off, int len) {
        double f = 0;
        java.util.Arrays.fill(g, 0);
        for (int k = 0; k < len; k++) {
            int i = off + k;
            double d = x[k] - b[i];
            f += a[i] * d * d + 0.25 * d * d * d * d;
            g[k] += 2 * a[i] * d + d * d * d;
            if (k + 1 < len) {
                f += 0.3 * x[k] * x[k + 1];
                g[k] += 0.3 * x[k + 1];
                g[k + 1] += 0.3 * x[k];
            }
        }
        return f;
    }
}
