package org.mtpjava.al;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.al.loop.LearningLoop;
import org.mtpjava.al.loop.LoopConfig;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.InputFileException;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The loop's mechanics with in-process stand-ins for the external programs: "MD" walks through a fixed list of
 * configurations (the first 12 of grade_input.cfg), grading each with the round's potential and dumping those above select
 * (stopping at the first above break); the oracle labels with the published NbMoTaW MTP; "training" rebuilds the
 * active set on the grown training set (coefficients unchanged). Real LAMMPS/training: examples/active-learning.
 */
class LearningLoopTest {
    @TempDir Path tmp;

    static final List<Configuration> FRAMES = CfgFiles.read(TestData.data("reference/inputs/grade_input.cfg")).subList(0, 12);

    /** "MD": grade every frame; dump those above select; stop at the first above break. */
    static LearningLoop.MdEngine fakeMd(double select, double brk) {
        return (run, pot, dir, dump, round, seed) -> {
            Potential p = PotentialFiles.read(pot);
            ActiveSet as = ActiveSet.fromData(p.activeSet(), pot.toString());
            List<Configuration> saved = new ArrayList<>();
            double max = 0;
            boolean broke = false;
            try (RowCalculator rc = new RowCalculator(p, as, 1)) {
                for (Configuration f : FRAMES) {
                    Configuration c = f.copy();
                    c.clearComputed();
                    double g = rc.grades(c).grade();
                    max = Math.max(max, g);
                    if (g > select) {
                        c.features().put("MV_grade", ActiveLearning.formatGrade(g));
                        saved.add(c);
                    }
                    if (g > brk) {
                        broke = true;
                        break;
                    }
                }
            }
            if (!saved.isEmpty()) CfgFiles.write(dump, saved, CfgFiles.Precision.LOSSLESS);
            return new LearningLoop.MdOutcome(broke, max);
        };
    }

    static LearningLoop.Oracle referenceOracle(AtomicInteger calls, int failOnCall) {
        Potential ref = PotentialFiles.read(TestData.data("monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp"));
        return (in, out, dir) -> {
            if (calls.incrementAndGet() == failOnCall) throw new IllegalStateException("oracle interrupted (test)");
            List<Configuration> l = new ArrayList<>();
            try (EfsCalculator calc = new EfsCalculator(ref, 1)) {
                for (Configuration c : CfgFiles.read(in)) {
                    Configuration x = c.copy();
                    calc.computeInto(x);
                    x.setSiteEnergies(null);
                    l.add(x);
                }
            }
            CfgFiles.write(out, l, CfgFiles.Precision.LOSSLESS);
        };
    }

    static final LearningLoop.Fitter REBUILD = (pot, train, out, dir) -> {
        Potential p = PotentialFiles.read(pot);
        ActiveLearning.updateActiveSet(p, CfgFiles.read(train), SelectionWeights.NEIGHBOURHOOD_MODE, 2);
        PotentialFiles.write(p, out);
    };

    Path config(String extra) throws Exception {
        Path in = tmp.resolve("in.md");
        Files.writeString(in, "# template\n");
        Path toml = tmp.resolve("al.toml");
        Files.writeString(toml, """
                potential = "%s"
                training_set = "%s"
                work_dir = "work"
                max_rounds = 6
                [lammps]
                command = ["lmp"]
                select = 2.1
                break = 1000.0
                [[md]]
                name = "frames"
                input = "in.md"
                vars = { temp = "300" }
                [oracle]
                command = ["label", "{in}", "{out}"]
                """.formatted(TestData.data("reference/mlip3_training/trained10_MoNbTa_nbh.almtp"),
                TestData.data("reference/inputs/train_MoNbTa_40.cfg")) + extra);
        return toml;
    }

