package org.mtpjava.al.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs external programs with their output in a log file. */
final class Processes {
    private Processes() {}

    /** Runs {@code argv} in {@code dir}, stdout+stderr to {@code logFile}; returns the exit code. */
    static int run(List<String> argv, Path dir, Map<String, String> env, Path logFile) {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                p.destroy();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + argv.get(0));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot start '" + argv.get(0) + "': " + e.getMessage());
        }
    }

    /** The first line of a log that starts with ERROR (or the last non-blank line). */
    static String firstError(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
            for (String l : lines) if (l.startsWith("ERROR")) return l.strip();
            for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i).strip();
            return "(no output)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Java launcher of this JVM and the class path / jar to start mtpjava again. */
    static List<String> javaCommand(List<String> javaOptions) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(java);
        cmd.addAll(javaOptions);
        Path jar = ownJar();
        if (jar != null) {
            cmd.add("-jar");
            cmd.add(jar.toString());
        } else {
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("org.mtpjava.cli.Main");
        }
        return cmd;
    }

    /** The mtpjava jar this class was loaded from, or null (running from a classes folder). */
    static Path ownJar() {
        try {
            var src = Processes.class.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (Exception e) {
            return null;
        }
    }
}
