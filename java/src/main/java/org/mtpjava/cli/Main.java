package org.mtpjava.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "mtpjava", mixinStandardHelpOptions = true, version = "mtpjava 0.1.0",
        description = "Moment Tensor Potentials in Java.")
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
    @Override public void run() { new CommandLine(this).usage(System.out); }
}
