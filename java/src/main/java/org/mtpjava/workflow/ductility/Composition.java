package org.mtpjava.workflow.ductility;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point of the Mo-Nb-Ta composition triangle, in atomic fractions that sum to 1. Fractions are kept on a
 * 1e-4 raster (percent with two decimals) so that labels, file names and grid points are exact.
 */
public record Composition(double mo, double nb, double ta) {
    /** Element names in the order used everywhere in this workflow (LAMMPS types 1, 2, 3). */
    public static final String[] ELEMENTS = {"Mo", "Nb", "Ta"};
    /** Atomic masses (g/mol) of Mo, Nb, Ta (IUPAC standard atomic weights). */
    public static final double[] MASSES = {95.95, 92.90637, 180.94788};

    private static final Pattern LABEL = Pattern.compile("Mo(\\d+(?:\\.\\d+)?)Nb(\\d+(?:\\.\\d+)?)Ta(\\d+(?:\\.\\d+)?)");

    public Composition {
        if (!(mo >= -1e-12 && nb >= -1e-12 && ta >= -1e-12))
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "composition fractions must be >= 0 (got Mo %.4f, Nb %.4f, Ta %.4f)", mo, nb, ta));
        double s = mo + nb + ta;
        if (Math.abs(s - 1) > 1e-6)
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "composition fractions must sum to 1 (got Mo %.4f + Nb %.4f + Ta %.4f = %.6f)", mo, nb, ta, s));
        mo = round4(mo);
        nb = round4(nb);
        ta = round4(1 - mo - nb);
    }

    private static double round4(double x) { return Math.max(0, Math.round(x * 1e4) / 1e4); }

    /** Fraction of element k (0 Mo, 1 Nb, 2 Ta). */
    public double fraction(int k) {
        return switch (k) {
            case 0 -> mo;
            case 1 -> nb;
            case 2 -> ta;
            default -> throw new IndexOutOfBoundsException(k);
        };
    }

    public double[] fractions() { return new double[]{mo, nb, ta}; }

    /** E.g. {@code Mo20Nb30Ta50}; percentages with decimals only where needed. */
    public String label() {
        return "Mo" + pct(mo) + "Nb" + pct(nb) + "Ta" + pct(ta);
    }

    private static String pct(double f) {
        double p = Math.round(f * 1e4) / 1e2;
        if (Math.abs(p - Math.rint(p)) < 1e-9) return Integer.toString((int) Math.rint(p));
        return String.format(Locale.ROOT, "%.2f", p).replaceAll("0+$", "");
    }

    /** Number of elements with a non-zero fraction (1 = pure element, 2 = binary, 3 = ternary). */
    public int components() {
        int n = 0;
        for (int k = 0; k < 3; k++) if (fraction(k) > 0) n++;
        return n;
    }

    /** Parses a label made by {@link #label()} (percentages). */
    public static Composition parse(String label) {
        Matcher m = LABEL.matcher(label.trim());
        if (!m.matches())
            throw new IllegalArgumentException("composition '" + label + "' is not of the form Mo<pct>Nb<pct>Ta<pct>, e.g. Mo20Nb30Ta50");
        double mo = Double.parseDouble(m.group(1)) / 100, nb = Double.parseDouble(m.group(2)) / 100,
                ta = Double.parseDouble(m.group(3)) / 100;
        return new Composition(mo, nb, ta);
    }

    /**
     * All compositions of the triangle with the given step (a divisor of 1 within 1e-9: 0.1, 0.25, 0.05, ...),
     * ordered by Mo then Nb: pure elements, binaries and ternaries included.
     */
    public static List<Composition> grid(double step) {
        if (!(step > 0 && step <= 1)) throw new IllegalArgumentException("grid step must be in (0, 1], got " + step);
        double n = 1 / step;
        long m = Math.round(n);
        if (Math.abs(n - m) > 1e-6)
            throw new IllegalArgumentException("grid step " + step + " does not divide 1 (use 0.1, 0.25, 0.2, 0.05, ...)");
        List<Composition> out = new ArrayList<>();
        for (long i = 0; i <= m; i++)
            for (long j = 0; j <= m - i; j++)
                out.add(new Composition((double) i / m, (double) j / m, (double) (m - i - j) / m));
        return out;
    }

    /**
     * Exact atom counts of Mo, Nb, Ta for n atoms (largest-remainder rounding, ties to the lower element index),
     * so that every cell of a composition has the same numbers.
     */
    public int[] counts(int n) {
        double[] f = fractions();
        int[] c = new int[3];
        int used = 0;
        double[] rem = new double[3];
        for (int k = 0; k < 3; k++) {
            double x = f[k] * n;
            c[k] = (int) Math.floor(x + 1e-9);
            rem[k] = x - c[k];
            used += c[k];
        }
        while (used < n) {
            int best = -1;
            for (int k = 0; k < 3; k++) if (f[k] > 0 && (best < 0 || rem[k] > rem[best] + 1e-12)) best = k;
            c[best]++;
            rem[best] = -1;
            used++;
        }
        return c;
    }

    /** Cartesian position in an equilateral triangle (Mo at the top, Nb bottom left, Ta bottom right). */
    public double[] ternaryXY() {
        return new double[]{ta + 0.5 * mo, mo * Math.sqrt(3) / 2};
    }

    @Override public String toString() { return label(); }
}
