package org.mtpjava.cli;

import org.mtpjava.io.InputFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** The {@code mtpjava} command line: verbs named after MLIP-3's (with dashes). */
@Command(name = "mtpjava", mixinStandardHelpOptions = true, version = "mtpjava 0.1.0",
        description = "Moment Tensor Potentials in Java: evaluation, training, active learning.",
        subcommands = {
                CalculateEfsCommand.class,
                CheckErrorsCommand.class,
                GenerateBasisCommand.class,
                BenchCommand.class,
                ConvertCommand.class,
                CompressCommand.class,
                CompressCommand.Bench.class,
                ExpandCommand.class,
                CalculateGradeCommand.class,
                SelectAddCommand.class,
                CutExtrapolativeNbhCommand.class,
                UpdateActiveSetCommand.class,
                BenchGradeCommand.class,
                ActiveLearnCommand.class,
                TrainCommand.class,
                RelaxCommand.class,
                BenchTrainCommand.class,
                DuctilityCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (0 ok, 1 error in the run, 2 bad usage or input). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // help uses the terminal's width, 120 columns when it is unknown (piped): the method tables need more than 80
        cl.setUsageHelpWidth(120);
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("mtpjava " + cmd.getCommandName() + ": " + userMessage(ex));
            if (System.getenv("MTPJAVA_DEBUG") != null) ex.printStackTrace(err);
            err.flush();
            return ex instanceof InputFileException || ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl;
    }

    /** The message a user should see: no stack trace, the file/line if known. */
    static String userMessage(Throwable ex) {
        if (ex instanceof InputFileException) return ex.getMessage();
        if (ex instanceof UncheckedIOException u && u.getCause() != null) return u.getMessage();
        if (ex instanceof OutOfMemoryError) return "out of memory; give the JVM more heap (e.g. java -Xmx8g -jar mtpjava.jar ...)";
        String m = ex.getMessage();
        return m == null ? ex.getClass().getSimpleName() : m;
    }

    @Override public void run() { commandLine().usage(System.out); }
}
