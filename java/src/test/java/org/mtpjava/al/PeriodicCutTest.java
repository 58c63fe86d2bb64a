package org.mtpjava.al;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The periodic cut keeps the worst atom's environment exactly and never creates a pair closer than the parent's. */
class PeriodicCutTest {

    /** n x n x n bcc cells of a random 3-species alloy, displaced atoms, a sheared and strained lattice, random grades. */
    static Configuration alloy(int n, double a, long seed) {
        Random rnd = new Random(seed);
        Configuration c = new Configuration(2 * n * n * n);
        double[] lat = {n * a * 1.02, 0, 0, 0.3, n * a * 0.99, 0, -0.2, 0.4, n * a};
        c.setLattice(lat);
        int q = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            for (int b = 0; b < 2; b++) {
                double[] s = {(i + 0.5 * b) / n, (j + 0.5 * b) / n, (k + 0.5 * b) / n};
                for (int x = 0; x < 3; x++) {
                    c.positions()[3 * q + x] = s[0] * lat[x] + s[1] * lat[3 + x] + s[2] * lat[6 + x] + 0.08 * rnd.nextGaussian();
                }
                c.types()[q] = rnd.nextInt(3);
                q++;
            }
        }
        double[] g = new double[c.size()];
        for (int i = 0; i < g.length; i++) g[i] = rnd.nextDouble();
        g[rnd.nextInt(g.length)] = 7.5;
        c.setNeighbourhoodGrades(g);
        return c;
    }

    static double[] sortedDistances(Configuration c, int atom, double cutoff) {
        ExtrapolativeNeighbourhoods.Neighbourhood nb = ExtrapolativeNeighbourhoods.neighbourhood(c, atom, cutoff);
        double[] d = new double[nb.count()];
        for (int e = 0; e < nb.count(); e++) {
            double x = nb.vectors()[3 * e], y = nb.vectors()[3 * e + 1], z = nb.vectors()[3 * e + 2];
            d[e] = Math.sqrt(x * x + y * y + z * z) * 10 + nb.types()[e];   // distance and type in one sortable key
        }
        Arrays.sort(d);
        return d;
    }

    static double minDistance(Configuration c) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < c.size(); i++) {
            ExtrapolativeNeighbourhoods.Neighbourhood nb = ExtrapolativeNeighbourhoods.neighbourhood(c, i, 3.0);
            for (int e = 0; e < nb.count(); e++) {
                double x = nb.vectors()[3 * e], y = nb.vectors()[3 * e + 1], z = nb.vectors()[3 * e + 2];
                best = Math.min(best, Math.sqrt(x * x + y * y + z * z));
            }
        }
        return best;
    }

    @Test
    void worstAtomKeepsItsNeighbourhoodAndSiteEnergy() {
        Potential p = PotentialFiles.read(TestData.data("reference/mlip3_training/trained10_MoNbTa.almtp"));
        Configuration parent = alloy(6, 3.2, 1);
        int worst = ExtrapolativeNeighbourhoods.worstAtom(parent.neighbourhoodGrades());
        double h = 6.3, r = 5.0;   // r: the potential's cutoff
        Configuration cut = PeriodicCut.cut(parent, h, r, 1.1, 3);
        assertNotNull(cut);
        assertEquals("3", cut.features().get("cfg#"));
        assertEquals(Integer.toString(worst), cut.features().get("nbh#"));
        assertEquals("periodic", cut.features().get("cut"));
        assertEquals(parent.types()[worst], cut.types()[0]);
        assertTrue(cut.size() < parent.size() / 3, "a small cell: " + cut.size() + " of " + parent.size() + " atoms");
        // every lattice direction of the 19.2 A parent is cut to the perpendicular width 2h
        double[] l = cut.lattice();
        double vol = cut.volume();
        for (int k = 0; k < 3; k++) {
            int i = (k + 1) % 3, j = (k + 2) % 3;
            double cx = l[3 * i + 1] * l[3 * j + 2] - l[3 * i + 2] * l[3 * j + 1];
            double cy = l[3 * i + 2] * l[3 * j] - l[3 * i] * l[3 * j + 2];
            double cz = l[3 * i] * l[3 * j + 1] - l[3 * i + 1] * l[3 * j];
            assertEquals(2 * h, vol / Math.sqrt(cx * cx + cy * cy + cz * cz), 1e-9, "width along lattice vector " + k);
        }
        // the environment of the worst atom out to r is the parent's, so its site energy is too
        assertArrayEquals(sortedDistances(parent, worst, r), sortedDistances(cut, 0, r), 1e-9);
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            double[] sp = calc.compute(parent).siteEnergies(), sc = calc.compute(cut).siteEnergies();
            assertEquals(sp[worst], sc[0], 1e-10);
        }
        // no pair closer than in the parent (atoms that would overlap across a face were removed)
        assertTrue(minDistance(cut) >= minDistance(parent) - 1e-12, minDistance(cut) + " vs " + minDistance(parent));
        assertTrue(Integer.parseInt(cut.features().get("removed_at_faces")) >= 0);
    }

    @Test
    void removesAtomsThatOverlapAcrossAFace() {
        // a half-width that is not a multiple of the lattice: faces cut between lattice planes, and opposite faces
        // bring atoms too close unless some are removed
        Configuration parent = alloy(6, 3.2, 2);
        Configuration cut = PeriodicCut.cut(parent, 6.07, 5.0, 1.1, 0);
        assertTrue(Integer.parseInt(cut.features().get("removed_at_faces")) > 0, "atoms removed at the faces");
        assertTrue(minDistance(cut) >= minDistance(parent) - 1e-12);
        int worst = ExtrapolativeNeighbourhoods.worstAtom(parent.neighbourhoodGrades());
        assertArrayEquals(sortedDistances(parent, worst, 5.0), sortedDistances(cut, 0, 5.0), 1e-9);
        // a half-width that lets atoms of the kept sphere meet across a face is refused
        // (a = 2.95 A: the body centres at (±1.5, ±0.5, ±0.5) a lie 4.89 A from the centre and 1.25 A apart across the faces)
        Configuration dense = alloy(6, 2.95, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeriodicCut.cut(dense, 5.05, 5.0, 1.1, 0));
        assertTrue(e.getMessage().contains("use a half-width of at least"), e.getMessage());
    }

    @Test
    void thinDirectionsAreKeptWhole() {
        // 8 x 8 x 2 cells: the third direction (6.4 A) is thinner than 2h / 0.75 and keeps its periodicity
        Configuration parent = alloy(8, 3.2, 3);
        double[] lat = parent.lattice().clone();
        int n = 0;
        for (int i = 0; i < parent.size(); i++) {
            double z = parent.positions()[3 * i + 2] / lat[8];   // the third fractional coordinate (rows 1, 2 have z = 0)
            if (z >= -0.02 && z < 0.23) n++;
        }
        Configuration small = new Configuration(n);
        double[] sl = lat.clone();
        for (int a = 0; a < 3; a++) sl[6 + a] = lat[6 + a] / 4;
        small.setLattice(sl);
        int q = 0;
        for (int i = 0; i < parent.size(); i++) {
            double z = parent.positions()[3 * i + 2] / lat[8];
            if (z >= -0.02 && z < 0.23) {
                System.arraycopy(parent.positions(), 3 * i, small.positions(), 3 * q, 3);
                small.types()[q++] = parent.types()[i];
            }
        }
        double[] g = new double[n];
        g[n / 2] = 3;
        small.setNeighbourhoodGrades(g);
        Configuration cut = PeriodicCut.cut(small, 6.5, 5.0, 1.1, 0);
        for (int a = 0; a < 3; a++) assertEquals(sl[6 + a], cut.lattice()[6 + a], 1e-12, "third lattice vector kept");
        assertArrayEquals(sortedDistances(small, n / 2, 5.0), sortedDistances(cut, 0, 5.0), 1e-9);
        assertEquals(small.size() * cut.volume() / small.volume(), cut.size(), 0.1 * cut.size(), "the parent's density");
    }

    @Test
    void belowThresholdAndBadInput() {
        Configuration parent = alloy(4, 3.2, 4);
        double[] g = parent.neighbourhoodGrades();
        Arrays.fill(g, 1.0);
        assertNull(PeriodicCut.cut(parent, 6.5, 5, 1.1, 0), "no cell below the threshold");
        Configuration cluster = ExtrapolativeNeighbourhoods.cut(alloy(4, 3.2, 5), 5.0, 1.1, 0);
        double[] cg = new double[cluster.size()];
        cg[0] = 5;
        cluster.setNeighbourhoodGrades(cg);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeriodicCut.cut(cluster, 6.5, 5, 1.1, 0));
        assertTrue(e.getMessage().contains("periodic in all three directions"), e.getMessage());
        Configuration ungraded = alloy(4, 3.2, 6);
        ungraded.setNeighbourhoodGrades(null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeriodicCut.cut(ungraded, 6.5, 5, 1.1, 0)).getMessage().contains("nbh_grades"));
        assertThrows(IllegalArgumentException.class, () -> PeriodicCut.cut(parent, Double.NaN, 5, 1.1, 0));
    }
}
