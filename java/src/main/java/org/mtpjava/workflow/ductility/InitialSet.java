package org.mtpjava.workflow.ductility;

import org.mtpjava.model.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The starting training set of the active-learning loop: small (≤ max atoms) random Mo-Nb-Ta cells of the
 * kinds the property calculations visit: strained and rattled bulk (cubic cell), {100} and {110} slabs with
 * vacuum, and {110} cells with a stacking-fault shift along ⟨111⟩. Compositions are spread over the triangle
 * (the three pure elements first), everything from one seed.
 */
public final class InitialSet {
    /** Atoms of the smallest cell generated: the {110} stacking-fault cell, 8 planes of 3 atoms. */
    public static final int MIN_ATOMS = 24;

    private InitialSet() {}

    /**
     * @param count            number of configurations
     * @param maxAtoms         upper bound of atoms per configuration (≥ 16)
     * @param speciesOfElement cfg type of Mo, Nb, Ta
     */
    public static List<Configuration> generate(int count, int maxAtoms, int[] speciesOfElement, long seed) {
        if (maxAtoms < MIN_ATOMS) throw new IllegalArgumentException("active_learning.initial_max_atoms must be >= " + MIN_ATOMS);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Configuration> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Composition c = k < 3 ? pure(k) : random(rnd);
            double a0 = 0;
            for (int e = 0; e < 3; e++) a0 += c.fraction(e) * PropertyCalculator.A_GUESS[e];
            double a = a0 * (1 + 0.02 * (rnd.nextDouble() - 0.5));
            String kind;
            Configuration cfg;
            int pick = k % 10;
            long cellSeed = rnd.nextLong();
            if (pick < 5) {
                kind = "bulk";
                int n = largest(2, maxAtoms);
                cfg = BccCell.random(BccCell.Orientation.CUBIC, n, n, n, a, c, cellSeed).toConfiguration(speciesOfElement);
                strain(cfg, rnd, 0.03);
                rattle(cfg, rnd, 0.02 + 0.1 * rnd.nextDouble());
            } else if (pick < 7) {
                kind = "slab100";
                int layers = 8;
                int n = Math.max(1, (int) Math.floor(Math.sqrt(maxAtoms / (double) layers)));
                cfg = BccCell.random(BccCell.Orientation.CUBIC, n, n, layers / 2, a, c, cellSeed).toConfiguration(speciesOfElement);
                vacuum(cfg, 10.0);
                rattle(cfg, rnd, 0.05);
            } else if (pick < 8) {
                kind = "slab110";
                int[] r = fit110(maxAtoms, 6);
                cfg = BccCell.random(BccCell.Orientation.O110, r[0], r[1], r[2], a, c, cellSeed).toConfiguration(speciesOfElement);
                vacuum(cfg, 10.0);
                rattle(cfg, rnd, 0.05);
            } else {
                kind = "gsf110";
                int[] r = fit110(maxAtoms, 8);
                BccCell cell = BccCell.random(BccCell.Orientation.O110, r[0], r[1], r[2], a, c, cellSeed);
                cfg = cell.toConfiguration(speciesOfElement);
                double s = rnd.nextDouble();
                cfg.lattice()[6] = s * a * Math.sqrt(3) / 2; // tilt xz: the fault at the z boundary
                rattle(cfg, rnd, 0.05);
                cfg.features().put("gsf_shift_b", String.format(Locale.ROOT, "%.4f", s));
            }
            cfg.features().put("ductility_initial", kind + " " + c.label());
            out.add(cfg);
        }
        return out;
    }

    private static Composition pure(int e) {
        double[] f = new double[3];
        f[e] = 1;
        return new Composition(f[0], f[1], f[2]);
    }

    private static Composition random(SplittableRandom rnd) {
        // uniform on the simplex, rounded to 5 % so labels stay short
        double u = rnd.nextDouble(), v = rnd.nextDouble();
        double mo = 1 - Math.sqrt(u), nb = Math.sqrt(u) * (1 - v);
        mo = Math.round(mo * 20) / 20.0;
        nb = Math.round(nb * 20) / 20.0;
        if (mo + nb > 1) nb = 1 - mo;
        return new Composition(mo, nb, 1 - mo - nb);
    }

    /** Largest n ≥ min with 2 n³ ≤ maxAtoms. */
    static int largest(int min, int maxAtoms) {
        int n = min;
        while (2 * (n + 1) * (n + 1) * (n + 1) <= maxAtoms) n++;
        return n;
    }

    /** O110 repeats with the given number of planes (even) and at most maxAtoms atoms. */
    static int[] fit110(int maxAtoms, int planes) {
        int nz = planes / 2;
        int lateral = Math.max(1, maxAtoms / (6 * nz));
        int ny = 1, nx = Math.max(2, lateral);
        while (6 * nx * ny * nz > maxAtoms && nx > 1) nx--;
        return new int[]{nx, ny, nz};
    }

    static void strain(Configuration c, SplittableRandom rnd, double max) {
        double[][] f = new double[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = i; j < 3; j++) {
                double e = max * (2 * rnd.nextDouble() - 1) * (i == j ? 1 : 0.5);
                f[i][j] += e;
                if (i != j) f[j][i] += e;
            }
        for (int i = 0; i < 3; i++) f[i][i] += 1;
        double[] l = c.lattice();
        for (int row = 0; row < 3; row++) apply(f, l, 3 * row);
        double[] x = c.positions();
        for (int i = 0; i < c.size(); i++) apply(f, x, 3 * i);
    }

    private static void apply(double[][] f, double[] v, int off) {
        double x = v[off], y = v[off + 1], z = v[off + 2];
        for (int k = 0; k < 3; k++) v[off + k] = f[k][0] * x + f[k][1] * y + f[k][2] * z;
    }

    static void rattle(Configuration c, SplittableRandom rnd, double sigma) {
        double[] x = c.positions();
        for (int i = 0; i < x.length; i++) x[i] += sigma * gaussian(rnd);
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = Math.max(1e-300, rnd.nextDouble()), v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Adds vacuum along z (the slab's surfaces are the two z faces). */
    static void vacuum(Configuration c, double width) {
        c.lattice()[8] += width;
    }
}
