package org.mtpjava.magnetic;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mtpjava.al.ActiveLearning;
import org.mtpjava.al.ActiveSet;
import org.mtpjava.al.RowCalculator;
import org.mtpjava.al.SelectionWeights;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Active learning on the teacher-student magnetic MTP (al_fe_mag, level 16, M = 2, 862 parameters): rows are the
 * exact parameter gradients including the enlarged radial tensor, an active set built from ferromagnetic-like
 * training cells grades them &lt;= 1, and a new magnetic state (moments of the other sign) at the same positions is
 * extrapolative and selected by select-add.
 */
class MagneticActiveLearningTest {
    static Potential teacher;
    static List<Configuration> training;

    @BeforeAll
    static void setUp() {
        teacher = MagneticFixtures.read(MagneticFixtures.MAG16);
        Random rnd = new Random(21);
        training = new ArrayList<>();
        // 1,330 neighbourhoods for 862 parameters
        for (int k = 0; k < 56; k++) {
            int c = k % 8 == 0 ? 3 : 2;
            training.add(TeacherData.randomBcc(rnd, c, c, c, 2.80 + 0.15 * rnd.nextDouble(), 2, 0.2 + 0.6 * rnd.nextDouble(),
                    0.12, 0.03, new double[]{0.4, 2.6}, 0.0));
        }
    }

    /** Neighbourhood rows dV_i/dtheta against central differences of the site energies. */
    @Test
    void neighbourhoodRowsAreSiteEnergyParameterGradients() {
        Potential p = teacher.copy();
        Configuration cfg = training.get(3);
        RowCalculator.Rows rows;
        try (RowCalculator rc = new RowCalculator(p, 1)) {
            rows = rc.rows(cfg, SelectionWeights.NEIGHBOURHOOD_MODE);
        }
        int n = p.parameterCount();
        assertEquals(cfg.size(), rows.count());
        assertEquals(4 * 4 * 12 * 4 + 2 + 92, n, "S^2 K R M^2 + S + Ns");
        double[] theta = p.parameters();
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            for (int t = 0; t < n; t += 37) {
                double h = 1e-6 * Math.max(Math.abs(theta[t]), 1e-2);
                double[] tp = theta.clone();
                tp[t] += h;
                p.setParameters(tp);
                double[] plus = calc.compute(cfg).siteEnergies();
                tp[t] = theta[t] - h;
                p.setParameters(tp);
                double[] minus = calc.compute(cfg).siteEnergies();
                p.setParameters(theta);
                for (int i = 0; i < cfg.size(); i += 5) {
                    double fd = (plus[i] - minus[i]) / (2 * h), row = rows.values()[i * n + t];
                    assertEquals(fd, row, 1e-6 * Math.max(1, Math.abs(fd)), "atom " + i + " parameter " + t);
                }
            }
        }
    }

    /** Negates every moment that the interval allows (the interval is [-1.3, 3.1]), keeping positions. */
    static Configuration otherMagneticState(Configuration c) {
        Configuration o = c.copy();
        double[] m = o.magneticMoments();
        for (int i = 0; i < o.size(); i++) m[3 * i] = -Math.min(1.2, m[3 * i]);
        return o;
    }

    @Test
    void gradesDetectANewMagneticStateAndSelectAddPicksIt() {
        Potential p = teacher.copy();
        ActiveLearning.updateActiveSet(p, training, SelectionWeights.NEIGHBOURHOOD_MODE, 2);
        ActiveSet as = ActiveSet.fromData(p.activeSet(), "teacher");
        double trainMax = 0, inMax = 0, newMin = Double.POSITIVE_INFINITY, newMax = 0;
        Random rnd = new Random(77);
        List<Configuration> inDistribution = new ArrayList<>(), novel = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            Configuration c = TeacherData.randomBcc(rnd, 2, 2, 2, 2.87, 2, 0.5, 0.08, 0.02, new double[]{0.4, 2.6}, 0.0);
            inDistribution.add(c);
            novel.add(otherMagneticState(c));
        }
        try (RowCalculator rc = new RowCalculator(p, as, 2)) {
            for (Configuration c : training) trainMax = Math.max(trainMax, rc.grades(c).grade());
            for (Configuration c : inDistribution) inMax = Math.max(inMax, rc.grades(c).grade());
            for (Configuration c : novel) {
                double g = rc.grades(c).grade();
                newMin = Math.min(newMin, g);
                newMax = Math.max(newMax, g);
            }
        }
        assertTrue(trainMax <= 1.001 + 1e-9, "training neighbourhoods are interpolative: " + trainMax);
        assertTrue(newMin > 2, "a new magnetic state (same positions, moments of the other sign) is extrapolative: min grade " + newMin);
        assertTrue(inMax < 3, "same magnetic state, new positions: mild grades " + inMax);
        assertTrue(newMin > 3 * inMax, "new state " + newMin + " vs same state " + inMax);

        List<Configuration> candidates = new ArrayList<>(inDistribution);
        candidates.addAll(novel);
        ActiveLearning.SelectAddResult r = ActiveLearning.selectAdd(p, ActiveSet.fromData(p.activeSet(), "teacher"),
                ActiveLearning.Source.of(training), ActiveLearning.Source.of(candidates), new ActiveLearning.SelectAddOptions(3.0, 0, 9999, 2));
        int novelSelected = 0, sameSelected = 0;
        for (Configuration c : r.newlySelected()) {
            boolean isNovel = c.magneticMoments()[0] < 0;
            if (isNovel) novelSelected++;
            else sameSelected++;
        }
        assertEquals(novel.size(), novelSelected, "every new-state candidate is selected (selected " + r.newlySelected().size() + ")");
        // selection swaps neighbourhood rows, so a same-state cell can still enter; the new states dominate
        assertTrue(sameSelected <= 1, "with threshold 3, same-state candidates (grades <= " + inMax + ") selected: " + sameSelected);
    }
}
