package org.mtpjava.cli;

import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Potential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Rewrites a potential or a cfg file: .mtp <-> .almtp (the active set is kept when the output is .almtp) "
                + "<-> .mmtp (motep's magnetic layout); .cfg files are rewritten (MLIP's decimals, or --lossless)."})
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN") Path in;
    @Parameters(index = "1", paramLabel = "OUT") Path out;
    @Option(names = "--lossless", description = "cfg output with 17 significant digits") boolean lossless;

    @Override public Integer call() {
        if (in.toString().endsWith(".cfg") || in.toString().endsWith(".cfg.gz")) {
            CfgFiles.write(out, CfgFiles.read(in), lossless ? CfgFiles.Precision.LOSSLESS : CfgFiles.Precision.MLIP);
        } else {
            Potential p = PotentialFiles.read(in);
            PotentialFiles.write(p, out);
        }
        System.err.println("convert: wrote " + out);
        return 0;
    }
}
