package org.mtpjava.workflow.ductility;

import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;

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
import java.util.concurrent.TimeUnit;

/**
 * The labelling step: an external command (DFT, or a potential standing in for it) that reads a {@code .cfg} of
 * configurations and writes the same configurations with energy, forces and stress (PlusStress virial, eV).
 *
 * <p>The command template is run by {@code bash -c} in the batch folder with {@code {in}}, {@code {out}},
 * {@code {dir}}, {@code {jar}}, {@code {java}}, {@code {configdir}} (the folder of ductility.toml, for relative
 * paths) and {@code {species}} (the potential's species names, cfg type order, space-separated) substituted. Every input configuration carries the feature {@code oracle_id}; outputs
 * are matched by it (or by position when the command drops features but keeps the count). An output
 * configuration counts as labelled only if it has the input's atoms (types and positions within 1e-4 Å), a
 * finite energy, finite forces for every atom and, for a periodic cell, a finite stress, and no feature
 * {@code oracle_status} other than {@code ok}. Everything else, and every configuration the command did not
 * return (non-zero exit, timeout, crash), is reported per configuration with its reason; labelled ones are kept
 * in every case.
 */
public final class Oracle {
    /** One configuration the oracle could not label. */
    public record Failure(String id, String reason) {}

    /** Labelled configurations (input order) and failures. */
    public record Outcome(List<Configuration> labelled, List<Failure> failures, int exitCode, double seconds) {}

    private final String template;
    private final double timeoutMinutes;
    private final List<String> species;
    private final Path jar;
    private Path configDir = Path.of(".").toAbsolutePath().normalize();

    /** The folder that {@code {configdir}} stands for (the configuration file's folder). */
    public Oracle configDir(Path d) {
        configDir = d.toAbsolutePath().normalize();
        return this;
    }

    public Oracle(String template, double timeoutMinutes, List<String> species, Path jar) {
        if (template == null || template.isBlank()) throw new IllegalArgumentException("oracle.command is empty");
        if (!template.contains("{in}") || !template.contains("{out}"))
            throw new IllegalArgumentException("oracle.command must contain {in} and {out}, got: " + template);
        this.template = template;
        this.timeoutMinutes = timeoutMinutes;
        this.species = List.copyOf(species);
        this.jar = jar;
    }

