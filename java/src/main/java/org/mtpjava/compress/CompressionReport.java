package org.mtpjava.compress;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.eval.ErrorStatistics;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The acceptance report of examples/compression: test RMSEs and parameter counts of every trained model, a plot of
 * RMSE against the number of radial parameters (one curve per method), and bcc lattice constants and elastic
 * constants of selected models. {@code java -cp mtpjava.jar org.mtpjava.compress.CompressionReport --test TEST.cfg
 * --out DIR [--elastic "name ..."] name=pot.mtp ...}; the method of a run is its name without the trailing digits.
 */
public final class CompressionReport {
    private CompressionReport() {}

    /** Test errors of one model. */
    public record Row(String name, String method, int radial, int total, double eRmse, double fRmse, double sRmse,
                      double mRmse, double trainSeconds, int iterations, String describe, int dense,
                      double eIn, double fIn, double sIn) {}

    /** Configurations whose config_type starts with this are reported separately (out-of-distribution groups). */
    static String splitPrefix = null;

    /** With --in-range: test configurations with a pair closer than the models' min_dist (the radial basis is then
     * extrapolated below its interval) are also left out of the split statistics; null = keep them. */
    static boolean[] outOfRange = null;
    static double rangeMinDist = Double.NaN;

    static final double GPA = ErrorStatistics.EV_PER_A3_TO_GPA;

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path test = null, out = Path.of(".");
        int threads = 2;
        String elastic = "";
        String iterations = "";
        Map<String, Path> pots = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--test" -> test = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--elastic" -> elastic = args[++i];
                case "--iterations" -> iterations = args[++i];
                case "--split" -> splitPrefix = args[++i];
                case "--in-range" -> outOfRange = new boolean[0];
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq < 0) throw new IllegalArgumentException("expected name=potential, got " + args[i]);
                    pots.put(args[i].substring(0, eq), Path.of(args[i].substring(eq + 1)));
                }
            }
        }
        if (test == null) throw new IllegalArgumentException("--test TEST.cfg is required");
        List<Configuration> cfgs = CfgFiles.read(test);
        List<Row> rows = new ArrayList<>();
        Map<String, Potential> loaded = new LinkedHashMap<>();
        for (var e : pots.entrySet()) loaded.put(e.getKey(), PotentialFiles.read(e.getValue()));
        if (outOfRange != null) {
            if (splitPrefix == null) splitPrefix = "\0none";
            rangeMinDist = loaded.values().stream().mapToDouble(Potential::minDist).max().orElse(0);
            outOfRange = new boolean[cfgs.size()];
            for (int c = 0; c < cfgs.size(); c++) outOfRange[c] = smallestDistance(cfgs.get(c), rangeMinDist) < rangeMinDist;
        }
        for (var e : pots.entrySet()) {
            Potential p = loaded.get(e.getKey());
            rows.add(errors(e.getKey(), p, e.getValue(), cfgs, threads));
            System.err.println("evaluated " + e.getKey());
        }
        StringBuilder md = new StringBuilder();
        md.append(table(rows, test, cfgs.size(), iterations));
        List<String> el = new ArrayList<>();
        for (String s : elastic.trim().split("\\s+")) if (!s.isEmpty() && loaded.containsKey(s)) el.add(s);
        if (!el.isEmpty()) md.append('\n').append(elasticTable(el, loaded));
        Files.createDirectories(out);
        byte[] text = md.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve("report.md"), o -> o.write(text));
        plot(rows, out.resolve("rmse_vs_parameters.png"), false);
        if (splitPrefix != null) plot(rows, out.resolve("rmse_vs_parameters_split.png"), true);
        System.out.print(md);
    }

    static Row errors(String name, Potential p, Path file, List<Configuration> cfgs, int threads) {
        ErrorStatistics st = new ErrorStatistics(), in = new ErrorStatistics();
        try (EfsCalculator calc = new EfsCalculator(p, threads)) {
            for (int c = 0; c < cfgs.size(); c++) {
                Configuration ref = cfgs.get(c);
                Configuration pred = ref.copy();
                calc.computeInto(pred);
                st.add(ref, pred);
                String g = ref.features().get("config_type");
                if (splitPrefix != null && (g == null || !g.startsWith(splitPrefix)) && (outOfRange == null || !outOfRange[c])) in.add(ref, pred);
            }
        }
        String method = name.replaceAll("[0-9]+$", "");
        int radial = p.radialParameterCount();
        int total = radial + p.speciesCount() + p.basis().scalarCount();
        double seconds = Double.NaN;
        int its = -1;
        Path log = file.resolveSibling(file.getFileName().toString().replaceAll("\\.a?mtp$", "") + ".log");
        if (Files.exists(log)) {
            try {
                Matcher m = Pattern.compile("training done: (\\d+) BFGS iterations, .* ([0-9.]+) s").matcher(Files.readString(log));
                while (m.find()) {
                    its = Integer.parseInt(m.group(1));
                    seconds = Double.parseDouble(m.group(2));
                }
            } catch (java.io.IOException ignored) {
                // no timing then
            }
        }
        int dense = p.radialCoefficients().length;
        String d = p.radialRepresentation() instanceof Factorisation f ? f.describe() : "plain MTP, " + dense + " dense radial coefficients";
        double m = st.magneticComponent().count() > 0 ? st.magneticComponent().rmse() : Double.NaN;
        return new Row(name, method, radial, total, 1000 * st.energyPerAtom().rmse(), st.forceComponent().rmse(), st.stressComponentGpa().rmse(),
                m, seconds, its, d, dense, 1000 * in.energyPerAtom().rmse(), in.forceComponent().rmse(), in.stressComponentGpa().rmse());
    }

    /** The smallest interatomic distance of a configuration, searched up to {@code upTo} (returns upTo if none is closer). */
    static double smallestDistance(Configuration cfg, double upTo) {
        org.mtpjava.neighbours.NeighbourList nl = org.mtpjava.neighbours.NeighbourList.build(cfg, upTo);
        double[] v = nl.vectors();
        double best = upTo;
        for (int k = 0; k < 3 * nl.pairs(); k += 3) best = Math.min(best, Math.sqrt(v[k] * v[k] + v[k + 1] * v[k + 1] + v[k + 2] * v[k + 2]));
        return best;
    }

    static String splitLabel() {
        String g = splitPrefix.startsWith("\0") ? "" : "w/o " + splitPrefix;
        if (outOfRange == null) return g;
        return (g.isEmpty() ? "" : g + ", ") + String.format(Locale.ROOT, "r ≥ %.3f Å", rangeMinDist);
    }

    static String table(List<Row> rows, Path test, int ncfg, String iterations) {
        Row base = rows.stream().filter(r -> r.method().equals("base")).findFirst().orElse(null);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Test set: %s (%d configurations)%s%n%n", test.getFileName(), ncfg,
                iterations.isEmpty() ? "" : "; every model: 75 pre-training + " + iterations + " BFGS iterations"));
        if (outOfRange != null) {
            int out = 0;
            for (boolean b : outOfRange) if (b) out++;
            sb.append(String.format(Locale.ROOT, "%d test configurations have a pair closer than the models' min_dist %.4f Å (radial basis extrapolated below its "
                    + "interval); columns '%s' leave them out%s.%n%n", out, rangeMinDist, splitLabel(),
                    splitPrefix.startsWith("\0") ? "" : " and the " + splitPrefix + " groups"));
        }
        boolean mag = rows.stream().anyMatch(r -> !Double.isNaN(r.mRmse()));
        int dense = rows.isEmpty() ? 512 : rows.get(0).dense();
        sb.append("| model | radial params | % of " + dense + " | all params | base / all | E RMSE (meV/atom) | F RMSE (eV/Å) | S RMSE (GPa) |"
                + (mag ? " dE/dm RMSE (eV/μB) |" : "") + " E / base | F / base |"
                + (splitPrefix != null ? " E " + splitLabel() + " | F " + splitLabel() + " | S " + splitLabel() + " | E / base | F / base |" : "") + " training time |\n");
        sb.append("|---|---|---|---|---|---|---|---|" + (mag ? "---|" : "") + "---|---|" + (splitPrefix != null ? "---|---|---|---|---|" : "") + "---|\n");
        for (Row r : rows) {
            String split = splitPrefix == null ? "" : String.format(Locale.ROOT, " %.3f | %.4f | %.3f | %s | %s |", r.eIn(), r.fIn(), r.sIn(),
                    base == null ? "-" : String.format(Locale.ROOT, "%.3f", r.eIn() / base.eIn()), base == null ? "-" : String.format(Locale.ROOT, "%.3f", r.fIn() / base.fIn()));
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d | %s | %.3f | %.4f | %.3f |%s %s | %s |%s %s |%n", r.name(), r.radial(), 100.0 * r.radial() / r.dense(),
                    r.total(), base == null ? "-" : String.format(Locale.ROOT, "%.2fx", (double) base.total() / r.total()),
                    r.eRmse(), r.fRmse(), r.sRmse(), mag ? String.format(Locale.ROOT, " %.4f |", r.mRmse()) : "",
                    base == null ? "-" : String.format(Locale.ROOT, "%.3f", r.eRmse() / base.eRmse()),
                    base == null ? "-" : String.format(Locale.ROOT, "%.3f", r.fRmse() / base.fRmse()), split,
                    Double.isNaN(r.trainSeconds()) ? "-" : String.format(Locale.ROOT, "%.0f s", r.trainSeconds())));
        }
        sb.append("\nRepresentations:\n\n");
        for (Row r : rows) sb.append("* ").append(r.name()).append(": ").append(r.describe()).append('\n');
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------
    // bcc lattice constant and cubic elastic constants (2-atom cubic cell; a Bravais lattice needs no internal relaxation)

    /** Element name, species label in the NbMoTaW data (Nb 0, Mo 1, Ta 2, W 3), starting lattice constant. */
    static final Object[][] ELEMENTS = {{"Mo", 1, 3.16}, {"Nb", 0, 3.31}, {"Ta", 2, 3.32}};

    /** a0 (A), C11, C12, C44 (GPa). */
    public static double[] elastic(Potential p, int type, double aStart) {
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            // P(a) = 0 by secant iterations
            double a0 = aStart, a1 = aStart * 1.01;
            double p0 = pressure(calc, type, a0), p1 = pressure(calc, type, a1);
            for (int it = 0; it < 40 && Math.abs(p1) > 1e-7; it++) {
                double a2 = a1 - p1 * (a1 - a0) / (p1 - p0);
                a0 = a1;
                p0 = p1;
                a1 = a2;
                p1 = pressure(calc, type, a1);
            }
            double a = a1, d = 0.005;
            double[] sp = stress(calc, type, a, strain(0, d)), sm = stress(calc, type, a, strain(0, -d));
            double c11 = (sp[0] - sm[0]) / (2 * d), c12 = (sp[1] - sm[1]) / (2 * d);
            double[] tp = stress(calc, type, a, strain(3, d)), tm = stress(calc, type, a, strain(3, -d));
            double c44 = (tp[3] - tm[3]) / (2 * d);
            return new double[]{a, c11, c12, c44};
        }
    }

    /** Deformation gradient for Voigt component k (0..2 normal, 3..5 engineering shear yz, xz, xy) of size e. */
    static double[] strain(int k, double e) {
        double[] f = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        switch (k) {
            case 0 -> f[0] += e;
            case 3 -> { f[5] += e / 2; f[7] += e / 2; }
            default -> throw new IllegalArgumentException("strain " + k);
        }
        return f;
    }

    static Configuration cell(int type, double a, double[] f) {
        Configuration c = new Configuration(2);
        double[] lat = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) lat[3 * i + j] = a * f[3 * j + i]; // row i = F (a e_i)
        c.setLattice(lat);
        double[] x = c.positions();
        double h = a / 2;
        for (int j = 0; j < 3; j++) x[3 + j] = f[3 * j] * h + f[3 * j + 1] * h + f[3 * j + 2] * h;
        c.types()[0] = type;
        c.types()[1] = type;
        return c;
    }

    /** Stress (GPa, tension positive, Voigt xx yy zz yz xz xy). */
    static double[] stress(EfsCalculator calc, int type, double a, double[] f) {
        Configuration c = cell(type, a, f);
        EfsCalculator.Result r = calc.compute(c);
        double v = c.volume();
        double[] w = r.stress(); // virial, MLIP order xx yy zz yz xz xy, positive under compression
        double[] s = new double[6];
        for (int i = 0; i < 6; i++) s[i] = -w[i] / v * GPA;
        return s;
    }

    static double pressure(EfsCalculator calc, int type, double a) {
        double[] s = stress(calc, type, a, strain(0, 0));
        return -(s[0] + s[1] + s[2]) / 3;
    }

    static String elasticTable(List<String> names, Map<String, Potential> pots) {
        StringBuilder sb = new StringBuilder();
        sb.append("bcc lattice constant and elastic constants (2-atom cell, P = 0, ±0.5 % strain; deviation from base in parentheses)\n\n");
        sb.append("| model | element | a0 (Å) | C11 (GPa) | C12 (GPa) | C44 (GPa) |\n|---|---|---|---|---|---|\n");
        Map<String, double[]> base = new LinkedHashMap<>();
        double worst = 0;
        for (String n : names) {
            for (Object[] el : ELEMENTS) {
                double[] v = elastic(pots.get(n), (Integer) el[1], (Double) el[2]);
                double[] b = base.get((String) el[0]);
                if (n.equals(names.get(0))) base.put((String) el[0], v);
                StringBuilder cells = new StringBuilder();
                for (int k = 0; k < 4; k++) {
                    cells.append(" | ").append(String.format(Locale.ROOT, k == 0 ? "%.4f" : "%.1f", v[k]));
                    if (b != null) {
                        double dev = 100 * (v[k] - b[k]) / b[k];
                        worst = Math.max(worst, Math.abs(dev));
                        cells.append(String.format(Locale.ROOT, " (%+.2f %%)", dev));
                    }
                }
                sb.append("| ").append(n).append(" | ").append(el[0]).append(cells).append(" |\n");
            }
        }
        sb.append(String.format(Locale.ROOT, "%nlargest deviation from %s: %.2f %%%n", names.get(0), worst));
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------

    static void plot(List<Row> rows, Path png, boolean split) {
        String suffix = split ? " " + splitLabel() : "";
        String[] titles = {"energy RMSE (meV/atom)" + suffix, "force RMSE (eV/Å)" + suffix, "stress RMSE (GPa)" + suffix};
        int w = 560, h = 460;
        BufferedImage img = new BufferedImage(3 * w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        Row base = rows.stream().filter(r -> r.method().equals("base")).findFirst().orElse(null);
        for (int panel = 0; panel < 3; panel++) {
            XYSeriesCollection data = new XYSeriesCollection();
            Map<String, XYSeries> byMethod = new LinkedHashMap<>();
            for (Row r : rows) {
                if (r.method().equals("base")) continue;
                XYSeries s = byMethod.computeIfAbsent(r.method(), k -> new XYSeries(k.toUpperCase(Locale.ROOT).replace("RMF", "R-MF"), true, true));
                s.add(r.radial(), value(r, panel, split));
            }
            for (XYSeries s : byMethod.values()) {
                if (base != null) s.add(base.radial(), value(base, panel, split)); // every curve ends at the base (512)
                data.addSeries(s);
            }
            if (base != null) {
                XYSeries b = new XYSeries("base", true, true);
                b.add(base.radial(), value(base, panel, split));
                data.addSeries(b);
            }
            JFreeChart chart = ChartFactory.createXYLineChart(titles[panel], "radial parameters", titles[panel], data,
                    PlotOrientation.VERTICAL, true, false, false);
            XYPlot plot = chart.getXYPlot();
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            XYLineAndShapeRenderer rend = new XYLineAndShapeRenderer(true, true);
            for (int s = 0; s < data.getSeriesCount(); s++) rend.setSeriesStroke(s, new BasicStroke(2f));
            if (base != null) {
                rend.setSeriesPaint(data.getSeriesCount() - 1, Color.BLACK);
                rend.setSeriesShape(data.getSeriesCount() - 1, new java.awt.geom.Rectangle2D.Double(-5, -5, 10, 10));
            }
            plot.setRenderer(rend);
            ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
            chart.draw(g, new java.awt.Rectangle(panel * w, 0, w, h));
        }
        g.dispose();
        AtomicFiles.write(png, o -> ImageIO.write(img, "png", o));
    }

    private static double value(Row r, int panel, boolean split) {
        if (split) return panel == 0 ? r.eIn() : panel == 1 ? r.fIn() : r.sIn();
        return panel == 0 ? r.eRmse() : panel == 1 ? r.fRmse() : r.sRmse();
    }
}
