package org.mtpjava.magnetic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.train.Trainer;
import org.mtpjava.train.TrainingOptions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The teacher-student acceptance table: errors, targets, the w_m criterion and students read from checkpoints. */
class TeacherStudentReportTest {
    static final Path TEACHER = TestData.data("reference/mlip3_magnetic/al_fe_mag.mtpr");

    @Test
    void teacherHasZeroErrorAndAPerturbedStudentDoesNot() {
        Potential teacher = PotentialFiles.read(TEACHER);
        List<Configuration> test = TeacherData.generate(teacher, 4, 11, 1);
        TeacherStudentReport.Scale sc = TeacherStudentReport.scale(test);
        assertTrue(sc.energySpread() > 0 && sc.forceStd() > 0 && sc.magneticStd() > 0, sc.toString());
        TeacherStudentReport.Row self = TeacherStudentReport.errors("teacher", teacher, test, 1);
        assertEquals(0, self.energyRmse(), 1e-12);
        assertEquals(0, self.forceRmse(), 1e-12);
        assertEquals(0, self.magneticRmse(), 1e-12);

        Potential student = PotentialFiles.read(TEACHER);
        double[] rad = student.radialCoefficients().clone();
        for (int i = 0; i < rad.length; i++) rad[i] *= 1.02;
        student.setCoefficients(rad, student.speciesCoefficients().clone(), student.momentCoefficients().clone());
        TeacherStudentReport.Row off = TeacherStudentReport.errors("student", student, test, 1);
        assertTrue(off.energyRmse() > 0 && off.forceRmse() > 0 && off.magneticRmse() > 0, off.toString());

        // accepted only if the last student is within the targets and has a lower magnetic-force error than the first
        TeacherStudentReport.Row good0 = new TeacherStudentReport.Row("w_m = 0", 0.001 * sc.energySpread(), 0.01 * sc.forceStd(), 0.02 * sc.magneticStd());
        TeacherStudentReport.Row good1 = new TeacherStudentReport.Row("w_m = 1", 0.001 * sc.energySpread(), 0.01 * sc.forceStd(), 0.01 * sc.magneticStd());
        assertTrue(TeacherStudentReport.accepted(sc, List.of(self, good0, good1)));
        assertFalse(TeacherStudentReport.accepted(sc, List.of(self, good1, good0)), "w_m > 0 must lower the magnetic-force error");
        TeacherStudentReport.Row badForce = new TeacherStudentReport.Row("w_m = 1", 0.001 * sc.energySpread(), 0.06 * sc.forceStd(), 0.01 * sc.magneticStd());
        assertFalse(TeacherStudentReport.accepted(sc, List.of(good0, badForce)));
        // the w_m = 0 baseline is compared, not judged: a baseline outside the targets does not fail the test
        TeacherStudentReport.Row weakBaseline = new TeacherStudentReport.Row("w_m = 0", 0.001 * sc.energySpread(), 0.06 * sc.forceStd(), 0.07 * sc.magneticStd());
        assertTrue(TeacherStudentReport.accepted(sc, List.of(self, weakBaseline, good1)));
        assertFalse(TeacherStudentReport.meetsTargets(sc, weakBaseline));
        assertFalse(TeacherStudentReport.accepted(sc, List.of(self, good1)), "needs a baseline to compare with");
        String table = TeacherStudentReport.table(sc, List.of(self, badForce));
        assertTrue(table.contains("| teacher | 0.000 | 0.00 % (pass)"), table);
        assertTrue(table.contains("6.00 % (FAIL)"), table);
    }

    @Test
    void readsStudentsFromTrainingCheckpoints(@TempDir Path dir) throws Exception {
        Potential teacher = PotentialFiles.read(TEACHER);
        Path train = dir.resolve("train.cfg"), test = dir.resolve("test.cfg");
        CfgFiles.write(train, TeacherData.generate(teacher, 3, 1, 1), CfgFiles.Precision.LOSSLESS);
        CfgFiles.write(test, TeacherData.generate(teacher, 2, 2, 1), CfgFiles.Precision.LOSSLESS);
        Potential template = TeacherData.untrainedLike(teacher);
        TrainingOptions o = new TrainingOptions();
        o.iterationLimit = 50;
        o.stopAfterIterations = 3;
        o.threads = 1;
        Path ckpt = dir.resolve("student_wm0.mtp.checkpoint");
        try (Trainer t = new Trainer(template, CfgFiles.read(train), train.toString(), train, null, null, null, o, s -> {})) {
            t.setCheckpointPath(ckpt);
            assertThrows(Trainer.Interrupted.class, t::run);
        }
        int its = Trainer.Checkpoint.read(ckpt).iterations();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = TeacherStudentReport.run(new String[]{test.toString(), "teacher:" + TEACHER, "w_m = 0:" + ckpt,
                "--write-checkpoint-potentials"}, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String s = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, "one student cannot show the w_m criterion: " + s);
        assertTrue(s.contains("| w_m = 0 (checkpoint: ") && s.contains(its + " BFGS iterations)"), s);
        Path saved = dir.resolve("student_wm0.it" + its + ".mtp");
        assertTrue(Files.exists(saved), "checkpoint potential written");
        Potential p = PotentialFiles.read(saved);
        assertTrue(p.isMagnetic());
        assertEquals(teacher.parameterCount(), p.parameterCount());
        assertEquals(2, TeacherStudentReport.run(new String[]{test.toString()}, new PrintStream(buf, true, StandardCharsets.UTF_8)));
    }
}
