package org.mtpjava.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Compiles a tiny C program against cpp-shim's header and compares its offsetof/sizeof with FrameLayout. */
class FrameLayoutTest {
    @Test
    void javaLayoutEqualsTheCompilersLayout() throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        if (!Files.isDirectory(repo.resolve("cpp-shim"))) repo = repo.getParent();
        Path include = repo.resolve("cpp-shim/include"), source = repo.resolve("cpp-shim/tests/print_layout.c");
        assumeTrue(Files.exists(source), "cpp-shim sources not found");
        Path exe = Files.createTempFile("mtpjava_layout", "");
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-std=c11", "-I", include.toString(), "-o", exe.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException noCompiler) {
            assumeTrue(false, "no C compiler (cc) on PATH");
            return;
        }
        String ccOut = new String(cc.getInputStream().readAllBytes());
        assumeTrue(cc.waitFor(60, TimeUnit.SECONDS), "cc timed out");
        assertEquals(0, cc.exitValue(), "cc failed: " + ccOut);
        Process run = new ProcessBuilder(exe.toString()).start();
        List<String> lines = new String(run.getInputStream().readAllBytes()).lines().toList();
        run.waitFor(60, TimeUnit.SECONDS);
        Files.deleteIfExists(exe);
        Map<String, Long> fromC = new LinkedHashMap<>();
        long abi = -1;
        for (String l : lines) {
            String[] t = l.trim().split("\\s+");
            if (t[0].equals("abi_version")) abi = Long.parseLong(t[1]);
            else fromC.put(t[0], Long.parseLong(t[1]));
        }
        assertEquals(FrameLayout.ABI_VERSION, abi, "MTPJ_ABI_VERSION");
        assertEquals("", FrameLayout.mismatches(fromC));
        long padding = FrameLayout.expected().keySet().stream().filter(k -> k.endsWith(".pad0")).count();
        assertEquals(FrameLayout.expected().size() - padding, fromC.size(), "every field but the padding is in the C table");
    }
}
