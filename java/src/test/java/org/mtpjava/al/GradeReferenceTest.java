package org.mtpjava.al;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mtpjava.TestData;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Grades against MLIP-3 {@code calculate_grade} outputs (tolerance class P of reference-numbers.md:
 * |dG| <= max(1e-6 G, 2e-6) for MV_grade, printed with 6 decimals; nbh_grades are printed with 5 decimals, so
 * their bound is max(1e-6 G, 5e-6 + 1e-9), the print rounding).
 */
class GradeReferenceTest {

    static double mvTolerance(double g) { return Math.max(1e-6 * g, 2e-6); }
    static double nbhTolerance(double g) { return Math.max(1e-6 * g, 5.001e-6); }

    @ParameterizedTest(name = "{2}")
    @CsvSource({
            "reference/mlip3_training/trained10_MoNbTa_AS300.almtp, reference/inputs/grade_input.cfg, reference/mlip3_active_learning/grade_input__trained10_cfgmode_AS300__graded.cfg",
            "reference/mlip3_training/trained10_MoNbTa.almtp, reference/inputs/grade_input.cfg, reference/mlip3_active_learning/grade_input__trained10_cfgmode_AS40__graded.cfg",
            "reference/mlip3_training/trained10_MoNbTa_nbh.almtp, reference/inputs/grade_input.cfg, reference/mlip3_active_learning/grade_input__trained10_nbhmode__graded.cfg",
            "mlip_reference_kit/testvectors/L06_nbh.almtp, mlip_reference_kit/testvectors/L06_input.cfg, mlip_reference_kit/testvectors/L06_grade_ref.cfg",
            "mlip_reference_kit/testvectors/L16_nbh.almtp, mlip_reference_kit/testvectors/L16_input.cfg, mlip_reference_kit/testvectors/L16_grade_ref.cfg",
            "mlip_reference_kit/testvectors/L08_3sp_cfgmode.almtp, mlip_reference_kit/testvectors/L08_holdout60_input.cfg, mlip_reference_kit/testvectors/L08_holdout60_grade_ref.cfg",
            "mlip3_examples_oracle/examples/04.calculate_grade/pot.almtp, mlip3_examples_oracle/examples/04.calculate_grade/train.cfg, mlip3_examples_oracle/examples/04.calculate_grade/sample_out/graded.cfg.0",
    })
    void gradesEqualMlip3(String pot, String input, String reference) throws Exception {
        Potential p = PotentialFiles.read(TestData.data(pot));
        ActiveSet as = ActiveSet.fromData(p.activeSet(), pot);
        List<Configuration> in = CfgFiles.read(TestData.data(input));
        List<Configuration> ref = CfgFiles.read(TestData.data(reference));
        List<Configuration> out = new ArrayList<>();
        int written = ActiveLearning.calculateGrades(p, as, ActiveLearning.Source.of(in), 2, out::add);
        assertEquals(ref.size(), written, "configurations written");
        double worstRel = 0;
        for (int k = 0; k < ref.size(); k++) {
            Configuration r = ref.get(k), c = out.get(k);
            String where = reference + " cfg " + (k + 1);
            assertEquals(r.features().get("ID"), c.features().get("ID"), where + " ID");
            double gr = Double.parseDouble(r.features().get("MV_grade"));
            double gc = Double.parseDouble(c.features().get("MV_grade"));
            assertEquals(gr, gc, mvTolerance(gr), where + " MV_grade");
            worstRel = Math.max(worstRel, Math.abs(gr - gc) / gr);
            if (r.neighbourhoodGrades() != null) {
                assertNotNull(c.neighbourhoodGrades(), where + " nbh_grades");
                for (int i = 0; i < r.size(); i++) {
                    double a = r.neighbourhoodGrades()[i], b = c.neighbourhoodGrades()[i];
                    assertEquals(a, b, nbhTolerance(a), where + " nbh_grades atom " + (i + 1));
                }
            } else {
                assertNull(c.neighbourhoodGrades(), where + " has no nbh_grades in configuration mode");
            }
        }
        System.out.printf("%s: %d cfgs, worst relative MV_grade difference %.2e%n", reference, ref.size(), worstRel);
        // and the file as MLIP-3 writes it, byte for byte
        StringBuilder text = new StringBuilder();
        for (Configuration c : out) text.append(CfgFiles.format(c, CfgFiles.Precision.MLIP));
        assertEquals(java.nio.file.Files.readString(TestData.data(reference), java.nio.charset.StandardCharsets.ISO_8859_1),
                text.toString(), "calculate-grade output text");
    }
}
