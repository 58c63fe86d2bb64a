package org.mtpjava.magnetic;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Magnetic features of the command line: relax, train on the real Fe-Al sample, and one-line input errors. */
class MagneticCliTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String data(String rel) { return TestData.data(rel).toString(); }

    static final String POT = "reference/mlip3_magnetic/al_fe_mag.mtpr";
    static final String IN = "reference/mlip3_magnetic/al_fe_mag_input.cfg";
    static final String FEAL = "feal_magnetic_mtp_sample/FeAl_mag_2cfgs_from_potdata_tests.cfg";
    static final String TEMPLATE = "reference/mlip3_magnetic/fe_mag_untrained_template.mtp";

    @Test
    void relaxWritesStatusFeaturesAndReliability() throws Exception {
        Path out = tmp.resolve("relaxed.cfg");
        Run r = run("relax", data(POT), data(IN), out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        List<Configuration> got = CfgFiles.read(out);
        assertEquals(1, got.size());
        assertEquals("relaxation_OK", got.get(0).features().get("from"));
        assertNotNull(got.get(0).magneticForces());
        assertTrue(r.out().contains("relaxation reliability: 1 of 1 structures (100.0 %)"), r.out());
        // moments only (positions and cell held)
        Path out2 = tmp.resolve("moments.cfg");
        Run m = run("relax", data(POT), data(IN), out2.toString(), "--force-tolerance", "0", "--stress-tolerance", "0", "--threads", "1");
        assertEquals(0, m.code(), m.err());
        Configuration a = CfgFiles.read(Path.of(data(IN))).get(0), b = CfgFiles.read(out2).get(0);
        assertArrayEquals(a.positions(), b.positions(), 1e-6);
        assertArrayEquals(a.lattice(), b.lattice(), 1e-6);
        // nothing to relax is a usage error
        Run bad = run("relax", data(POT), data(IN), tmp.resolve("x.cfg").toString(), "--force-tolerance", "0", "--stress-tolerance", "0",
                "--magnetic-force-tolerance", "0");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("no relaxation activated"), bad.err());
    }

    @Test
    void momentOutsideTheIntervalIsOneClearError() throws Exception {
        List<Configuration> cfgs = CfgFiles.read(Path.of(data(IN)));
        cfgs.get(0).magneticMoments()[3 * 4] = 3.5; // interval is [-1.3, 3.1]
        Path in = tmp.resolve("outside.cfg");
        CfgFiles.write(in, cfgs, CfgFiles.Precision.LOSSLESS);
        Path out = tmp.resolve("o.cfg");
        Run r = run("calculate-efs", data(POT), in.toString(), out.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("atom 5 has magnetic moment 3.5 muB, outside the potential's magnetic interval [-1.3, 3.1]"), r.err());
        assertFalse(Files.exists(out), "no partial output");
        Run ok = run("calculate-efs", data(POT), in.toString(), out.toString(), "--magnetic-extrapolation");
        assertEquals(0, ok.code(), ok.err());
        Run ce = run("check-errors", data(POT), in.toString());
        assertEquals(2, ce.code());
        assertTrue(ce.err().contains("outside the potential's magnetic interval"), ce.err());
    }

    /** generate-basis with a magnetic basis writes MLIP-3's magnetic template layout (level 16 = the shipped template). */
    @Test
    void generateBasisWritesAMagneticTemplate() throws Exception {
        Path out = tmp.resolve("gen.mtp");
        Run r = run("generate-basis", out.toString(), "--level", "16", "--radial-basis-size", "4", "--min-dist", "2.4",
                "--magnetic-basis-size", "2", "--magnetic-range", "-2.5", "2.5");
        assertEquals(0, r.code(), r.err());
        Potential g = PotentialFiles.read(out), t = PotentialFiles.read(Path.of(data(TEMPLATE)));
        assertFalse(g.isTrained());
        assertEquals(t.basis(), g.basis(), "same moment basis as MLIP-3's level-16 magnetic template");
        assertEquals(t.magneticBasis(), g.magneticBasis());
        assertEquals(t.radialBasisSize(), g.radialBasisSize());
        assertEquals(t.radialFunctionsCount(), g.radialFunctionsCount());
        // M = 3 and 4 for other levels; .mmtp (motep's layout) reads back the same
        for (String[] lm : new String[][]{{"8", "3"}, {"10", "4"}}) {
            Path mm = tmp.resolve("gen" + lm[0] + ".mmtp");
            assertEquals(0, run("generate-basis", mm.toString(), "--level", lm[0], "--species", "2", "--magnetic-basis-size", lm[1],
                    "--magnetic-range", "-3", "3").code());
            Potential p = PotentialFiles.read(mm);
            assertEquals(Integer.parseInt(lm[1]), p.magneticSize());
            assertEquals(4 * p.radialFunctionsCount() * p.radialBasisSize() * p.magneticSize() * p.magneticSize() + 2 + p.basis().scalarCount(),
                    p.parameterCount());
        }
    }

    @Test
    void magneticForceWeightNeedsAMagneticPotential() {
        Run r = run("train", data("mlip_reference_kit/testvectors/L08_init_template.almtp"), data("mlip_reference_kit/testvectors/L08_train400.cfg"),
                "--save-to", tmp.resolve("p.mtp").toString(), "--magnetic-force-weight", "0.1", "--iteration-limit", "1", "--no-plots");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--magnetic-force-weight 0.1 needs a magnetic potential"), r.err());
    }

    /** The real Fe-Al cDFT sample (MLIP magnetic cfg with en_der_mx) trains as it is, with and without magnetic forces. */
    @Test
    void feAlSampleTrainsWithoutConversion() throws Exception {
        for (String wm : new String[]{"0", "0.05"}) {
            Path out = tmp.resolve("feal_" + wm + ".mtp");
            Run r = run("train", data(TEMPLATE), data(FEAL), "--save-to", out.toString(), "--iteration-limit", "5", "--no-plots",
                    "--magnetic-force-weight", wm, "--threads", "1", "--quiet", "--skip-preinit");
            assertEquals(0, r.code(), r.err() + r.out());
            assertTrue(r.out().contains("magnetic interval [-2.5, 2.5] kept (moments of the training set span [-0.072714, 2.27972])"), r.out());
            Potential p = PotentialFiles.read(out);
            assertTrue(p.isMagnetic() && p.isTrained());
            assertEquals(2, p.speciesCount());
            assertTrue(r.out().contains("magnetic force (eV/muB)            32"), r.out());
        }
        // widening: a template with a narrow interval gets [min, max] of the data
        Potential t = PotentialFiles.read(Path.of(data(TEMPLATE)));
        t.setMagneticBasis(new org.mtpjava.model.MagneticBasis(0.0, 1.0, 2));
        Path narrow = tmp.resolve("narrow.mtp");
        PotentialFiles.write(t, narrow);
        Path out = tmp.resolve("widened.mtp");
        Run r = run("train", narrow.toString(), data(FEAL), "--save-to", out.toString(), "--iteration-limit", "2", "--no-plots",
                "--auto-minmax-magmom", "--threads", "1", "--quiet", "--skip-preinit");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("magnetic interval [0, 1] -> [-0.072714, 2.27972]"), r.out());
        Potential w = PotentialFiles.read(out);
        assertEquals(-0.072714, w.magneticBasis().min(), 1e-12);
        assertEquals(2.27972, w.magneticBasis().max(), 1e-12);
    }
}
