package org.mtpjava.workflow.ductility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A TOML table with typed getters that name the file and key in every error, and a check for keys that no
 * getter asked for (misspelt options are errors, not silently ignored).
 */
final class TomlTable {
    private final String file;
    private final String path;
    private final JsonNode node;
    private final Set<String> used = new HashSet<>();
    private final List<TomlTable> children = new ArrayList<>();

    private TomlTable(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    static TomlTable read(Path f) {
        if (!Files.isRegularFile(f)) throw new IllegalArgumentException("configuration file " + f + " not found");
        try {
            return parse(Files.readString(f), f.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
        }
    }

    static TomlTable parse(String text, String name) {
        try {
            JsonNode n = new TomlMapper().readTree(text);
            return new TomlTable(name, "", n == null ? MissingNode.getInstance() : n);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw new IllegalArgumentException(name + ": not valid TOML: " + m);
        }
    }

    private String where(String key) { return file + ": " + (path.isEmpty() ? key : path + "." + key); }

    boolean has(String key) { return node.has(key); }

    TomlTable table(String key) {
        used.add(key);
        JsonNode n = node.get(key);
        if (n != null && !n.isObject()) throw new IllegalArgumentException(where(key) + " must be a table ([" + key + "])");
        TomlTable t = new TomlTable(file, path.isEmpty() ? key : path + "." + key, n == null ? MissingNode.getInstance() : n);
        children.add(t);
        return t;
    }

    List<TomlTable> tables(String key) {
        used.add(key);
        JsonNode n = node.get(key);
        List<TomlTable> out = new ArrayList<>();
        if (n == null) return out;
        if (!n.isArray()) throw new IllegalArgumentException(where(key) + " must be an array of tables ([[" + key + "]])");
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isObject()) throw new IllegalArgumentException(where(key) + "[" + i + "] must be a table");
            TomlTable t = new TomlTable(file, (path.isEmpty() ? key : path + "." + key) + "[" + i + "]", n.get(i));
            children.add(t);
            out.add(t);
        }
        return out;
    }

    String string(String key, String def) {
        used.add(key);
        JsonNode n = node.get(key);
        if (n == null) return def;
        if (!n.isTextual()) throw new IllegalArgumentException(where(key) + " must be a string, got " + n);
        return n.asText();
    }

    double number(String key, double def) {
        used.add(key);
        JsonNode n = node.get(key);
        if (n == null) return def;
        if (!n.isNumber()) throw new IllegalArgumentException(where(key) + " must be a number, got " + n);
        return n.asDouble();
    }

    int integer(String key, int def) {
        used.add(key);
        JsonNode n = node.get(key);
        if (n == null) return def;
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw new IllegalArgumentException(where(key) + " must be an integer, got " + n);
        return n.asInt();
    }

    long longValue(String key, long def) {
        used.add(key);
        JsonNode n = node.get(key);
        if (n == null) return def;
        if (!n.isIntegralNumber()) throw new IllegalArgumentException(where(key) + " must be an integer, got " + n);
        return n.asLong();
    }

    boolean bool(String key, boolean def) {
        used.add(key);
        JsonNode n = node.get(key);
        if (n == null) return def;
        if (!n.isBoolean()) throw new IllegalArgumentException(where(key) + " must be true or false, got " + n);
        return n.asBoolean();
    }

    double[] numbers(String key, double[] def) {
        used.add(key);
        JsonNode n = node.get(key);
        if (n == null) return def;
        if (!n.isArray()) throw new IllegalArgumentException(where(key) + " must be an array of numbers, got " + n);
        double[] out = new double[n.size()];
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isNumber()) throw new IllegalArgumentException(where(key) + "[" + i + "] must be a number, got " + n.get(i));
            out[i] = n.get(i).asDouble();
        }
        return out;
    }

    List<String> strings(String key, List<String> def) {
        used.add(key);
        JsonNode n = node.get(key);
        if (n == null) return def;
        if (!n.isArray()) throw new IllegalArgumentException(where(key) + " must be an array of strings, got " + n);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) throw new IllegalArgumentException(where(key) + "[" + i + "] must be a string, got " + n.get(i));
            out.add(n.get(i).asText());
        }
        return out;
    }

    /** Throws on the first key (here or in any table read through this one) that no getter asked for. */
    void checkUnused() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!used.contains(k)) throw new IllegalArgumentException(where(k) + ": unknown option");
        }
        for (TomlTable c : children) c.checkUnused();
    }
}
