package org.mtpjava.train;

import org.mtpjava.al.ActiveLearning;
import org.mtpjava.al.SelectionWeights;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.eval.ErrorStatistics;
import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.plot.Plots;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a finished training run leaves behind: the potential (with a fresh active set when written as
 * {@code .almtp}), the {@code check-errors} tables on the training and validation sets, parity plots and the
 * learning curve. Every file is written atomically.
 */
public final class TrainingOutputs {
    private TrainingOutputs() {}

    /** Errors of the potential on a set of reference configurations. */
    public static ErrorStatistics errors(Potential p, List<Configuration> data, int threads) {
        ErrorStatistics stats = new ErrorStatistics();
        try (EfsCalculator calc = new EfsCalculator(p, threads)) {
            for (Configuration ref : data) {
                if (ref.size() == 0) continue;
                Configuration pred = ref.copy();
                pred.clearComputed();
                calc.computeInto(pred);
                stats.add(ref, pred);
            }
        }
        return stats;
    }

    /** Fresh MaxVol active set over the training set, as MLIP-3 builds after fitting. */
    public static void selectActiveSet(Potential p, List<Configuration> train, SelectionWeights weights, int threads, Consumer<String> log) {
        p.setActiveSet(null);
        long t0 = System.nanoTime();
        var as = ActiveLearning.updateActiveSet(p, train, weights, threads);
        int filled = 0;
        for (int r : as.rowConfiguration()) if (r >= 0) filled++;
        log.accept(String.format(java.util.Locale.ROOT, "active set (%s rows): %d of %d rows filled from %d selected configurations (%.1f s)",
                SelectionWeights.of(as).rowKinds(), filled, as.n(), as.selected().size(), (System.nanoTime() - t0) * 1e-9));
    }

    /**
     * Saves the potential and writes reports next to it: {@code PREFIX.errors.txt}, {@code PREFIX.train-parity.png},
     * {@code PREFIX.valid-parity.png}, {@code PREFIX.learning-curve.png}, {@code PREFIX.rmse-curve.png}.
     *
     * @return the report text (also printed through {@code log})
     */
    public static String write(Trainer t, List<Configuration> train, List<Configuration> valid, Path out, String prefix,
                               boolean plots, int threads, Consumer<String> log) {
        Potential p = t.potential();
        PotentialFiles.write(p, out);
        log.accept("potential written to " + out);
        StringBuilder report = new StringBuilder();
        ErrorStatistics tr = errors(p, train, threads);
        report.append("Training set (").append(t.trainingSet().source()).append(")\n").append(tr.mlipReport()).append('\n').append(tr.componentTable());
        ErrorStatistics va = null;
        if (valid != null) {
            va = errors(p, valid, threads);
            report.append("\nValidation set (").append(t.validationSet().source()).append(")\n").append(va.mlipReport()).append('\n').append(va.componentTable());
        }
        AtomicFiles.writeString(Path.of(prefix + ".errors.txt"), report.toString());
        if (plots) {
            Plots.parity(Path.of(prefix + ".train-parity.png"), "training set", panels(tr));
            if (va != null) Plots.parity(Path.of(prefix + ".valid-parity.png"), "validation set", panels(va));
            learningCurves(t.history(), prefix);
        }
        log.accept(report.toString());
        log.accept("reports: " + prefix + ".errors.txt" + (plots ? ", " + prefix + ".{train-parity,"
                + (va != null ? "valid-parity," : "") + "learning-curve,rmse-curve}.png" : ""));
        return report.toString();
    }

    static List<Plots.Parity> panels(ErrorStatistics s) {
        List<Plots.Parity> panels = new ArrayList<>();
        panels.add(new Plots.Parity("energy", "eV/atom", s.energyParity()));
        panels.add(new Plots.Parity("forces", "eV/A", s.forceParity()));
        panels.add(new Plots.Parity("stress", "GPa", s.stressParity()));
        return panels;
    }

    static void learningCurves(List<Trainer.Iteration> h, String prefix) {
        if (h.isEmpty()) return;
        List<double[]> loss = new ArrayList<>();
        List<double[]> te = new ArrayList<>(), tf = new ArrayList<>(), ve = new ArrayList<>(), vf = new ArrayList<>();
        for (int i = 0; i < h.size(); i++) {
            Trainer.Iteration it = h.get(i);
            loss.add(new double[]{i, it.loss()});
            if (!Double.isNaN(it.trainE())) te.add(new double[]{i, 1000 * it.trainE()});
            if (!Double.isNaN(it.trainF())) tf.add(new double[]{i, 1000 * it.trainF()});
            if (!Double.isNaN(it.validE())) ve.add(new double[]{i, 1000 * it.validE()});
            if (!Double.isNaN(it.validF())) vf.add(new double[]{i, 1000 * it.validF()});
        }
        logLines(Path.of(prefix + ".learning-curve.png"), "training loss (pre-training, then main BFGS)", "BFGS iteration",
                "loss", List.of("loss"), List.<double[][]>of(loss.toArray(new double[0][])));
        List<String> names = new ArrayList<>();
        List<double[][]> series = new ArrayList<>();
        if (!te.isEmpty()) { names.add("train energy RMSE (meV/atom)"); series.add(te.toArray(new double[0][])); }
        if (!tf.isEmpty()) { names.add("train force RMSE (meV/A)"); series.add(tf.toArray(new double[0][])); }
        if (!ve.isEmpty()) { names.add("valid energy RMSE (meV/atom)"); series.add(ve.toArray(new double[0][])); }
        if (!vf.isEmpty()) { names.add("valid force RMSE (meV/A)"); series.add(vf.toArray(new double[0][])); }
        if (!series.isEmpty()) logLines(Path.of(prefix + ".rmse-curve.png"), "errors during training", "BFGS iteration", "RMSE", names, series);
    }

    /** A line chart with a logarithmic y axis labelled in scientific notation. */
    static void logLines(Path png, String title, String xLabel, String yLabel, List<String> names, List<double[][]> series) {
        org.jfree.data.xy.XYSeriesCollection data = new org.jfree.data.xy.XYSeriesCollection();
        for (int k = 0; k < series.size(); k++) {
            org.jfree.data.xy.XYSeries xs = new org.jfree.data.xy.XYSeries(names.get(k), false, true);
            for (double[] xy : series.get(k)) if (xy[1] > 0 && Double.isFinite(xy[1])) xs.add(xy[0], xy[1]);
            data.addSeries(xs);
        }
        org.jfree.chart.JFreeChart chart = org.jfree.chart.ChartFactory.createXYLineChart(title, xLabel, yLabel, data,
                org.jfree.chart.plot.PlotOrientation.VERTICAL, true, false, false);
        org.jfree.chart.plot.XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
        org.jfree.chart.axis.LogAxis axis = new org.jfree.chart.axis.LogAxis(yLabel);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("0.0##E0", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
        plot.setRangeAxis(axis);
        java.awt.image.BufferedImage img = chart.createBufferedImage(800, 500);
        AtomicFiles.write(png, out -> javax.imageio.ImageIO.write(img, "png", out));
    }
}
