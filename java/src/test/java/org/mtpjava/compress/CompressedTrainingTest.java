package org.mtpjava.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.train.Trainer;
import org.mtpjava.train.TrainingOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Compressed training through the unchanged {@link Trainer} (MLIP procedure, small budgets on 40 Mo-Nb-Ta
 * configurations): every method lowers the loss, keeps its representation (ranks grow only for mfra/tfra), and
 * the result written to a compressed file reads back with bitwise identical energies; {@code expand} gives the same
 * energies to round-off.
 */
class CompressedTrainingTest {
    static final String TEMPLATE = "reference/mlip3_training/template10_3sp.almtp";
    static final String TRAINED10 = "reference/mlip3_training/trained10_MoNbTa.almtp";
    static final String TRAIN40 = "reference/inputs/train_MoNbTa_40.cfg";

    @TempDir Path tmp;

    record Run(Potential potential, List<Trainer.Iteration> history, List<String> log) {}

    static Run train(String pot, String spec, int iterations, boolean skipPreinit) {
        Potential p = PotentialFiles.read(TestData.data(pot));
        p.setActiveSet(null);
        List<Configuration> data = CfgFiles.read(TestData.data(TRAIN40)).subList(0, 12);
        TrainingOptions o = new TrainingOptions();
        o.iterationLimit = iterations;
        o.tolerance = 0;
        o.threads = 2;
        o.checkpointEvery = 0;
        o.skipPreinit = skipPreinit;
        o.seed = 3;
        List<String> log = new ArrayList<>();
        if (spec != null) o.parameterMap = CompressedTraining.factory(CompressionSpec.parse(spec), o.seed, log::add);
        try (Trainer t = new Trainer(p, data, TRAIN40, TestData.data(TRAIN40), null, null, null, o, log::add)) {
            t.run();
            return new Run(t.potential(), t.history(), log);
        }
    }

    static double[] energies(Potential p, List<Configuration> cfgs) {
        double[] e = new double[cfgs.size()];
        try (EfsCalculator c = new EfsCalculator(p, 1)) {
            for (int i = 0; i < e.length; i++) e[i] = c.compute(cfgs.get(i)).energy();
        }
        return e;
    }

    static void assertLossDecreased(Run r) {
        List<Trainer.Iteration> h = r.history();
        assertTrue(h.size() > 5, "iterations run");
        assertTrue(h.get(h.size() - 1).loss() < 0.9 * h.get(0).loss(), "loss " + h.get(0).loss() + " -> " + h.get(h.size() - 1).loss());
    }

    @Test
    void mfAndTfFromScratchTrainAndRoundTrip() throws Exception {
        List<Configuration> cfgs = CfgFiles.read(TestData.data(TRAIN40)).subList(0, 8);
        for (String spec : new String[]{"mf:rank=3", "tf:ranks=3,4,3"}) {
            Run r = train(TEMPLATE, spec, 20, true);
            assertLossDecreased(r);
            Factorisation f = (Factorisation) r.potential().radialRepresentation();
            assertEquals(spec.startsWith("mf") ? "mf" : "tf", f.method());
            assertArrayEquals(f.dense(), r.potential().radialCoefficients(), 0.0, "dense c is exactly Phi(factors)");
            Path out = tmp.resolve(f.method() + ".mtp");
            PotentialFiles.write(r.potential(), out);
            String text = Files.readString(out);
            assertTrue(text.contains("radial_compression = " + f.method()) && !text.contains("radial_coeffs"), "compressed keys");
            Potential back = PotentialFiles.read(out);
            assertEquals(f.parameterCount(), back.radialParameterCount());
            double[] e0 = energies(r.potential(), cfgs), e1 = energies(back, cfgs);
            assertArrayEquals(e0, e1, 0.0, "17-digit factors read back exactly");
            // expand: plain file, same energies to round-off
            Path plain = tmp.resolve(f.method() + "_plain.mtp");
            assertEquals(0, org.mtpjava.cli.Main.run("expand", out.toString(), plain.toString()));
            Potential ex = PotentialFiles.read(plain);
            assertNull(ex.radialRepresentation());
            assertTrue(Files.readString(plain).contains("radial_coeffs"));
            double[] e2 = energies(ex, cfgs);
            for (int i = 0; i < e0.length; i++) assertEquals(e0[i], e2[i], 1e-10 * Math.abs(e0[i]));
        }
    }

    @Test
    void riemannianTrainingStaysOnTheManifold() {
        Run r = train(TEMPLATE, "rmf:rank=3", 20, true);
        assertLossDecreased(r);
        FixedRankMatrix x = (FixedRankMatrix) r.potential().radialRepresentation();
        Dense.Svd s = Dense.svd(x.matrixOf(r.potential().radialCoefficients()), x.rows(), x.cols());
        assertTrue(s.s()[3] < 1e-12 * s.s()[0], "rank 3: " + java.util.Arrays.toString(s.s()));
        assertArrayEquals(Dense.identity(3), Dense.mulAt(x.u(), x.u(), x.rows(), 3, 3), 1e-10);
    }

