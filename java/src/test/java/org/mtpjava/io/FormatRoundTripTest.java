package org.mtpjava.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mtpjava.TestData;
import org.mtpjava.model.ActiveSetData;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** read -> write -> read gives identical numbers, for every kind of file in the shared data. */
class FormatRoundTripTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {
            "lammps_ml_mtp/SiO.mtp",
            "monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp",
            "reference/mlip3_training/trained10_MoNbTa.almtp",
            "reference/mlip3_training/trained10_MoNbTa_nbh.almtp",
            "reference/mlip3_training/template10_3sp.almtp",
            "mlip_reference_kit/testvectors/L16_nbh.almtp",
            "mlip_reference_kit/testvectors/L20_3species_repuls.mtp",
            "mlip_reference_kit/testvectors/mag_L16_2species.mtp",
            "reference/mlip3_magnetic/fe_mag_untrained_template.mtp",
            "motep_mlip_reference_oracle/mag/08.mmtp",
            "mlip_reference_kit/templates/28.almtp.gz",
            "lammps_mtp_unittest_oracle/NaKCl.mtp",
    })
    void potentialRoundTrip(String file) {
        Potential a = PotentialFiles.read(TestData.data(file));
        String ext = file.endsWith(".almtp") || file.endsWith(".almtp.gz") ? ".almtp" : file.endsWith(".mmtp") ? ".mmtp" : ".mtp";
        Path out = tmp.resolve("copy" + ext);
        PotentialFiles.write(a, out);
        Potential b = PotentialFiles.read(out);
        assertArrayEquals(a.parameters(), b.parameters(), file);
        assertEquals(a.basis(), b.basis());
        assertEquals(a.scaling(), b.scaling());
        assertEquals(a.minDist(), b.minDist());
        assertEquals(a.maxDist(), b.maxDist());
        assertEquals(a.isTrained(), b.isTrained());
        assertEquals(a.magneticBasis(), b.magneticBasis());
        assertArrayEquals(a.speciesLabels(), b.speciesLabels());
        if (ext.equals(".almtp") && a.activeSet() != null) {
            ActiveSetData x = a.activeSet(), y = b.activeSet();
            assertArrayEquals(x.a(), y.a());
            assertArrayEquals(x.invAT(), y.invAT());
            assertArrayEquals(x.rowConfiguration(), y.rowConfiguration());
            assertArrayEquals(x.rowEquation(), y.rowEquation());
            assertEquals(x.selected().size(), y.selected().size());
            assertEquals(x.siteEnergyWeight(), y.siteEnergyWeight());
            assertEquals(x.weightScaling(), y.weightScaling());
        }
        // writing twice gives the same bytes (stable layout)
        Path out2 = tmp.resolve("copy2" + ext);
        PotentialFiles.write(b, out2);
        assertDoesNotThrow(() -> assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(out2)));
    }

    @Test
    void almtpBinaryBlocksAreMlipLayout() throws Exception {
        // the binary A/invA blocks written by mtpjava are byte-identical to MLIP-3's
        Path src = TestData.data("mlip_reference_kit/testvectors/L16_nbh.almtp");
        Potential p = PotentialFiles.read(src);
        Path out = tmp.resolve("L16.almtp");
        PotentialFiles.write(p, out);
        byte[] a = Files.readAllBytes(src), b = Files.readAllBytes(out);
        int n = p.parameterCount();
        int ia = indexOfBinary(a), ib = indexOfBinary(b);
        for (int k = 0; k < 2 * n * n * 8; k++) assertEquals(a[ia + k], b[ib + k], "binary byte " + k);
        assertEquals(125, n);
    }

    static int indexOfBinary(byte[] b) {
        String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        int i = s.indexOf("weight_scaling");
        return s.indexOf('#', i) + 1;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "reference/inputs/quartz72_perturbed.cfg",
            "reference/mlip3_out/quartz72_ideal__SiO__mlp3_noloss_site_en.cfg",
            "reference/mlip3_magnetic/al_fe_mag__mlp3_noloss_site_en.cfg",
            "reference/mlip3_active_learning/grade_input__trained10_nbhmode__graded.cfg",
            "reference/mlip3_active_learning/cut_extrapolative_nbh__cutoff5.cfg",
            "reference/inputs/train_MoNbTa_40.cfg",
            "mlip_reference_kit/testvectors/L20_input.cfg",
            "feal_magnetic_mtp_sample/FeAl_mag_2cfgs_from_potdata_tests.cfg",
    })
    void cfgLosslessRoundTrip(String file) {
        List<Configuration> a = CfgFiles.read(TestData.data(file));
        Path out = tmp.resolve("copy.cfg");
        CfgFiles.write(out, a, CfgFiles.Precision.LOSSLESS);
        List<Configuration> b = CfgFiles.read(out);
        assertEquals(a.size(), b.size());
        for (int k = 0; k < a.size(); k++) assertSameConfiguration(a.get(k), b.get(k), file + " cfg " + k);
        // MLIP's fixed-decimal writer also reads back (to its printed precision)
        Path out2 = tmp.resolve("copy-mlip.cfg");
        CfgFiles.write(out2, a, CfgFiles.Precision.MLIP);
        List<Configuration> c = CfgFiles.read(out2);
        for (int k = 0; k < a.size(); k++) {
            assertEquals(a.get(k).size(), c.get(k).size());
            for (int i = 0; i < 3 * a.get(k).size(); i++) assertEquals(a.get(k).positions()[i], c.get(k).positions()[i], 6e-7);
            if (a.get(k).hasEnergy()) assertEquals(a.get(k).energy(), c.get(k).energy(), 1e-9 * Math.max(1, Math.abs(a.get(k).energy())));
            assertEquals(a.get(k).features(), c.get(k).features());
        }
    }

    static void assertSameConfiguration(Configuration x, Configuration y, String where) {
        assertEquals(x.size(), y.size(), where);
        assertArrayEquals(x.lattice(), y.lattice(), where);
        assertArrayEquals(x.types(), y.types(), where);
        assertArrayEquals(x.positions(), y.positions(), where);
        assertArrayEquals(x.forces(), y.forces(), where);
        assertEquals(x.hasEnergy(), y.hasEnergy(), where);
        if (x.hasEnergy()) assertEquals(x.energy(), y.energy(), where);
        assertArrayEquals(x.stress(), y.stress(), where);
        assertArrayEquals(x.siteEnergies(), y.siteEnergies(), where);
        assertArrayEquals(x.magneticMoments(), y.magneticMoments(), where);
        assertArrayEquals(x.magneticForces(), y.magneticForces(), where);
        assertArrayEquals(x.neighbourhoodGrades(), y.neighbourhoodGrades(), where);
        assertEquals(x.features(), y.features(), where);
    }
}
