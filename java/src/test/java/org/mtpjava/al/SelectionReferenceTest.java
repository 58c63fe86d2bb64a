package org.mtpjava.al;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.ActiveSetData;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** select-add and active-set rebuilding against MLIP-3 (reference-numbers.md §5, §4.1). */
class SelectionReferenceTest {

    static boolean sameRow(double[] a, int i, double[] b, int j, int n, double rel) {
        double diff = 0, max = 0;
        for (int k = 0; k < n; k++) {
            diff = Math.max(diff, Math.abs(a[i * n + k] - b[j * n + k]));
            max = Math.max(max, Math.abs(a[i * n + k]));
        }
        return diff <= rel * max;
    }

    static List<Configuration> cfgs(String rel) { return CfgFiles.read(TestData.data(rel)); }

    /** Same configurations (by positions and types), same order, same selected_eqn_inds. */
    static void assertSameSelection(List<Configuration> ref, List<Configuration> got, boolean compareEquations) {
        List<String> r = new ArrayList<>(), g = new ArrayList<>();
        for (Configuration c : ref) r.add(key(c) + (compareEquations ? " eqns " + c.features().get("selected_eqn_inds") : ""));
        for (Configuration c : got) g.add(key(c) + (compareEquations ? " eqns " + c.features().get("selected_eqn_inds") : ""));
        assertEquals(String.join("\n", r), String.join("\n", g));
    }

    /** Identity of a configuration: size, first atom position rounded to the printed 6 decimals, config_type. */
    static String key(Configuration c) {
        double[] x = c.positions();
        return c.size() + " atoms @ " + String.format(java.util.Locale.ROOT, "%.5f %.5f %.5f", x[0], x[1], x[2])
                + " " + c.features().getOrDefault("config_type", "");
    }

    @Test
    void selectAddConfigurationModeAs300() {
        Potential p = PotentialFiles.read(TestData.data("reference/mlip3_training/trained10_MoNbTa_AS300.almtp"));
        ActiveSet as = ActiveSet.fromData(p.activeSet(), "AS300");
        var res = ActiveLearning.selectAdd(p, as,
                ActiveLearning.Source.of(cfgs("reference/inputs/train_MoNbTa_300.cfg")),
                ActiveLearning.Source.of(cfgs("reference/inputs/grade_input.cfg")),
                ActiveLearning.SelectAddOptions.defaults(2));
        assertEquals(199, res.selectedFromTraining(), "configurations selected from the training set (log)");
        List<Configuration> ref = cfgs("reference/mlip3_active_learning/select_add__AS300__selected.cfg");
        assertEquals(16, ref.size());
        assertSameSelection(ref, res.newlySelected(), true);
        StringBuilder text = new StringBuilder();
        for (Configuration c : res.newlySelected()) text.append(CfgFiles.format(c, CfgFiles.Precision.MLIP));
        assertEquals(readText("reference/mlip3_active_learning/select_add__AS300__selected.cfg"), text.toString(), "select-add output text");
    }

