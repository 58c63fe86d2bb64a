package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StructuresTest {
    @Test void gridIncludesCornersAndEdges() {
        List<Composition> g = Composition.grid(0.1);
        assertEquals(66, g.size());
        assertEquals(15, Composition.grid(0.25).size());
        assertTrue(g.contains(new Composition(1, 0, 0)) && g.contains(new Composition(0, 1, 0)) && g.contains(new Composition(0, 0, 1)));
        assertEquals(3, g.stream().filter(c -> c.components() == 1).count());
        assertEquals(27, g.stream().filter(c -> c.components() == 2).count());
        assertEquals(36, g.stream().filter(c -> c.components() == 3).count());
        assertThrows(IllegalArgumentException.class, () -> Composition.grid(0.3));
        assertThrows(IllegalArgumentException.class, () -> Composition.grid(0));
    }

    @Test void labelsRoundTripAndCountsAreExact() {
        Composition c = new Composition(0.2, 0.3, 0.5);
        assertEquals("Mo20Nb30Ta50", c.label());
        assertEquals(c, Composition.parse("Mo20Nb30Ta50"));
        assertEquals("Mo33.33Nb33.33Ta33.34", new Composition(0.3333, 0.3333, 0.3334).label());
        assertArrayEquals(new int[]{400, 600, 1000}, c.counts(2000));
        int[] k = new Composition(1 / 3.0, 1 / 3.0, 1 / 3.0).counts(250);
        assertEquals(250, k[0] + k[1] + k[2]);
        assertThrows(IllegalArgumentException.class, () -> Composition.parse("Mo20Nb30"));
        assertThrows(IllegalArgumentException.class, () -> new Composition(0.5, 0.6, 0.1));
    }

    /** Every atom has 8 nearest neighbours at a√3/2 and 6 second neighbours at a, in both orientations. */
    @Test void cellsAreBccWithPlanesOffTheBoundary() {
        double a = 3.2;
        for (BccCell.Orientation o : BccCell.Orientation.values()) {
            BccCell cell = BccCell.random(o, 3, 2, 3, a, new Composition(0.2, 0.3, 0.5), 7);
            assertEquals(o.atomsPerCell() * 18, cell.size());
            double[] box = cell.box(), x = cell.positions();
            int n = cell.size();
            for (int i = 0; i < n; i++) {
                int first = 0, second = 0;
                for (int j = 0; j < n; j++) {
                    if (i == j) continue;
                    double r2 = 0;
                    for (int k = 0; k < 3; k++) {
                        double d = x[3 * j + k] - x[3 * i + k];
                        d -= box[k] * Math.rint(d / box[k]);
                        r2 += d * d;
                    }
                    double r = Math.sqrt(r2);
                    if (Math.abs(r - a * Math.sqrt(3) / 2) < 1e-6) first++;
                    if (Math.abs(r - a) < 1e-6) second++;
                }
                assertEquals(8, first, o + " atom " + i);
                if (box[0] > 2 * a && box[1] > 2 * a && box[2] > 2 * a) assertEquals(6, second, o + " atom " + i);
            }
            double d = cell.planeSpacing();
            for (int i = 0; i < n; i++) {
                double z = x[3 * i + 2] / d - 0.5;
                assertEquals(Math.rint(z), z, 1e-9, "plane position");
                assertTrue(x[3 * i + 2] > 0.4 * d && x[3 * i + 2] < box[2] - 0.4 * d);
            }
            assertEquals(cell.planes() * d, box[2], 1e-9);
        }
    }

    @Test void occupationIsExactAndSeeded() {
        Composition c = new Composition(0.4, 0.3, 0.3);
        BccCell a = BccCell.random(BccCell.Orientation.CUBIC, 5, 5, 5, 3.25, c, 42);
        BccCell b = BccCell.random(BccCell.Orientation.CUBIC, 5, 5, 5, 3.25, c, 42);
        BccCell other = BccCell.random(BccCell.Orientation.CUBIC, 5, 5, 5, 3.25, c, 43);
        assertArrayEquals(a.types(), b.types());
        assertNotEquals(Arrays.toString(a.types()), Arrays.toString(other.types()));
        int[] count = new int[3];
        for (int t : a.types()) count[t]++;
        assertArrayEquals(c.counts(250), count);
        assertEquals(BccCell.seed(5, "x", "1"), BccCell.seed(5, "x", "1"));
        assertNotEquals(BccCell.seed(5, "x", "1"), BccCell.seed(5, "x1", ""));
        String data = a.lammpsData("test");
        assertTrue(data.contains("250 atoms") && data.contains("3 atom types") && data.contains("0 0 0 xy xz yz"));
        assertEquals(250, data.lines().filter(l -> l.matches("\\d+ [123] .*")).count());
    }

    @Test void elasticFitRecoversAKnownTensor() {
        double c11 = 300, c12 = 150, c44 = 80;
        double[][] c = {{c11, c12, c12, 0, 0, 0}, {c12, c11, c12, 0, 0, 0}, {c12, c12, c11, 0, 0, 0},
                {0, 0, 0, c44, 0, 0}, {0, 0, 0, 0, c44, 0}, {0, 0, 0, 0, 0, c44}};
        List<ElasticConstants.Point> pts = new java.util.ArrayList<>();
        for (double eps : new double[]{0.001, 0.002})
            for (String comp : ElasticConstants.VOIGT)
                for (int s = -1; s <= 1; s += 2) {
                    int j = ElasticConstants.VOIGT.indexOf(comp);
                    double[] sig = new double[6];
                    for (int i = 0; i < 6; i++) sig[i] = 0.7 + c[i][j] * s * eps + 5e3 * eps * eps * s * s; // offset + quadratic term
                    pts.add(new ElasticConstants.Point(comp, s * eps, sig));
                }
        ElasticConstants.Result r = ElasticConstants.fit(pts);
        assertEquals(c11, r.value().c11(), 1e-9);
        assertEquals(c12, r.value().c12(), 1e-9);
        assertEquals(c44, r.value().c44(), 1e-9);
        assertEquals(2, r.byStrain().size());
        assertEquals(0, r.convergence(), 1e-12);
        assertArrayEquals(new double[]{-1e-4, -2e-4, -3e-4, -4e-4, -5e-4, -6e-4},
                ElasticConstants.stressFromPressureBar(1, 2, 3, 4, 5, 6), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ElasticConstants.fit(pts.subList(0, 3)));
    }

    @Test void gsfMaximumIsRefined() {
        double[] s = {0, 0.3, 0.4, 0.5, 0.6, 0.7};
        double area = 2.0;
        double[] e = new double[s.length];
        // γ(s) = 1 - 10 (s - 0.47)^2 J/m² above the origin energy; total energy in eV
        for (int k = 0; k < s.length; k++) e[k] = -100 + (k == 0 ? 0 : (1 - 10 * Math.pow(s[k] - 0.47, 2))) * area / Units.EV_PER_A2_TO_J_PER_M2;
        GsfCurve c = GsfCurve.of(0, s, e, area);
        assertEquals(0.47, c.shiftAtMax(), 1e-9);
        assertEquals(1.0, c.gammaUsf(), 1e-9);
        assertEquals(0, c.energy()[0], 0);
        assertThrows(IllegalArgumentException.class, () -> GsfCurve.of(0, new double[]{0.1, 0.2}, new double[]{1, 2}, 1));
    }
}
