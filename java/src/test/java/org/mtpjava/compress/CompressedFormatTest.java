package org.mtpjava.compress;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.io.InputFileException;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Potential;

import static org.junit.jupiter.api.Assertions.*;

/** Compressed .mtp files: exact round trip of every kind, and one clear message (file:line) for bad input. */
class CompressedFormatTest {
    static final String TRAINED10 = "reference/mlip3_training/trained10_MoNbTa.almtp";
    static final String MAG = "mlip_reference_kit/testvectors/mag_L16_2species.mtp";

    static String compressedText(String pot, String spec) {
        Potential p = PotentialFiles.read(TestData.data(pot));
        p.setActiveSet(null);
        CompressedTraining.attach(p, CompressionSpec.parse(spec), 1, m -> {});
        return PotentialFiles.mtpText(p, false);
    }

    @Test
    void everyKindRoundTripsBitForBit() {
        for (String[] c : new String[][]{{TRAINED10, "mf:rank=4"}, {TRAINED10, "rmf:rank=3"}, {TRAINED10, "tf:ranks=3,4,3"},
                {TRAINED10, "mf:rank=2,rows=mu"}, {MAG, "mf:rank=3"}, {MAG, "tf:ranks=2,3,4,3,2"}}) {
            String text = compressedText(c[0], c[1]);
            Potential p = PotentialFiles.fromText(text, "x.mtp");
            assertNotNull(p.radialRepresentation(), c[1]);
            assertEquals(text, PotentialFiles.mtpText(p, false), c[1] + ": written again identically");
            Factorisation f = (Factorisation) p.radialRepresentation();
            assertArrayEquals(f.dense(), p.radialCoefficients(), 0.0);
        }
    }

    static void assertBad(String text, String expectedPart) {
        InputFileException e = assertThrows(InputFileException.class, () -> PotentialFiles.fromText(text, "bad.mtp"));
        assertTrue(e.getMessage().startsWith("bad.mtp:"), e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }

    @Test
    void badCompressedFilesGetOneClearMessage() {
        String ok = compressedText(TRAINED10, "mf:rank=4");
        assertBad(ok.replace("radial_compression = mf", "radial_compression = svd"), "expected mf, rmf or tf");
        assertBad(ok.replace("radial_compression_ranks = {4}", "radial_compression_ranks = {5}"), "radial_factor_U has");
        assertBad(ok.replace("radial_compression_ranks = {4}", "radial_compression_ranks = {40}"), "exceeds");
        assertBad(ok.replace("radial_compression_rows = {mu, beta}", "radial_compression_rows = {mu, delta}"), "unknown tensor mode 'delta'");
        assertBad(ok.replace("radial_compression_parameters = 132", "radial_compression_parameters = 131"), "but the ranks give 132");
        assertBad(ok.replace("\tradial_factor_V", "\tradial_factor_W = {1}\n\tradial_factor_V"), "unknown key 'radial_factor_W'");
        assertBad(ok.replace("radial_compression_species = {0, 1, 2}", "radial_compression_species = {0, 1}"), "expected species_count = 3");
        int i = ok.indexOf("radial_factor_U = {") + "radial_factor_U = {".length();
        assertBad(ok.substring(0, i) + "x" + ok.substring(i + 1), "is not a number");
        assertBad(ok.replaceAll("\tradial_factor_V = \\{[^}]*\\}\n", ""), "without 'radial_factor_V'");
        String plain = PotentialFiles.mtpText(PotentialFiles.read(TestData.data(TRAINED10)), false);
        String coeffs = plain.substring(plain.indexOf("\tradial_coeffs"), plain.indexOf("alpha_moments_count"));
        assertBad(ok.replace("alpha_moments_count", coeffs + "alpha_moments_count"), "both radial_coeffs and radial_compression");
        String tf = compressedText(TRAINED10, "tf:ranks=3,4,3");
        assertBad(tf.replace("radial_compression_order = {ti, tj, mu, beta}", "radial_compression_order = {ti, tj, mu}"), "must list all 4 modes");
    }
}
