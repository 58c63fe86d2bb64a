package org.mtpjava.cli;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.eval.ErrorStatistics;
import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.plot.Plots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check-errors", mixinStandardHelpOptions = true,
        description = {"Compares a potential's predictions with the reference energies, forces and stresses in DATA.cfg "
                + "(MLIP-3's check_errors).",
                "Prints MLIP-3's report (per-atom force vector norms, Frobenius stress norms) and the per-component table "
                        + "used in the literature: energy MAE/RMSE in meV/atom (each configuration weight 1), force MAE/RMSE over "
                        + "every Cartesian component (eV/A), stress per component (GPa), magnetic forces if present."})
public final class CheckErrorsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POT") Path potentialFile;
    @Parameters(index = "1", paramLabel = "DATA.cfg") Path data;
    @Option(names = "--report-to", paramLabel = "FILE", description = "also write the report to FILE")
    Path reportTo;
    @Option(names = "--plot", paramLabel = "FILE.png", description = "write parity plots (energy, forces, stress, magnetic forces)")
    Path plot;
    @Option(names = "--threads", description = "worker threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--mlip-magnetic-fallback", description = "magnetic potential on data without moments: MLIP-3's behaviour")
    boolean mlipMagneticFallback;
    @Option(names = "--magnetic-extrapolation", description = "evaluate moments outside the magnetic interval (default: stop with an error)")
    boolean magneticExtrapolation;

    @Override public Integer call() {
        Potential p = Cli.readPotential(potentialFile);
        ErrorStatistics stats = new ErrorStatistics();
        int[] k = {0};
        try (EfsCalculator calc = new EfsCalculator(p, Math.max(1, threads))) {
            if (mlipMagneticFallback) calc.setMissingMoments(EfsCalculator.MissingMoments.MLIP_SUM);
            CfgFiles.forEach(data, ref -> {
                k[0]++;
                Configuration pred = ref.copy();
                pred.clearComputed();
                try {
                    if (!magneticExtrapolation) org.mtpjava.magnetic.MomentChecks.requireInsideInterval(p, pred, "use --magnetic-extrapolation to evaluate anyway");
                    calc.computeInto(pred);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(data + ": configuration " + k[0] + ": " + e.getMessage(), e);
                }
                stats.add(ref, pred);
            });
        }
        String report = stats.mlipReport() + "\n" + stats.componentTable();
        System.out.print(report);
        if (reportTo != null) AtomicFiles.writeString(reportTo, report);
        if (plot != null) {
            List<Plots.Parity> panels = new ArrayList<>();
            panels.add(new Plots.Parity("energy", "eV/atom", stats.energyParity()));
            panels.add(new Plots.Parity("forces", "eV/A", stats.forceParity()));
            panels.add(new Plots.Parity("stress", "GPa", stats.stressParity()));
            panels.add(new Plots.Parity("magnetic forces", "eV/muB", stats.magneticParity()));
            Plots.parity(plot, potentialFile.getFileName().toString(), panels);
            System.err.println("check-errors: parity plot written to " + plot);
        }
        return 0;
    }
}
