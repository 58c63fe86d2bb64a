package org.mtpjava;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared reference data ({@code ../shared} of the project, or -Dmtpjava.shared). */
public final class TestData {
    private TestData() {}

    public static Path root() {
        String p = System.getProperty("mtpjava.shared");
        Path root = p != null ? Path.of(p) : Path.of("../../shared");
        if (!Files.isDirectory(root)) root = Path.of("/work/shared");
        return root;
    }

    public static Path data(String relative) {
        Path f = root().resolve("data").resolve(relative);
        if (!Files.exists(f)) throw new IllegalStateException("reference file missing: " + f);
        return f;
    }
}
