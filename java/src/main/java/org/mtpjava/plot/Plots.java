package org.mtpjava.plot;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.mtpjava.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/** Headless PNG plots (JFreeChart): parity panels and line charts, written atomically. */
public final class Plots {
    private Plots() {}

    static { System.setProperty("java.awt.headless", "true"); }

    /** One parity panel: points (reference, predicted) with the y = x line. */
    public record Parity(String title, String unit, List<double[]> points) {}

    /** Writes parity panels side by side into one PNG (panels without points are skipped). */
    public static void parity(Path png, String title, List<Parity> panels) {
        List<Parity> shown = panels.stream().filter(p -> !p.points().isEmpty()).toList();
        if (shown.isEmpty()) return;
        int w = 460, h = 440;
        BufferedImage img = new BufferedImage(w * shown.size(), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int k = 0; k < shown.size(); k++) {
            Parity p = shown.get(k);
            XYSeries pts = new XYSeries(p.title(), false, true);
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            int stride = Math.max(1, p.points().size() / 20000); // keep the PNG quick for huge sets
            for (int i = 0; i < p.points().size(); i += stride) {
                double[] xy = p.points().get(i);
                pts.add(xy[0], xy[1]);
                lo = Math.min(lo, Math.min(xy[0], xy[1]));
                hi = Math.max(hi, Math.max(xy[0], xy[1]));
            }
            XYSeries diag = new XYSeries("y = x");
            diag.add(lo, lo);
            diag.add(hi, hi);
            XYSeriesCollection data = new XYSeriesCollection();
            data.addSeries(pts);
            data.addSeries(diag);
            JFreeChart chart = ChartFactory.createScatterPlot(title + ": " + p.title(), "reference (" + p.unit() + ")",
                    "predicted (" + p.unit() + ")", data, PlotOrientation.VERTICAL, false, false, false);
            XYPlot plot = chart.getXYPlot();
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
            r.setSeriesLinesVisible(0, false);
            r.setSeriesShapesVisible(0, true);
            r.setSeriesShape(0, new Ellipse2D.Double(-2, -2, 4, 4));
            r.setSeriesPaint(0, new Color(31, 119, 180, 160));
            r.setSeriesLinesVisible(1, true);
            r.setSeriesShapesVisible(1, false);
            r.setSeriesPaint(1, Color.BLACK);
            r.setSeriesStroke(1, new BasicStroke(1f));
            plot.setRenderer(r);
            chart.draw(g, new java.awt.Rectangle(k * w, 0, w, h));
        }
        g.dispose();
        writePng(png, img);
    }

    /** A line chart of one or more series sharing the x axis; {@code logY} for loss curves. */
    public static void lines(Path png, String title, String xLabel, String yLabel, List<String> names,
                             List<double[][]> series, boolean logY) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (int s = 0; s < series.size(); s++) {
            XYSeries xs = new XYSeries(names.get(s), false, true);
            for (double[] xy : series.get(s)) if (!logY || xy[1] > 0) xs.add(xy[0], xy[1]);
            data.addSeries(xs);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (logY) plot.setRangeAxis(new org.jfree.chart.axis.LogAxis(yLabel));
        BufferedImage img = chart.createBufferedImage(800, 500);
        writePng(png, img);
    }

    private static void writePng(Path png, BufferedImage img) {
        AtomicFiles.write(png, out -> ImageIO.write(img, "png", out));
    }
}
