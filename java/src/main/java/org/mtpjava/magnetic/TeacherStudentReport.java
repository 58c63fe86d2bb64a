package org.mtpjava.magnetic;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.eval.ErrorStatistics;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The acceptance table of the teacher-student test (issue 9): for each student potential, the test-set RMSE of
 * the energy per atom against 1 % of the spread (max - min) of the teacher's energies per atom, and of the force
 * components and magnetic forces dE/dm against 5 % of their standard deviations.
 *
 * <pre>
 *   java -cp mtpjava.jar org.mtpjava.magnetic.TeacherStudentReport TEST.cfg LABEL:POTENTIAL.mtp ...
 * </pre>
 * prints a Markdown table; the exit code is 0 when the last student (trained with w_m &gt; 0) meets the targets and its
 * magnetic-force RMSE is below the first one's (the w_m = 0 baseline, MLIP-3's loss, whose pass/fail marks are
 * printed but do not decide the exit code: the acceptance asks for one student that meets the targets and for
 * w_m &gt; 0 to improve on w_m = 0). A row labelled
 * {@code teacher} is printed as a check (its errors are 0) and not judged. A file whose name ends in
 * {@code .checkpoint} is a training checkpoint of a run that has not finished: its potential at that iteration is
 * judged, the label says the stage and the BFGS iteration count, and {@code --write-checkpoint-potentials} saves it
 * next to the checkpoint as {@code NAME.itN.mtp} (for MD with a student whose training was stopped).
 */
public final class TeacherStudentReport {
    private TeacherStudentReport() {}

    /** Errors of one student. */
    public record Row(String label, double energyRmse, double forceRmse, double magneticRmse) {}

    /** Spread and deviations of the reference data. */
    public record Scale(double energySpread, double energyStd, double forceStd, double magneticStd) {}

