package org.mtpjava.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The command line as a user runs it: outputs, reports and one-line errors with exit code 2. */
class CliTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err2 = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err2, true));
        try {
            var cl = Main.commandLine();
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(), err + err2.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void calculateEfsWritesMlipLayoutWithEfsBy() {
        Path out = tmp.resolve("out.cfg");
        Run r = run("calculate-efs", TestData.data("monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp").toString(),
                TestData.data("reference/inputs/MoNbTa54_NbMoTaW_types.cfg").toString(), out.toString());
        assertEquals(0, r.code(), r.err());
        List<Configuration> got = CfgFiles.read(out);
        List<Configuration> ref = CfgFiles.read(TestData.data("reference/mlip3_out/MoNbTa54_NbMoTaW_types__NbMoTaW2021__mlp3_calculate_efs.cfg"));
        assertEquals(ref.get(0).energy(), got.get(0).energy(), 1e-9);
        assertEquals("MultiMTP53", got.get(0).features().get("EFS_by"));
        for (int i = 0; i < 3 * 54; i++) assertEquals(ref.get(0).forces()[i], got.get(0).forces()[i], 1e-6);
        for (int a = 0; a < 6; a++) assertEquals(ref.get(0).stress()[a], got.get(0).stress()[a], 1e-5);
    }

    @Test
    void checkErrorsPrintsMlipReportAndPlot() {
        Path png = tmp.resolve("parity.png");
        Run r = run("check-errors", TestData.data("reference/mlip3_training/trained10_MoNbTa.almtp").toString(),
                TestData.data("reference/inputs/train_MoNbTa_40.cfg").toString(), "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        // MLIP-3's own report on this pair (check_errors_trained10_on_train40.txt)
        assertTrue(r.out().contains("RMS     absolute difference = 0.00465303"), r.out());
        assertTrue(r.out().contains("RMS     absolute difference = 0.319032"), r.out());
        assertTrue(r.out().contains("RMS     absolute difference = 4.93182"), r.out());
        assertTrue(r.out().contains("RMS     absolute difference = 2.96996"), r.out());
        assertTrue(Files.exists(png));
    }

    @Test
    void badInputIsOneLineWithFileAndLineAndNoOutput() throws Exception {
        Path bad = tmp.resolve("bad.cfg");
        Files.writeString(bad, "BEGIN_CFG\n Size\n    1\n AtomData: id type cartes_x cartes_y cartes_z\n    1 0 0 0 zero\nEND_CFG\n");
        Path out = tmp.resolve("never.cfg");
        Run r = run("calculate-efs", TestData.data("lammps_ml_mtp/SiO.mtp").toString(), bad.toString(), out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(bad + ":5: 'zero' is not a number"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(out));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void speciesOutsidePotentialIsAClearError() throws Exception {
        Path cfg = tmp.resolve("types.cfg");
        Files.writeString(cfg, "BEGIN_CFG\n Size\n    1\n AtomData: id type cartes_x cartes_y cartes_z\n    1 7 0 0 0\nEND_CFG\n");
        Run r = run("calculate-efs", TestData.data("lammps_ml_mtp/SiO.mtp").toString(), cfg.toString(), tmp.resolve("o.cfg").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("configuration 1") && r.err().contains("type 7"), r.err());
    }

    @Test
    void magneticPotentialWithoutMomentsNeedsTheExplicitFlag() {
        String pot = TestData.data("mlip_reference_kit/testvectors/mag_L16_2species.mtp").toString();
        String cfg = TestData.data("reference/inputs/quartz72_ideal.cfg").toString();
        Run r = run("calculate-efs", pot, cfg, tmp.resolve("o.cfg").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no magnetic moments"), r.err());
        Run ok = run("calculate-efs", pot, cfg, tmp.resolve("o.cfg").toString(), "--mlip-magnetic-fallback");
        assertEquals(0, ok.code(), ok.err());
    }
}
