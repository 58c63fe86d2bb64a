package org.mtpjava.al.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import org.mtpjava.al.ActiveSet;
import org.mtpjava.io.InputFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration of {@code active-learn --config al.toml}. Relative paths are relative to the TOML file's
 * folder; {@code ${NAME}} in strings is replaced by the environment variable NAME (an error if unset).
 *
 * <pre>
 * potential    = "start.almtp"     # trained potential with an active set (or an untrained template: trained first)
 * training_set = "train.cfg"       # labelled configurations (copied into the work folder, which then grows)
 * work_dir     = "al-work"         # state, rounds, logs; rerunning the command resumes from here
 * max_rounds   = 10
 *
 * [lammps]
 * command = ["${MTPJAVA_LMP}"]     # or ["mpirun", "-np", "2", "${MTPJAVA_LMP}"]
 * plugin  = "${MTPJAVA_PLUGIN}"    # passed as -var plugin
 * select  = 2.1                    # passed as -var select: grades above it are dumped
 * break   = 10.0                   # passed as -var break: a grade above it stops the run (cleanly)
 * every   = 10                     # passed as -var every
 *
 * [[md]]                           # one or more MD runs per round; the input gets -var pot, dump, seed, round too
 * name  = "equiatomic-300K"
 * input = "in.md"
 * vars  = { mo = "0.333", nb = "0.333", temp = "300" }
 *
 * [oracle]                         # labels {in} (cfg) into {out} (cfg with energies, forces, stresses)
 * command = ["my_dft.sh", "{in}", "{out}"]
 *
 * [train]                          # mtpjava train POT TRAIN.cfg --save-to OUT ARGS...
 * args = ["--iteration-limit", "100"]
 * java_options = ["-Xmx2g"]
 *
 * [select]                         # select-add options
 * threshold = 1.001
 * swap_limit = 0
 * </pre>
 */
