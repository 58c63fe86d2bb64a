package org.mtpjava.al;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.ActiveSetData;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Force and stress rows of the active set ({@link ForceStressRows}, {@link SelectionWeights}): every row equals
 * central differences in theta of the quantity its equation index names (energy, force component, virial component,
 * site energy) computed by the ordinary evaluator, and selection and grading work with force/stress weights.
 */
class ForceStressRowsTest {
    @TempDir Path tmp;

    static final String TRAINED10 = "reference/mlip3_training/trained10_MoNbTa.almtp";
    static final String TRAIN40 = "reference/inputs/train_MoNbTa_40.cfg";
    /** All four kinds of rows, with weights and a scaling that make every factor visible. */
    static final SelectionWeights ALL = new SelectionWeights(0.7, 0.3, 1.9, 1.3, 3);

    static Potential trained10() { return PotentialFiles.read(TestData.data(TRAINED10)); }

    /** Configuration k of the 40-cfg training set, atoms displaced at random (no symmetry left), some made Ta. */
    static Configuration perturbed(int k, long seed, boolean ternary) {
        Configuration c = displaced(CfgFiles.read(TestData.data(TRAIN40)).get(k), seed);
        if (ternary) for (int i = 0; i < c.size(); i += 3) c.types()[i] = 2;
        return c;
    }

    /** A copy without computed values, every coordinate moved by up to +-0.04 A (rows zero by symmetry are gone). */
    static Configuration displaced(Configuration cfg, long seed) {
        Configuration c = cfg.copy();
        c.clearComputed();
        Random rnd = new Random(seed);
        double[] x = c.positions();
        for (int q = 0; q < x.length; q++) x[q] += 0.08 * (rnd.nextDouble() - 0.5);
        return c;
    }

    @Test
    void rowsOfATernaryCellAreCentralDifferences() {
        Configuration cfg = perturbed(0, 5, true);
        assertEquals(16, cfg.size());
        assertRowsAreCentralDifferences(trained10(), cfg, ALL, 1, 1e-6);
    }

    /** Two atoms in a small cell: every atom is its own neighbour through periodic images. */
    @Test
    void rowsOfATwoAtomCellAreCentralDifferences() {
        Configuration cfg = perturbed(25, 7, false);
        assertEquals(2, cfg.size());
        assertRowsAreCentralDifferences(trained10(), cfg, ALL, 1, 1e-6);
    }

    /** A magnetic MTP goes through the same rows: moments are held fixed, F = -dE/dr at fixed moments. */
    @Test
    void magneticRowsAreCentralDifferences() {
        Potential p = PotentialFiles.read(TestData.data("mlip_reference_kit/testvectors/mag_L16_2species.mtp"));
        Configuration cfg = displaced(CfgFiles.read(TestData.data("mlip_reference_kit/testvectors/mag_input.cfg")).get(0), 13);
        assertTrue(p.isMagnetic() && cfg.hasMagneticMoments());
        assertRowsAreCentralDifferences(p, cfg, new SelectionWeights(0, 1, 1, 0, 2), 23, 1e-6);
    }

    /** RBChebyshev_repuls: the repulsive wall does not depend on theta, so it adds nothing to the rows. */
    @Test
    void rowsWithARepulsiveBasisAreCentralDifferences() {
        Potential p = PotentialFiles.read(TestData.data("mlip_reference_kit/testvectors/L20_3species_repuls.mtp"));
        Configuration cfg = displaced(CfgFiles.read(TestData.data("mlip_reference_kit/testvectors/L20_input.cfg")).get(0), 17);
        assertRowsAreCentralDifferences(p, cfg, new SelectionWeights(0, 1, 1, 0, 2), 17, 1e-6);
    }

    /**
     * Each row against (q(theta + h e_t) - q(theta - h e_t)) / 2h for every {@code stride}-th parameter t, q the
     * evaluator's quantity named by the row's equation index, times the row's weight; per row, the largest
     * difference relative to the row's largest entry.
     */
    static void assertRowsAreCentralDifferences(Potential p, Configuration cfg, SelectionWeights w, int stride, double tol) {
        int natoms = cfg.size(), n = p.parameterCount();
        RowCalculator.Rows rows;
        try (RowCalculator rc = new RowCalculator(p, 2)) {
            rows = rc.rows(cfg, w);
        }
        assertEquals(w.rowsPerConfiguration(natoms), rows.count());
        double[] theta = p.parameters();
        double[][] fd = new double[rows.count()][n];
        try (EfsCalculator efs = new EfsCalculator(p, 2)) {
            for (int t = 0; t < n; t += stride) {
                // steps large enough that rounding (eps |q| / h) stays below 1e-6 of the derivatives
                double h = 1e-5 * Math.max(Math.abs(theta[t]), 0.1);
                double[] plus = equationValues(p, efs, cfg, theta, t, h, w, rows.equations());
                double[] minus = equationValues(p, efs, cfg, theta, t, -h, w, rows.equations());
                for (int r = 0; r < rows.count(); r++) fd[r][t] = (plus[r] - minus[r]) / (2 * h);
            }
        }
        p.setParameters(theta);
        int forceRows = 0, stressRows = 0;
        for (int r = 0; r < rows.count(); r++) {
            int eq = rows.equations()[r];
            if (eq >= 1 && eq <= 3 * natoms) forceRows++;
            if (eq > 3 * natoms && eq < 3 * natoms + 10) stressRows++;
            double scale = 0, err = 0;
            for (int t = 0; t < n; t += stride) {
                scale = Math.max(scale, Math.abs(fd[r][t]));
                err = Math.max(err, Math.abs(fd[r][t] - rows.values()[r * n + t]));
            }
            assertTrue(scale > 0, "row " + r + " (equation " + eq + ") is zero");
            assertTrue(err <= tol * scale, "row " + r + " (equation " + eq + "): max difference " + err + " vs row size " + scale);
        }
        assertEquals(w.hasForceRows() ? 3 * natoms : 0, forceRows);
        assertEquals(w.hasStressRows() ? 9 : 0, stressRows);
    }