    @Test
    void loopConvergesAndResumesWithoutLosingLabelledData() throws Exception {
        LoopConfig cfg = LoopConfig.read(config(""));
        List<String> log = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        // first attempt: the oracle fails in round 1 (after round 0 was labelled, merged and trained)
        LearningLoop first = new LearningLoop(cfg, fakeMd(2.1, 1000), referenceOracle(calls, 2), REBUILD, 2, log::add);
        IllegalStateException e = assertThrows(IllegalStateException.class, first::run);
        assertTrue(e.getMessage().contains("oracle interrupted"));
        Path work = cfg.workDir();
        assertTrue(Files.readString(work.resolve("state.properties")).contains("phase=LABEL"));
        int afterRound0 = CfgFiles.read(work.resolve("train.cfg")).size();
        assertTrue(afterRound0 > 40, "round 0 added labelled configurations");

        // resumed: same folder, working oracle
        LearningLoop.Summary s = new LearningLoop(cfg, fakeMd(2.1, 1000), referenceOracle(calls, -1), REBUILD, 2, log::add).run();
        assertTrue(s.converged(), String.join("\n", log));
        assertTrue(s.rounds() >= 1 && s.rounds() <= 5, "rounds " + s.rounds());
        List<Configuration> train = CfgFiles.read(work.resolve("train.cfg"));
        // every labelled configuration once, with its round tag and the oracle's energy
        int labelled = 0;
        for (LearningLoop.RoundRecord r : s.records()) labelled += r.selected();
        assertEquals(40 + labelled, train.size(), "no labelled data lost or duplicated");
        long tagged = train.stream().filter(c -> c.features().containsKey("al_round")).count();
        assertEquals(labelled, tagged);
        for (Configuration c : train) assertTrue(c.hasEnergy() && c.hasForces());
        // the last round's MD saw nothing above select
        LearningLoop.RoundRecord last = s.records().get(s.records().size() - 1);
        assertEquals(0, last.candidates());
        assertTrue(last.maxGrade() <= 2.1, "max grade " + last.maxGrade());
        assertTrue(Files.size(work.resolve("rounds.png")) > 1000);
        assertEquals(s.records().size() + 1, Files.readAllLines(work.resolve("rounds.csv")).size());
        // running again does nothing more
        LearningLoop.Summary again = new LearningLoop(cfg, fakeMd(2.1, 1000), referenceOracle(calls, -1), REBUILD, 2, log::add).run();
        assertTrue(again.converged());
        assertEquals(train.size(), CfgFiles.read(work.resolve("train.cfg")).size());
    }

    @Test
    void breakThresholdStopsMdAndItsConfigurationIsKept() throws Exception {
        Path toml = config("");
        Files.writeString(toml, Files.readString(toml).replace("max_rounds = 6", "max_rounds = 1"));
        LoopConfig cfg = LoopConfig.read(toml);
        List<String> log = new ArrayList<>();
        // break at 5: the first frame (grade 89933) stops the "MD" at once, and it is the one configuration saved
        LearningLoop loop = new LearningLoop(cfg, fakeMd(2.1, 5), referenceOracle(new AtomicInteger(), -1), REBUILD, 2, log::add);
        LearningLoop.Summary s = loop.run();
        assertFalse(s.converged(), "max_rounds = 1: stopped after one retraining");
        assertTrue(String.join("\n", log).contains("max_rounds = 1 reached"));
        LearningLoop.RoundRecord r0 = s.records().get(0);
        assertEquals(1, r0.mdBroken());
        assertEquals(1, r0.candidates());
        assertEquals(1, r0.selected());
        assertTrue(r0.maxGrade() > 5);
        assertTrue(String.join("\n", log).contains("stopped at the break threshold"));
    }

    @Test
    void configErrorsNameTheKey() throws Exception {
        Path bad = config("[train]\nargs = [\"--save-to\", \"x\"]\n");
        InputFileException e = assertThrows(InputFileException.class, () -> LoopConfig.read(bad));
        assertTrue(e.getMessage().contains("--save-to"), e.getMessage());
        Path bad2 = tmp.resolve("bad2.toml");
        Files.writeString(bad2, Files.readString(config("")).replace("max_rounds = 6", "max_rounds = 6\nmax_round = 3"));
        InputFileException e2 = assertThrows(InputFileException.class, () -> LoopConfig.read(bad2));
        assertTrue(e2.getMessage().contains("unknown key 'max_round'"), e2.getMessage());
        Path bad3 = tmp.resolve("bad3.toml");
        Files.writeString(bad3, Files.readString(config("")).replace("[\"lmp\"]", "[\"${NO_SUCH_VARIABLE_X}\"]"));
        InputFileException e3 = assertThrows(InputFileException.class, () -> LoopConfig.read(bad3, Map.<String, String>of()::get));
        assertTrue(e3.getMessage().contains("NO_SUCH_VARIABLE_X"), e3.getMessage());
    }
}