public record LoopConfig(Path file, Path potential, Path trainingSet, Path workDir, int maxRounds, long seed,
                         Lammps lammps, List<MdRun> md, Command oracle, Train train, Selection selection) {

    /** How LAMMPS is started and the thresholds passed to the input. */
    public record Lammps(List<String> command, String plugin, double select, double breakThreshold, int every,
                         Map<String, String> env) {}

    /** One MD run per round. */
    public record MdRun(String name, Path input, Map<String, String> vars) {}

    /** An external command with {in}/{out} placeholders. */
    public record Command(List<String> argv) {}

    /** Training options. */
    public record Train(List<String> args, List<String> javaOptions) {}

    /** select-add options. */
    public record Selection(double threshold, int swapLimit) {}

    private static final Set<String> TOP = Set.of("potential", "training_set", "work_dir", "max_rounds", "seed", "lammps", "md",
            "oracle", "train", "select");

    public static LoopConfig read(Path file) {
        return read(file, System::getenv);
    }

    /** Reads the file; {@code env} resolves {@code ${NAME}}. */
    public static LoopConfig read(Path file, Function<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputFileException(file.toString(), 0, "file not found");
        } catch (IOException e) {
            throw new InputFileException(file.toString(), 0, "cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (IOException e) {
            throw new InputFileException(file.toString(), 0, "not valid TOML: " + firstLine(e.getMessage()));
        }
        Reader r = new Reader(file, env);
        r.onlyKeys(root, TOP, "");
        Path base = file.toAbsolutePath().getParent();
        Path pot = base.resolve(r.string(root, "potential", null));
        Path train = base.resolve(r.string(root, "training_set", null));
        Path work = base.resolve(r.string(root, "work_dir", "al-work"));
        int maxRounds = r.integer(root, "max_rounds", 10);
        if (maxRounds < 1) throw r.error("max_rounds must be >= 1");
        long seed = r.integer(root, "seed", 12345);

        JsonNode l = r.table(root, "lammps", true);
        r.onlyKeys(l, Set.of("command", "plugin", "select", "break", "every", "env"), "lammps.");
        List<String> cmd = r.strings(l, "command", "lammps.");
        if (cmd.isEmpty()) throw r.error("lammps.command is empty; expected e.g. [\"${MTPJAVA_LMP}\"]");
        String plugin = l.has("plugin") ? r.string(l, "plugin", null) : null;
        double select = r.number(l, "select", 2.1);
        double brk = r.number(l, "break", 10.0);
        if (!(select > 1) || !(brk > select)) throw r.error("expected 1 < lammps.select < lammps.break, got " + select + " and " + brk);
        int every = r.integer(l, "every", 1);
        if (every < 1) throw r.error("lammps.every must be >= 1");
        Map<String, String> lenv = r.stringMap(l, "env", "lammps.");
        Lammps lammps = new Lammps(cmd, plugin, select, brk, every, lenv);

        JsonNode mdNode = root.get("md");
        if (mdNode == null || !mdNode.isArray() || mdNode.isEmpty()) {
            throw r.error("missing [[md]] tables; expected at least one MD run (name, input, vars)");
        }
        List<MdRun> md = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (JsonNode m : mdNode) {
            r.onlyKeys(m, Set.of("name", "input", "vars"), "md.");
            String name = r.string(m, "name", "md" + (md.size() + 1));
            if (!name.matches("[A-Za-z0-9_.+-]+")) throw r.error("md.name '" + name + "' may only contain letters, digits and _ . + -");
            if (!names.add(name)) throw r.error("md.name '" + name + "' appears twice");
            Path input = base.resolve(r.string(m, "input", null));
            if (!Files.isRegularFile(input)) throw r.error("md '" + name + "': input " + input + " not found");
            md.add(new MdRun(name, input, r.stringMap(m, "vars", "md.")));
        }

        JsonNode o = r.table(root, "oracle", true);
        r.onlyKeys(o, Set.of("command"), "oracle.");
        List<String> oracle = r.strings(o, "command", "oracle.");
        if (!String.join(" ", oracle).contains("{in}") || !String.join(" ", oracle).contains("{out}")) {
            throw r.error("oracle.command must contain {in} and {out} (the configurations to label and the labelled output)");
        }

        JsonNode t = r.table(root, "train", false);
        List<String> targs = List.of(), jopts = List.of();
        if (t != null) {
            r.onlyKeys(t, Set.of("args", "java_options"), "train.");
            targs = t.has("args") ? r.strings(t, "args", "train.") : List.of();
            jopts = t.has("java_options") ? r.strings(t, "java_options", "train.") : List.of();
            for (String a : targs) {
                if (a.equals("--save-to") || a.equals("--resume")) throw r.error("train.args must not contain " + a + " (the loop sets it)");
            }
        }
        JsonNode s = r.table(root, "select", false);
        double thr = ActiveSet.DEFAULT_THRESHOLD;
        int swap = 0;
        if (s != null) {
            r.onlyKeys(s, Set.of("threshold", "swap_limit"), "select.");
            thr = r.number(s, "threshold", thr);
            swap = r.integer(s, "swap_limit", 0);
            if (!(thr > 1) || swap < 0) throw r.error("select.threshold must exceed 1 and select.swap_limit be >= 0");
        }
        return new LoopConfig(file, pot, train, work, maxRounds, seed, lammps, md, new Command(oracle), new Train(targs, jopts),
                new Selection(thr, swap));
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Typed access with messages naming the file and the key. */
    private record Reader(Path file, Function<String, String> env) {
        private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

        InputFileException error(String m) { return new InputFileException(file.toString(), 0, m); }

        void onlyKeys(JsonNode n, Set<String> allowed, String prefix) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) throw error("unknown key '" + prefix + k + "'; expected one of " + new java.util.TreeSet<>(allowed));
            }
        }

        JsonNode table(JsonNode n, String key, boolean required) {
            JsonNode t = n.get(key);
            if (t == null) {
                if (required) throw error("missing [" + key + "] table");
                return null;
            }
            if (!t.isObject()) throw error("'" + key + "' must be a table [" + key + "]");
            return t;
        }

        String expand(String s, String key) {
            Matcher m = VAR.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = env.apply(m.group(1));
                if (v == null) throw error(key + ": environment variable " + m.group(1) + " is not set (used as ${" + m.group(1) + "})");
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            return sb.toString();
        }

        String string(JsonNode n, String key, String def) {
            JsonNode v = n.get(key);
            if (v == null) {
                if (def == null) throw error("missing key '" + key + "'");
                return def;
            }
            if (!v.isTextual()) throw error("'" + key + "' must be a string");
            return expand(v.asText(), key);
        }

        double number(JsonNode n, String key, double def) {
            JsonNode v = n.get(key);
            if (v == null) return def;
            if (!v.isNumber()) throw error("'" + key + "' must be a number");
            return v.asDouble();
        }

        int integer(JsonNode n, String key, int def) {
            JsonNode v = n.get(key);
            if (v == null) return def;
            if (!v.canConvertToInt() || !v.isIntegralNumber()) throw error("'" + key + "' must be an integer");
            return v.asInt();
        }

        List<String> strings(JsonNode n, String key, String prefix) {
            JsonNode v = n.get(key);
            if (v == null) throw error("missing key '" + prefix + key + "'");
            if (!v.isArray()) throw error("'" + prefix + key + "' must be a list of strings, e.g. [\"a\", \"b\"]");
            List<String> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isTextual()) throw error("'" + prefix + key + "' must be a list of strings");
                out.add(expand(e.asText(), prefix + key));
            }
            return out;
        }

        Map<String, String> stringMap(JsonNode n, String key, String prefix) {
            JsonNode v = n.get(key);
            Map<String, String> out = new LinkedHashMap<>();
            if (v == null) return out;
            if (!v.isObject()) throw error("'" + prefix + key + "' must be a table, e.g. { temp = \"300\" }");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) throw error(prefix + key + ": '" + e.getKey() + "' is not a valid name");
                JsonNode x = e.getValue();
                if (!x.isValueNode()) throw error(prefix + key + "." + e.getKey() + " must be a string or number");
                out.put(e.getKey(), expand(x.asText(), prefix + key + "." + e.getKey()));
            }
            return out;
        }
    }
}
