package org.mtpjava.eval;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rotation, translation, permutation, periodic-image and supercell invariance of the energy. */
class InvarianceTest {

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.SIO, Fixtures.NBMOTAW, Fixtures.L20_REPULSIVE, Fixtures.MAGNETIC})
    void energyIsInvariant(String file) {
        Potential p = Fixtures.potential(file);
        Random rnd = new Random(11);
        double[] mr = p.isMagnetic() ? new double[]{p.magneticBasis().min(), p.magneticBasis().max()} : null;
        Configuration cfg = Fixtures.randomCell(rnd, 16, p.speciesCount(), 0.06, p.minDist(), true, mr);
        try (EfsCalculator calc = new EfsCalculator(p, 2)) {
            EfsCalculator.Result base = calc.compute(cfg);
            double e0 = base.energy();
            double tol = 1e-10 * Math.max(1, Math.abs(e0));

            // rotation of atoms and cell: energy unchanged, forces rotate
            double[] rot = randomRotation(rnd);
            Configuration r = cfg.copy();
            DerivativesTest.transform(r.positions(), rot);
            DerivativesTest.transform(r.lattice(), rot);
            EfsCalculator.Result rr = calc.compute(r);
            assertEquals(e0, rr.energy(), tol, "rotation");
            double[] fRot = base.forces().clone();
            DerivativesTest.transform(fRot, rot);
            for (int k = 0; k < fRot.length; k++) assertEquals(fRot[k], rr.forces()[k], 1e-9, "rotated force " + k);

            // translation
            Configuration t = cfg.copy();
            for (int i = 0; i < t.size(); i++) for (int a = 0; a < 3; a++) t.positions()[3 * i + a] += 0.37 * (a + 1);
            assertEquals(e0, calc.compute(t).energy(), tol, "translation");

            // periodic image shift of single atoms by lattice vectors
            Configuration s = cfg.copy();
            double[] l = s.lattice();
            for (int i = 0; i < s.size(); i += 3) for (int a = 0; a < 3; a++) s.positions()[3 * i + a] += 2 * l[a] - l[3 + a] + l[6 + a];
            assertEquals(e0, calc.compute(s).energy(), tol, "image shift");

            // permutation of atoms (with their species and moments)
            Configuration perm = cfg.copy();
            int n = cfg.size();
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = n - 1 - i;
            for (int i = 0; i < n; i++) {
                int j = order[i];
                perm.types()[i] = cfg.types()[j];
                for (int a = 0; a < 3; a++) {
                    perm.positions()[3 * i + a] = cfg.positions()[3 * j + a];
                    if (mr != null) perm.magneticMoments()[3 * i + a] = cfg.magneticMoments()[3 * j + a];
                }
            }
            EfsCalculator.Result pr = calc.compute(perm);
            assertEquals(e0, pr.energy(), tol, "permutation");
            for (int i = 0; i < n; i++) for (int a = 0; a < 3; a++) {
                assertEquals(base.forces()[3 * order[i] + a], pr.forces()[3 * i + a], 1e-9, "permuted force");
            }

            // 2x1x1 supercell: energy and virial double
            Configuration sc = new Configuration(2 * n);
            double[] l2 = cfg.lattice().clone();
            for (int a = 0; a < 3; a++) l2[a] *= 2;
            sc.setLattice(l2);
            if (mr != null) sc.setMagneticMoments(new double[6 * n]);
            for (int i = 0; i < n; i++) {
                for (int copy = 0; copy < 2; copy++) {
                    int k = i + copy * n;
                    sc.types()[k] = cfg.types()[i];
                    for (int a = 0; a < 3; a++) {
                        sc.positions()[3 * k + a] = cfg.positions()[3 * i + a] + copy * cfg.lattice()[a];
                        if (mr != null) sc.magneticMoments()[3 * k + a] = cfg.magneticMoments()[3 * i + a];
                    }
                }
            }
            EfsCalculator.Result scr = calc.compute(sc);
            assertEquals(2 * e0, scr.energy(), 2 * tol, "supercell energy");
            for (int a = 0; a < 6; a++) assertEquals(2 * base.stress()[a], scr.stress()[a], 1e-9 * Math.max(1, Math.abs(base.stress()[a])), "supercell virial");
        }
    }

    static double[] randomRotation(Random rnd) {
        // random unit quaternion
        double q0 = rnd.nextGaussian(), q1 = rnd.nextGaussian(), q2 = rnd.nextGaussian(), q3 = rnd.nextGaussian();
        double n = Math.sqrt(q0 * q0 + q1 * q1 + q2 * q2 + q3 * q3);
        q0 /= n; q1 /= n; q2 /= n; q3 /= n;
        // as a "strain" e with x' = x + e x, i.e. e = R - I
        double[] r = {
                1 - 2 * (q2 * q2 + q3 * q3), 2 * (q1 * q2 - q0 * q3), 2 * (q1 * q3 + q0 * q2),
                2 * (q1 * q2 + q0 * q3), 1 - 2 * (q1 * q1 + q3 * q3), 2 * (q2 * q3 - q0 * q1),
                2 * (q1 * q3 - q0 * q2), 2 * (q2 * q3 + q0 * q1), 1 - 2 * (q1 * q1 + q2 * q2)};
        r[0] -= 1; r[4] -= 1; r[8] -= 1;
        return r;
    }
}
