package org.mtpjava.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.cli.Main;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code mtpjava train} end to end: outputs, exit codes, messages. */
class TrainCliTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
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

    static Path smallSet(Path dir) {
        List<Configuration> cfgs = CfgFiles.read(TestData.data("reference/inputs/train_MoNbTa_40.cfg")).subList(0, 8);
        Path f = dir.resolve("train8.cfg");
        CfgFiles.write(f, cfgs, CfgFiles.Precision.LOSSLESS);
        return f;
    }

    @Test
    void trainsAndWritesPotentialActiveSetAndReports(@TempDir Path dir) throws Exception {
        Path data = smallSet(dir);
        Path out = dir.resolve("pot.almtp");
        Run r = run("train", TestData.data("reference/mlip3_training/trained10_MoNbTa.almtp").toString(), data.toString(),
                "--valid", data.toString(), "--iteration-limit", "3", "--save-to", out.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("main iter    0/3  loss"), r.out());
        assertTrue(r.out().contains("selection weights taken from the #MVS block"), r.out());
        assertTrue(r.out().contains("| valid E"), r.out());
        assertTrue(r.out().contains("_________________Errors report_________________"), r.out());
        Potential p = PotentialFiles.read(out);
        assertTrue(p.isTrained());
        assertNotNull(p.activeSet());
        assertEquals(p.parameterCount(), p.activeSet().n());
        for (String suffix : new String[]{".errors.txt", ".train-parity.png", ".valid-parity.png", ".learning-curve.png", ".rmse-curve.png"}) {
            assertTrue(Files.size(dir.resolve("pot" + suffix)) > 0, suffix);
        }
        assertFalse(Files.exists(dir.resolve("pot.almtp.checkpoint")), "checkpoint removed after success");
    }

    @Test
    void badOptionsAndDataGiveOneLineErrors(@TempDir Path dir) throws Exception {
        Path data = smallSet(dir);
        String tpl = TestData.data("reference/mlip3_training/template10_3sp.almtp").toString();
        Run r = run("train", tpl, data.toString(), "--al-mode", "xyz", "--save-to", dir.resolve("x.mtp").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--al-mode must be cfg or nbh"), r.err());
        r = run("train", tpl, dir.resolve("missing.cfg").toString(), "--save-to", dir.resolve("x.mtp").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing.cfg: file not found"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        Files.writeString(dir.resolve("broken.cfg"), Files.readString(data).replaceFirst("Energy\\s+\\S+", "Energy\n   abc"));
        r = run("train", tpl, dir.resolve("broken.cfg").toString(), "--save-to", dir.resolve("x.mtp").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("broken.cfg:"), r.err());
    }

    @Test
    void resumeRefusesChangedOptions(@TempDir Path dir) throws Exception {
        Path data = smallSet(dir);
        String pot = TestData.data("reference/mlip3_training/trained10_MoNbTa.almtp").toString();
        Path out = dir.resolve("c.mtp");
        Potential p = PotentialFiles.read(Path.of(pot));
        TrainingOptions o = new TrainingOptions();
        o.iterationLimit = 20;
        o.stopAfterIterations = 3;
        o.threads = 1;
        Path ckpt = dir.resolve("c.ckpt");
        try (Trainer t = new Trainer(p, CfgFiles.read(data), data.toString(), data, null, null, null, o, s -> {})) {
            t.setCheckpointPath(ckpt);
            assertThrows(Trainer.Interrupted.class, t::run);
        }
        Run r = run("train", pot, data.toString(), "--save-to", out.toString(), "--resume", ckpt.toString(), "--force-weight", "0.1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--force-weight differ from the checkpointed run"), r.err());
        r = run("train", pot, data.toString(), "--save-to", out.toString(), "--resume", ckpt.toString(), "--no-plots", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resumed at MAIN_BFGS step 3"), r.out());
        assertTrue(Files.isRegularFile(out));
    }
}
