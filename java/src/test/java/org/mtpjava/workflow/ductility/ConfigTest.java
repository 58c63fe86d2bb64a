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
