package org.mtpjava.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.InputFileException;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    static final String TEMPLATE10 = "reference/mlip3_training/template10_3sp.almtp";
    static final String TRAINED10 = "reference/mlip3_training/trained10_MoNbTa.almtp";
    static final String TRAIN40 = "reference/inputs/train_MoNbTa_40.cfg";

    static Trainer trainer(String pot, List<Configuration> data, TrainingOptions o, List<String> log) {
        Potential p = PotentialFiles.read(TestData.data(pot));
        return new Trainer(p, data, "train", null, null, null, null, o, log::add);
    }

    /** Losses of MLIP-3's log, pre-training then main training. */
    static List<Double> mlipLosses(String log) throws IOException {
        List<Double> out = new ArrayList<>();
        Pattern p = Pattern.compile("^BFGS iter (\\d+): f=([0-9.e+-]+)");
        for (String line : Files.readAllLines(TestData.data(log))) {
            Matcher m = p.matcher(line);
            if (m.find()) out.add(Double.parseDouble(m.group(2)));
        }
        return out;
    }

    @Test
    void reproducesMlip3TrainingLogIterationByIteration() throws IOException {
        List<Configuration> data = CfgFiles.read(TestData.data(TRAIN40));
        TrainingOptions o = new TrainingOptions();
        o.iterationLimit = 3;
        o.threads = 2;
        List<String> log = new ArrayList<>();
        try (Trainer t = trainer(TEMPLATE10, data, o, log)) {
            assertTrue(t.setupReport().contains("min_dist 2 -> 2.1632559"), t.setupReport());
            t.run();
            List<Trainer.Iteration> h = t.history();
            List<Double> ref = mlipLosses("reference/mlip3_training/train10_cfgmode_stdout.log");
            assertEquals(75 + 3, h.size());
            for (int i = 0; i < h.size(); i++) {
                int refIndex = i < 75 ? i : i; // pre-training 0..74 then main 0..
                assertEquals(ref.get(refIndex), h.get(i).loss(), 2e-7 * ref.get(refIndex), "iteration " + i + " (MLIP prints 8 digits)");
            }
            // MLIP: "Rescaling to 0.1019606... done" at the end of pre-training
            String last = null;
            for (String m : log) {
                if (m.startsWith("Pre-training ended")) break;
                if (m.startsWith("Rescaling...")) last = m;
            }
            assertNotNull(last);
            assertTrue(last.endsWith("Rescaling to 0.1019606... done"), last);
        }
    }

    static TrainingOptions shortRun(int threads) {
        TrainingOptions o = new TrainingOptions();
        o.iterationLimit = 27; // passes the LinOptimize at step 25
        o.threads = threads;
        o.checkpointEvery = 0;
        return o;
    }

    static double[] trainTrained10(TrainingOptions o, List<Configuration> data) {
        try (Trainer t = trainer(TRAINED10, data, o, new ArrayList<>())) {
            t.run();
            double[] th = t.potential().parameters();
            double[] out = java.util.Arrays.copyOf(th, th.length + 1);
            out[th.length] = t.potential().scaling();
            return out;
        }
    }

    @Test
    void resultIsBitIdenticalForOneAndTwoThreads() {
        List<Configuration> data = CfgFiles.read(TestData.data(TRAIN40)).subList(0, 12);
        double[] a = trainTrained10(shortRun(1), data);
        double[] b = trainTrained10(shortRun(2), data);
        assertArrayEquals(a, b);
    }

    @Test
    void interruptAndResumeGivesTheUninterruptedResultBitForBit(@TempDir Path dir) {
        List<Configuration> data = CfgFiles.read(TestData.data(TRAIN40)).subList(0, 12);
        double[] uninterrupted = trainTrained10(shortRun(2), data);
        Path ckpt = dir.resolve("run.ckpt");
        TrainingOptions o = shortRun(2);
        o.stopAfterIterations = 17;
        try (Trainer t = trainer(TRAINED10, data, o, new ArrayList<>())) {
            t.setCheckpointPath(ckpt);
            assertThrows(Trainer.Interrupted.class, t::run);
        }
        assertTrue(Files.isRegularFile(ckpt));
        Trainer.Checkpoint c = Trainer.Checkpoint.read(ckpt);
        assertEquals(17, c.iterations());
        TrainingOptions controls = shortRun(1); // a different thread count on resume
        try (Trainer t = Trainer.resume(c, null, data, "train", null, null, null, null, controls, s -> {})) {
            t.run();
            double[] th = t.potential().parameters();
            double[] out = java.util.Arrays.copyOf(th, th.length + 1);
            out[th.length] = t.potential().scaling();
            assertArrayEquals(uninterrupted, out);
            assertEquals(27, t.history().size());
        }
    }

    @Test
    void resumeDuringPreTrainingOfAnUntrainedTemplate(@TempDir Path dir) {
        List<Configuration> data = CfgFiles.read(TestData.data(TRAIN40)).subList(0, 6);
        TrainingOptions o = shortRun(2);
        o.iterationLimit = 2;
        double[] full;
        try (Trainer t = trainer(TEMPLATE10, data, o, new ArrayList<>())) {
            t.run();
            full = t.potential().parameters();
        }
        Path ckpt = dir.resolve("pre.ckpt");
        TrainingOptions s = o.copy();
        s.stopAfterIterations = 30;
        try (Trainer t = trainer(TEMPLATE10, data, s, new ArrayList<>())) {
            t.setCheckpointPath(ckpt);
            assertThrows(Trainer.Interrupted.class, t::run);
        }
        Trainer.Checkpoint c = Trainer.Checkpoint.read(ckpt);
        assertEquals("PRE_BFGS", c.stageName());
        try (Trainer t = Trainer.resume(c, null, data, "train", null, null, null, null, o, x -> {})) {
            t.run();
            assertArrayEquals(full, t.potential().parameters());
        }
    }

    @Test
    void resumeRefusesOtherTrainingData(@TempDir Path dir) {
        List<Configuration> data = CfgFiles.read(TestData.data(TRAIN40)).subList(0, 10);
        Path ckpt = dir.resolve("x.ckpt");
        TrainingOptions o = shortRun(1);
        o.stopAfterIterations = 2;
        try (Trainer t = trainer(TRAINED10, data, o, new ArrayList<>())) {
            t.setCheckpointPath(ckpt);
            assertThrows(Trainer.Interrupted.class, t::run);
        }
        Trainer.Checkpoint c = Trainer.Checkpoint.read(ckpt);
        List<Configuration> other = CfgFiles.read(TestData.data(TRAIN40)).subList(0, 11);
        InputFileException e = assertThrows(InputFileException.class,
                () -> Trainer.resume(c, null, other, "other.cfg", null, null, null, null, shortRun(1), x -> {}));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------
    // bad data

    static Path writeCfg(Path dir, String name, List<Configuration> cfgs) {
        Path f = dir.resolve(name);
        CfgFiles.write(f, cfgs, CfgFiles.Precision.LOSSLESS);
        return f;
    }

    static String errorOf(Path dir, List<Configuration> cfgs, TrainingOptions o, String pot) {
        Path f = writeCfg(dir, "bad.cfg", cfgs);
        List<Configuration> read = CfgFiles.read(f);
        Potential p = PotentialFiles.read(TestData.data(pot));
        InputFileException e = assertThrows(InputFileException.class,
                () -> new Trainer(p, read, f.toString(), f, null, null, null, o, s -> {}).close());
        return e.getMessage();
    }

    @Test
    void missingEnergyIsAnErrorNamingFileLineAndConfiguration(@TempDir Path dir) throws IOException {
        List<Configuration> cfgs = new ArrayList<>();
        for (Configuration c : CfgFiles.read(TestData.data(TRAIN40)).subList(0, 3)) cfgs.add(c.copy());
        cfgs.get(1).clearEnergy();
        String m = errorOf(dir, cfgs, new TrainingOptions(), TEMPLATE10);
        int line = Files.readAllLines(dir.resolve("bad.cfg")).indexOf("BEGIN_CFG") + 1;
        assertTrue(m.contains("bad.cfg:") && m.contains("configuration 2: no energy"), m);
        assertFalse(m.contains("Exception"), m);
        // the BEGIN_CFG line of the second configuration
        List<String> lines = Files.readAllLines(dir.resolve("bad.cfg"));
        int second = -1, seen = 0;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).strip().equals("BEGIN_CFG") && ++seen == 2) second = i + 1;
        assertTrue(m.contains(":" + second + ":"), m + " (expected line " + second + ", first at " + line + ")");
        // allowed as in MLIP with --allow-missing, or with energy weight 0
        TrainingOptions o = new TrainingOptions();
        o.allowMissing = true;
        Potential p = PotentialFiles.read(TestData.data(TEMPLATE10));
        new Trainer(p, CfgFiles.read(dir.resolve("bad.cfg")), "bad.cfg", dir.resolve("bad.cfg"), null, null, null, o, s -> {}).close();
    }

    @Test
    void missingForcesIsAnError(@TempDir Path dir) {
        List<Configuration> cfgs = new ArrayList<>();
        for (Configuration c : CfgFiles.read(TestData.data(TRAIN40)).subList(0, 3)) cfgs.add(c.copy());
        cfgs.get(2).setForces(null);
        String m = errorOf(dir, cfgs, new TrainingOptions(), TEMPLATE10);
        assertTrue(m.contains("configuration 3: no forces"), m);
    }

    @Test
    void overlappingAtomsAreAnError(@TempDir Path dir) {
        List<Configuration> cfgs = new ArrayList<>();
        for (Configuration c : CfgFiles.read(TestData.data(TRAIN40)).subList(0, 2)) cfgs.add(c.copy());
        double[] x = cfgs.get(1).positions();
        x[3] = x[0] + 0.01;
        x[4] = x[1];
        x[5] = x[2];
        String m = errorOf(dir, cfgs, new TrainingOptions(), TEMPLATE10);
        assertTrue(m.contains("configuration 2: atoms 1 and 2 are 0.01 A apart"), m);
    }

    @Test
    void speciesOfTheValidationSetMustBeInThePotential(@TempDir Path dir) {
        List<Configuration> train = new ArrayList<>();
        for (Configuration c : CfgFiles.read(TestData.data(TRAIN40))) if (allOfType(c, 0)) train.add(c.copy());
        assertFalse(train.isEmpty());
        List<Configuration> valid = new ArrayList<>();
        valid.add(CfgFiles.read(TestData.data(TRAIN40)).get(0).copy());
        Path vf = writeCfg(dir, "valid.cfg", valid);
        Potential p = PotentialFiles.read(TestData.data(TEMPLATE10));
        InputFileException e = assertThrows(InputFileException.class,
                () -> new Trainer(p, train, "train", null, CfgFiles.read(vf), vf.toString(), vf, new TrainingOptions(), s -> {}).close());
        assertTrue(e.getMessage().contains("valid.cfg") && e.getMessage().contains("configuration 1: atom")
                && e.getMessage().contains("which the potential does not have"), e.getMessage());
    }

    static boolean allOfType(Configuration c, int t) {
        for (int x : c.types()) if (x != t) return false;
        return true;
    }

    @Test
    void speciesOfATrainedPotentialMissingFromTheDataIsAnError() {
        List<Configuration> train = new ArrayList<>();
        for (Configuration c : CfgFiles.read(TestData.data(TRAIN40))) if (allOfType(c, 0)) train.add(c);
        Potential p = PotentialFiles.read(TestData.data(TRAINED10));
        InputFileException e = assertThrows(InputFileException.class,
                () -> new Trainer(p, train, "mo.cfg", null, null, null, null, new TrainingOptions(), s -> {}).close());
        assertTrue(e.getMessage().contains("species 1 of the potential does not occur in mo.cfg"), e.getMessage());
    }

    @Test
    void untrainedTemplateIsRebuiltWithTheSpeciesOfTheData() {
        List<Configuration> train = new ArrayList<>();
        for (Configuration c : CfgFiles.read(TestData.data(TRAIN40))) if (allOfType(c, 0)) train.add(c);
        Potential p = PotentialFiles.read(TestData.data(TEMPLATE10));
        TrainingOptions o = new TrainingOptions();
        o.iterationLimit = 0;
        try (Trainer t = new Trainer(p, train, "mo.cfg", null, null, null, null, o, s -> {})) {
            assertEquals(1, p.speciesCount());
            assertArrayEquals(new int[]{0}, p.speciesLabels());
            assertEquals(8 * 3 + 1 + 16, p.parameterCount());
        }
    }
}
