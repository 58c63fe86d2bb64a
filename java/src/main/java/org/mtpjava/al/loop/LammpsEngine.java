package org.mtpjava.al.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MD through LAMMPS with {@code pair_style mtpjava extrapolation} (docs/lammps.md): the input template gets
 * {@code -var pot, dump, select, break, every, seed, round} (and {@code plugin} if configured) plus the run's own
 * variables; the mtpjava jar of this process is passed to the plugin's JVM ({@code MTPJAVA_CLASSPATH}) unless the
 * environment already names one. Exit 0 is a completed run; a non-zero exit whose output says the grade "exceeds the
 * break threshold" is a run stopped at the break threshold; anything else is an error naming the log.
 * The maximum grade is read from the thermo column {@code v_maxgrade} (or {@code c_mtp[1]}) if the input prints it.
 */
public final class LammpsEngine implements LearningLoop.MdEngine {
    private final LoopConfig.Lammps cfg;

    public LammpsEngine(LoopConfig.Lammps cfg) { this.cfg = cfg; }

    @Override public LearningLoop.MdOutcome run(LoopConfig.MdRun run, Path potential, Path dir, Path dump, int round, long seed) {
        List<String> argv = new ArrayList<>(cfg.command());
        argv.add("-in");
        argv.add(run.input().toAbsolutePath().toString());
        argv.add("-log");
        argv.add("log.lammps");
        Map<String, String> vars = new java.util.LinkedHashMap<>();
        if (cfg.plugin() != null) vars.put("plugin", cfg.plugin());
        vars.put("pot", potential.toAbsolutePath().toString());
        vars.put("dump", dump.toAbsolutePath().toString());
        vars.put("select", fmt(cfg.select()));
        vars.put("break", fmt(cfg.breakThreshold()));
        vars.put("every", Integer.toString(cfg.every()));
        vars.put("seed", Long.toString(seed % 900_000_000L + 1));
        vars.put("round", Integer.toString(round));
        vars.putAll(run.vars());
        for (var e : vars.entrySet()) {
            argv.add("-var");
            argv.add(e.getKey());
            argv.add(e.getValue());
        }
        Map<String, String> env = new HashMap<>(cfg.env());
        Path jar = Processes.ownJar();
        if (jar != null && System.getenv("MTPJAVA_CLASSPATH") == null && !env.containsKey("MTPJAVA_CLASSPATH")) {
            env.put("MTPJAVA_CLASSPATH", jar.toString());
        }
        Path out = dir.resolve("lammps.out");
        int code = Processes.run(argv, dir, env, out);
        String text;
        try {
            text = Files.readString(out, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean broke = false;
        if (code != 0) {
            if (text.contains("exceeds the break threshold")) {
                broke = true;
            } else {
                throw new IllegalStateException("LAMMPS failed (exit " + code + ") in MD run '" + run.name() + "': "
                        + Processes.firstError(out) + " (full output: " + out + ")");
            }
        }
        return new LearningLoop.MdOutcome(broke, thermoMax(text));
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.10g", v); }

    /** Largest value of the thermo column v_maxgrade / c_mtp[1] (NaN if the input does not print it). */
    static double thermoMax(String log) {
        double max = Double.NaN;
        int col = -1;
        for (String line : log.split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length > 1 && t[0].equals("Step")) {
                col = -1;
                for (int i = 0; i < t.length; i++) if (t[i].equals("v_maxgrade") || t[i].equals("c_mtp[1]")) col = i;
                continue;
            }
            if (col < 0) continue;
            if (line.startsWith("Loop time") || t.length <= col) {
                if (line.startsWith("Loop time")) col = -1;
                continue;
            }
            try {
                Long.parseLong(t[0]);
                double v = Double.parseDouble(t[col]);
                if (Double.isFinite(v)) max = Double.isNaN(max) ? v : Math.max(max, v);
            } catch (NumberFormatException ignored) {
                // not a thermo line
            }
        }
        return max;
    }
}
