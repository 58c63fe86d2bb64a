package org.mtpjava.magnetic;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.eval.ReferenceSiteEvaluator;
import org.mtpjava.eval.SiteEvaluator;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Magnetic MTPs of levels 6, 8, 10 and 16, magnetic basis sizes M = 2, 3, 4, two and three species, random
 * (untrained-template) coefficients: the fast kernel against the reference kernel, and forces, virial and dE/dm
 * (central plus neighbour terms) against central finite differences of the energy, with random moments of both
 * signs.
 */
class MagneticEvaluationTest {

    @ParameterizedTest(name = "{0} S={1} M={2}")
    @CsvSource({
            MagneticFixtures.L06 + ", 2, 2", MagneticFixtures.L06 + ", 3, 4",
            MagneticFixtures.L08 + ", 2, 3", MagneticFixtures.L08 + ", 3, 2",
            MagneticFixtures.L10 + ", 2, 4", MagneticFixtures.L10 + ", 3, 3",
            MagneticFixtures.L16 + ", 2, 3", MagneticFixtures.L16 + ", 2, 4",
    })
    void fastKernelEqualsReferenceKernel(String template, int species, int m) {
        Potential p = MagneticFixtures.random(template, species, 6, m, -2.5, 3.0, 17);
        SiteEvaluator fast = new SiteEvaluator(p);
        ReferenceSiteEvaluator ref = new ReferenceSiteEvaluator(p);
        Random rnd = new Random(5);
        for (int trial = 0; trial < 12; trial++) {
            int n = 1 + rnd.nextInt(30);
            double[] rij = new double[3 * n];
            int[] sp = new int[n];
            double[] sj = new double[n];
            for (int j = 0; j < n; j++) {
                double r = 1.8 + rnd.nextDouble() * 3.6;
                double x, y, z, r2;
                do {
                    x = 2 * rnd.nextDouble() - 1;
                    y = 2 * rnd.nextDouble() - 1;
                    z = 2 * rnd.nextDouble() - 1;
                    r2 = x * x + y * y + z * z;
                } while (r2 > 1 || r2 < 1e-3);
                double s = r / Math.sqrt(r2);
                rij[3 * j] = x * s;
                rij[3 * j + 1] = y * s;
                rij[3 * j + 2] = z * s;
                sp[j] = rnd.nextInt(species);
                sj[j] = -2.5 + 5.5 * rnd.nextDouble();
            }
            int ti = rnd.nextInt(species);
            double si = -2.5 + 5.5 * rnd.nextDouble();
            double[] g1 = new double[3 * n], g2 = new double[3 * n], s1 = new double[n + 1], s2 = new double[n + 1];
            double e1 = fast.siteEnergy(ti, si, n, rij, sp, sj, g1, s1);
            double e2 = ref.siteEnergy(ti, si, n, rij, sp, sj, g2, s2);
            assertEquals(e2, e1, 1e-11 * Math.max(1, Math.abs(e2)), "energy, trial " + trial);
            double gmax = 1;
            for (double v : g2) gmax = Math.max(gmax, Math.abs(v));
            for (double v : s2) gmax = Math.max(gmax, Math.abs(v));
            for (int k = 0; k < 3 * n; k++) assertEquals(g2[k], g1[k], 1e-10 * gmax, "dV/dr " + k);
            for (int k = 0; k <= n; k++) assertEquals(s2[k], s1[k], 1e-10 * gmax, "dV/ds " + k);
        }
    }

    @ParameterizedTest(name = "{0} S={1} M={2}")
    @CsvSource({
            MagneticFixtures.L06 + ", 3, 2",
            MagneticFixtures.L08 + ", 2, 4",
            MagneticFixtures.L10 + ", 3, 3",
            MagneticFixtures.L16 + ", 2, 2",
    })
    void derivativesMatchFiniteDifferences(String template, int species, int m) {
        Potential p = MagneticFixtures.random(template, species, 6, m, -2.5, 2.5, 23);
        Random rnd = new Random(31);
        Configuration cfg = TeacherData.randomBcc(rnd, 2, 2, 1, 2.9, species, 0.5, 0.15, 0.03, new double[]{0.2, 2.4}, 0.3);
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            EfsCalculator.Result r = calc.compute(cfg);
            double h = 1e-5;
            double maxD = 0;
            for (int i = 0; i < cfg.size(); i++) {
                for (int a = 0; a < 3; a++) {
                    Configuration c = cfg.copy();
                    c.positions()[3 * i + a] += h;
                    double ep = calc.compute(c).energy();
                    c.positions()[3 * i + a] -= 2 * h;
                    double em = calc.compute(c).energy();
                    double fd = -(ep - em) / (2 * h);
                    assertEquals(fd, r.forces()[3 * i + a], 1e-6 * Math.max(1, Math.abs(fd)), "force " + i + "," + a);
                }
                Configuration c = cfg.copy();
                c.magneticMoments()[3 * i] += h;
                double ep = calc.compute(c).energy();
                c.magneticMoments()[3 * i] -= 2 * h;
                double em = calc.compute(c).energy();
                double fd = (ep - em) / (2 * h);
                assertEquals(fd, r.magneticForces()[3 * i], 1e-6 * Math.max(1, Math.abs(fd)), "dE/dm " + i);
                assertEquals(0.0, r.magneticForces()[3 * i + 1]);
                maxD = Math.max(maxD, Math.abs(fd));
            }
            assertTrue(maxD > 1e-3, "non-trivial magnetic forces: " + maxD);
            int[][] comps = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
            for (int s = 0; s < 6; s++) {
                double ep = calc.compute(strained(cfg, comps[s][0], comps[s][1], h)).energy();
                double em = calc.compute(strained(cfg, comps[s][0], comps[s][1], -h)).energy();
                double fd = -(ep - em) / (2 * h);
                assertEquals(fd, r.stress()[s], 1e-6 * Math.max(1, Math.abs(fd)), "virial " + s);
            }
        }
    }

    static Configuration strained(Configuration cfg, int a, int b, double h) {
        double[] e = new double[9];
        if (a == b) e[3 * a + a] = h;
        else {
            e[3 * a + b] = h / 2;
            e[3 * b + a] = h / 2;
        }
        Configuration c = cfg.copy();
        for (double[] v : new double[][]{c.positions(), c.lattice()}) {
            for (int i = 0; i < v.length / 3; i++) {
                double x = v[3 * i], y = v[3 * i + 1], z = v[3 * i + 2];
                v[3 * i] = x + e[0] * x + e[1] * y + e[2] * z;
                v[3 * i + 1] = y + e[3] * x + e[4] * y + e[5] * z;
                v[3 * i + 2] = z + e[6] * x + e[7] * y + e[8] * z;
            }
        }
        return c;
    }
}