    /** The weighted quantity of every equation index at theta + dh e_t. */
    static double[] equationValues(Potential p, EfsCalculator efs, Configuration cfg, double[] theta, int t, double dh,
                                   SelectionWeights w, int[] equations) {
        double[] th = theta.clone();
        th[t] += dh;
        p.setParameters(th);
        EfsCalculator.Result r = efs.compute(cfg);
        int natoms = cfg.size();
        double[] s = r.stress(); // xx yy zz yz xz xy; the virial is symmetric
        double[] virial = {s[0], s[5], s[4], s[5], s[1], s[3], s[4], s[3], s[2]};
        double[] out = new double[equations.length];
        for (int q = 0; q < equations.length; q++) {
            int eq = equations[q];
            if (eq == 0) out[q] = r.energy() * w.energyRowFactor(natoms);
            else if (eq <= 3 * natoms) out[q] = r.forces()[eq - 1] * w.forceWeight();
            else if (eq < 3 * natoms + 10) out[q] = virial[eq - 3 * natoms - 1] * w.stressRowFactor(natoms);
            else out[q] = r.siteEnergies()[eq - 3 * natoms - 10];
        }
        return out;
    }

    /** Equation layout: energy, forces 1 + 3k + a, virial 3N + 1 + 3a + b, sites 3N + 10 + i, in this order. */
    @Test
    void equationIndicesFollowMlip() {
        Configuration cfg = perturbed(25, 3, false);
        RowCalculator.Rows rows;
        try (RowCalculator rc = new RowCalculator(trained10(), 1)) {
            rows = rc.rows(cfg, ALL);
        }
        int[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
        assertArrayEquals(expected, rows.equations());
        // W is symmetric: the rows xy and yx agree to rounding
        int n = rows.values().length / rows.count();
        int xy = 7 + 1, yx = 7 + 3;
        for (int k = 0; k < n; k++) {
            assertEquals(rows.values()[xy * n + k], rows.values()[yx * n + k], 1e-10 * (1 + Math.abs(rows.values()[xy * n + k])));
        }
    }

    /**
     * Selection by force equations: a fresh state with force_weight 1 fills from the training set; the newly selected
     * candidates carry force equation indices in selected_eqn_inds; every configuration of the final active set
     * grades at most the selection threshold (its rows in A grade exactly 1).
     */
    @Test
    void selectAddByForceRows() {
        Potential p = trained10();
        List<Configuration> all = CfgFiles.read(TestData.data(TRAIN40));
        List<Configuration> train = new ArrayList<>(all.subList(0, 8));
        List<Configuration> candidates = new ArrayList<>();
        for (int k = 0; k < 4; k++) candidates.add(perturbed(10 + k, 11 + k, true));
        SelectionWeights w = new SelectionWeights(0, 1, 0, 0, 2);
        ActiveSet start = ActiveSet.empty(p, w);
        var res = ActiveLearning.selectAdd(p, start, ActiveLearning.Source.of(train), ActiveLearning.Source.of(candidates),
                ActiveLearning.SelectAddOptions.defaults(2));
        assertTrue(res.activeSet().filledRows() > p.parameterCount() / 2, "filled rows: " + res.activeSet().filledRows());
        assertFalse(res.newlySelected().isEmpty(), "the ternary candidates are new");
        for (Configuration c : res.newlySelected()) {
            String inds = c.features().get("selected_eqn_inds");
            assertNotNull(inds);
            for (String s : inds.split(",")) {
                int eq = Integer.parseInt(s);
                assertTrue(eq >= 1 && eq <= 3 * c.size(), "force equation index: " + eq);
            }
        }
        List<Configuration> members = new ArrayList<>();
        for (ActiveSet.Member m : res.activeSet().selected()) members.add(m.configuration());
        List<Configuration> graded = new ArrayList<>();
        ActiveLearning.calculateGrades(p, res.activeSet(), ActiveLearning.Source.of(members), 2, graded::add);
        assertEquals(members.size(), graded.size());
        for (Configuration c : graded) {
            double g = Double.parseDouble(c.features().get("MV_grade"));
            assertTrue(g <= ActiveSet.DEFAULT_THRESHOLD + 1e-6, "grade of an active-set configuration: " + g);
            assertTrue(g >= 1 - 1e-6, "a member holds a row of A, which grades 1: " + g);
        }
        // the stored state survives the file round trip with its weights and equation indices
        ActiveSetData d = res.activeSet().toData();
        assertEquals(1.0, d.forceWeight());
        for (int e : d.rowEquation()) assertTrue(e == -1 || e >= 1, "equation " + e);
    }

    /** The CLI: select-add with a fresh force-row state writes the new candidates with their force equations. */
    @Test
    void selectAddCommandWithForceWeight() throws Exception {
        List<Configuration> all = CfgFiles.read(TestData.data(TRAIN40));
        Path train = tmp.resolve("train.cfg"), cand = tmp.resolve("cand.cfg"), out = tmp.resolve("new.cfg");
        CfgFiles.write(train, all.subList(0, 8), CfgFiles.Precision.LOSSLESS);
        CfgFiles.write(cand, List.of(perturbed(12, 1, true), perturbed(13, 2, true)), CfgFiles.Precision.LOSSLESS);
        AlCommandsTest.Run r = AlCommandsTest.run("select-add", TestData.data(TRAINED10).toString(), train.toString(),
                cand.toString(), out.toString(), "--energy-weight", "0", "--force-weight", "1", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        List<Configuration> sel = CfgFiles.read(out);
        assertFalse(sel.isEmpty(), r.out());
        for (Configuration c : sel) {
            for (String s : c.features().get("selected_eqn_inds").split(",")) {
                int eq = Integer.parseInt(s);
                assertTrue(eq >= 1 && eq <= 3 * c.size(), "force equation index: " + eq);
            }
        }
    }

    /** An .almtp whose #MVS block has force_weight and stress_weight != 0 is read, graded and rebuilt. */
    @Test
    void almtpWithForceAndStressWeightsWorksInTheCommands() throws Exception {
        Path pot = tmp.resolve("fs.almtp");
        byte[] bytes = Files.readAllBytes(TestData.data(TRAINED10));
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int header = text.indexOf("#MVS_v1.1");
        String head = text.substring(0, header + 200)
                .replace("force_weight 0.0000000000000000e+00", "force_weight 1.0000000000000000e+00")
                .replace("stress_weight 0.0000000000000000e+00", "stress_weight 5.0000000000000000e-01");
        assertNotEquals(text.substring(0, header + 200), head);
        Files.write(pot, (head + text.substring(header + 200)).getBytes(StandardCharsets.ISO_8859_1));

        Path train = tmp.resolve("train.cfg");
        CfgFiles.write(train, CfgFiles.read(TestData.data(TRAIN40)).subList(0, 10), CfgFiles.Precision.LOSSLESS);
        Path rebuilt = tmp.resolve("rebuilt.almtp");
        AlCommandsTest.Run u = AlCommandsTest.run("update-active-set", pot.toString(), train.toString(), "--save-to",
                rebuilt.toString(), "--threads", "2");
        assertEquals(0, u.code(), u.err());
        Potential p = PotentialFiles.read(rebuilt);
        assertEquals(1.0, p.activeSet().forceWeight());
        assertEquals(0.5, p.activeSet().stressWeight());
        boolean force = false, stress = false;
        for (int j = 0; j < p.activeSet().n(); j++) {
            int c = p.activeSet().rowConfiguration()[j], e = p.activeSet().rowEquation()[j];
            if (c < 0) continue;
            int natoms = p.activeSet().selected().get(c).size();
            force |= e >= 1 && e <= 3 * natoms;
            stress |= e > 3 * natoms && e < 3 * natoms + 10;
        }
        assertTrue(force && stress, "the rebuilt set holds force and stress rows");

        Path graded = tmp.resolve("graded.cfg");
        AlCommandsTest.Run g = AlCommandsTest.run("calculate-grade", rebuilt.toString(), train.toString(), graded.toString(),
                "--log", "none", "--threads", "2");
        assertEquals(0, g.code(), g.err());
        List<Configuration> out = CfgFiles.read(graded);
        assertEquals(10, out.size());
        for (Configuration c : out) {
            double v = Double.parseDouble(c.features().get("MV_grade"));
            assertTrue(v <= ActiveSet.DEFAULT_THRESHOLD + 1e-9, "training configurations interpolate: " + v);
        }
        // the edited file itself (energy rows in A, force/stress weights) grades too
        AlCommandsTest.Run g2 = AlCommandsTest.run("calculate-grade", pot.toString(), train.toString(),
                tmp.resolve("g2.cfg").toString(), "--log", "none");
        assertEquals(0, g2.code(), g2.err());
    }
}
