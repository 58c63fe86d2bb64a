package org.mtpjava.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mtpjava.TestData;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * mtpjava against MLIP-3's lossless outputs (tolerance class L of reference-numbers.md: energy and site
 * energies 1e-10 relative, forces 1e-9 eV/A, PlusStress 1e-10 * max(1, |S|max)).
 */
class ReferenceOutputsTest {

    static void compareLossless(String potential, String input, String reference) {
        Potential p = PotentialFiles.read(TestData.data(potential));
        List<Configuration> in = CfgFiles.read(TestData.data(input));
        List<Configuration> ref = CfgFiles.read(TestData.data(reference));
        assertEquals(ref.size(), in.size(), "configuration count");
        try (EfsCalculator calc = new EfsCalculator(p, 2)) {
            for (int k = 0; k < in.size(); k++) {
                Configuration c = in.get(k);
                Configuration r = ref.get(k);
                EfsCalculator.Result res = calc.compute(c);
                String where = reference + " cfg " + (k + 1);
                assertEquals(r.energy(), res.energy(), 1e-10 * Math.abs(r.energy()), where + " energy");
                for (int i = 0; i < c.size(); i++) {
                    if (r.siteEnergies() != null) {
                        assertEquals(r.siteEnergies()[i], res.siteEnergies()[i], 1e-10 * Math.max(1, Math.abs(r.siteEnergies()[i])), where + " site_en " + i);
                    }
                    for (int a = 0; a < 3; a++) {
                        assertEquals(r.forces()[3 * i + a], res.forces()[3 * i + a], 1e-9, where + " force " + i + "," + a);
                    }
                }
                if (r.hasStress()) {
                    double smax = 1;
                    for (double s : r.stress()) smax = Math.max(smax, Math.abs(s));
                    assertNotNull(res.stress(), where + " stress");
                    for (int a = 0; a < 6; a++) assertEquals(r.stress()[a], res.stress()[a], 1e-10 * smax, where + " stress " + a);
                }
                if (r.magneticForces() != null) {
                    for (int i = 0; i < 3 * c.size(); i++) {
                        assertEquals(r.magneticForces()[i], res.magneticForces()[i], 1e-9, where + " en_der " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{1} with {0}")
    @CsvSource({
            "lammps_ml_mtp/SiO.mtp, reference/inputs/quartz72_ideal.cfg, reference/mlip3_out/quartz72_ideal__SiO__mlp3_noloss_site_en.cfg",
            "lammps_ml_mtp/SiO.mtp, reference/inputs/quartz72_perturbed.cfg, reference/mlip3_out/quartz72_perturbed__SiO__mlp3_noloss_site_en.cfg",
            "monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp, reference/inputs/MoNbTa54_NbMoTaW_types.cfg, reference/mlip3_out/MoNbTa54_NbMoTaW_types__NbMoTaW2021__mlp3_noloss_site_en.cfg",
            "reference/mlip3_training/trained10_MoNbTa.almtp, reference/inputs/MoNbTa54_NbMoTaW_types.cfg, reference/mlip3_out/MoNbTa54_NbMoTaW_types__trained10__mlp3_noloss_site_en.cfg",
            "reference/mlip3_training/template10_3sp.almtp, reference/inputs/MoNbTa54_NbMoTaW_types.cfg, reference/mlip3_out/MoNbTa54_NbMoTaW_types__template10_untrained_defaults__mlp3_noloss_site_en.cfg",
            "reference/mlip3_training/trained10_MoNbTa.almtp, reference/inputs/train_MoNbTa_40.cfg, reference/mlip3_training/train_MoNbTa_40__trained10__mlp3_noloss_site_en.cfg",
            "mlip_reference_kit/testvectors/L06_nbh.almtp, mlip_reference_kit/testvectors/L06_input.cfg, mlip_reference_kit/testvectors/L06_efs_ref.cfg",
            "mlip_reference_kit/testvectors/L16_nbh.almtp, mlip_reference_kit/testvectors/L16_input.cfg, mlip_reference_kit/testvectors/L16_efs_ref.cfg",
            "mlip_reference_kit/testvectors/L20_3species_repuls.mtp, mlip_reference_kit/testvectors/L20_input.cfg, mlip_reference_kit/testvectors/L20_efs_ref.cfg",
            "mlip_reference_kit/testvectors/L08_3sp_cfgmode.almtp, mlip_reference_kit/testvectors/L08_holdout60_input.cfg, mlip_reference_kit/testvectors/L08_holdout60_first10_efs_ref.cfg",
    })
    void matchesMlip3Lossless(String potential, String input, String reference) {
        if (reference.contains("first10")) {
            compareFirst(potential, input, reference);
            return;
        }
        compareLossless(potential, input, reference);
    }

    static void compareFirst(String potential, String input, String reference) {
        Potential p = PotentialFiles.read(TestData.data(potential));
        List<Configuration> ref = CfgFiles.read(TestData.data(reference));
        List<Configuration> in = CfgFiles.read(TestData.data(input)).subList(0, ref.size());
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            for (int k = 0; k < ref.size(); k++) {
                EfsCalculator.Result res = calc.compute(in.get(k));
                assertEquals(ref.get(k).energy(), res.energy(), 1e-10 * Math.abs(ref.get(k).energy()), "cfg " + k);
                for (int i = 0; i < 3 * in.get(k).size(); i++) assertEquals(ref.get(k).forces()[i], res.forces()[i], 1e-9);
            }
        }
    }

    @Test
    void magneticMatchesMlip3Lossless() {
        compareLossless("mlip_reference_kit/testvectors/mag_L16_2species.mtp", "mlip_reference_kit/testvectors/mag_input.cfg",
                "mlip_reference_kit/testvectors/mag_efs_ref.cfg");
        compareLossless("reference/mlip3_magnetic/al_fe_mag.mtpr", "reference/mlip3_magnetic/al_fe_mag_input.cfg",
                "reference/mlip3_magnetic/al_fe_mag__mlp3_noloss_site_en.cfg");
    }
}
