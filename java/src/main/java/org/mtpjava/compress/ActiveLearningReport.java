package org.mtpjava.compress;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.mtpjava.al.RowMap;
import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Comparison of active-learning loops (examples/compression/active-learning.sh): per model the rounds, training-set
 * sizes, oracle calls (configurations selected and labelled) per round, and the final potential's errors against
 * the oracle on a test set; a Markdown table and a PNG.
 * {@code java -cp mtpjava.jar org.mtpjava.compress.ActiveLearningReport --test TEST.cfg --out DIR name=LOOPDIR ...}
 */
public final class ActiveLearningReport {
    private ActiveLearningReport() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path test = null, out = Path.of(".");
        Map<String, Path> loops = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--test" -> test = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq < 0) throw new IllegalArgumentException("expected name=loopdir, got " + args[i]);
                    loops.put(args[i].substring(0, eq), Path.of(args[i].substring(eq + 1)));
                }
            }
        }
        List<Configuration> cfgs = CfgFiles.read(test);
        StringBuilder sb = new StringBuilder();
        sb.append("| model | radial params | active-set dim | rounds | start → final training cfgs | oracle calls per round | total oracle calls"
                + " | final test E RMSE (meV/atom) | final test F RMSE (eV/Å) | start test E / F |\n|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<double[]>> sizes = new LinkedHashMap<>(), selected = new LinkedHashMap<>();
        for (var e : loops.entrySet()) {
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(e.getValue().resolve("rounds.csv"))) {
                if (line.startsWith("round")) continue;
                rows.add(line.split(","));
            }
            List<double[]> sz = new ArrayList<>(), sel = new ArrayList<>();
            StringBuilder calls = new StringBuilder();
            int total = 0;
            for (String[] r : rows) {
                int round = Integer.parseInt(r[0]);
                sz.add(new double[]{round, Double.parseDouble(r[1])});
                int s = Integer.parseInt(r[5]);
                sel.add(new double[]{round, s});
                total += s;
                calls.append(calls.length() > 0 ? ", " : "").append(s);
            }
            sizes.put(e.getKey(), sz);
            selected.put(e.getKey(), sel);
            Path last = lastPotential(e.getValue()), first = e.getValue().resolve("round-000").resolve("potential.almtp");
            Potential p = PotentialFiles.read(last);
            CompressionReport.Row fin = CompressionReport.errors(e.getKey(), p, last, cfgs, 2);
            String start = "-";
            if (Files.exists(first)) {
                CompressionReport.Row st = CompressionReport.errors(e.getKey(), PotentialFiles.read(first), first, cfgs, 2);
                start = String.format(Locale.ROOT, "%.2f / %.4f", st.eRmse(), st.fRmse());
            }
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d → %d | %s | %d | %.3f | %.4f | %s |%n", e.getKey(), p.radialParameterCount(),
                    RowMap.dimension(p), rows.size(), (int) sz.get(0)[1], (int) sz.get(sz.size() - 1)[1], calls, total, fin.eRmse(), fin.fRmse(), start));
        }
        Files.createDirectories(out);
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve("al-report.md"), o -> o.write(text));
        plot(sizes, selected, out.resolve("al-rounds.png"));
        System.out.print(sb);
    }

    static Path lastPotential(Path loop) throws java.io.IOException {
        try (Stream<Path> s = Files.list(loop)) {
            return s.filter(d -> d.getFileName().toString().startsWith("round-") && Files.exists(d.resolve("potential.almtp")))
                    .max(Path::compareTo).orElseThrow(() -> new IllegalStateException(loop + ": no round-NNN/potential.almtp")).resolve("potential.almtp");
        }
    }

    static void plot(Map<String, List<double[]>> sizes, Map<String, List<double[]>> selected, Path png) {
        int w = 620, h = 460;
        BufferedImage img = new BufferedImage(2 * w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        String[] titles = {"training-set size", "oracle calls (selected configurations)"};
        List<Map<String, List<double[]>>> data = List.of(sizes, selected);
        for (int k = 0; k < 2; k++) {
            XYSeriesCollection c = new XYSeriesCollection();
            for (var e : data.get(k).entrySet()) {
                XYSeries s = new XYSeries(e.getKey());
                for (double[] xy : e.getValue()) s.add(xy[0], xy[1]);
                c.addSeries(s);
            }
            JFreeChart chart = ChartFactory.createXYLineChart(titles[k] + " per round", "round", titles[k], c, PlotOrientation.VERTICAL, true, false, false);
            XYPlot plot = chart.getXYPlot();
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
            for (int i = 0; i < c.getSeriesCount(); i++) r.setSeriesStroke(i, new BasicStroke(2f));
            plot.setRenderer(r);
            chart.draw(g, new java.awt.Rectangle(k * w, 0, w, h));
        }
        g.dispose();
        AtomicFiles.write(png, o -> ImageIO.write(img, "png", o));
    }
}
