package org.mtpjava.al.loop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The oracle as an external command: {in} and {out} are replaced by the input and output .cfg paths. */
public final class CommandOracle implements LearningLoop.Oracle {
    private final LoopConfig.Command command;

    public CommandOracle(LoopConfig.Command command) { this.command = command; }

    @Override public void label(Path in, Path out, Path dir) {
        List<String> argv = new ArrayList<>();
        for (String a : command.argv()) {
            argv.add(a.replace("{in}", in.toAbsolutePath().toString()).replace("{out}", out.toAbsolutePath().toString()));
        }
        Path log = dir.resolve("oracle.out");
        int code = Processes.run(argv, dir, Map.of(), log);
        if (code != 0) {
            throw new IllegalStateException("the oracle command failed (exit " + code + "): " + Processes.firstError(log)
                    + " (full output: " + log + ")");
        }
    }
}
