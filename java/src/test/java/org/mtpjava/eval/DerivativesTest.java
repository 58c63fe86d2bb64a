package org.mtpjava.eval;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Forces, virial and magnetic forces against central finite differences of the total energy. */
class DerivativesTest {

    static double energy(EfsCalculator c, Configuration cfg) { return c.compute(cfg).energy(); }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.SIO, Fixtures.NBMOTAW, Fixtures.L20_REPULSIVE, Fixtures.MAGNETIC})
    void forcesAreMinusEnergyGradient(String file) {
        Potential p = Fixtures.potential(file);
        Random rnd = new Random(7);
        double[] mr = p.isMagnetic() ? new double[]{p.magneticBasis().min(), p.magneticBasis().max()} : null;
        Configuration cfg = Fixtures.randomCell(rnd, 14, p.speciesCount(), 0.06, p.minDist() * 0.9, true, mr);
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            EfsCalculator.Result r = calc.compute(cfg);
            double h = 1e-5;
            for (int i = 0; i < cfg.size(); i++) {
                for (int a = 0; a < 3; a++) {
                    Configuration c = cfg.copy();
                    c.positions()[3 * i + a] += h;
                    double ep = energy(calc, c);
                    c.positions()[3 * i + a] -= 2 * h;
                    double em = energy(calc, c);
                    double fd = -(ep - em) / (2 * h);
                    assertEquals(fd, r.forces()[3 * i + a], 1e-6 * Math.max(1, Math.abs(fd)), file + " force " + i + "," + a);
                }
            }
            // virial: W_ab = -dE/d eps_ab for the deformation x -> (I + eps) x of atoms and cell
            int[][] comps = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
            for (int s = 0; s < 6; s++) {
                double ep = energy(calc, strained(cfg, comps[s][0], comps[s][1], h));
                double em = energy(calc, strained(cfg, comps[s][0], comps[s][1], -h));
                double fd = -(ep - em) / (2 * h);
                assertEquals(fd, r.stress()[s], 1e-6 * Math.max(1, Math.abs(fd)), file + " virial " + s);
            }
            if (p.isMagnetic()) {
                for (int i = 0; i < cfg.size(); i++) {
                    Configuration c = cfg.copy();
                    c.magneticMoments()[3 * i] += h;
                    double ep = energy(calc, c);
                    c.magneticMoments()[3 * i] -= 2 * h;
                    double em = energy(calc, c);
                    double fd = (ep - em) / (2 * h);
                    assertEquals(fd, r.magneticForces()[3 * i], 1e-6 * Math.max(1, Math.abs(fd)), file + " dE/dm " + i);
                }
            }
        }
    }

    /** Symmetric strain eps_ab = eps_ba = h/2 (or eps_aa = h) applied to positions and cell. */
    static Configuration strained(Configuration cfg, int a, int b, double h) {
        double[] e = new double[9];
        if (a == b) e[3 * a + a] = h;
        else { e[3 * a + b] = h / 2; e[3 * b + a] = h / 2; }
        Configuration c = cfg.copy();
        transform(c.positions(), e);
        transform(c.lattice(), e);
        return c;
    }

    static void transform(double[] v, double[] e) {
        for (int i = 0; i < v.length / 3; i++) {
            double x = v[3 * i], y = v[3 * i + 1], z = v[3 * i + 2];
            v[3 * i] = x + e[0] * x + e[1] * y + e[2] * z;
            v[3 * i + 1] = y + e[3] * x + e[4] * y + e[5] * z;
            v[3 * i + 2] = z + e[6] * x + e[7] * y + e[8] * z;
        }
    }
}