    /** The shell command for one batch. */
    String command(Path in, Path out, Path dir) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return template.replace("{in}", SlurmScripts.sh(in.toString())).replace("{out}", SlurmScripts.sh(out.toString()))
                .replace("{dir}", SlurmScripts.sh(dir.toString())).replace("{jar}", SlurmScripts.sh(String.valueOf(jar)))
                .replace("{java}", SlurmScripts.sh(java)).replace("{species}", String.join(" ", species))
                .replace("{configdir}", SlurmScripts.sh(configDir.toString()));
    }

    /**
     * Labels the configurations in {@code dir} ({@code in.cfg}, {@code out.cfg}, {@code oracle.log},
     * {@code failures.txt}). Ids are {@code prefix + index}.
     */
    public Outcome label(List<Configuration> cfgs, Path dir, String prefix) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Path in = dir.resolve("in.cfg").toAbsolutePath(), out = dir.resolve("out.cfg").toAbsolutePath(), log = dir.resolve("oracle.log");
        List<Configuration> inputs = new ArrayList<>();
        for (int k = 0; k < cfgs.size(); k++) {
            Configuration c = cfgs.get(k).copy();
            c.clearComputed();
            c.setNeighbourhoodGrades(null);
            c.features().remove("MV_grade");
            c.features().put("oracle_id", prefix + k);
            inputs.add(c);
        }
        CfgFiles.write(in, inputs, CfgFiles.Precision.LOSSLESS);
        try {
            Files.deleteIfExists(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        int exit;
        String exitReason = null;
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command(in, out, dir.toAbsolutePath())).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            boolean done = timeoutMinutes > 0 ? p.waitFor((long) (timeoutMinutes * 60), TimeUnit.SECONDS) : p.waitFor(Long.MAX_VALUE, TimeUnit.DAYS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                exit = -1;
                exitReason = "the oracle command did not finish within " + timeoutMinutes + " min (oracle.timeout_minutes) and was killed";
            } else {
                exit = p.exitValue();
                if (exit != 0) exitReason = "the oracle command exited with status " + exit + ": " + lastLine(log);
            }
        } catch (IOException e) {
            exit = -1;
            exitReason = "cannot start the oracle command: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the oracle was running");
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        List<Configuration> got = new ArrayList<>();
        String readError = null;
        if (Files.isRegularFile(out)) {
            try {
                got = CfgFiles.read(out);
            } catch (RuntimeException e) {
                readError = "the oracle's output " + out + " is not readable: " + e.getMessage();
                // keep what can be read: configurations before the broken one
                got = readPrefix(out);
            }
        } else if (exitReason == null) {
            exitReason = "the oracle command wrote no " + out;
        }
        Outcome o = match(inputs, got, exitReason != null ? exitReason : readError, exit, seconds);
        StringBuilder sb = new StringBuilder();
        for (Failure f : o.failures()) sb.append(f.id()).append('\t').append(f.reason()).append('\n');
        AtomicFiles.writeString(dir.resolve("failures.txt"), sb.toString());
        return o;
    }

    /** Matches outputs to inputs and validates each (package-private for the unit tests). */
    static Outcome match(List<Configuration> inputs, List<Configuration> got, String batchProblem, int exit, double seconds) {
        Map<String, Configuration> byId = new HashMap<>();
        boolean haveIds = true;
        for (Configuration c : got) {
            String id = c.features().get("oracle_id");
            if (id == null) haveIds = false;
            else byId.put(id, c);
        }
        List<Configuration> labelled = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            Configuration inp = inputs.get(k);
            String id = inp.features().get("oracle_id");
            Configuration o = haveIds ? byId.get(id) : (got.size() == inputs.size() ? got.get(k) : null);
            if (o == null) {
                failures.add(new Failure(id, batchProblem != null ? batchProblem : (haveIds ? "not in the oracle's output"
                        : "the oracle's output has " + got.size() + " configurations without oracle_id for " + inputs.size() + " inputs")));
                continue;
            }
            String why = validate(inp, o);
            if (why != null) failures.add(new Failure(id, why));
            else {
                Configuration c = inp.copy();
                c.setEnergy(o.energy());
                c.setForces(o.forces().clone());
                c.setStress(o.stress() == null ? null : o.stress().clone());
                for (var e : o.features().entrySet())
                    if (!e.getKey().equals("oracle_status")) c.features().putIfAbsent(e.getKey(), e.getValue());
                labelled.add(c);
            }
        }
        return new Outcome(labelled, failures, exit, seconds);
    }

    static String validate(Configuration in, Configuration out) {
        String status = out.features().get("oracle_status");
        if (status != null && !status.equalsIgnoreCase("ok")) return "oracle_status: " + status;
        if (out.size() != in.size()) return "the output has " + out.size() + " atoms, the input " + in.size();
        for (int i = 0; i < in.size(); i++) {
            if (in.types()[i] != out.types()[i]) return "atom " + (i + 1) + " has type " + out.types()[i] + " in the output, " + in.types()[i] + " in the input";
            for (int k = 0; k < 3; k++)
                if (Math.abs(in.positions()[3 * i + k] - out.positions()[3 * i + k]) > 1e-4)
                    return "atom " + (i + 1) + " moved (the oracle must not relax the configuration)";
        }
        if (!out.hasEnergy() || !Double.isFinite(out.energy())) return "no energy";
        if (!out.hasForces()) return "no forces";
        for (double f : out.forces()) if (!Double.isFinite(f)) return "non-finite forces";
        boolean periodic = in.isPeriodic(0) && in.isPeriodic(1) && in.isPeriodic(2);
        if (periodic) {
            if (!out.hasStress()) return "no stress for a periodic cell";
            for (double s : out.stress()) if (!Double.isFinite(s)) return "non-finite stress";
        }
        return null;
    }

    private static List<Configuration> readPrefix(Path out) {
        List<Configuration> ok = new ArrayList<>();
        try {
            String text = Files.readString(out, StandardCharsets.ISO_8859_1);
            String[] blocks = text.split("(?=BEGIN_CFG)");
            for (String b : blocks) {
                if (!b.contains("END_CFG")) continue;
                try {
                    ok.addAll(CfgFiles.read(new java.io.BufferedReader(new java.io.StringReader(b)), out.toString()));
                } catch (RuntimeException e) {
                    // skip this block
                }
            }
        } catch (IOException ignored) {
            // nothing readable
        }
        return ok;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i).strip();
        } catch (IOException ignored) {
            // no log
        }
        return "(no output)";
    }

    @Override public String toString() { return String.format(Locale.ROOT, "oracle '%s'", template); }
}
