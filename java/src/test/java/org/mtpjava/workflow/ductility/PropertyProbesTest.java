package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;
import org.mtpjava.model.Configuration;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PropertyProbesTest {
    static final int[] SPECIES = {1, 0, 2}; // cfg types of Mo, Nb, Ta (training species Nb, Mo, Ta)
    static final double[] STRAINS = {0.005, 0.01};
    static final double[] SHIFTS = {0.3, 0.4, 0.5};
    static final List<Composition> COMPS = List.of(Composition.parse("Mo25Nb50Ta25"), Composition.parse("Mo0Nb100Ta0"),
            Composition.parse("Mo33.33Nb33.33Ta33.34"));

    static List<Configuration> probes(int maxAtoms, long seed) {
        return PropertyProbes.generate(COMPS, maxAtoms, STRAINS, SHIFTS, 0.01, SPECIES, seed);
    }

    static List<Configuration> of(List<Configuration> all, String comp) {
        return all.stream().filter(c -> PropertyProbes.Tag.of(c).composition().equals(comp)).toList();
    }

    static Configuration find(List<Configuration> cfgs, String mode, double value) {
        for (Configuration c : cfgs) {
            PropertyProbes.Tag t = PropertyProbes.Tag.of(c);
            if (t.mode().equals(mode) && t.value() == value) return c;
        }
        return null;
    }

    @Test void countsPerCompositionAndSize() {
        for (int max : new int[]{24, 54, 100, 250}) {
            List<Configuration> all = probes(max, 5);
            int per = PropertyProbes.perComposition(STRAINS, SHIFTS);
            assertEquals(1 + 8 + 1 + 3, per);
            assertEquals(per * COMPS.size(), all.size());
            for (Composition c : COMPS) assertEquals(per, of(all, c.label()).size(), c.label());
            for (Configuration c : all) {
                assertTrue(c.size() <= max, c.size() + " atoms > " + max);
                assertTrue(c.isPeriodic(0) && c.isPeriodic(1) && c.isPeriodic(2));
            }
        }
        assertEquals(9, PropertyProbes.perComposition(new double[]{0.005}, SHIFTS), "the defaults: 9 per composition");
        assertThrows(IllegalArgumentException.class, () -> probes(PropertyProbes.MIN_ATOMS - 1, 5));
        assertThrows(IllegalArgumentException.class,
                () -> PropertyProbes.generate(COMPS, 100, new double[]{-0.005}, SHIFTS, 0.01, SPECIES, 1));
        assertThrows(IllegalArgumentException.class,
                () -> PropertyProbes.generate(COMPS, 100, STRAINS, new double[]{1.0}, 0.01, SPECIES, 1));
    }

    @Test void occupationHasTheExactComposition() {
        for (Configuration c : probes(100, 7)) {
            Composition comp = Composition.parse(PropertyProbes.Tag.of(c).composition());
            int[] expected = comp.counts(c.size());
            int[] got = new int[3];
            for (int t : c.types()) {
                int e = -1;
                for (int k = 0; k < 3; k++) if (SPECIES[k] == t) e = k;
                got[e]++;
            }
            assertArrayEquals(expected, got, PropertyProbes.Tag.of(c).text());
            for (int e = 0; e < 3; e++) assertEquals(comp.fraction(e), got[e] / (double) c.size(), 1.0 / c.size() + 1e-12);
        }
    }

    @Test void strainsAreAppliedExactly() {
        List<Configuration> all = probes(100, 3);
        for (Composition comp : COMPS) {
            List<Configuration> mine = of(all, comp.label());
            Configuration ref = find(mine, "unstrained", 0);
            assertNotNull(ref, "the unstrained cell");
            double a = 0;
            for (int e = 0; e < 3; e++) a += comp.fraction(e) * PropertyCalculator.A_GUESS[e];
            assertEquals(3 * a, ref.lattice()[0], 1e-12, "3x3x3 cubic cell at the guessed lattice constant");
            for (String mode : PropertyProbes.MODES)
                for (double eps : STRAINS)
                    for (double e : new double[]{eps, -eps}) {
                        Configuration c = find(mine, mode, e);
                        assertNotNull(c, mode + " " + e);
                        double[][] f = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
                        if (mode.equals("xx")) f[0][0] += e;
                        else f[1][2] += e;
                        assertArrayEquals(times(f, ref.lattice(), 3), c.lattice(), 1e-13, "lattice = F lattice0");
                        assertArrayEquals(times(f, ref.positions(), ref.size()), c.positions(), 1e-12, "positions = F x0");
                        assertArrayEquals(ref.types(), c.types());
                    }
        }
    }

    @Test void shiftsAreTheXzTilt() {
        List<Configuration> all = probes(100, 3);
        for (Composition comp : COMPS) {
            List<Configuration> mine = of(all, comp.label());
            Configuration ref = find(mine, "shift", 0);
            assertNotNull(ref, "the unfaulted cell");
            assertEquals(96, ref.size());
            double a = 0;
            for (int e = 0; e < 3; e++) a += comp.fraction(e) * PropertyCalculator.A_GUESS[e];
            for (double s : SHIFTS) {
                Configuration c = find(mine, "shift", s);
                assertNotNull(c, "shift " + s);
                double[] l = ref.lattice().clone();
                l[6] = s * a * Math.sqrt(3) / 2;
                assertArrayEquals(l, c.lattice(), 1e-14);
                assertArrayEquals(ref.positions(), c.positions(), 0.0);
                assertArrayEquals(ref.types(), c.types());
            }
        }
    }

    @Test void givenLatticeConstants() {
        List<Configuration> all = PropertyProbes.generate(COMPS, c -> c.nb() > 0.99 ? 3.3276 : 3.25, 100, STRAINS, SHIFTS, 0, SPECIES, 3);
        assertEquals(3 * 3.3276, find(of(all, "Mo0Nb100Ta0"), "unstrained", 0).lattice()[0], 1e-12);
        assertEquals(3 * 3.25, find(of(all, "Mo25Nb50Ta25"), "unstrained", 0).lattice()[0], 1e-12);
        assertEquals(0.4 * 3.25 * Math.sqrt(3) / 2, find(of(all, "Mo25Nb50Ta25"), "shift", 0.4).lattice()[6], 1e-12);
    }

    @Test void deterministicForASeed() {
        List<Configuration> a = probes(100, 11), b = probes(100, 11), c = probes(100, 12);
        boolean differs = false;
        for (int k = 0; k < a.size(); k++) {
            assertArrayEquals(a.get(k).positions(), b.get(k).positions(), 0.0);
            assertArrayEquals(a.get(k).types(), b.get(k).types());
            assertEquals(a.get(k).features(), b.get(k).features());
            differs |= !java.util.Arrays.equals(a.get(k).positions(), c.get(k).positions());
        }
        assertTrue(differs, "another seed gives other cells");
        // a composition's cells do not depend on the other compositions
        List<Configuration> alone = PropertyProbes.generate(List.of(COMPS.get(1)), 100, STRAINS, SHIFTS, 0.01, SPECIES, 11);
        List<Configuration> inAll = of(a, COMPS.get(1).label());
        for (int k = 0; k < alone.size(); k++) assertArrayEquals(inAll.get(k).positions(), alone.get(k).positions(), 0.0);
    }

    @Test void tagsRoundTripAndRandomCellsAreNoProbes() {
        List<String> texts = new ArrayList<>();
        for (Configuration c : probes(54, 1)) {
            PropertyProbes.Tag t = PropertyProbes.Tag.of(c);
            assertEquals(t, PropertyProbes.Tag.parse(t.text()));
            texts.add(t.text());
        }
        assertTrue(texts.contains("probe_bulk Mo25Nb50Ta25 yz -0.010000"), texts.toString());
        assertTrue(texts.contains("probe_gsf110 Mo0Nb100Ta0 shift 0.300000"), texts.toString());
        for (Configuration c : InitialSet.generate(10, 100, SPECIES, 1)) assertNull(PropertyProbes.Tag.of(c));
        assertFalse(texts.isEmpty());
    }

    private static double[] times(double[][] f, double[] v, int n) {
        double[] out = new double[3 * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < 3; k++) out[3 * i + k] = f[k][0] * v[3 * i] + f[k][1] * v[3 * i + 1] + f[k][2] * v[3 * i + 2];
        return out;
    }
}