    static String readText(String rel) {
        try {
            return java.nio.file.Files.readString(TestData.data(rel), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void selectAddMlip3ExampleWithGhostAtoms() {
        String dir = "mlip3_examples_oracle/examples/06.select_add/";
        Potential p = PotentialFiles.read(TestData.data(dir + "pot.almtp"));
        ActiveSet as = ActiveSet.fromData(p.activeSet(), "06");
        List<Configuration> pre = cfgs(dir + "preselected.cfg");
        var res = ActiveLearning.selectAdd(p, as, ActiveLearning.Source.of(cfgs(dir + "train.cfg")),
                ActiveLearning.Source.of(pre), ActiveLearning.SelectAddOptions.defaults(2));
        List<Configuration> ref = cfgs(dir + "sample_out/selected.cfg");
        assertEquals(2, res.newlySelected().size());
        // atoms' grades with the potential's state (the nbh_grades column of the input is from an earlier LAMMPS run)
        double[][] grades = new double[2][];
        try (RowCalculator rc = new RowCalculator(p, ActiveSet.fromData(p.activeSet(), "06"), 2)) {
            for (int k = 0; k < 2; k++) grades[k] = rc.grades(pre.get(k)).neighbourhoodGrades();
        }
        for (int k = 0; k < 2; k++) {
            Configuration r = ref.get(k), g = res.newlySelected().get(k);
            // eqn index of a site row = 3 N_real + 10 + atom: ghost atoms (LAMMPS images) have no rows
            int real = RowCalculator.centralAtoms(g);
            assertEquals(eqns(r).size(), eqns(g).size(), "cfg " + k + " selected atoms");
            List<String> rg = new ArrayList<>(), gg = new ArrayList<>();
            for (int e : eqns(r)) rg.add(String.format(java.util.Locale.ROOT, "%.4f", grades[k][e - 3 * real - 10]));
            for (int e : eqns(g)) gg.add(String.format(java.util.Locale.ROOT, "%.4f", grades[k][e - 3 * real - 10]));
            assertEquals(sorted(rg), sorted(gg), "cfg " + k + ": selected atoms equivalent (equal grades)");
            // everything else of the written configuration is identical (ghost column included)
            Configuration g2 = g.copy();
            g2.features().put("selected_eqn_inds", r.features().get("selected_eqn_inds"));
            assertEquals(CfgFiles.format(r, CfgFiles.Precision.MLIP), CfgFiles.format(g2, CfgFiles.Precision.MLIP));
        }
    }

    @Test
    void selectAddNeighbourhoodMode() {
        Potential p = PotentialFiles.read(TestData.data("reference/mlip3_training/trained10_MoNbTa_nbh.almtp"));
        ActiveSet as = ActiveSet.fromData(p.activeSet(), "nbh");
        var res = ActiveLearning.selectAdd(p, as,
                ActiveLearning.Source.of(cfgs("reference/inputs/train_MoNbTa_40.cfg")),
                ActiveLearning.Source.of(cfgs("reference/inputs/grade_input.cfg")),
                ActiveLearning.SelectAddOptions.defaults(2));
        assertEquals(37, res.selectedFromTraining(), "configurations selected from the training set (log)");
        List<Configuration> ref = cfgs("reference/mlip3_active_learning/select_add__nbhmode__selected.cfg");
        assertEquals(20, ref.size());
        assertSameSelection(ref, res.newlySelected(), false);
        // Selected atoms: MLIP and mtpjava may pick different atoms among symmetry-equivalent ones (their rows are
        // equal to rounding, so the first maximum is decided by rounding noise). Check that per configuration the
        // number of selected atoms is the same and the multisets of the atoms' grades (calculate_grade with the same
        // state) are equal, i.e. the atoms are equivalent.
        List<Configuration> graded = cfgs("reference/mlip3_active_learning/grade_input__trained10_nbhmode__graded.cfg");
        int sameAtoms = 0, tiedAtoms = 0;
        for (int k = 0; k < ref.size(); k++) {
            Configuration r = ref.get(k), g = res.newlySelected().get(k);
            Configuration gr = null;
            for (Configuration c : graded) if (key(c).equals(key(r))) gr = c;
            assertNotNull(gr, "graded copy of selected cfg " + (k + 1));
            List<String> ra = atomGrades(r, gr), ga = atomGrades(g, gr);
            assertEquals(ra.size(), ga.size(), "selected atoms in cfg " + (k + 1));
            assertEquals(sorted(ra), sorted(ga), "grades of the selected atoms of cfg " + (k + 1));
            var re = eqns(r);
            for (int e : eqns(g)) if (re.contains(e)) sameAtoms++; else tiedAtoms++;
        }
        System.out.println("select-add nbh: 20 of 20 configurations as MLIP; " + sameAtoms + " selected atoms identical, "
                + tiedAtoms + " replaced by a symmetry-equivalent atom (equal grade)");
    }

    static java.util.Set<Integer> eqns(Configuration c) {
        java.util.Set<Integer> s = new java.util.TreeSet<>();
        for (String t : c.features().get("selected_eqn_inds").split(",")) s.add(Integer.parseInt(t.strip()));
        return s;
    }

    static List<String> atomGrades(Configuration sel, Configuration graded) {
        List<String> out = new ArrayList<>();
        int base = 3 * sel.size() + 10;
        for (int e : eqns(sel)) out.add(String.format(java.util.Locale.ROOT, "%.4f", graded.neighbourhoodGrades()[e - base]));
        return out;
    }

    static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        java.util.Collections.sort(c);
        return c;
    }

    @Test
    void rebuildFrom300ReproducesAs300() {
        Potential p = PotentialFiles.read(TestData.data("reference/mlip3_training/trained10_MoNbTa.almtp"));
        Potential refPot = PotentialFiles.read(TestData.data("reference/mlip3_training/trained10_MoNbTa_AS300.almtp"));
        ActiveSetData ref = refPot.activeSet();
        ActiveSetData d = ActiveLearning.updateActiveSet(p, cfgs("reference/inputs/train_MoNbTa_300.cfg"),
                SelectionWeights.CONFIGURATION_MODE, 2);
        int n = d.n();
        int filled = 0, refFilled = 0;
        for (int j = 0; j < n; j++) {
            if (d.rowEquation()[j] != -1) filled++;
            if (ref.rowEquation()[j] != -1) refFilled++;
        }
        assertEquals(199, refFilled);
        assertEquals(refFilled, filled, "filled rows");
        assertEquals(ref.selected().size(), d.selected().size(), "selected configurations");
        // The same rows (as vectors; MaxVol ties may put them at other positions or take them from an equivalent
        // configuration): match every filled MLIP row to an unused mtpjava row equal to 1e-9 relative.
        boolean[] used = new boolean[n];
        int samePosition = 0, sameConfiguration = 0;
        for (int j = 0; j < n; j++) {
            if (ref.rowEquation()[j] == -1) continue;
            int match = -1;
            for (int q = 0; q < n && match < 0; q++) {
                int cand = (j + q) % n; // try the same position first
                if (used[cand] || d.rowEquation()[cand] == -1) continue;
                if (sameRow(ref.a(), j, d.a(), cand, n, 1e-9)) match = cand;
            }
            assertTrue(match >= 0, "MLIP row " + j + " (" + key(ref.selected().get(ref.rowConfiguration()[j])) + ") not found");
            used[match] = true;
            if (match == j) samePosition++;
            if (key(ref.selected().get(ref.rowConfiguration()[j])).equals(key(d.selected().get(d.rowConfiguration()[match])))) sameConfiguration++;
        }
        System.out.println("rebuild AS300: " + filled + " rows filled, all equal to MLIP's rows; " + samePosition
                + " at the same position, " + sameConfiguration + " from the same configuration (others: exact ties)");
        // and therefore the same grades
        ActiveSet mine = ActiveSet.fromData(d, "rebuilt"), theirs = ActiveSet.fromData(ref, "AS300");
        try (RowCalculator rc = new RowCalculator(p, 2)) {
            double[] s1 = new double[n], s2 = new double[n];
            double worstGrade = 0;
            for (Configuration c : cfgs("reference/inputs/grade_input.cfg")) {
                RowCalculator.Rows r = rc.rows(c, mine.weights());
                double g1 = mine.grade(r.values(), s1), g2 = theirs.grade(r.values(), s2);
                assertEquals(g2, g1, GradeReferenceTest.mvTolerance(g2), "grade with the rebuilt state");
                worstGrade = Math.max(worstGrade, Math.abs(g1 - g2) / g2);
            }
            System.out.println("grades of grade_input.cfg with the rebuilt vs MLIP's state: worst relative difference " + worstGrade);
        }
    }
}
