package org.mtpjava.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mtpjava.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Bad input: one clear error naming the file, the line and what was expected; no partial output. */
class MalformedInputTest {
    @TempDir Path tmp;

    static final String GOOD_CFG = """
            BEGIN_CFG
             Size
                2
             Supercell
                3.0 0.0 0.0
                0.0 3.0 0.0
                0.0 0.0 3.0
             AtomData:  id type cartes_x cartes_y cartes_z fx fy fz
                1 0 0.0 0.0 0.0 0.1 0.2 0.3
                2 1 1.5 1.5 1.5 -0.1 -0.2 -0.3
             Energy
                -7.5
             PlusStress:  xx yy zz yz xz xy
                1 2 3 4 5 6
             Feature   note\thello world
            END_CFG
            """;

    InputFileException cfgError(String text) throws IOException {
        Path f = tmp.resolve("bad.cfg");
        Files.writeString(f, text);
        return assertThrows(InputFileException.class, () -> CfgFiles.read(f));
    }

    @Test
    void goodCfgParses() throws IOException {
        Path f = tmp.resolve("good.cfg");
        Files.writeString(f, GOOD_CFG + "\n" + GOOD_CFG);
        var cfgs = CfgFiles.read(f);
        assertEquals(2, cfgs.size());
        assertEquals(-7.5, cfgs.get(0).energy());
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, cfgs.get(0).stress());
        assertEquals("hello world", cfgs.get(0).features().get("note"));
        assertEquals(1, cfgs.get(1).types()[1]);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "    2|    3|11|expected 3 AtomData rows",
            "0.0 0.0 0.0 0.1 0.2 0.3|0.0 0.0 abc 0.1 0.2 0.3|9|'abc' is not a number",
            "cartes_z fx|cartes_z foo fx|8|unknown AtomData column 'foo'",
            " Energy| Energie|11|unknown keyword 'Energie'",
            "1 2 3 4 5 6|1 2 3 4 5|14|5 values; expected 6",
            "2 1 1.5|3 1 1.5|10|atom id 3; expected 2",
            "1 0 0.0|1 -1 0.0|9|negative",
            "0.0 0.0 3.0\\n AtomData|0.0 3.0 0.0\\n AtomData|16|zero volume",
            "    -7.5|    NaN|12|finite number",
    })
    void badCfgGivesFileLineAndExpectation(String find, String replace, int line, String message) throws IOException {
        String text = GOOD_CFG.replaceFirst(java.util.regex.Pattern.quote(find.replace("\\n", "\n")), java.util.regex.Matcher.quoteReplacement(replace.replace("\\n", "\n")));
        assertNotEquals(GOOD_CFG, text, "test set-up: pattern not found: " + find);
        InputFileException e = cfgError(text);
        assertTrue(e.getMessage().contains("bad.cfg"), e.getMessage());
        if (line > 0) assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void truncatedCfg() throws IOException {
        InputFileException e = cfgError(GOOD_CFG.substring(0, GOOD_CFG.indexOf(" Energy")));
        assertTrue(e.getMessage().contains("expected 'END_CFG'"), e.getMessage());
    }

    @Test
    void sizeAfterAtoms() throws IOException {
        InputFileException e = cfgError("BEGIN_CFG\n AtomData: id type cartes_x cartes_y cartes_z\nEND_CFG\n");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("before 'Size'"), e.getMessage());
    }

    Path potentialWith(String find, String replace) throws IOException {
        String text = Files.readString(TestData.data("lammps_ml_mtp/SiO.mtp"));
        String bad = text.replaceFirst(java.util.regex.Pattern.quote(find), java.util.regex.Matcher.quoteReplacement(replace));
        assertNotEquals(text, bad, "pattern not found: " + find);
        Path f = tmp.resolve("bad.mtp");
        Files.writeString(f, bad);
        return f;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MTP\\nversion|XTP\\nversion|1|expected 'MTP'",
            "radial_basis_size = 8|radial_basis_size = eight|10|'eight' is not an integer",
            "alpha_moments_count|alpha_momentz_count|0|unknown key 'alpha_momentz_count'",
            "species_count = 2|species_count = 3|0|expected a species-pair label",
            "alpha_scalar_moments = 192|alpha_scalar_moments = 191|0|alpha_scalar_moments = 191",
            "radial_funcs_count = 6|radial_funcs_count = 5|19|expected a species-pair label",
            "radial_basis_type = RBChebyshev|radial_basis_type = RBFancy|7|RBFancy",
    })
    void badPotentialGivesFileLineAndExpectation(String find, String replace, int line, String message) throws IOException {
        Path f = potentialWith(find.replace("\\n", "\n"), replace.replace("\\n", "\n"));
        InputFileException e = assertThrows(InputFileException.class, () -> PotentialFiles.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        if (line > 0) assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void truncatedPotential() throws IOException {
        String text = Files.readString(TestData.data("lammps_ml_mtp/SiO.mtp"));
        Path f = tmp.resolve("cut.mtp");
        Files.writeString(f, text.substring(0, text.indexOf("alpha_index_times =") + 200));
        InputFileException e = assertThrows(InputFileException.class, () -> PotentialFiles.read(f));
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void missingFile() {
        InputFileException e = assertThrows(InputFileException.class, () -> PotentialFiles.read(tmp.resolve("nope.mtp")));
        assertTrue(e.getMessage().contains("file not found"));
    }

    @Test
    void truncatedAlmtpBinary() throws IOException {
        byte[] b = Files.readAllBytes(TestData.data("mlip_reference_kit/testvectors/L16_nbh.almtp"));
        Path f = tmp.resolve("cut.almtp");
        Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
        InputFileException e = assertThrows(InputFileException.class, () -> PotentialFiles.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void failedWriteLeavesNoPartialFile() throws IOException {
        Path out = tmp.resolve("out.cfg");
        Files.writeString(out, "previous content");
        assertThrows(RuntimeException.class, () -> AtomicFiles.write(out, o -> {
            o.write("partial".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("previous content", Files.readString(out));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of("out.cfg"), s.map(p -> p.getFileName().toString()).toList());
        }
    }
}
