package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    static final String MIN = "[potential]\nfile = \"pot.mtp\"\nspecies = [\"Nb\", \"Mo\", \"Ta\", \"W\"]\n";

    @Test void defaultsAndQuick(@TempDir Path dir) {
        DuctilityConfig c = DuctilityConfig.parse(MIN, dir);
        assertEquals(dir.resolve("pot.mtp"), c.potential);
        assertEquals(66, c.compositions().size());
        assertEquals(10000, c.atoms);
        assertEquals(dir.resolve("run"), c.outputDir);
        DuctilityConfig q = c.quick();
        assertEquals(2000, q.atoms);
        assertEquals(15, q.compositions().size());
        assertEquals(1, q.realisations);
        assertEquals(dir.resolve("run-quick"), q.outputDir);
        assertTrue(q.isQuick);
        assertEquals(1.26, c.criticalD);
        assertEquals(1.03, c.ductileBelow);
    }

    @Test void overridesAndExplicitCompositions(@TempDir Path dir) {
        DuctilityConfig c = DuctilityConfig.parse(MIN + "[grid]\ncompositions = [\"Mo10Nb45Ta45\"]\n[cells]\natoms = 500\n"
                + "[quick]\natoms = 300\nstep = 0.5\n[extrapolation]\nenabled = \"auto\"\nselect = 3\nbreak = 12\n", dir);
        assertEquals(1, c.compositions().size());
        assertEquals(500, c.atoms);
        assertEquals(3.0, c.select);
        assertEquals(null, c.extrapolation);
        assertEquals(6, c.quick().compositions().size());
        assertEquals(300, c.quick().atoms);
    }

    @Test void periodicCut(@TempDir Path dir) {
        DuctilityConfig c = DuctilityConfig.parse(MIN + "[active_learning]\ncut = \"periodic\"\ncut_cutoff = 7.5\n", dir);
        assertEquals("periodic", c.activeLearning.cut);
        assertEquals(7.5, c.activeLearning.cutCutoff);
    }

    @Test void probesAndAccuracyCheck(@TempDir Path dir) {
        ActiveLearningConfig d = DuctilityConfig.parse(MIN, dir).activeLearning;
        assertTrue(!d.initialProbes && !d.accuracyCheck, "both off by default");
        assertEquals(0.05, d.accuracyCij);
        assertEquals(0.05, d.accuracyGamma);
        assertEquals(0.01, d.probeRattle);
        assertEquals(1, d.probeStrains.length);
        assertEquals(3, d.probeShifts.length);
        ActiveLearningConfig c = DuctilityConfig.parse(MIN + "[active_learning]\ninitial_probes = true\naccuracy_check = true\n"
                + "probe_strains = [0.005, 0.01]\nprobe_shifts = [0.25, 0.5]\nprobe_rattle = 0\naccuracy_cij = 0.1\naccuracy_gamma = 0.03\n", dir).activeLearning;
        assertTrue(c.initialProbes && c.accuracyCheck);
        assertEquals(0.01, c.probeStrains[1]);
        assertEquals(0.25, c.probeShifts[0]);
        assertEquals(0.0, c.probeRattle);
        assertEquals(0.1, c.accuracyCij);
        assertEquals(0.03, c.accuracyGamma);
        String[][] bad = {
                {"probe_strains = [0.005, -0.01]", "active_learning.probe_strains"},
                {"probe_strains = []", "active_learning.probe_strains"},
                {"probe_strains = 0.005", "active_learning.probe_strains must be an array"},
                {"probe_shifts = [0.3, 1.2]", "active_learning.probe_shifts"},
                {"probe_shifts = [0.0]", "active_learning.probe_shifts"},
                {"probe_rattle = -0.01", "active_learning.probe_rattle"},
                {"accuracy_cij = 0", "active_learning.accuracy_cij"},
                {"accuracy_gamma = -1", "active_learning.accuracy_gamma"},
                {"accuracy_check = \"yes\"", "active_learning.accuracy_check must be true or false"},
                {"initial_probes = true\ninitial_max_atoms = 20", "active_learning.initial_max_atoms must be >= 24"},
                {"initial_max_atoms = 23", "active_learning.initial_max_atoms must be >= 24"},
        };
        for (String[] b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DuctilityConfig.parse(MIN + "[active_learning]\n" + b[0] + "\n", dir), b[0]);
            assertTrue(e.getMessage().contains(b[1]), b[0] + " -> " + e.getMessage());
        }
    }

    /** The documented defaults file and the active-learning example parse, and list the defaults the code has. */
    @Test void exampleFilesParse() {
        Path ex = Path.of("../examples/monbta-ductility");
        ActiveLearningConfig d = DuctilityConfig.read(ex.resolve("ductility.toml")).activeLearning;
        ActiveLearningConfig code = DuctilityConfig.parse(MIN, ex).activeLearning;
        assertEquals(code.enabled, d.enabled);
        assertEquals(code.initialProbes, d.initialProbes);
        assertEquals(code.accuracyCheck, d.accuracyCheck);
        assertTrue(java.util.Arrays.equals(code.probeStrains, d.probeStrains) && java.util.Arrays.equals(code.probeShifts, d.probeShifts));
        assertEquals(code.probeRattle, d.probeRattle);
        assertEquals(code.accuracyCij, d.accuracyCij);
        assertEquals(code.accuracyGamma, d.accuracyGamma);
        assertEquals(code.maxRounds, d.maxRounds);
        assertEquals(code.initialConfigurations, d.initialConfigurations);
        assertEquals(code.initialMaxAtoms, d.initialMaxAtoms);
        assertTrue(DuctilityConfig.read(ex.resolve("ductility-al.toml")).activeLearning.enabled);
        ActiveLearningConfig acc = DuctilityConfig.read(ex.resolve("ductility-al-accuracy.toml")).activeLearning;
        assertTrue(acc.enabled && acc.initialProbes && acc.accuracyCheck);
        assertEquals("periodic", acc.cut);
        assertTrue(java.util.Arrays.equals(new double[]{0.002, 0.005}, acc.probeStrains));
        ActiveLearningConfig l16 = DuctilityConfig.read(ex.resolve("ductility-al-accuracy-l16.toml")).activeLearning;
        assertTrue(l16.enabled && l16.initialProbes && l16.accuracyCheck);
        assertEquals(16, l16.level);
        assertEquals(600, l16.iterationLimit);
    }

    @Test void badInputGivesOneClearMessage(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DuctilityConfig.parse(MIN + "[cells]\natom = 5\n", dir));
        assertTrue(e.getMessage().contains("cells.atom") && e.getMessage().contains("unknown option"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DuctilityConfig.parse("[potential]\nfile = \"x\"\n", dir));
        assertTrue(e.getMessage().contains("potential.species"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DuctilityConfig.parse(MIN + "[grid]\nstep = 0.3\n", dir));
        assertTrue(e.getMessage().contains("does not divide"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DuctilityConfig.parse(MIN + "[cells]\natoms = \"many\"\n", dir));
        assertTrue(e.getMessage().contains("cells.atoms must be an integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DuctilityConfig.parse(MIN + "[gsf]\nshifts = [0.1, 0.5]\n", dir));
        assertTrue(e.getMessage().contains("gsf.shifts"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DuctilityConfig.parse(MIN + "[extrapolation]\nselect = 5\nbreak = 2\n", dir));
        assertTrue(e.getMessage().contains("select < break"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DuctilityConfig.parse(MIN + "[active_learning]\ncut = \"sphere\"\n", dir));
        assertTrue(e.getMessage().contains("\"cluster\" or \"periodic\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DuctilityConfig.parse(MIN + "[active_learning]\ncut = \"periodic\"\ncut_cutoff = 4.0\n", dir));
        assertTrue(e.getMessage().contains("larger than training.max_dist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DuctilityConfig.parse(MIN + "this is = not toml [", dir));
        assertTrue(e.getMessage().contains("not valid TOML"), e.getMessage());
    }
}
