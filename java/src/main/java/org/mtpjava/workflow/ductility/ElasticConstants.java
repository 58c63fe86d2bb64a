package org.mtpjava.workflow.ductility;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Elastic constants from stresses at ± finite strains (central differences, so the error is second order in
 * the strain). Strain components in Voigt order xx yy zz yz xz xy with engineering shear strains; stresses in
 * GPa, tension positive. The cubic constants of a random-alloy cell are averages over the equivalent
 * components (C11 over 3, C12 over 6, C44 over 3); their spread measures the cell's chemical anisotropy.
 */
public final class ElasticConstants {
    private ElasticConstants() {}

    public static final List<String> VOIGT = List.of("xx", "yy", "zz", "yz", "xz", "xy");

    /** Stress (GPa, Voigt order, tension positive) of one strained, relaxed cell. */
    public record Point(String component, double eps, double[] stress) {}

    /**
     * Cubic elastic constants at one strain magnitude.
     *
     * @param strain   strain magnitude
     * @param c        the full 6×6 matrix (columns = strain components that were computed; others NaN)
     * @param c11      mean of C11, C22, C33
     * @param c12      mean of the six off-diagonal normal components
     * @param c44      mean of C44, C55, C66
     * @param c11Spread standard deviation of the three C11 estimates (likewise c12Spread, c44Spread)
     */
    public record Cubic(double strain, double[][] c, double c11, double c12, double c44,
                        double c11Spread, double c12Spread, double c44Spread) {
        /** Bulk modulus (C11 + 2 C12)/3. */
        public double bulkModulus() { return (c11 + 2 * c12) / 3; }
        /** Zener anisotropy 2 C44/(C11 − C12). */
        public double zener() { return 2 * c44 / (c11 - c12); }

        @Override public String toString() {
            return String.format(Locale.ROOT, "eps %.4g: C11 %.2f C12 %.2f C44 %.2f GPa", strain, c11, c12, c44);
        }
    }

    /**
     * Result over all strain magnitudes: the value of the smallest strain, and the largest relative change of
     * C11, C12, C44 between the smallest and the largest strain (the finite-strain convergence).
     */
    public record Result(Cubic value, List<Cubic> byStrain, double convergence) {}

    /** Fits the points (every component needs both +eps and −eps at each magnitude). */
    public static Result fit(List<Point> points) {
        TreeMap<Double, Map<String, double[][]>> byMag = new TreeMap<>();
        for (Point p : points) {
            if (p.stress().length != 6) throw new IllegalArgumentException("stress needs 6 components");
            if (!VOIGT.contains(p.component())) throw new IllegalArgumentException("unknown strain component " + p.component());
            if (p.eps() == 0) throw new IllegalArgumentException("zero strain");
            double mag = Math.abs(p.eps());
            double[][] pm = byMag.computeIfAbsent(mag, k -> new TreeMap<>()).computeIfAbsent(p.component(), k -> new double[2][]);
            pm[p.eps() > 0 ? 0 : 1] = p.stress();
        }
        if (byMag.isEmpty()) throw new IllegalArgumentException("no strain points");
        List<Cubic> list = new ArrayList<>();
        for (var e : byMag.entrySet()) {
            double eps = e.getKey();
            double[][] c = new double[6][6];
            for (double[] row : c) java.util.Arrays.fill(row, Double.NaN);
            for (var comp : e.getValue().entrySet()) {
                double[][] pm = comp.getValue();
                if (pm[0] == null || pm[1] == null)
                    throw new IllegalArgumentException("strain " + comp.getKey() + " at " + eps + " lacks the " + (pm[0] == null ? "+" : "-") + " side");
                int j = VOIGT.indexOf(comp.getKey());
                for (int i = 0; i < 6; i++) c[i][j] = (pm[0][i] - pm[1][i]) / (2 * eps);
            }
            list.add(cubic(eps, c));
        }
        Cubic small = list.get(0), large = list.get(list.size() - 1);
        double conv = 0;
        if (list.size() > 1) {
            conv = Math.max(relative(small.c11(), large.c11()), Math.max(relative(small.c12(), large.c12()), relative(small.c44(), large.c44())));
        }
        return new Result(small, list, conv);
    }

    private static double relative(double a, double b) { return Math.abs(a - b) / Math.max(Math.abs(a), 1e-12); }

    /** Cubic averages of a 6×6 matrix (NaN entries, i.e. strains not computed, are skipped). */
    public static Cubic cubic(double eps, double[][] c) {
        double[] d11 = {c[0][0], c[1][1], c[2][2]};
        double[] d12 = {c[0][1], c[0][2], c[1][0], c[1][2], c[2][0], c[2][1]};
        double[] d44 = {c[3][3], c[4][4], c[5][5]};
        return new Cubic(eps, c, mean(d11), mean(d12), mean(d44), std(d11), std(d12), std(d44));
    }

    static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) if (!Double.isNaN(x)) { s += x; n++; }
        return n == 0 ? Double.NaN : s / n;
    }

    static double std(double[] v) {
        double m = mean(v), s = 0;
        int n = 0;
        for (double x : v) if (!Double.isNaN(x)) { s += (x - m) * (x - m); n++; }
        return n < 2 ? 0 : Math.sqrt(s / (n - 1));
    }

    /** The strain cases to run: every Voigt component at ± each magnitude. */
    public static List<LammpsScripts.Strain> cases(double[] magnitudes) {
        List<LammpsScripts.Strain> out = new ArrayList<>();
        for (double m : magnitudes) {
            if (!(m > 0 && m < 0.1)) throw new IllegalArgumentException("elastic.strains must be in (0, 0.1), got " + m);
            for (String c : VOIGT) {
                out.add(new LammpsScripts.Strain(c, m));
                out.add(new LammpsScripts.Strain(c, -m));
            }
        }
        return out;
    }

    /** Stress in GPa (tension positive) from LAMMPS pressure components in bar, Voigt order. */
    public static double[] stressFromPressureBar(double pxx, double pyy, double pzz, double pyz, double pxz, double pxy) {
        double k = -Units.BAR_TO_GPA;
        return new double[]{k * pxx, k * pyy, k * pzz, k * pyz, k * pxz, k * pxy};
    }
}
