package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop's accuracy stage with the stand-in oracle command (a child JVM) and no LAMMPS: labelling, table, resume, additions. */
class AccuracyStageTest {
    static final List<Composition> COMPS = List.of(Composition.parse("Mo25Nb50Ta25"), Composition.parse("Mo0Nb100Ta0"));
    static final int[] SPECIES = {1, 0, 2};

    @Test void labelsOnceWritesTheTableAndAddsTheFailingProbes(@TempDir Path dir) throws Exception {
        String toml = "[lammps]\njar = \"none.jar\"\n[output]\ndir = \"out\"\n"
                + "[oracle]\ncommand = \"" + OracleTest.standIn().replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n"
                + "[training]\nspecies = [\"Nb\", \"Mo\", \"Ta\"]\n"
                + "[active_learning]\nenabled = true\naccuracy_check = true\ninitial_max_atoms = 54\n";
        DuctilityConfig cfg = DuctilityConfig.parse(toml, dir);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ActiveLearningLoop loop = new ActiveLearningLoop(cfg, log, (p, t, o, d) -> { throw new AssertionError("no training here"); });
        Files.createDirectories(loop.roundDir(0));
        // the "learned" potential: a level-10 fit that is not the oracle
        Files.copy(TestData.data("reference/mlip3_training/trained10_MoNbTa.almtp"), loop.potential(0));
        AccuracyCheck.Result r = loop.accuracy(0, COMPS, List.of(), SPECIES);
        assertEquals(18, r.probes());
        assertFalse(r.passed());
        Path table = dir.resolve("out/al/accuracy-round-0.csv");
        List<String> first = Files.readAllLines(table);
        assertEquals(13, first.size());
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("accuracy check on 18 probes"), bytes.toString(StandardCharsets.UTF_8));

        // resume: the labels are read back, the oracle is not called again, the table is the same
        Path oracleDir = loop.roundDir(0).resolve("accuracy/oracle");
        deleteTree(oracleDir);
        AccuracyCheck.Result again = loop.accuracy(0, COMPS, List.of(), SPECIES);
        assertFalse(Files.exists(oracleDir), "no new oracle call");
        assertEquals(first, Files.readAllLines(table));
        assertEquals(r.failing(), again.failing());

        // another round's probes are other cells
        Files.createDirectories(loop.roundDir(1));
        Files.copy(loop.potential(0), loop.potential(1));
        loop.accuracy(1, COMPS, List.of(), SPECIES);
        List<Configuration> g0 = CfgFiles.read(loop.roundDir(0).resolve("accuracy/generated.cfg"));
        List<Configuration> g1 = CfgFiles.read(loop.roundDir(1).resolve("accuracy/generated.cfg"));
        assertFalse(java.util.Arrays.equals(g0.get(0).positions(), g1.get(0).positions()));

        // the failing compositions' probes join the training set once, tagged with the round
        Configuration seed = g0.get(0).copy();
        seed.setEnergy(-1);
        CfgFiles.write(loop.trainingSet(), List.of(seed), CfgFiles.Precision.LOSSLESS);
        loop.addProbes(0, r);
        loop.addProbes(0, r);
        List<Configuration> train = CfgFiles.read(loop.trainingSet());
        assertEquals(1 + 9 * r.failing().size(), train.size());
        for (Configuration c : train.subList(1, train.size())) {
            assertEquals("0", c.features().get("al_round"));
            assertTrue(r.failing().contains(PropertyProbes.Tag.of(c).composition()));
            assertTrue(c.hasEnergy() && c.hasForces() && c.hasStress());
        }
    }

    @Test void anOracleThatLabelsNothingStops(@TempDir Path dir) throws Exception {
        String toml = "[lammps]\njar = \"none.jar\"\n[output]\ndir = \"out\"\n[oracle]\ncommand = \"exit 1 # {in} {out}\"\n"
                + "[active_learning]\nenabled = true\naccuracy_check = true\n";
        DuctilityConfig cfg = DuctilityConfig.parse(toml, dir);
        ActiveLearningLoop loop = new ActiveLearningLoop(cfg, new PrintStream(new ByteArrayOutputStream()), (p, t, o, d) -> { });
        Files.createDirectories(loop.roundDir(0));
        Files.copy(TestData.data("reference/mlip3_training/trained10_MoNbTa.almtp"), loop.potential(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.accuracy(0, COMPS, List.of(), SPECIES));
        assertTrue(e.getMessage().contains("labelled none of the accuracy probes"), e.getMessage());
        assertTrue(Files.readString(loop.roundDir(0).resolve("accuracy/oracle-failures.txt")).contains("exited with status 1"));
    }

    private static void deleteTree(Path d) throws Exception {
        try (var s = Files.walk(d)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
