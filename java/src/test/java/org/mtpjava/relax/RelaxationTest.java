package org.mtpjava.relax;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Moment relaxation at fixed positions and full relaxation with the level-16 Fe-Al magnetic MTP of MLIP-3. */
class RelaxationTest {
    static final String POT = "reference/mlip3_magnetic/al_fe_mag.mtpr";
    static final String CFG = "reference/mlip3_magnetic/al_fe_mag_input.cfg";

    static Potential pot() { return PotentialFiles.read(TestData.data(POT)); }

    static Configuration start() {
        List<Configuration> c = CfgFiles.read(TestData.data(CFG));
        Configuration cfg = c.get(0).copy();
        cfg.clearComputed();
        return cfg;
    }

    @Test
    void momentsRelaxToAStationaryPointWithSignsKept() {
        Potential p = pot();
        Configuration cfg = start();
        Random rnd = new Random(2);
        double[] m = cfg.magneticMoments();
        for (int i = 0; i < cfg.size(); i++) m[3 * i] = Math.max(0.05, Math.min(3.0, m[3 * i] + 0.3 * rnd.nextGaussian()));
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            double e0 = calc.compute(cfg).energy();
            MomentRelaxation.Options o = new MomentRelaxation.Options();
            o.tolerance = 1e-8;
            double[] lo = new double[cfg.size()], hi = new double[cfg.size()];
            int[] signs = MomentRelaxation.signs(cfg.magneticMoments(), 3, cfg.size());
            MomentRelaxation.bounds(p.magneticBasis(), signs, cfg.size(), o, lo, hi);
            MomentRelaxation.Result r = MomentRelaxation.relax(calc, cfg, o);
            assertTrue(r.converged(), r.describe());
            assertTrue(r.energy() < e0, "energy decreased: " + e0 + " -> " + r.energy());
            double[] d = cfg.magneticForces();
            int held = 0;
            for (int i = 0; i < cfg.size(); i++) {
                double mi = cfg.magneticMoments()[3 * i];
                assertTrue(mi > 0, "sign kept (a held moment sits at the smallest positive double), atom " + i);
                boolean atBound = (mi <= lo[i] && d[3 * i] > 0) || (mi >= hi[i] && d[3 * i] < 0);
                if (atBound) held++;
                else assertEquals(0, d[3 * i], 1e-8, "dE/dm " + i + " m=" + mi + " [" + lo[i] + "," + hi[i] + "] " + r.describe());
            }
            assertEquals(r.atBounds(), held, "moments held at a bound");
            // a local minimum: moving any one free moment raises the energy
            for (int i = 0; i < cfg.size(); i++) {
                for (double h : new double[]{-1e-3, 1e-3}) {
                    Configuration c = cfg.copy();
                    double v = c.magneticMoments()[3 * i] + h;
                    if (v < 0 || v > p.magneticBasis().max()) continue;
                    c.magneticMoments()[3 * i] = v;
                    assertTrue(calc.compute(c).energy() > r.energy() - 1e-12, "minimum along moment " + i);
                }
            }
            // warm start from the relaxed moments: converged at once
            MomentRelaxation.Result again = MomentRelaxation.relax(calc, cfg, o, signs);
            assertTrue(again.converged());
            assertTrue(again.iterations() <= 1, "warm start iterations " + again.iterations());
        }
    }

    /**
     * A magnetic MTP whose energy has an interior minimum in every moment: the level-8 basis with random radial and
     * moment coefficients and M = 3, plus a well kappa Q_0(r) phi_2(s_i) in the radial function of the first scalar
     * (rank-0) basis function, with the sign of its moment coefficient (phi_2 = 2 eta^2 - 1 is convex).
     */
    public static Potential wellPotential(double kappa, long seed) {
        Potential t = PotentialFiles.read(TestData.data("mlip_reference_kit/testvectors/L08_init_template.almtp"));
        Potential p = new Potential(t.radialBasisType(), 2.0, 5.0, 6, new org.mtpjava.model.MagneticBasis(-1.0, 4.0, 3),
                t.radialFunctionsCount(), t.basis(), 2);
        Random rnd = new Random(seed);
        double[] rad = new double[p.radialCoefficients().length];
        for (int i = 0; i < rad.length; i++) rad[i] = 0.01 * (2 * rnd.nextDouble() - 1);
        double[] sp = {-3.0, -2.0};
        double[] mo = new double[p.basis().scalarCount()];
        for (int i = 0; i < mo.length; i++) mo[i] = 0.05 * (2 * rnd.nextDouble() - 1);
        int k0 = p.basis().scalarMappingArray()[0];
        int mu = p.basis().basicMu(k0);
        mo[0] = 1.0;
        int m = 3, r = p.radialBasisSize(), perPair = p.radialCoefficientsPerPair();
        for (int pair = 0; pair < 4; pair++) rad[pair * perPair + (mu * r) * m * m + 2 * m + 0] += kappa;
        p.setCoefficients(rad, sp, mo);
        return p;
    }

    @Test
    void momentsFindInteriorMinimaOfAWellPotential() {
        Potential p = wellPotential(0.02, 3);
        Configuration cfg = org.mtpjava.magnetic.TeacherData.randomBcc(new Random(8), 2, 2, 2, 2.85, 2, 0.5, 0.08, 0.02,
                new double[]{0.5, 3.5}, 0.0);
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            MomentRelaxation.Options o = new MomentRelaxation.Options();
            o.tolerance = 1e-9;
            MomentRelaxation.Result r = MomentRelaxation.relax(calc, cfg, o);
            assertTrue(r.converged(), r.describe());
            int interior = 0;
            for (int i = 0; i < cfg.size(); i++) {
                double mi = cfg.magneticMoments()[3 * i];
                if (mi <= Double.MIN_VALUE || mi >= p.magneticBasis().max()) continue; // held by the sign or the interval
                interior++;
                assertEquals(0, cfg.magneticForces()[3 * i], 1e-9, "dE/dm " + i);
                for (double h : new double[]{-1e-3, 1e-3}) {
                    Configuration c = cfg.copy();
                    c.magneticMoments()[3 * i] += h;
                    assertTrue(calc.compute(c).energy() > r.energy(), "minimum along moment " + i);
                }
            }
            assertEquals(cfg.size() - interior, r.atBounds(), r.describe());
            assertTrue(interior >= 10, "interior minima: " + interior + " of " + cfg.size());
        }
    }

    @Test
    void flipsOnlyWhenAllowed() {
        Potential p = pot();
        Configuration cfg = start();
        double[] m = cfg.magneticMoments();
        for (int i = 0; i < cfg.size(); i++) m[3 * i] = i % 2 == 0 ? 0.8 : -0.8;
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            MomentRelaxation.Options o = new MomentRelaxation.Options();
            Configuration kept = cfg.copy();
            MomentRelaxation.relax(calc, kept, o);
            for (int i = 0; i < cfg.size(); i++) {
                double v = kept.magneticMoments()[3 * i];
                assertTrue(i % 2 == 0 ? v > 0 : v < 0, "sign kept, atom " + i + ": " + v);
            }
            o.allowFlips = true;
            Configuration free = cfg.copy();
            MomentRelaxation.Result r = MomentRelaxation.relax(calc, free, o);
            assertTrue(r.energy() <= kept.energy() + 1e-9, "flips can only lower the minimum found: " + r.energy() + " vs " + kept.energy());
            for (int i = 0; i < cfg.size(); i++) {
                double v = free.magneticMoments()[3 * i];
                assertTrue(v >= p.magneticBasis().min() - 1e-12 && v <= p.magneticBasis().max() + 1e-12, "inside the interval");
            }
        }
    }

    @Test
    void fullRelaxationReachesSmallForcesStressesAndMagneticForces() {
        Potential p = pot();
        Configuration cfg = start();
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            double h0 = calc.compute(cfg).energy();
            StructureRelaxation.Options o = new StructureRelaxation.Options();
            o.pressure = 2.0;
            StructureRelaxation.Result r = StructureRelaxation.relax(calc, cfg, o);
            assertEquals("relaxation_OK", r.status(), r.toString());
            assertEquals("relaxation_OK", cfg.features().get("from"));
            assertTrue(r.maxForce() < 1e-4 && r.maxStress() < 1e-3 && r.maxMagneticForce() < 1e-4, r.toString());
            // independent check: the stored virial / V equals the pressure (2 GPa) on the diagonal
            double vol = cfg.volume();
            for (int k = 0; k < 3; k++) assertEquals(2.0, cfg.stress()[k] / vol * StructureRelaxation.EV_A3_TO_GPA, 1e-3, "stress " + k);
            for (int k = 3; k < 6; k++) assertEquals(0.0, cfg.stress()[k] / vol * StructureRelaxation.EV_A3_TO_GPA, 1e-3, "stress " + k);
            double fmax = 0;
            for (double f : cfg.forces()) fmax = Math.max(fmax, Math.abs(f));
            assertTrue(fmax < 1e-4);
            assertTrue(r.enthalpy() < h0 + 2.0 / StructureRelaxation.EV_A3_TO_GPA * start().volume());
        }
    }

    @Test
    void reportCountsReliability() {
        StructureRelaxation.Options o = new StructureRelaxation.Options();
        RelaxationReport rep = new RelaxationReport(o, true);
        rep.add(new StructureRelaxation.Result("relaxation_OK", 10, 12, -1, -1, 1e-5, 1e-4, 1e-5, 2.2, "converged"));
        rep.add(new StructureRelaxation.Result("relaxation_NOT_CONVERGED", 1000, 1200, -1, -1, 1e-5, 1e-4, 3e-3, 2.2, "limit"));
        rep.add(new StructureRelaxation.Result("relaxation_MINDIST_ERROR", 5, 6, -1, -1, 1e-5, 1e-4, 1e-5, 0.3, "converged"));
        assertEquals(1, rep.reliable());
        assertEquals(1.0 / 3, rep.reliability(), 1e-15);
        assertTrue(rep.text().contains("1 of 3 structures (33.3 %)"), rep.text());
        assertTrue(rep.text().contains("small magnetic forces 2 (66.7 %)"), rep.text());
    }
}
