package org.mtpjava.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mtpjava.TestData;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.eval.SiteEvaluator;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The analytic training gradient against finite differences: (a) of the whole loss, (b) of a random contraction
 * of forces and virial with respect to every parameter, on 1- and 3-species, repulsive and magnetic potentials.
 */
class GradientTest {
    static final String TRAINED10 = "reference/mlip3_training/trained10_MoNbTa.almtp";
    static final String TRAIN40 = "reference/inputs/train_MoNbTa_40.cfg";
    static final String KIT = "mlip_reference_kit/testvectors/";

    static List<Configuration> firstN(String file, int n) {
        List<Configuration> all = CfgFiles.read(TestData.data(file));
        return all.subList(0, Math.min(n, all.size()));
    }

    /** Reference data perturbed so that residuals are not tiny (trained potentials fit their data well). */
    static void perturbReferences(Potential p, List<Configuration> cfgs, long seed) {
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
    }

    @Test
    void tangentPassWithoutPerturbationIsTheSiteEnergyParameterGradient() {
        for (String pot : new String[]{TRAINED10, KIT + "L20_3species_repuls.mtp", KIT + "mag_L16_2species.mtp"}) {
            Potential p = PotentialFiles.read(TestData.data(pot));
            Configuration cfg = pot.contains("mag") ? firstN(KIT + "mag_input.cfg", 1).get(0)
                    : pot.contains("L20") ? firstN(KIT + "L20_input.cfg", 3).get(2) : firstN(TRAIN40, 1).get(0);
            NeighbourList nl = NeighbourList.build(cfg, p.cutoff());
            SiteEvaluator ev = new SiteEvaluator(p);
            SiteTangentEvaluator tev = new SiteTangentEvaluator(p);
            int[] sp = cfg.types(); // labels are 0..S-1 in these files
            double[] mom = null;
            if (p.isMagnetic()) {
                mom = new double[cfg.size()];
                for (int i = 0; i < mom.length; i++) mom[i] = cfg.magneticMoments()[3 * i];
            }
            int np = p.parameterCount();
            for (int i = 0; i < cfg.size(); i++) {
                int off = nl.offset(i), cnt = nl.count(i);
                double[] rij = java.util.Arrays.copyOfRange(nl.vectors(), 3 * off, 3 * (off + cnt));
                int[] nsp = new int[cnt];
                double[] sj = mom == null ? null : new double[cnt];
                for (int e = 0; e < cnt; e++) {
                    nsp[e] = sp[nl.neighbour(off + e)];
                    if (sj != null) sj[e] = mom[nl.neighbour(off + e)];
                }
                double si = mom == null ? 0 : mom[i];
                double[] ref = new double[np];
                double v = ev.siteEnergyParameterGradient(sp[i], si, cnt, rij, nsp, sj, ref);
                double[] got = new double[np];
                double vt = tev.accumulate(sp[i], si, cnt, rij, 0, nsp, sj, null, 1.0, got);
                double wall = 0;
                for (int e = 0; e < cnt; e++) {
                    double r = Math.sqrt(rij[3 * e] * rij[3 * e] + rij[3 * e + 1] * rij[3 * e + 1] + rij[3 * e + 2] * rij[3 * e + 2]);
                    wall += new org.mtpjava.eval.RadialBasis(p).repulsion(r);
                }
                assertEquals(v, vt + wall, 1e-12 * Math.max(1, Math.abs(v)), pot + " site energy " + i);
                for (int t = 0; t < np; t++) assertEquals(ref[t], got[t], 1e-12 * Math.max(1, Math.abs(ref[t])), pot + " atom " + i + " param " + t);
            }
        }
    }

