package org.mtpjava.magnetic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;
import org.mtpjava.train.LinearFit;
import org.mtpjava.train.LossFunction;
import org.mtpjava.train.LossWeights;
import org.mtpjava.train.SiteTangentEvaluator;
import org.mtpjava.train.TrainingSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The magnetic-force part of the training gradient: the tangent pass with moment directions against finite
 * differences of dE/dm, the whole loss with w_m &gt; 0 against finite differences, and the linear step being
 * stationary in the linear coefficients with the magnetic rows included. Levels 6, 8, 10, 16; M = 2, 3, 4; 2 and 3
 * species.
 */
class MagneticTrainingGradientTest {

    static List<Configuration> randomData(Potential p, int count, long seed) {
        Random rnd = new Random(seed);
        double[] range = {p.magneticBasis().min(), p.magneticBasis().max()};
        List<Configuration> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(TeacherData.randomBcc(rnd, 2, 2, k % 2 == 0 ? 1 : 2, 2.9, p.speciesCount(), 0.5, 0.12, 0.03, range, 0.2));
        }
        return out;
    }

    /** References = the model's own values plus noise (so residuals are not tiny). */
    static void label(Potential p, List<Configuration> cfgs, long seed) {
        Random rnd = new Random(seed);
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            for (Configuration c : cfgs) {
                EfsCalculator.Result r = calc.compute(c);
                c.setEnergy(r.energy() + 0.05 * c.size() * rnd.nextGaussian());
                double[] f = r.forces().clone();
                for (int i = 0; i < f.length; i++) f[i] += 0.3 * rnd.nextGaussian();
                c.setForces(f);
                double[] s = r.stress().clone();
                for (int i = 0; i < 6; i++) s[i] += 2 * rnd.nextGaussian();
                c.setStress(s);
                double[] d = r.magneticForces().clone();
                for (int i = 0; i < c.size(); i++) d[3 * i] += 0.2 * rnd.nextGaussian();
                c.setMagneticForces(d);
            }
        }
    }

    static int[] sample(Potential p, int radialSamples) {
        int np = p.parameterCount(), nr = p.radialCoefficients().length, s = p.speciesCount();
        TreeSet<Integer> out = new TreeSet<>();
        for (int i = 0; i < nr; i += Math.max(1, nr / radialSamples)) out.add(i);
        for (int i = 0; i < s; i++) out.add(nr + i);
        int nm = np - nr - s;
        for (int i = 0; i < nm; i += Math.max(1, nm / 20)) out.add(nr + s + i);
        out.add(np - 1);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** d/dtheta sum_k c_k dE/dm_k from the tangent pass (moment directions only) vs central differences. */
    @ParameterizedTest(name = "{0} S={1} M={2}")
    @CsvSource({
            MagneticFixtures.L06 + ", 2, 2",
            MagneticFixtures.L08 + ", 3, 3",
            MagneticFixtures.L10 + ", 2, 4",
            MagneticFixtures.L16 + ", 2, 3",
    })
    void magneticForceParameterDerivativesMatchFiniteDifferences(String template, int species, int m) {
        Potential p = MagneticFixtures.random(template, species, 5, m, -2.5, 2.5, 3);
        Configuration cfg = randomData(p, 1, 5).get(0);
        int n = cfg.size();
        Random rnd = new Random(9);
        double[] c = new double[n];
        for (int i = 0; i < n; i++) c[i] = rnd.nextGaussian();
        NeighbourList nl = NeighbourList.build(cfg, p.cutoff());
        int[] psp = new int[nl.pairs()];
        double[] pm = new double[nl.pairs()], pc = new double[nl.pairs()];
        double[] mom = new double[n];
        for (int i = 0; i < n; i++) mom[i] = cfg.magneticMoments()[3 * i];
        for (int e = 0; e < psp.length; e++) {
            psp[e] = cfg.types()[nl.neighbour(e)];
            pm[e] = mom[nl.neighbour(e)];
            pc[e] = c[nl.neighbour(e)];
        }
        double[] analytic = new double[p.parameterCount()];
        SiteTangentEvaluator tev = new SiteTangentEvaluator(p);
        for (int i = 0; i < n; i++) {
            tev.accumulate(cfg.types()[i], mom[i], nl.count(i), nl.vectors(), 3 * nl.offset(i), psp, pm, null, c[i], pc, 0.0, analytic);
        }
        double scale = 0;
        for (double g : analytic) scale = Math.max(scale, Math.abs(g));
        assertTrue(scale > 0);
        double[] theta = p.parameters();
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            for (int t : sample(p, 60)) {
                double h = 1e-6 * Math.max(Math.abs(theta[t]), 1e-2);
                double[] tp = theta.clone();
                tp[t] += h;
                p.setParameters(tp);
                double plus = contraction(calc.compute(cfg), c);
                tp[t] = theta[t] - h;
                p.setParameters(tp);
                double minus = contraction(calc.compute(cfg), c);
                p.setParameters(theta);
                double fd = (plus - minus) / (2 * h);
                assertEquals(fd, analytic[t], 1e-6 * scale + 1e-5 * Math.abs(fd), template + " parameter " + t);
            }
        }
    }

    static double contraction(EfsCalculator.Result r, double[] c) {
        double s = 0;
        for (int i = 0; i < c.length; i++) s += c[i] * r.magneticForces()[3 * i];
        return s;
    }

    /** The whole loss with energies, forces, stresses and magnetic forces against central differences. */
    @ParameterizedTest(name = "{0} S={1} M={2} wm={3}")
    @CsvSource({
            MagneticFixtures.L06 + ", 2, 2, 0.1",
            MagneticFixtures.L08 + ", 2, 3, 0.05",
            MagneticFixtures.L10 + ", 3, 4, 1",
            MagneticFixtures.MAG16 + ", 2, 2, 0.1",
    })
    void lossGradientWithMagneticForcesMatchesFiniteDifferences(String template, int species, int m, double wm) {
        Potential p = template.equals(MagneticFixtures.MAG16) ? MagneticFixtures.read(template)
                : MagneticFixtures.random(template, species, 5, m, -2.5, 2.5, 4);
        List<Configuration> cfgs = randomData(p, 3, 6);
        label(p, cfgs, 12);
        TrainingSet set = TrainingSet.of("random", null, cfgs, p);
        LossWeights w = new LossWeights(1, 0.01, 0.001, 1, 1, 0, 1e-3, wm);
        try (LossFunction loss = new LossFunction(p, set, w, 2)) {
            double[] g = new double[p.parameterCount()];
            double l0 = loss.evaluate(g);
            LossFunction.Stats st = loss.lastStatistics();
            assertTrue(st.magneticPart() > 0 && st.energyPart() > 0 && st.forcePart() > 0 && st.stressPart() > 0, "all parts present");
            assertTrue(st.magneticForceRmse() > 0.05 && st.magneticForceRmse() < 1, "magnetic RMSE " + st.magneticForceRmse());
            double[] theta = p.parameters();
            double scale = 0;
            for (double x : g) scale = Math.max(scale, Math.abs(x));
            for (int t : sample(p, 50)) {
                double h = 1e-6 * Math.max(Math.abs(theta[t]), 1e-2);
                double[] tp = theta.clone();
                tp[t] += h;
                p.setParameters(tp);
                double plus = loss.evaluate(null);
                tp[t] = theta[t] - h;
                p.setParameters(tp);
                double minus = loss.evaluate(null);
                p.setParameters(theta);
                double fd = (plus - minus) / (2 * h);
                assertEquals(fd, g[t], 1e-6 * scale + 1e-5 * Math.abs(fd), template + " parameter " + t + " (loss " + l0 + ")");
            }
        }
    }

    /** With w_m = 0 the loss is MLIP-3's: the magnetic term adds nothing (statistics are still reported). */
    @Test
    void zeroMagneticWeightLeavesTheLossUnchanged() {
        Potential p = MagneticFixtures.random(MagneticFixtures.L08, 2, 5, 3, -2.5, 2.5, 4);
        List<Configuration> cfgs = randomData(p, 2, 6);
        label(p, cfgs, 12);
        List<Configuration> stripped = new ArrayList<>();
        for (Configuration c : cfgs) {
            Configuration s = c.copy();
            s.setMagneticForces(null);
            stripped.add(s);
        }
        LossWeights w = new LossWeights(1, 0.01, 0.001, 1, 0, 0, 1e-6);
        double[] g1 = new double[p.parameterCount()], g2 = new double[p.parameterCount()];
        double l1, l2;
        try (LossFunction a = new LossFunction(p, TrainingSet.of("a", null, cfgs, p), w, 1)) {
            l1 = a.evaluate(g1);
            assertTrue(a.lastStatistics().magneticForceRmse() > 0);
            assertEquals(0.0, a.lastStatistics().magneticPart());
        }
        try (LossFunction b = new LossFunction(p, TrainingSet.of("b", null, stripped, p), w, 1)) {
            l2 = b.evaluate(g2);
            assertTrue(Double.isNaN(b.lastStatistics().magneticForceRmse()));
        }
        assertEquals(l2, l1, 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(g2, g1, 0.0);
    }

    /** LinOptimize with magnetic rows: afterwards the loss (w_m &gt; 0) is stationary in the linear coefficients. */
    @ParameterizedTest(name = "M={0}")
    @CsvSource({"2", "3"})
    void linearStepIncludesMagneticForces(int m) {
        Potential p = MagneticFixtures.random(MagneticFixtures.L08, 2, 5, m, -2.5, 2.5, 8);
        List<Configuration> cfgs = randomData(p, 6, 7);
        label(p, cfgs, 13);
        TrainingSet set = TrainingSet.of("random", null, cfgs, p);
        LossWeights w = new LossWeights(1, 0.01, 0.001, 1, 0, 0, 0, 0.5);
        try (LinearFit lf = new LinearFit(p, set, w, 1); LossFunction loss = new LossFunction(p, set, w, 1)) {
            lf.linOptimize();
            loss.setRegularisation(lf.regularisation());
            double[] g = new double[p.parameterCount()];
            loss.evaluate(g);
            assertTrue(loss.lastStatistics().magneticPart() > 0);
            int nr = p.radialCoefficients().length;
            double scale = 0;
            for (int i = 0; i < nr; i++) scale = Math.max(scale, Math.abs(g[i]));
            for (int i = nr; i < g.length; i++) assertEquals(0, g[i], 1e-7 * scale + 1e-12, "linear coefficient " + (i - nr));
            // without the magnetic rows the same step is not stationary for this loss
            LossWeights w0 = new LossWeights(1, 0.01, 0.001, 1, 0, 0, 0, 0);
            try (LinearFit lf0 = new LinearFit(p, set, w0, 1)) {
                lf0.linOptimize();
                loss.setRegularisation(lf0.regularisation());
                loss.evaluate(g);
                double worst = 0;
                for (int i = nr; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i]));
                assertTrue(worst > 1e-4 * scale, "magnetic rows matter: " + worst + " vs " + scale);
            }
        }
    }
}
