package org.mtpjava.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class BfgsTest {
    interface Fn { double eval(double[] x, double[] g); }

    /**
     * Drives the optimiser as the trainer does (including MLIP's limit of 999 line-search evaluations, which ends a
     * search stalled by round-off near the minimum); returns accepted iterations.
     */
    static int minimise(Bfgs b, double[] x0, Fn fn, int maxIter) {
        int n = x0.length;
        double[] x = x0.clone(), g = new double[n];
        b.setX(x);
        int it = 0, lineSearch = 0;
        while (it < maxIter && lineSearch <= 999) {
            System.arraycopy(b.x(), 0, x, 0, n);
            double f = fn.eval(x, g);
            if (!b.iterate(f, g)) break;
            if (!b.inLineSearch()) {
                it++;
                lineSearch = 0;
                double gn = 0;
                for (double v : g) gn += v * v;
                if (gn < 1e-18) break;
            } else {
                lineSearch++;
            }
        }
        System.arraycopy(x, 0, x0, 0, n);
        return it;
    }

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
        for (int n : new int[]{2, 6}) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = i % 2 == 0 ? -1.2 : 1.0;
            int it = minimise(new Bfgs(n), x, BfgsTest::rosenbrock, 500);
            for (int i = 0; i < n; i++) assertEquals(1.0, x[i], 1e-6, "n=" + n + " x" + i + " after " + it + " iterations");
        }
    }

    @Test
    void quadraticConvergesInAboutNSteps() {
        int n = 12;
        Random r = new Random(3);
        double[][] m = new double[n][n];
        for (double[] row : m) for (int j = 0; j < n; j++) row[j] = r.nextGaussian();
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double s = i == j ? 1 : 0;
            for (int k = 0; k < n; k++) s += m[i][k] * m[j][k];
            a[i][j] = s;
        }
        double[] b = new double[n];
        for (int i = 0; i < n; i++) b[i] = r.nextGaussian();
        Fn q = (x, g) -> {
            double f = 0;
            for (int i = 0; i < n; i++) {
                double ax = 0;
                for (int j = 0; j < n; j++) ax += a[i][j] * x[j];
                g[i] = ax - b[i];
                f += 0.5 * x[i] * ax - b[i] * x[i];
            }
            return f;
        };
        double[] x = new double[n];
        int it = minimise(new Bfgs(n), x, q, 200);
        double[] g = new double[n];
        q.eval(x, g);
        for (double v : g) assertEquals(0, v, 1e-8);
        assertTrue(it <= 2 * n, "iterations " + it);
    }

    @Test
    void stateRoundTripsExactly() throws IOException {
        Bfgs b = new Bfgs(3);
        double[] x = {-1.2, 1, 0.5};
        minimise(b, x, BfgsTest::rosenbrock, 7);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        b.write(new DataOutputStream(bo));
        Bfgs c = new Bfgs(3);
        c.read(new DataInputStream(new ByteArrayInputStream(bo.toByteArray())));
        double[] g = new double[3];
        double[] xb = b.x().clone();
        double f = rosenbrock(xb, g);
        b.iterate(f, g);
        c.iterate(f, g);
        assertArrayEquals(b.x(), c.x());
        assertArrayEquals(b.inverseHessian(), c.inverseHessian());
    }

    @Test
    void reportsAnAscentDirection() {
        Bfgs b = new Bfgs(1);
        b.setX(new double[]{0});
        assertTrue(b.iterate(0, new double[]{1})); // first call: direction -g, fine
        // pretend the Hessian became negative: the next direction is uphill
        b.inverseHessian()[0] = -1;
        b.setX(new double[]{0});
        assertFalse(b.iterate(0, new double[]{1}));
    }
}