    /**
     * d/dtheta [ sum_k v_k . F_k + sum_ab M_ab W_ab ] from the tangent pass against central differences of forces
     * and virial, for every parameter.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            TRAINED10 + ", " + TRAIN40 + ", 3",
            KIT + "L06_nbh.almtp, " + KIT + "L06_input.cfg, 1",
            KIT + "L20_3species_repuls.mtp, " + KIT + "L20_input.cfg, 2",
            KIT + "mag_L16_2species.mtp, " + KIT + "mag_input.cfg, 1",
    })
    void forceAndVirialParameterDerivativesMatchFiniteDifferences(String pot, String data, int count) {
        Potential p = PotentialFiles.read(TestData.data(pot));
        List<Configuration> cfgs = firstN(data, count);
        Random rnd = new Random(7);
        int np = p.parameterCount();
        for (Configuration cfg : cfgs) {
            int n = cfg.size();
            double[] vF = new double[3 * n];
            for (int i = 0; i < vF.length; i++) vF[i] = rnd.nextGaussian();
            double[] mW = new double[9];
            for (int i = 0; i < 9; i++) mW[i] = 0.05 * rnd.nextGaussian();
            // analytic: tangent pass with u_ij = v_i - v_j - M r_ij
            NeighbourList nl = NeighbourList.build(cfg, p.cutoff());
            double[] v = nl.vectors();
            double[] u = new double[v.length];
            for (int i = 0; i < n; i++) {
                for (int e = nl.offset(i); e < nl.offset(i) + nl.count(i); e++) {
                    int j = nl.neighbour(e);
                    for (int a = 0; a < 3; a++) {
                        u[3 * e + a] = vF[3 * i + a] - vF[3 * j + a]
                                - (mW[3 * a] * v[3 * e] + mW[3 * a + 1] * v[3 * e + 1] + mW[3 * a + 2] * v[3 * e + 2]);
                    }
                }
            }
            int[] psp = new int[nl.pairs()];
            double[] pm = p.isMagnetic() ? new double[nl.pairs()] : null;
            for (int e = 0; e < psp.length; e++) {
                psp[e] = cfg.types()[nl.neighbour(e)];
                if (pm != null) pm[e] = cfg.magneticMoments()[3 * nl.neighbour(e)];
            }
            double[] analytic = new double[np];
            SiteTangentEvaluator tev = new SiteTangentEvaluator(p);
            for (int i = 0; i < n; i++) {
                double si = pm == null ? 0 : cfg.magneticMoments()[3 * i];
                tev.accumulate(cfg.types()[i], si, nl.count(i), v, 3 * nl.offset(i), psp, pm, u, 0.0, analytic);
            }
            // finite differences
            double[] theta = p.parameters();
            double scale = 0;
            for (double g : analytic) scale = Math.max(scale, Math.abs(g));
            try (EfsCalculator calc = new EfsCalculator(p, 1)) {
                for (int t : sample(p)) {
                    double h = 1e-6 * Math.max(Math.abs(theta[t]), 1e-2);
                    double[] tp = theta.clone();
                    tp[t] += h;
                    p.setParameters(tp);
                    double plus = contraction(calc.compute(cfg), vF, mW);
                    tp[t] = theta[t] - h;
                    p.setParameters(tp);
                    double minus = contraction(calc.compute(cfg), vF, mW);
                    p.setParameters(theta);
                    double fd = (plus - minus) / (2 * h);
                    assertEquals(fd, analytic[t], 1e-6 * scale + 1e-5 * Math.abs(fd), pot + " parameter " + t);
                }
            }
        }
    }

    /** All parameters of small models; for larger ones every species coefficient plus ~150 spread over the rest. */
    static int[] sample(Potential p) {
        int np = p.parameterCount(), nr = p.radialCoefficients().length, s = p.speciesCount();
        if (np <= 250) return java.util.stream.IntStream.range(0, np).toArray();
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (int i = 0; i < nr; i += Math.max(1, nr / 40)) out.add(i);
        for (int i = 0; i < s; i++) out.add(nr + i);
        int nm = np - nr - s;
        for (int i = 0; i < nm; i += Math.max(1, nm / 30)) out.add(nr + s + i);
        out.add(np - 1);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static double contraction(EfsCalculator.Result r, double[] vF, double[] mW) {
        double s = 0;
        for (int i = 0; i < vF.length; i++) s += vF[i] * r.forces()[i];
        // virial from PlusStress (xx yy zz yz xz xy), symmetric
        double[] st = r.stress();
        if (st != null) {
            double[] w = {st[0], st[5], st[4], st[5], st[1], st[3], st[4], st[3], st[2]};
            for (int q = 0; q < 9; q++) s += mW[q] * w[q];
        }
        return s;
    }

    /** The whole loss (energy, forces, all nine stress components, penalty, regularisation) against central differences. */
    @ParameterizedTest(name = "{0} scaling {3} sbf {4}")
    @CsvSource({
            TRAINED10 + ", " + TRAIN40 + ", 6, 1, 0",
            TRAINED10 + ", " + TRAIN40 + ", 6, 2, 0.5",
            KIT + "L06_nbh.almtp, " + KIT + "L06_input.cfg, 2, 1, 0",
            KIT + "L20_3species_repuls.mtp, " + KIT + "L20_input.cfg, 4, 0, 0",
            KIT + "mag_L16_2species.mtp, " + KIT + "mag_input.cfg, 1, 1, 0",
    })
    void lossGradientMatchesFiniteDifferences(String pot, String data, int count, int weightScaling, double sbf) {
        Potential p = PotentialFiles.read(TestData.data(pot));
        List<Configuration> cfgs = new java.util.ArrayList<>();
        for (Configuration c : firstN(data, count)) cfgs.add(c.copy());
        perturbReferences(p, cfgs, 11);
        TrainingSet set = TrainingSet.of(data, null, cfgs, p);
        LossWeights w = new LossWeights(1, 0.01, 0.001, weightScaling, 1, sbf, 1e-3);
        int np = p.parameterCount();
        try (LossFunction loss = new LossFunction(p, set, w, 2)) {
            double[] reg = new double[p.speciesCount() + p.basis().scalarCount()];
            for (int i = 0; i < reg.length; i++) reg[i] = 1e-4 * (i + 1);
            loss.setRegularisation(reg);
            double[] g = new double[np];
            double l0 = loss.evaluate(g);
            assertTrue(l0 > 0 && Double.isFinite(l0));
            assertTrue(loss.lastStatistics().energyPart() > 0 && loss.lastStatistics().forcePart() > 0 && loss.lastStatistics().stressPart() > 0);
            double[] theta = p.parameters();
            double scale = 0;
            for (double x : g) scale = Math.max(scale, Math.abs(x));
            for (int t : sample(p)) {
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
                assertEquals(fd, g[t], 1e-6 * scale + 1e-5 * Math.abs(fd), pot + " parameter " + t + " (loss " + l0 + ")");
            }
        }
    }

    @Test
    void lossIsBitIdenticalForOneAndTwoThreads() {
        Potential p = PotentialFiles.read(TestData.data(TRAINED10));
        List<Configuration> cfgs = CfgFiles.read(TestData.data(TRAIN40));
        TrainingSet set = TrainingSet.of(TRAIN40, null, cfgs, p);
        double[] g1 = new double[p.parameterCount()], g2 = new double[p.parameterCount()];
        double l1, l2;
        try (LossFunction a = new LossFunction(p, set, LossWeights.mlipDefaults(), 1)) { l1 = a.evaluate(g1); }
        try (LossFunction b = new LossFunction(p, set, LossWeights.mlipDefaults(), 2)) { l2 = b.evaluate(g2); }
        assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l2));
        assertArrayEquals(g1, g2);
    }
}
