package org.mtpjava.workflow.ductility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code lmp_mtpjava -in in.lmp} in a task folder (through {@code mpirun -np N} for N > 1 ranks) with the
 * jar of this process on {@code MTPJAVA_CLASSPATH}, and reports how it ended: normally, stopped by the
 * extrapolation break threshold, or failed (with LAMMPS' own error line).
 *
 * @param lmp     the LAMMPS executable with PLUGIN
 * @param mpirun  launcher words for multi-rank runs (e.g. {@code mpirun --allow-run-as-root})
 * @param ranks   MPI ranks per run
 * @param jar     mtpjava jar the pair style loads
 * @param timeout seconds before the run is killed (0 = none)
 */
public record LammpsRunner(Path lmp, List<String> mpirun, int ranks, Path jar, long timeout) {
    public LammpsRunner {
        if (ranks < 1) throw new IllegalArgumentException("lammps.ranks must be >= 1");
        mpirun = List.copyOf(mpirun);
    }

    /** How a run ended. */
    public enum Status { OK, BREAK, FAILED }

    /**
     * @param status      how the run ended
     * @param message     LAMMPS' error line (or the reason for a failure), empty if OK
     * @param wallSeconds wall time of the run
     * @param maxGrade    largest extrapolation grade printed in the thermo output (0 without extrapolation)
     * @param pairSeconds time LAMMPS spent in the pair style (rank 0, from the timing breakdown), summed over runs
     * @param loopSeconds total LAMMPS loop time (summed over the runs of the input)
     * @param evaluations force evaluations of all minimisations
     */
    public record Outcome(Status status, String message, double wallSeconds, double maxGrade, double pairSeconds,
                          double loopSeconds, long evaluations) {}

    private static final Pattern BREAK = Pattern.compile("extrapolation grade ([0-9.eE+-]+) exceeds the break threshold");

    /** Runs the input already written in {@code dir}; output goes to {@code lammps.out} and {@code log.lammps}. */
    public Outcome run(Path dir) {
        List<String> cmd = new ArrayList<>();
        if (ranks > 1) {
            cmd.addAll(mpirun);
            cmd.add("-np");
            cmd.add(Integer.toString(ranks));
        }
        cmd.add(lmp.toString());
        cmd.add("-in");
        cmd.add(LammpsScripts.INPUT);
        cmd.add("-log");
        cmd.add(LammpsScripts.LOG);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve(LammpsScripts.OUTPUT).toFile());
        Map<String, String> env = pb.environment();
        env.put("MTPJAVA_CLASSPATH", jar.toString());
        env.put("OMP_NUM_THREADS", "1");
        long t0 = System.nanoTime();
        int exit;
        try {
            Process p = pb.start();
            Thread hook = killer(p);
            Runtime.getRuntime().addShutdownHook(hook);
            boolean done;
            try {
                done = timeout > 0 ? p.waitFor(timeout, TimeUnit.SECONDS) : p.waitFor(Long.MAX_VALUE, TimeUnit.DAYS);
            } finally {
                if (!done(p)) {
                    // interrupted: stop the run we started
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // the JVM is already shutting down; the hook stops the run
                }
            }
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return new Outcome(Status.FAILED, "LAMMPS did not finish within " + timeout + " s (lammps.timeout_minutes); killed",
                        seconds(t0), 0, 0, 0, 0);
            }
            exit = p.exitValue();
        } catch (IOException e) {
            return new Outcome(Status.FAILED, "cannot start " + cmd.get(0) + ": " + e.getMessage(), seconds(t0), 0, 0, 0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Status.FAILED, "interrupted", seconds(t0), 0, 0, 0, 0);
        }
        double wall = seconds(t0);
        LogSummary log = LogSummary.read(dir.resolve(LammpsScripts.LOG));
        String text = readQuietly(dir.resolve(LammpsScripts.OUTPUT));
        String error = firstError(text);
        if (error == null) error = firstError(log.text);
        if (error != null) {
            Matcher bm = BREAK.matcher(error);
            if (bm.find()) {
                double g = Math.max(log.maxGrade, Double.parseDouble(bm.group(1)));
                return new Outcome(Status.BREAK, error, wall, g, log.pairSeconds, log.loopSeconds, log.evaluations);
            }
            return new Outcome(Status.FAILED, error, wall, log.maxGrade, log.pairSeconds, log.loopSeconds, log.evaluations);
        }
        if (exit != 0) {
            String tail = tail(text, 3);
            return new Outcome(Status.FAILED, "LAMMPS exited with status " + exit + (tail.isEmpty() ? "" : ": " + tail),
                    wall, log.maxGrade, log.pairSeconds, log.loopSeconds, log.evaluations);
        }
        return new Outcome(Status.OK, "", wall, log.maxGrade, log.pairSeconds, log.loopSeconds, log.evaluations);
    }

    private static boolean done(Process p) { return !p.isAlive(); }

    /** On JVM exit (Ctrl-C, SIGTERM) stop the LAMMPS run and wait for it, so nothing writes into the task folder after us. */
    private static Thread killer(Process p) {
        return new Thread(() -> {
            if (!p.isAlive()) return;
            List<ProcessHandle> children = p.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    children.forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
                for (ProcessHandle c : children) c.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort while the JVM shuts down
            }
        });
    }

    private static double seconds(long t0) { return (System.nanoTime() - t0) * 1e-9; }

    static String readQuietly(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String firstError(String text) {
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.startsWith("ERROR")) return t;
        }
        return null;
    }

    private static String tail(String text, int lines) {
        String[] all = text.strip().split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            if (!sb.isEmpty()) sb.append(" | ");
            sb.append(all[i].strip());
        }
        return sb.toString();
    }

    /** Grade, timing and evaluation counts read from a LAMMPS log. */
    static final class LogSummary {
        String text = "";
        double maxGrade;
        double pairSeconds, loopSeconds;
        long evaluations;

        private static final Pattern EVALS = Pattern.compile("Iterations, force evaluations\\s*=\\s*(\\d+)\\s+(\\d+)");
        private static final Pattern PAIR = Pattern.compile("^Pair\\s*\\|\\s*([0-9.eE+-]+)\\s*\\|\\s*([0-9.eE+-]+)");
        private static final Pattern LOOP = Pattern.compile("^Loop time of ([0-9.eE+-]+)");

        static LogSummary read(Path log) {
            LogSummary s = new LogSummary();
            s.text = readQuietly(log);
            int gradeColumn = -1;
            for (String line : s.text.split("\n")) {
                String t = line.strip();
                if (t.startsWith("Step ")) {
                    String[] h = t.split("\\s+");
                    gradeColumn = -1;
                    for (int k = 0; k < h.length; k++) if (h[k].equals("c_cp[1]")) gradeColumn = k;
                    continue;
                }
                Matcher m;
                if ((m = EVALS.matcher(t)).find()) {
                    s.evaluations += Long.parseLong(m.group(2));
                    continue;
                }
                if ((m = PAIR.matcher(t)).find()) {
                    s.pairSeconds += Double.parseDouble(m.group(2)); // avg over ranks
                    continue;
                }
                if ((m = LOOP.matcher(t)).find()) {
                    s.loopSeconds += Double.parseDouble(m.group(1));
                    gradeColumn = -1;
                    continue;
                }
                if (gradeColumn >= 0 && !t.isEmpty() && (Character.isDigit(t.charAt(0)))) {
                    String[] f = t.split("\\s+");
                    if (f.length > gradeColumn) {
                        try {
                            s.maxGrade = Math.max(s.maxGrade, Double.parseDouble(f[gradeColumn]));
                        } catch (NumberFormatException ignored) {
                            // a warning line inside a thermo block
                        }
                    }
                }
            }
            return s;
        }
    }

    /** Reads {@code results.txt}: one record per line, a tag and key=value fields. */
    public static List<Map<String, String>> results(Path dir) {
        Path f = dir.resolve(LammpsScripts.RESULTS);
        List<Map<String, String>> out = new ArrayList<>();
        if (!Files.exists(f)) return out;
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
                String[] w = line.strip().split("\\s+");
                if (w.length == 0 || w[0].isEmpty()) continue;
                Map<String, String> r = new java.util.LinkedHashMap<>();
                r.put("tag", w[0]);
                for (int k = 1; k < w.length; k++) {
                    int eq = w[k].indexOf('=');
                    if (eq > 0) r.put(w[k].substring(0, eq), w[k].substring(eq + 1));
                }
                out.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        return out;
    }
}
