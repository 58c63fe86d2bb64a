package org.mtpjava.workflow.ductility;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mtpjava.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Per-task checkpoints: one JSON file per result, written atomically, holding the result and the key of its
 * inputs (potential file contents, settings, composition, realisation, lattice constant). A stored result is
 * reused only when its key matches, so changing the potential or a setting recomputes exactly what it affects.
 */
public final class Checkpoints {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Checkpoints() {}

    /** SHA-256 (hex) of the parts. */
    public static String key(Object... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Object p : parts) {
                byte[] b = p instanceof byte[] bytes ? bytes : String.valueOf(p instanceof double[] d ? java.util.Arrays.toString(d) : p)
                        .getBytes(StandardCharsets.UTF_8);
                md.update(Integer.toString(b.length).getBytes(StandardCharsets.UTF_8));
                md.update((byte) ':');
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String fileKey(Path f) {
        try {
            return key((Object) Files.readAllBytes(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    public static <T> Optional<T> load(Path file, String key, Class<T> type) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            JsonNode n = JSON.readTree(Files.readString(file));
            if (n == null || !key.equals(n.path("key").asText())) return Optional.empty();
            return Optional.of(JSON.treeToValue(n.get("result"), type));
        } catch (IOException e) {
            return Optional.empty(); // unreadable: recompute
        }
    }

    /** Reads a result regardless of its key (merge step, reports). */
    public static <T> Optional<T> loadAny(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            JsonNode n = JSON.readTree(Files.readString(file));
            return n == null || !n.has("result") ? Optional.empty() : Optional.of(JSON.treeToValue(n.get("result"), type));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void save(Path file, String key, Object result) {
        ObjectNode n = JSON.createObjectNode();
        n.put("key", key);
        n.set("result", JSON.valueToTree(result));
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(n));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
