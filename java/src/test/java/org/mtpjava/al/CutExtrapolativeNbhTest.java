package org.mtpjava.al;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * cut-extrapolative-nbh against MLIP-3. The rule in MLIP-3's source (a cluster for every configuration whose
 * largest nbh_grades value is >= 1.1) gives 18 clusters for the reference input; MLIP-3's stored output has 16,
 * identical to the first 16 of the rule (input IDs 0-27); IDs 28 and 29 (grades 111.47482, 31854.43679) are
 * missing (reference-numbers.md §8 item 1, docs/active-learning.md).
 */
class CutExtrapolativeNbhTest {

    static List<Configuration> cutAll(List<Configuration> in, double cutoff) {
        List<Configuration> out = new ArrayList<>();
        for (Configuration c : in) {
            Configuration cl = ExtrapolativeNeighbourhoods.cut(c, cutoff, ExtrapolativeNeighbourhoods.DEFAULT_THRESHOLD, out.size());
            if (cl != null) out.add(cl);
        }
        return out;
    }

    static void assertSameCluster(Configuration r, Configuration c, String where) {
        assertEquals(r.size(), c.size(), where + " size");
        assertEquals(0, c.latticeRowsToWrite(), where + " non-periodic");
        for (String f : List.of("cfg#", "nbh#", "extrapolation_grade")) assertEquals(r.features().get(f), c.features().get(f), where + " " + f);
        for (int i = 0; i < r.size(); i++) {
            assertEquals(r.types()[i], c.types()[i], where + " type of atom " + (i + 1));
            for (int a = 0; a < 3; a++) {
                assertEquals(r.positions()[3 * i + a], c.positions()[3 * i + a], 5.01e-7, where + " atom " + (i + 1));
            }
        }
    }

    @Test
    void clustersEqualMlip3Reference() {
        List<Configuration> in = CfgFiles.read(TestData.data("reference/mlip3_active_learning/grade_input__trained10_nbhmode__graded.cfg"));
        List<Configuration> ref = CfgFiles.read(TestData.data("reference/mlip3_active_learning/cut_extrapolative_nbh__cutoff5.cfg"));
        List<Configuration> out = cutAll(in, 5.0);
        assertEquals(16, ref.size());
        assertEquals(18, out.size(), "clusters by MLIP-3's rule (max nbh_grades >= 1.1)");
        for (int k = 0; k < ref.size(); k++) assertSameCluster(ref.get(k), out.get(k), "cluster " + k);
        // the two clusters missing from MLIP-3's stored output
        assertEquals("12", out.get(16).features().get("nbh#"));
        assertEquals("111.474820", out.get(16).features().get("extrapolation_grade"));
        assertEquals("6", out.get(17).features().get("nbh#"));
        assertEquals("31854.436790", out.get(17).features().get("extrapolation_grade"));
        int atoms = 0;
        for (Configuration c : ref) atoms += c.size();
        assertEquals(438, atoms);
    }

    @Test
    void mlip3ExampleWithCutoff8() {
        List<Configuration> in = CfgFiles.read(TestData.data("mlip3_examples_oracle/examples/05.cut_extrapolative_neighborhood/selected.cfg"));
        List<Configuration> ref = CfgFiles.read(TestData.data("mlip3_examples_oracle/examples/05.cut_extrapolative_neighborhood/sample_out/spherical.cfg"));
        // that example's input has MV_grade but its nbh_grades column decides
        List<Configuration> out = cutAll(in, 8.0);
        assertEquals(ref.size(), out.size());
        for (int k = 0; k < ref.size(); k++) assertSameCluster(ref.get(k), out.get(k), "example cluster " + k);
    }
}
