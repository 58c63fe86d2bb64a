package org.mtpjava.workflow.ductility;

import org.mtpjava.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Ternary maps of the Mo-Nb-Ta triangle (Java2D): values at the grid compositions, linearly interpolated on
 * the triangular grid (barycentric within each grid triangle), grid points marked and labelled, and optional
 * contour lines by marching triangles. Mo at the top, Nb bottom left, Ta bottom right.
 */
public final class TernaryMaps {
    private TernaryMaps() {}

    private static final int W = 900, H = 860, LEFT = 90, RIGHT = 170, TOP = 90, BOTTOM = 120;

    /** One map: title, value per summary, colour bar label, contour levels, diverging colours around a centre. */
    record Spec(String file, String title, String unit, ToDoubleFunction<Summary> value, double[] contours, Double centre) {}

    /** Writes the standard maps (D/D_c with the ductility contour, γ_usf, γ_s{100}, γ_s{110}, C44, a₀). */
    public static List<Path> writeAll(Path dir, List<Summary> rows, double ductileBelow, String title) {
        List<Spec> specs = List.of(
                new Spec("d_over_dc.png", "D/D_c (contour: D/D_c = " + LammpsScripts.num(ductileBelow) + ")", "D/D_c", Summary::dOverDc,
                        new double[]{ductileBelow}, ductileBelow),
                new Spec("gamma_usf.png", "{110}<111> unstable stacking-fault energy", "γ_usf (J/m²)", Summary::gammaUsf, new double[0], null),
                new Spec("gamma_s100.png", "{100} surface energy", "γ_s (J/m²)", Summary::gammaS100, new double[0], null),
                new Spec("gamma_s110.png", "{110} surface energy", "γ_s (J/m²)", Summary::gammaS110, new double[0], null),
                new Spec("c44.png", "C44", "C44 (GPa)", Summary::c44, new double[0], null),
                new Spec("a0.png", "lattice constant", "a₀ (Å)", Summary::a0, new double[0], null));
        List<Path> out = new ArrayList<>();
        for (Spec s : specs) {
            Path f = dir.resolve(s.file());
            write(f, title + ": " + s.title(), s.unit(), rows, s.value(), s.contours(), s.centre());
            out.add(f);
        }
        return out;
    }

