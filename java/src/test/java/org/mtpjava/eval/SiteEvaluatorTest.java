package org.mtpjava.eval;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mtpjava.model.Potential;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fast kernel against the plain reference kernel on random neighbourhoods. */
class SiteEvaluatorTest {

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.SIO, Fixtures.NBMOTAW, Fixtures.L20_REPULSIVE, Fixtures.MAGNETIC, Fixtures.TRAINED10})
    void fastKernelEqualsReferenceKernel(String file) {
        Potential p = Fixtures.potential(file);
        SiteEvaluator fast = new SiteEvaluator(p);
        ReferenceSiteEvaluator ref = new ReferenceSiteEvaluator(p);
        Random rnd = new Random(42);
        double rc = p.cutoff();
        for (int trial = 0; trial < 25; trial++) {
            int n = 1 + rnd.nextInt(40);
            double[] rij = new double[3 * n];
            int[] sp = new int[n];
            double[] sj = p.isMagnetic() ? new double[n] : null;
            for (int j = 0; j < n; j++) {
                // mostly inside the cutoff, some beyond; some below min_dist (repulsive branch)
                double r = p.minDist() * 0.8 + rnd.nextDouble() * (rc * 1.1 - p.minDist() * 0.8);
                double[] u = randomUnit(rnd);
                for (int a = 0; a < 3; a++) rij[3 * j + a] = r * u[a];
                sp[j] = rnd.nextInt(p.speciesCount());
                if (sj != null) sj[j] = p.magneticBasis().min() + rnd.nextDouble() * (p.magneticBasis().max() - p.magneticBasis().min());
            }
            int ti = rnd.nextInt(p.speciesCount());
            double si = sj == null ? 0 : p.magneticBasis().min() + rnd.nextDouble() * (p.magneticBasis().max() - p.magneticBasis().min());
            double[] g1 = new double[3 * n], g2 = new double[3 * n];
            double[] s1 = new double[n + 1], s2 = new double[n + 1];
            double e1 = fast.siteEnergy(ti, si, n, rij, sp, sj, g1, sj == null ? null : s1);
            double e2 = ref.siteEnergy(ti, si, n, rij, sp, sj, g2, sj == null ? null : s2);
            double scale = Math.max(1, Math.abs(e2));
            assertEquals(e2, e1, 1e-11 * scale, file + " energy, trial " + trial);
            double gmax = 1;
            for (double v : g2) gmax = Math.max(gmax, Math.abs(v));
            for (int k = 0; k < 3 * n; k++) assertEquals(g2[k], g1[k], 1e-10 * gmax, file + " gradient " + k + ", trial " + trial);
            if (sj != null) for (int k = 0; k <= n; k++) assertEquals(s2[k], s1[k], 1e-10 * Math.max(1, Math.abs(s2[k])), file + " dE/ds " + k);
        }
    }

    static double[] randomUnit(Random rnd) {
        double x, y, z, r2;
        do {
            x = 2 * rnd.nextDouble() - 1;
            y = 2 * rnd.nextDouble() - 1;
            z = 2 * rnd.nextDouble() - 1;
            r2 = x * x + y * y + z * z;
        } while (r2 > 1 || r2 < 1e-4);
        double r = Math.sqrt(r2);
        return new double[]{x / r, y / r, z / r};
    }
}
