package org.mtpjava.neighbours;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.mtpjava.model.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cell-list neighbour list equals a brute-force search over all images, for any cell shape. */
class NeighbourListTest {

    /**
     * Brute force: every pair and every image shift that can reach the cutoff. Along a periodic direction a,
     * with n the unit normal of L_a against the other periodic lattice vectors and h = L_a . n, a shift s moves
     * an image by s h along n, so |s| <= (rc + spread of the positions along n) / h + 1 covers every pair
     * (small skewed cells with atoms outside the cell need many images).
     */
    static List<String> bruteForce(Configuration c, double rc) {
        List<String> out = new ArrayList<>();
        double[] l = c.lattice(), x = c.positions();
        int[] range = new int[3];
        for (int a = 0; a < 3; a++) {
            if (!c.isPeriodic(a)) continue;
            double[] n = {l[3 * a], l[3 * a + 1], l[3 * a + 2]};
            // Gram-Schmidt against the other periodic vectors (orthonormalised among themselves first)
            List<double[]> others = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                if (b == a || !c.isPeriodic(b)) continue;
                double[] v = {l[3 * b], l[3 * b + 1], l[3 * b + 2]};
                for (double[] o : others) subtractProjection(v, o);
                double vn = Math.sqrt(dot(v, v));
                others.add(new double[]{v[0] / vn, v[1] / vn, v[2] / vn});
            }
            for (double[] o : others) subtractProjection(n, o);
            double h = Math.sqrt(dot(n, n));
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < c.size(); i++) {
                double p = (x[3 * i] * n[0] + x[3 * i + 1] * n[1] + x[3 * i + 2] * n[2]) / h;
                lo = Math.min(lo, p);
                hi = Math.max(hi, p);
            }
            range[a] = (int) Math.ceil((rc + hi - lo) / h) + 1;
        }
        for (int i = 0; i < c.size(); i++) {
            for (int j = 0; j < c.size(); j++) {
                for (int s0 = -range[0]; s0 <= range[0]; s0++) for (int s1 = -range[1]; s1 <= range[1]; s1++) for (int s2 = -range[2]; s2 <= range[2]; s2++) {
                    if (i == j && s0 == 0 && s1 == 0 && s2 == 0) continue;
                    double dx = x[3 * j] + s0 * l[0] + s1 * l[3] + s2 * l[6] - x[3 * i];
                    double dy = x[3 * j + 1] + s0 * l[1] + s1 * l[4] + s2 * l[7] - x[3 * i + 1];
                    double dz = x[3 * j + 2] + s0 * l[2] + s1 * l[5] + s2 * l[8] - x[3 * i + 2];
                    if (dx * dx + dy * dy + dz * dz < rc * rc) out.add(key(i, j, dx, dy, dz));
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static double dot(double[] u, double[] v) { return u[0] * v[0] + u[1] * v[1] + u[2] * v[2]; }

    private static void subtractProjection(double[] v, double[] unit) {
        double p = dot(v, unit);
        for (int k = 0; k < 3; k++) v[k] -= p * unit[k];
    }

    static String key(int i, int j, double dx, double dy, double dz) {
        return i + ":" + j + ":" + Math.round(dx * 1e6) + ":" + Math.round(dy * 1e6) + ":" + Math.round(dz * 1e6);
    }

    static List<String> fromList(NeighbourList nl) {
        List<String> out = new ArrayList<>();
        double[] v = nl.vectors();
        for (int i = 0; i < nl.atoms(); i++) {
            for (int e = nl.offset(i); e < nl.offset(i) + nl.count(i); e++) out.add(key(i, nl.neighbour(e), v[3 * e], v[3 * e + 1], v[3 * e + 2]));
        }
        out.sort(null);
        return out;
    }

    @Property(tries = 400)
    void cellListEqualsBruteForce(@ForAll @IntRange(min = 1, max = 12) int n,
                                  @ForAll @DoubleRange(min = 1.5, max = 9) double size,
                                  @ForAll @DoubleRange(min = 1.0, max = 6) double rc,
                                  @ForAll @IntRange(min = 0, max = 7) int periodicMask,
                                  @ForAll long seed) {
        Random rnd = new Random(seed);
        Configuration c = new Configuration(n);
        double[] l = new double[9];
        for (int a = 0; a < 3; a++) {
            if ((periodicMask & (1 << a)) == 0) continue;
            l[3 * a + a] = size * (0.6 + 0.8 * rnd.nextDouble());
            for (int b = 0; b < 3; b++) if (b != a) l[3 * a + b] = 0.4 * size * (rnd.nextDouble() - 0.5);
        }
        c.setLattice(l);
        for (int i = 0; i < 3 * n; i++) c.positions()[i] = (rnd.nextDouble() * 1.6 - 0.3) * size; // some outside the cell
        assertEquals(bruteForce(c, rc), fromList(NeighbourList.build(c, rc)));
    }

    @Test
    void tinyCellManyImages() {
        Configuration c = new Configuration(1);
        c.setLattice(new double[]{2.0, 0, 0, 0.3, 2.1, 0, 0.2, -0.4, 1.9});
        NeighbourList nl = NeighbourList.build(c, 5.0);
        assertEquals(bruteForce(c, 5.0), fromList(nl));
        assertTrue(nl.count(0) > 50);
    }
}