    public static Scale scale(List<Configuration> test) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, s = 0, s2 = 0;
        int ne = 0;
        double fs = 0, fs2 = 0, ms = 0, ms2 = 0;
        long nf = 0, nm = 0;
        for (Configuration c : test) {
            double e = c.energy() / c.size();
            lo = Math.min(lo, e);
            hi = Math.max(hi, e);
            s += e;
            s2 += e * e;
            ne++;
            for (double f : c.forces()) {
                fs += f;
                fs2 += f * f;
                nf++;
            }
            double[] d = c.magneticForces();
            for (int i = 0; i < c.size(); i++) {
                ms += d[3 * i];
                ms2 += d[3 * i] * d[3 * i];
                nm++;
            }
        }
        return new Scale(hi - lo, std(s, s2, ne), std(fs, fs2, nf), std(ms, ms2, nm));
    }

    static double std(double s, double s2, long n) { return Math.sqrt(Math.max(0, s2 / n - (s / n) * (s / n))); }

    public static Row errors(String label, Potential p, List<Configuration> test, int threads) {
        ErrorStatistics st = new ErrorStatistics();
        try (EfsCalculator calc = new EfsCalculator(p, threads)) {
            for (Configuration ref : test) {
                Configuration pred = ref.copy();
                pred.clearComputed();
                MomentChecks.requireInsideInterval(p, pred, "");
                calc.computeInto(pred);
                st.add(ref, pred);
            }
        }
        return new Row(label, st.energyPerAtom().rmse(), st.forceComponent().rmse(), st.magneticComponent().rmse());
    }

    public static String table(Scale sc, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "| potential | energy RMSE (meV/atom) | / spread %.1f meV/atom (target <= 1 %%) | force RMSE (eV/A) "
                        + "| / std %.4f eV/A (target <= 5 %%) | magnetic-force RMSE (eV/muB) | / std %.5f eV/muB (target <= 5 %%) |%n",
                1000 * sc.energySpread(), sc.forceStd(), sc.magneticStd()));
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.2f %% %s | %.4f | %.2f %% %s | %.5f | %.2f %% %s |%n", r.label(),
                    1000 * r.energyRmse(), 100 * r.energyRmse() / sc.energySpread(), mark(r.energyRmse() <= 0.01 * sc.energySpread()),
                    r.forceRmse(), 100 * r.forceRmse() / sc.forceStd(), mark(r.forceRmse() <= 0.05 * sc.forceStd()),
                    r.magneticRmse(), 100 * r.magneticRmse() / sc.magneticStd(), mark(r.magneticRmse() <= 0.05 * sc.magneticStd())));
        }
        return sb.toString();
    }

    static String mark(boolean ok) { return ok ? "(pass)" : "(FAIL)"; }

    public static boolean accepted(Scale sc, List<Row> all) {
        List<Row> rows = all.stream().filter(r -> !r.label().equals("teacher")).toList();
        if (rows.size() < 2) return false;
        Row baseline = rows.get(0), student = rows.get(rows.size() - 1);
        return meetsTargets(sc, student) && student.magneticRmse() < baseline.magneticRmse();
    }

    /** Energy RMSE within 1 % of the spread, force and magnetic-force RMSE within 5 % of their deviations. */
    public static boolean meetsTargets(Scale sc, Row r) {
        return r.energyRmse() <= 0.01 * sc.energySpread() && r.forceRmse() <= 0.05 * sc.forceStd()
                && r.magneticRmse() <= 0.05 * sc.magneticStd();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** The command line of {@link #main}: 0 = all targets met, 1 = not met, 2 = bad usage. */
    public static int run(String[] args, java.io.PrintStream out) {
        List<String> a = new ArrayList<>(List.of(args));
        boolean writeCheckpointPotentials = a.remove("--write-checkpoint-potentials");
        if (a.size() < 2 || a.stream().skip(1).anyMatch(x -> !x.contains(":"))) {
            System.err.println("usage: TeacherStudentReport TEST.cfg LABEL:POTENTIAL.mtp|LABEL:RUN.checkpoint ... [--write-checkpoint-potentials]");
            return 2;
        }
        List<Configuration> test = CfgFiles.read(Path.of(a.get(0)));
        Scale sc = scale(test);
        List<Row> rows = new ArrayList<>();
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 1; i < a.size(); i++) {
            String[] kv = a.get(i).split(":", 2);
            Path file = Path.of(kv[1]);
            if (file.getFileName().toString().endsWith(".checkpoint")) {
                Trainer.Checkpoint c = Trainer.Checkpoint.read(file);
                Potential p = c.potential();
                rows.add(errors(kv[0] + " (checkpoint: " + c.stageName() + ", " + c.iterations() + " BFGS iterations)", p, test, threads));
                if (writeCheckpointPotentials) {
                    String name = file.getFileName().toString().replaceFirst("(\\.mtp)?\\.checkpoint$", "");
                    Path saved = file.resolveSibling(name + ".it" + c.iterations() + ".mtp");
                    PotentialFiles.write(p, saved);
                    System.err.println("potential of " + file + " -> " + saved);
                }
            } else {
                rows.add(errors(kv[0], PotentialFiles.read(file), test, threads));
            }
        }
        out.printf(Locale.ROOT, "test set: %d configurations; energy per atom spread %.2f meV/atom (std %.2f), force std %.4f eV/A, "
                + "magnetic-force std %.5f eV/muB%n%n", test.size(), 1000 * sc.energySpread(), 1000 * sc.energyStd(), sc.forceStd(), sc.magneticStd());
        out.print(table(sc, rows));
        boolean ok = accepted(sc, rows);
        out.println();
        List<Row> students = rows.stream().filter(r -> !r.label().equals("teacher")).toList();
        out.println(ok ? "teacher-student: accepted: the w_m > 0 student meets all targets and lowers the magnetic-force test error"
                : "teacher-student: NOT accepted: the w_m > 0 student must meet all targets and have a lower magnetic-force error than w_m = 0");
        if (!students.isEmpty()) {
            out.println("teacher-student: the w_m = 0 baseline (" + students.get(0).label() + ") "
                    + (meetsTargets(sc, students.get(0)) ? "meets" : "does not meet") + " all targets");
        }
        return ok ? 0 : 1;
    }
}
