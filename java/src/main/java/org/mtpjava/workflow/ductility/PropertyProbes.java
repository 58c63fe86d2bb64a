package org.mtpjava.workflow.ductility;

import org.mtpjava.model.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Small periodic cells that mirror what the property calculations measure, per composition of the sweep:
 * <ul>
 *   <li>one random bcc cubic cell (the starting set's bulk size) at the composition's lattice constant (by default
 *       the guess, Vegard mixing of {@link PropertyCalculator#A_GUESS}), lightly rattled, unstrained and under ± each
 *       strain magnitude of the modes {@link #MODES}, applied as ElasticConstants' strains are (deformation
 *       gradient F, lattice rows and positions r → F r; see {@link StandaloneElastic#strained});</li>
 *   <li>one {110} cell (the starting set's gsf110 construction), unfaulted and with the stacking-fault shifts s·b
 *       as the xz tilt of the lattice, so the fault sits at the periodic z boundary.</li>
 * </ul>
 * The variants of a cell share its occupation and rattle, so strain pairs and fault energies are differences of
 * the same atoms. Each configuration carries the feature {@code ductility_initial} = {@link Tag#text()}. They serve
 * as extra starting cells ({@code active_learning.initial_probes}) and as the accuracy check's test set.
 */
public final class PropertyProbes {
    private PropertyProbes() {}

    /** Strain modes: xx gives C11 (σxx) and C12 (σyy, σzz), yz gives C44 (σyz), the three cubic constants. */
    public static final List<String> MODES = List.of("xx", "yz");
    /** The feature naming the probe (shared with the random starting cells). */
    public static final String FEATURE = "ductility_initial";
    public static final String BULK = "probe_bulk", GSF = "probe_gsf110";
    /** (110) planes of the fault cell (as InitialSet's gsf110 cells). */
    static final int GSF_PLANES = 8;
    /** Smallest max atoms that holds the fault cell (one repeat along x and y: 3 atoms per plane). */
    public static final int MIN_ATOMS = 3 * GSF_PLANES;

    /**
     * What one probe is.
     *
     * @param kind        {@link #BULK} or {@link #GSF}
     * @param composition the composition's label
     * @param mode        "unstrained", a strain mode of {@link #MODES}, or "shift"
     * @param value       the signed strain, or the shift in units of b (0 for the unstrained and unfaulted cells)
     */
    public record Tag(String kind, String composition, String mode, double value) {
        public String text() {
            return kind + " " + composition + " " + mode + " " + String.format(Locale.ROOT, mode.equals("shift") ? "%.6f" : "%+.6f", value);
        }

        /** The tag of a probe's feature text, or null if the text does not name a probe (e.g. a random starting cell). */
        public static Tag parse(String text) {
            if (text == null) return null;
            String[] t = text.trim().split("\\s+");
            if (t.length != 4 || !(t[0].equals(BULK) || t[0].equals(GSF))) return null;
            try {
                return new Tag(t[0], t[1], t[2], Double.parseDouble(t[3]));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        public static Tag of(Configuration c) { return parse(c.features().get(FEATURE)); }
    }

    /** Probes per composition for the given settings. */
    public static int perComposition(double[] strains, double[] shifts) {
        return 1 + 2 * MODES.size() * strains.length + 1 + shifts.length;
    }

    /** The probes at the guessed lattice constants (Vegard mixing of {@link PropertyCalculator#A_GUESS}). */
    public static List<Configuration> generate(List<Composition> comps, int maxAtoms, double[] strains, double[] shifts, double rattle,
                                               int[] speciesOfElement, long seed) {
        return generate(comps, PropertyProbes::guess, maxAtoms, strains, shifts, rattle, speciesOfElement, seed);
    }

    /** Vegard mixing of the elements' guessed lattice constants (as the starting set and the bulk task use). */
    public static double guess(Composition c) {
        double a = 0;
        for (int e = 0; e < 3; e++) a += c.fraction(e) * PropertyCalculator.A_GUESS[e];
        return a;
    }

    /**
     * @param comps            the sweep's compositions
     * @param latticeConstant  the lattice constant (Å) of each composition's cells
     * @param maxAtoms         upper bound of atoms per cell (≥ {@link #MIN_ATOMS})
     * @param strains          strain magnitudes (each in (0, 0.05)), applied as + and −
     * @param shifts           fault shifts s/b (each in (0, 1))
     * @param rattle           Gaussian displacement σ in Å of the reference cells (0: perfect lattice)
     * @param speciesOfElement cfg type of Mo, Nb, Ta
     */
    public static List<Configuration> generate(List<Composition> comps, ToDoubleFunction<Composition> latticeConstant, int maxAtoms,
                                               double[] strains, double[] shifts, double rattle, int[] speciesOfElement, long seed) {
        if (maxAtoms < MIN_ATOMS)
            throw new IllegalArgumentException("property probes need at least " + MIN_ATOMS + " atoms per cell, got " + maxAtoms);
        for (double e : strains) if (!(e > 0 && e < 0.05)) throw new IllegalArgumentException("probe strain " + e + " is not in (0, 0.05)");
        for (double s : shifts) if (!(s > 0 && s < 1)) throw new IllegalArgumentException("probe shift " + s + " is not in (0, 1)");
        if (!(rattle >= 0)) throw new IllegalArgumentException("probe rattle " + rattle + " must be >= 0");
        List<Configuration> out = new ArrayList<>();
        for (Composition c : comps) {
            // one stream per composition: adding a composition does not change the others' cells
            SplittableRandom rnd = new SplittableRandom(BccCell.seed(seed, c.label()));
            double a = latticeConstant.applyAsDouble(c);
            int n = InitialSet.largest(2, maxAtoms);
            Configuration bulk = BccCell.random(BccCell.Orientation.CUBIC, n, n, n, a, c, rnd.nextLong()).toConfiguration(speciesOfElement);
            InitialSet.rattle(bulk, rnd, rattle);
            out.add(tagged(bulk.copy(), new Tag(BULK, c.label(), "unstrained", 0)));
            for (double eps : strains)
                for (String mode : MODES)
                    for (int sign = 1; sign >= -1; sign -= 2)
                        out.add(tagged(StandaloneElastic.strained(bulk, mode, sign * eps), new Tag(BULK, c.label(), mode, sign * eps)));
            int[] r = InitialSet.fit110(maxAtoms, GSF_PLANES);
            Configuration gsf = BccCell.random(BccCell.Orientation.O110, r[0], r[1], r[2], a, c, rnd.nextLong()).toConfiguration(speciesOfElement);
            InitialSet.rattle(gsf, rnd, rattle);
            out.add(tagged(gsf.copy(), new Tag(GSF, c.label(), "shift", 0)));
            double b = a * Math.sqrt(3) / 2;
            for (double s : shifts) {
                Configuration f = gsf.copy();
                f.lattice()[6] = s * b; // tilt xz: the fault at the z boundary, as in InitialSet's gsf110 cells
                f.features().put("gsf_shift_b", String.format(Locale.ROOT, "%.4f", s));
                out.add(tagged(f, new Tag(GSF, c.label(), "shift", s)));
            }
        }
        return out;
    }

    private static Configuration tagged(Configuration c, Tag t) {
        c.features().put(FEATURE, t.text());
        return c;
    }
}