    @Test
    void rankAugmentationGrowsTheRankOnSchedule() {
        Run r = train(TEMPLATE, "mfra:rmin=1,rmax=3,every=8,step=1", 24, true);
        MatrixFactorisation f = (MatrixFactorisation) r.potential().radialRepresentation();
        assertEquals(3, f.rank());
        long aug = r.log().stream().filter(l -> l.startsWith("MFRA at BFGS iteration")).count();
        assertEquals(2, aug, String.join("\n", r.log()));
        assertTrue(r.log().stream().anyMatch(l -> l.contains("MFRA at BFGS iteration 8: rank 1 -> 2")));
        assertTrue(r.log().stream().anyMatch(l -> l.contains("MFRA at BFGS iteration 16: rank 2 -> 3")));
        // the line search never makes the loss worse
        for (String l : r.log()) {
            if (l.contains("line search for h")) {
                String[] t = l.substring(l.lastIndexOf("loss ") + 5).split(" -> ");
                assertTrue(Double.parseDouble(t[1]) <= Double.parseDouble(t[0]), l);
            }
        }
        assertLossDecreased(r);
    }

    @Test
    void rankAdaptiveTfRespectsTheBudget() {
        Run r = train(TRAINED10, "tfra:rmin=2,rmax=3,6,4,every=8,step=1,budget=80", 24, true);
        TensorTrain tt = (TensorTrain) r.potential().radialRepresentation();
        assertTrue(tt.parameterCount() <= 80, tt.describe());
        assertTrue(r.log().stream().anyMatch(l -> l.startsWith("TFRA at BFGS iteration")), String.join("\n", r.log()));
        int[] rk = tt.ranks();
        assertTrue(rk[0] + rk[1] + rk[2] > 6, tt.describe());
        assertTrue(r.log().stream().noneMatch(l -> l.startsWith("warning")), String.join("\n", r.log()));
        assertLossDecreased(r);
    }

    @Test
    void interruptedCompressedTrainingResumesBitForBit() {
        for (String spec : new String[]{"mf:rank=3", "mfra:rmin=2,rmax=4,every=6,step=1", "rmf:rank=3", "tf:ranks=3,3,3",
                "tfra:rmin=2,rmax=3,6,4,every=3,step=1,budget=80"}) {
            Run full = train(TRAINED10, spec, 14, true);
            Potential p = PotentialFiles.read(TestData.data(TRAINED10));
            p.setActiveSet(null);
            List<Configuration> data = CfgFiles.read(TestData.data(TRAIN40)).subList(0, 12);
            TrainingOptions o = new TrainingOptions();
            o.iterationLimit = 14;
            o.tolerance = 0;
            o.threads = 2;
            o.checkpointEvery = 0;
            o.skipPreinit = true;
            o.seed = 3;
            o.stopAfterIterations = 8;
            o.parameterMap = CompressedTraining.factory(CompressionSpec.parse(spec), o.seed, m -> {});
            Path ckpt = tmp.resolve("c.ckpt");
            try (Trainer t = new Trainer(p, data, TRAIN40, TestData.data(TRAIN40), null, null, null, o, m -> {})) {
                t.setCheckpointPath(ckpt);
                assertThrows(Trainer.Interrupted.class, t::run);
            }
            Trainer.Checkpoint c = Trainer.Checkpoint.read(ckpt);
            TrainingOptions controls = o.copy();
            controls.stopAfterIterations = -1;
            try (Trainer t = Trainer.resume(c, null, data, TRAIN40, TestData.data(TRAIN40), null, null, null, controls, m -> {})) {
                t.run();
                assertEquals(full.potential().radialRepresentation().getClass(), t.potential().radialRepresentation().getClass());
                double[] a = full.potential().parameters(), b = t.potential().parameters();
                if (spec.startsWith("rmf")) {
                    // R-MF resumes from the factorised text form of the point (U S V^T to round-off), not bit for bit
                    for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-6 * (1 + Math.abs(a[i])), spec + " " + i);
                } else {
                    assertArrayEquals(a, b, spec);
                }
            }
        }
    }

    @Test
    void fineTuningATrainedPotentialStartsFromTheTruncatedSvd() {
        Run r = train(TRAINED10, "mf:rank=4", 5, true);
        assertTrue(r.log().stream().anyMatch(l -> l.startsWith("compressed the trained potential by truncated SVD")), String.join("\n", r.log()));
        assertEquals(4, ((MatrixFactorisation) r.potential().radialRepresentation()).rank());
    }
}
