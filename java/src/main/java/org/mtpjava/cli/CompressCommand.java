package org.mtpjava.cli;

import org.mtpjava.compress.CompressionSpec;
import org.mtpjava.compress.CompressedTraining;
import org.mtpjava.compress.Factorisation;
import org.mtpjava.compress.ModeOrderStudy;
import org.mtpjava.compress.CompressionBench;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.eval.EfsCalculator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compresses the radial tensor of a trained MTP by truncated SVD (mf, rmf) or TT-SVD (tf) and writes a compressed "
                + "potential (factors instead of radial_coeffs; docs/compression.md). Fine-tune it with 'mtpjava train OUT TRAIN.cfg "
                + "--compress METHOD:...'; write the plain equivalent with 'mtpjava expand'. Prints the parameter counts and the "
                + "truncation error; with --check CFG also the energy/force/stress RMSE between the original and the compressed "
                + "potential. --compare-orders N compares TT mode orders (TT-SVD error at <= N radial parameters).",
                "",
                "Methods (the same as train --compress):",
                "  --method mf  --rank R               C = U V^T of the (N_mu N_beta) x N_t^2 reshape, (m+n)R parameters",
                "  --method rmf --rank R               the same matrix on the fixed-rank manifold, (m+n-R)R parameters",
                "  --method tf  --rank r1,r2,r3        tensor train in --order (default " + CompressionSpec.DEFAULT_TF_ORDER + "; magnetic: 5 ranks)",
                ""})
public final class CompressCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "POT", description = "trained plain potential") Path in;
    @Option(names = "--method", paramLabel = "mf|rmf|tf", description = "factorisation") String method;
    @Option(names = {"--rank", "--ranks"}, paramLabel = "R|r1,r2,...", description = "MF/R-MF rank, or the TT ranks") String rank;
    @Option(names = "--rows", paramLabel = "MODES", description = "MF row modes (default mu,beta)") String rows;
    @Option(names = "--order", paramLabel = "MODES", description = "TT mode order") String order;
    @Option(names = "--save-to", paramLabel = "OUT", description = "compressed potential to write") Path out;
    @Option(names = "--check", paramLabel = "CFG", description = "compare energies/forces/stresses of POT and the compressed potential on these configurations") Path check;
    @Option(names = "--compare-orders", paramLabel = "N", description = "table of TT-SVD errors of every mode order at <= N radial parameters, then exit") Integer compareOrders;
    @Option(names = "--threads", description = "threads for --check (default ${DEFAULT-VALUE})") int threads = 1;

    @Override public Integer call() {
        Potential p = PotentialFiles.read(in);
        if (!p.isTrained()) throw new IllegalArgumentException(in + " has no coefficients (an untrained template); compress a trained potential");
        if (p.radialRepresentation() != null) {
            throw new IllegalArgumentException(in + " is already compressed (" + p.radialRepresentation().method() + "); expand it first");
        }
        if (compareOrders != null) {
            System.out.print(ModeOrderStudy.table(p, compareOrders));
            return 0;
        }
        if (method == null || rank == null || out == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "compress needs --method, --rank and --save-to (or --compare-orders N)");
        }
        String key = switch (method.toLowerCase(Locale.ROOT)) {
            case "mf", "rmf" -> "rank";
            case "tf" -> "ranks";
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--method '" + method + "': expected mf, rmf or tf");
        };
        String text = method.toLowerCase(Locale.ROOT) + ":" + key + "=" + rank + (rows != null ? ",rows=" + rows : "") + (order != null ? ",order=" + order : "");
        CompressionSpec cs;
        try {
            cs = CompressionSpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage().replace("--compress", "--method/--rank"));
        }
        Potential original = p.copy();
        CompressedTraining.attach(p, cs, 1, System.out::println);
        Factorisation f = (Factorisation) p.radialRepresentation();
        System.out.println("radial parameters: " + p.radialCoefficients().length + " -> " + f.parameterCount()
                + "; all parameters: " + p.parameterCount() + " -> " + (f.parameterCount() + p.speciesCount() + p.basis().scalarCount()));
        if (p.activeSet() != null) {
            System.out.println("note: the active set of " + in + " (plain coordinates) is dropped; train the compressed potential (or"
                    + " 'train OUT.almtp TRAIN.cfg --iteration-limit 0') to build one in compressed coordinates");
            p.setActiveSet(null);
        }
        if (check != null) compare(original, p, CfgFiles.read(check));
        PotentialFiles.write(p, out);
        System.out.println("wrote " + out);
        return 0;
    }

    private void compare(Potential a, Potential b, List<Configuration> cfgs) {
        double e2 = 0, f2 = 0, s2 = 0;
        long ne = 0, nf = 0, ns = 0;
        try (EfsCalculator ca = new EfsCalculator(a, threads); EfsCalculator cb = new EfsCalculator(b, threads)) {
            for (Configuration c : cfgs) {
                if (c.size() == 0) continue;
                EfsCalculator.Result ra = ca.compute(c), rb = cb.compute(c);
                double de = (ra.energy() - rb.energy()) / c.size();
                e2 += de * de;
                ne++;
                for (int i = 0; i < ra.forces().length; i++) {
                    double d = ra.forces()[i] - rb.forces()[i];
                    f2 += d * d;
                    nf++;
                }
                if (ra.stress() != null) {
                    for (int i = 0; i < 6; i++) {
                        double d = (ra.stress()[i] - rb.stress()[i]) / c.volume() * 160.21766208;
                        s2 += d * d;
                        ns++;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "compressed vs original on %d configurations: RMS difference E %.4f meV/atom, F %.5f eV/A, S %.4f GPa%n",
                ne, 1000 * Math.sqrt(e2 / Math.max(1, ne)), Math.sqrt(f2 / Math.max(1, nf)), Math.sqrt(s2 / Math.max(1, ns)));
    }

    /** {@code bench-compressed}: training s/iteration and evaluation us/atom of several potentials side by side. */
    @Command(name = "bench-compressed", mixinStandardHelpOptions = true,
            description = {"Times plain and compressed potentials side by side in one JVM: evaluation (energy, forces, stress; us/atom, "
                    + "median of --repeat after --warmup, neighbour list prebuilt) of the first configuration of EVAL.cfg, for the compressed "
                    + "potential as loaded (dense c materialised once) and, for comparison, with the factors contracted per pair; and "
                    + "with --train TRAIN.cfg the training cost: seconds per loss+gradient evaluation (dL/dtheta, then J^T) and per BFGS "
                    + "iteration of a short run (--iterations). Potentials are timed in turns to even out machine load."})
    public static final class Bench implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "EVAL.cfg") Path evalCfg;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "POT") List<Path> pots = new ArrayList<>();
        @Option(names = "--train", paramLabel = "TRAIN.cfg", description = "also time training on these configurations") Path train;
        @Option(names = "--iterations", description = "BFGS iterations timed per potential (default ${DEFAULT-VALUE})") int iterations = 10;
        @Option(names = "--repeat", description = "timed evaluations (default ${DEFAULT-VALUE})") int repeat = 20;
        @Option(names = "--warmup", description = "untimed evaluations (default ${DEFAULT-VALUE})") int warmup = 10;
        @Option(names = "--rounds", description = "alternating timing rounds (default ${DEFAULT-VALUE})") int rounds = 3;
        @Option(names = "--threads", description = "threads (default ${DEFAULT-VALUE})") int threads = 1;

        @Override public Integer call() {
            System.out.print(CompressionBench.run(pots, evalCfg, train, iterations, repeat, warmup, rounds, threads));
            return 0;
        }
    }
}