    static void write(Path png, String title, String unit, List<Summary> rows, ToDoubleFunction<Summary> value, double[] contours, Double centre) {
        int m = gridDivisions(rows);
        double[][] grid = null; // grid[i][j] value at Mo = i/m, Nb = j/m
        if (m > 0) {
            grid = new double[m + 1][m + 1];
            for (double[] g : grid) java.util.Arrays.fill(g, Double.NaN);
            for (Summary s : rows) grid[(int) Math.round(s.mo() * m)][(int) Math.round(s.nb() * m)] = value.applyAsDouble(s);
        }
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Summary s : rows) {
            double v = value.applyAsDouble(s);
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (centre != null && Double.isFinite(lo)) { // symmetric around the centre
            double half = Math.max(Math.abs(hi - centre), Math.abs(centre - lo));
            if (half == 0) half = 0.05 * Math.abs(centre) + 1e-9;
            lo = centre - half;
            hi = centre + half;
        }
        if (Double.isFinite(lo) && hi == lo) { hi = lo + 1e-9; }

        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double side = Math.min(W - LEFT - RIGHT, (H - TOP - BOTTOM) / (Math.sqrt(3) / 2));
        double ox = LEFT, oy = TOP + side * Math.sqrt(3) / 2; // Nb corner in pixels

        // fill
        if (grid != null && Double.isFinite(lo)) {
            for (int py = TOP; py <= (int) oy; py++)
                for (int px = LEFT; px <= LEFT + (int) side; px++) {
                    double x = (px - ox) / side, y = (oy - py) / side;
                    double mo = y / (Math.sqrt(3) / 2), ta = x - 0.5 * mo, nb = 1 - mo - ta;
                    if (mo < -1e-9 || ta < -1e-9 || nb < -1e-9) continue;
                    double v = interpolate(grid, m, mo, nb);
                    if (Double.isFinite(v)) img.setRGB(px, py, colour((v - lo) / (hi - lo), centre != null).getRGB());
                }
        }
        // contours
        if (grid != null) {
            g.setStroke(new BasicStroke(3f));
            g.setColor(Color.BLACK);
            for (double level : contours) for (double[] seg : contour(grid, m, level)) {
                double[] p1 = pixel(seg[0], seg[1], ox, oy, side), p2 = pixel(seg[2], seg[3], ox, oy, side);
                g.draw(new Line2D.Double(p1[0], p1[1], p2[0], p2[1]));
            }
        }
        // triangle and ticks
        g.setStroke(new BasicStroke(2f));
        g.setColor(Color.BLACK);
        // pixel(mo, nb): pure Nb at (0, 1) bottom left, pure Ta at (0, 0) bottom right, pure Mo at (1, 0) top
        double[] nbC = pixel(0, 1, ox, oy, side), taC = pixel(0, 0, ox, oy, side), moC = pixel(1, 0, ox, oy, side);
        Path2D tri = new Path2D.Double();
        tri.moveTo(nbC[0], nbC[1]);
        tri.lineTo(taC[0], taC[1]);
        tri.lineTo(moC[0], moC[1]);
        tri.closePath();
        g.draw(tri);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setStroke(new BasicStroke(1f));
        for (int k = 1; k < 10; k++) {
            double f = k / 10.0;
            String lab = Integer.toString(k * 10);
            double[] left = pixel(f, 1 - f, ox, oy, side);  // Nb-Mo edge (Ta = 0): at.% Mo
            g.drawString(lab, (float) left[0] - 28, (float) left[1] + 4);
            double[] bottom = pixel(0, 1 - f, ox, oy, side); // Nb-Ta edge (Mo = 0): at.% Ta
            g.drawString(lab, (float) bottom[0] - 8, (float) bottom[1] + 20);
            double[] right = pixel(f, 0, ox, oy, side);      // Ta-Mo edge (Nb = 0): at.% Mo
            g.drawString(lab, (float) right[0] + 8, (float) right[1] + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString("Mo", (float) moC[0] - 14, (float) moC[1] - 14);
        g.drawString("Nb", (float) nbC[0] - 40, (float) nbC[1] + 28);
        g.drawString("Ta", (float) taC[0] + 8, (float) taC[1] + 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("ticks: at.% Mo on the side edges, at.% Ta on the bottom edge (Nb = the rest)", LEFT, H - 20);

        // points and labels
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (Summary s : rows) {
            double[] p = pixel(s.mo(), s.nb(), ox, oy, side);
            double v = value.applyAsDouble(s);
            g.setColor(Double.isFinite(v) ? Color.BLACK : Color.RED);
            g.fillOval((int) p[0] - 3, (int) p[1] - 3, 7, 7);
            String t = Double.isFinite(v) ? fmt(v) : "n/a";
            g.drawString(t, (float) p[0] + 5, (float) p[1] - 5);
        }
        // colour bar
        if (Double.isFinite(lo)) {
            int bx = W - RIGHT + 60, by = TOP, bh = (int) (side * Math.sqrt(3) / 2), bw = 22;
            for (int k = 0; k < bh; k++) {
                g.setColor(colour(1 - (double) k / bh, centre != null));
                g.fillRect(bx, by + k, bw, 1);
            }
            g.setColor(Color.BLACK);
            g.drawRect(bx, by, bw, bh);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int k = 0; k <= 4; k++) {
                double v = hi - (hi - lo) * k / 4;
                g.drawString(fmt(v), bx + bw + 4, by + bh * k / 4 + 4);
            }
            for (double level : contours) {
                int yy = by + (int) ((hi - level) / (hi - lo) * bh);
                g.setStroke(new BasicStroke(3f));
                g.drawLine(bx - 4, yy, bx + bw + 4, yy);
            }
            g.drawString(unit, bx - 20, by - 12);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        String t = title.length() > 95 ? title.substring(0, 95) + "…" : title;
        g.drawString(t, Math.max(10, (W - fm.stringWidth(t)) / 2), 40);
        g.dispose();
        AtomicFiles.write(png, out -> ImageIO.write(img, "png", out));
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        return a >= 100 ? String.format(Locale.ROOT, "%.0f", v) : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    private static double[] pixel(double mo, double nb, double ox, double oy, double side) {
        double ta = 1 - mo - nb;
        double x = ta + 0.5 * mo, y = mo * Math.sqrt(3) / 2;
        return new double[]{ox + x * side, oy - y * side};
    }

    /** The number m of grid divisions (all fractions multiples of 1/m, m ≤ 100), or 0 if none fits. */
    static int gridDivisions(List<Summary> rows) {
        for (int m = 1; m <= 100; m++) {
            boolean ok = true;
            for (Summary s : rows) {
                if (Math.abs(s.mo() * m - Math.rint(s.mo() * m)) > 1e-6 || Math.abs(s.nb() * m - Math.rint(s.nb() * m)) > 1e-6) {
                    ok = false;
                    break;
                }
            }
            if (ok) return rows.isEmpty() ? 0 : m;
        }
        return 0;
    }

    /** Linear interpolation in the grid triangle containing (mo, nb); NaN if a vertex has no value. */
    static double interpolate(double[][] g, int m, double mo, double nb) {
        double u = mo * m, v = nb * m;
        int i = (int) Math.floor(u), j = (int) Math.floor(v);
        if (i >= m) i = m - 1;
        if (j >= m) j = m - 1;
        if (i < 0) i = 0;
        if (j < 0) j = 0;
        double fu = u - i, fv = v - j;
        if (i + j >= m) { // on the hypotenuse edge: clamp into the last up-triangle
            if (i + j > m - 1) { i = Math.max(0, m - 1 - j); fu = u - i; }
        }
        if (fu + fv <= 1 || i + j + 2 > m) {
            double a = at(g, i, j), b = at(g, i + 1, j), c = at(g, i, j + 1);
            return a + fu * (b - a) + fv * (c - a);
        }
        double a = at(g, i + 1, j + 1), b = at(g, i, j + 1), c = at(g, i + 1, j);
        return a + (1 - fu) * (b - a) + (1 - fv) * (c - a);
    }

    private static double at(double[][] g, int i, int j) {
        if (i < 0 || j < 0 || i >= g.length || j >= g.length || i + j > g.length - 1) return Double.NaN;
        return g[i][j];
    }

    /** Contour segments {mo1, nb1, mo2, nb2} of the level on the grid (marching triangles). */
    static List<double[]> contour(double[][] g, int m, double level) {
        List<double[]> segs = new ArrayList<>();
        for (int i = 0; i < m; i++)
            for (int j = 0; i + j < m; j++) {
                tri(g, m, level, segs, new int[][]{{i, j}, {i + 1, j}, {i, j + 1}});
                if (i + j + 2 <= m) tri(g, m, level, segs, new int[][]{{i + 1, j}, {i, j + 1}, {i + 1, j + 1}});
            }
        return segs;
    }

    private static void tri(double[][] g, int m, double level, List<double[]> segs, int[][] v) {
        double[] val = new double[3];
        for (int k = 0; k < 3; k++) {
            val[k] = at(g, v[k][0], v[k][1]);
            if (!Double.isFinite(val[k])) return;
        }
        List<double[]> pts = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            int l = (k + 1) % 3;
            double a = val[k] - level, b = val[l] - level;
            if ((a < 0) != (b < 0)) {
                double t = a / (a - b);
                pts.add(new double[]{(v[k][0] + t * (v[l][0] - v[k][0])) / m, (v[k][1] + t * (v[l][1] - v[k][1])) / m});
            }
        }
        if (pts.size() == 2) segs.add(new double[]{pts.get(0)[0], pts.get(0)[1], pts.get(1)[0], pts.get(1)[1]});
    }

    /** Viridis-like sequential map, or blue-white-red diverging map; t in [0, 1]. */
    static Color colour(double t, boolean diverging) {
        t = Math.max(0, Math.min(1, t));
        float[][] stops = diverging
                ? new float[][]{{0.13f, 0.30f, 0.65f}, {0.55f, 0.72f, 0.90f}, {0.97f, 0.97f, 0.97f}, {0.95f, 0.65f, 0.55f}, {0.70f, 0.10f, 0.15f}}
                : new float[][]{{0.27f, 0.00f, 0.33f}, {0.23f, 0.32f, 0.55f}, {0.13f, 0.57f, 0.55f}, {0.37f, 0.79f, 0.38f}, {0.99f, 0.91f, 0.14f}};
        double x = t * (stops.length - 1);
        int k = Math.min(stops.length - 2, (int) Math.floor(x));
        double f = x - k;
        float r = (float) (stops[k][0] + f * (stops[k + 1][0] - stops[k][0]));
        float gg = (float) (stops[k][1] + f * (stops[k + 1][1] - stops[k][1]));
        float b = (float) (stops[k][2] + f * (stops[k + 1][2] - stops[k][2]));
        return new Color(r, gg, b);
    }
}
