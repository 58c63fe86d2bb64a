package org.mtpjava.al;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The active-learning CLI verbs: outputs as MLIP-3's, bad input gives one clear message and exit code 2. */
class AlCommandsTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static void assertCleanError(Run r, String... fragments) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "message should mention '" + f + "': " + r.err());
        assertFalse(r.err().contains("\tat org."), "no stack trace: " + r.err());
        assertFalse(r.err().contains("Exception"), "no exception name: " + r.err());
    }

    static String kit(String f) { return TestData.data("mlip_reference_kit/testvectors/" + f).toString(); }

    @Test
    void calculateGradeWritesMlipsFile() throws Exception {
        Path out = tmp.resolve("graded.cfg");
        Run r = run("calculate-grade", kit("L16_nbh.almtp"), kit("L16_input.cfg"), out.toString(), "--log", "stdout", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Sampling: cfg# 1\tgrade: 1"), r.out());
        assertArrayEquals(Files.readAllBytes(TestData.data("mlip_reference_kit/testvectors/L16_grade_ref.cfg")), Files.readAllBytes(out));
    }

    @Test
    void gradeNeedsAnActiveSet() {
        Run r = run("calculate-grade", kit("L20_3species_repuls.mtp"), kit("L20_input.cfg"), tmp.resolve("o.cfg").toString());
        assertCleanError(r, "L20_3species_repuls.mtp", "no active set", "update-active-set");
        assertFalse(Files.exists(tmp.resolve("o.cfg")), "no partial output");
    }

    @Test
    void cutNeedsNeighbourhoodGrades() {
        Run r = run("cut-extrapolative-nbh", kit("L16_input.cfg"), tmp.resolve("o.cfg").toString(), "--cutoff", "5");
        assertCleanError(r, "L16_input.cfg", "configuration 1", "nbh_grades");
    }

    @Test
    void malformedConfigurationNamesFileAndLine() throws Exception {
        Path bad = tmp.resolve("bad.cfg");
        Files.writeString(bad, "BEGIN_CFG\n Size\n 2\n AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\n 2 0 x 0 0\nEND_CFG\n");
        Run r = run("calculate-grade", kit("L16_nbh.almtp"), bad.toString(), tmp.resolve("o.cfg").toString());
        assertCleanError(r, "bad.cfg:6");
    }

    @Test
    void unknownTypeNamesFileAndConfiguration() throws Exception {
        Path bad = tmp.resolve("types.cfg");
        Files.writeString(bad, "BEGIN_CFG\n Size\n 1\n AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\nEND_CFG\n"
                + "BEGIN_CFG\n Size\n 2\n AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\n 2 5 2.5 0 0\nEND_CFG\n");
        Run r = run("calculate-grade", kit("L16_nbh.almtp"), bad.toString(), tmp.resolve("o.cfg").toString(), "--log", "none");
        assertCleanError(r, "types.cfg", "configuration 2", "type 5");
        Run s = run("select-add", kit("L16_nbh.almtp"), kit("L16_input.cfg"), bad.toString(), tmp.resolve("n.cfg").toString());
        assertCleanError(s, "types.cfg", "configuration 2", "type 5");
    }

    @Test
    void allZeroWeightsAreRejected() {
        Run r = run("select-add", kit("L16_nbh.almtp"), kit("L16_input.cfg"), kit("L16_input.cfg"), tmp.resolve("n.cfg").toString(),
                "--energy-weight", "0");
        assertCleanError(r, "all selection weights are zero");
    }

    @Test
    void updateActiveSetWritesAnAlmtpThatGradesAsTheOriginal() throws Exception {
        Path out = tmp.resolve("re.almtp");
        // L16's own active set came from training on its 1 configuration: rebuilding from it gives the same rows
        Run r = run("update-active-set", kit("L16_nbh.almtp"), kit("L16_input.cfg"), "--save-to", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        Path graded = tmp.resolve("g.cfg");
        assertEquals(0, run("calculate-grade", out.toString(), kit("L16_input.cfg"), graded.toString(), "--log", "none").code());
        assertArrayEquals(Files.readAllBytes(TestData.data("mlip_reference_kit/testvectors/L16_grade_ref.cfg")), Files.readAllBytes(graded));
        Run bad = run("update-active-set", kit("L16_nbh.almtp"), kit("L16_input.cfg"), "--save-to", tmp.resolve("x.mtp").toString());
        assertCleanError(bad, "x.mtp", ".almtp");
    }
}
