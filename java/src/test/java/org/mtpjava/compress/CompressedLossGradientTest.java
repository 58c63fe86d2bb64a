package org.mtpjava.compress;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.train.LossFunction;
import org.mtpjava.train.LossWeights;
import org.mtpjava.train.ParameterMap;
import org.mtpjava.train.TrainingSet;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The training loss's gradient with respect to compressed parameters (J^T of the one dense gradient dL/dc) against
 * central finite differences of the real MLIP loss, for MF, TF (plain and magnetic 6-way), and for R-MF the
 * Riemannian gradient along retraction curves.
 */
class CompressedLossGradientTest {
    static final String TRAINED10 = "reference/mlip3_training/trained10_MoNbTa.almtp";
    static final String TRAIN40 = "reference/inputs/train_MoNbTa_40.cfg";
    static final String MAG = "mlip_reference_kit/testvectors/mag_L16_2species.mtp";
    static final String MAG_CFG = "mlip_reference_kit/testvectors/mag_input.cfg";

    /** References moved away from the potential's predictions so that residuals are not tiny. */
    static List<Configuration> data(Potential p, String file, int n, long seed) {
        List<Configuration> all = CfgFiles.read(TestData.data(file));
        List<Configuration> cfgs = all.subList(0, Math.min(n, all.size()));
        Random rnd = new Random(seed);
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            calc.setMissingMoments(EfsCalculator.MissingMoments.MLIP_SUM);
            for (Configuration c : cfgs) {
                EfsCalculator.Result r = calc.compute(c);
                c.setEnergy(r.energy() + 0.05 * c.size() * rnd.nextGaussian());
                double[] f = r.forces().clone();
                for (int i = 0; i < f.length; i++) f[i] += 0.3 * rnd.nextGaussian();
                c.setForces(f);
                double[] s = new double[6];
                double[] base = r.stress() != null ? r.stress() : new double[6];
                for (int i = 0; i < 6; i++) s[i] = base[i] + 2 * rnd.nextGaussian();
                c.setStress(s);
            }
        }
        return cfgs;
    }

    static void check(String potFile, String cfgFile, int ncfg, String spec) {
        Potential p = PotentialFiles.read(TestData.data(potFile));
        List<Configuration> cfgs = data(p, cfgFile, ncfg, 3);
        ParameterMap map = CompressedTraining.factory(CompressionSpec.parse(spec), 1, m -> {}).apply(p);
        TrainingSet set = TrainingSet.of(cfgFile, null, cfgs, p);
        try (LossFunction loss = new LossFunction(p, set, LossWeights.mlipDefaults(), 1)) {
            double[] x0 = map.current(p);
            map.apply(x0, p);
            double[] gFull = new double[p.parameterCount()];
            loss.evaluate(gFull);
            double[] gx = new double[map.size()];
            map.pullBack(p, gFull, gx);
            int nf = ((Factorisation) p.radialRepresentation()).storedCount();
            double maxErr = 0, maxRef = 0;
            Random rnd = new Random(5);
            for (int t = 0; t < 24; t++) {
                int k = t < 20 ? rnd.nextInt(nf) : nf + rnd.nextInt(map.size() - nf); // mostly factor entries
                double h = 1e-5 * Math.max(1e-2, Math.abs(x0[k]));
                double[] xp = x0.clone(), xm = x0.clone();
                xp[k] += h;
                xm[k] -= h;
                map.apply(xp, p);
                double fp = loss.evaluate(null);
                map.apply(xm, p);
                double fm = loss.evaluate(null);
                double fd = (fp - fm) / (2 * h);
                maxErr = Math.max(maxErr, Math.abs(fd - gx[k]) / Math.max(1e-8, Math.abs(gx[k])) * Math.abs(gx[k]));
                maxRef = Math.max(maxRef, Math.abs(gx[k]));
                assertEquals(gx[k], fd, 1e-5 * Math.abs(gx[k]) + 1e-7 * maxRef + 1e-9, spec + " entry " + k);
            }
            map.apply(x0, p);
            assertTrue(maxRef > 0, "non-zero gradient");
        }
    }

    @Test
    void mfGradientMatchesFiniteDifferences() {
        check(TRAINED10, TRAIN40, 3, "mf:rank=3");
    }

    @Test
    void tfGradientMatchesFiniteDifferences() {
        check(TRAINED10, TRAIN40, 3, "tf:ranks=2,3,3");
    }

    @Test
    void magneticMfAndTfGradientsMatchFiniteDifferences() {
        check(MAG, MAG_CFG, 1, "mf:rank=4");
        check(MAG, MAG_CFG, 1, "tf:ranks=2,3,4,3,2");
    }

    @Test
    void riemannianGradientIsTheDerivativeAlongRetractionCurves() {
        for (String pot : new String[]{TRAINED10, MAG}) {
            Potential p = PotentialFiles.read(TestData.data(pot));
            List<Configuration> cfgs = pot.equals(MAG) ? data(p, MAG_CFG, 1, 4) : data(p, TRAIN40, 3, 4);
            CompressedTraining.attach(p, CompressionSpec.parse("rmf:rank=3"), 1, m -> {});
            FixedRankMatrix x = (FixedRankMatrix) p.radialRepresentation();
            TrainingSet set = TrainingSet.of("data", null, cfgs, p);
            try (LossFunction loss = new LossFunction(p, set, LossWeights.mlipDefaults(), 1)) {
                double[] g = new double[p.parameterCount()];
                loss.evaluate(g);
                double[] rg = x.project(x.matrixOf(g));
                Random rnd = new Random(9);
                for (int trial = 0; trial < 3; trial++) {
                    double[] z = new double[x.rows() * x.cols()];
                    for (int i = 0; i < z.length; i++) z[i] = rnd.nextGaussian();
                    double[] xi = x.project(z);
                    double nrm = Dense.norm(xi), scale = Dense.norm(x.matrix());
                    double h = 1e-5 * scale / nrm;
                    double[] fpm = new double[2];
                    for (int sgn = 0; sgn < 2; sgn++) {
                        FixedRankMatrix y = x.copy();
                        double[] step = xi.clone();
                        for (int i = 0; i < step.length; i++) step[i] *= sgn == 0 ? h : -h;
                        y.retract(step);
                        p.setRadialRepresentation(y);
                        fpm[sgn] = loss.evaluate(null);
                    }
                    p.setRadialRepresentation(x);
                    double fd = (fpm[0] - fpm[1]) / (2 * h);
                    double an = Dense.dot(rg, xi);
                    assertEquals(an, fd, 1e-5 * Math.abs(an) + 1e-9, pot + " trial " + trial);
                }
                // the stored (U, S, V) gradient as well
                double[] gx = new double[x.storedCount()];
                x.pullBack(g, gx, 0);
                double[] f0 = x.factors();
                for (int k = 0; k < f0.length; k += f0.length / 7) {
                    double h = 1e-6;
                    double[] fp = f0.clone(), fm = f0.clone();
                    fp[k] += h;
                    fm[k] -= h;
                    x.setFactors(fp, 0);
                    p.setRadialRepresentation(x);
                    double lp = loss.evaluate(null);
                    x.setFactors(fm, 0);
                    p.setRadialRepresentation(x);
                    double lm = loss.evaluate(null);
                    assertEquals(gx[k], (lp - lm) / (2 * h), 1e-5 * Math.abs(gx[k]) + 1e-8, pot + " USV entry " + k);
                }
                x.setFactors(f0, 0);
            }
        }
    }
}
