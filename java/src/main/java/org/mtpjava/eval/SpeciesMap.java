package org.mtpjava.eval;

import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

/**
 * Maps the integer types of a configuration to the potential's species indices. MLIP-3 semantics: a cfg type
 * t is the species whose radial-block label equals t (labels are usually 0..S-1, so the map is the identity;
 * potentials trained on absolute atomic numbers have labels such as 41, 42).
 */
public final class SpeciesMap {
    private final int[] labels;

    public SpeciesMap(Potential p) { this.labels = p.speciesLabels().clone(); }

    /** Species index of a cfg type, or -1 if the potential has no such species. */
    public int speciesOf(int type) {
        for (int s = 0; s < labels.length; s++) if (labels[s] == type) return s;
        return -1;
    }

    /** Species of every atom; a clear error if one is unknown to the potential. */
    public int[] speciesOf(Configuration cfg) {
        int[] t = cfg.types();
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            int s = speciesOf(t[i]);
            if (s < 0) {
                throw new IllegalArgumentException("atom " + (i + 1) + " has type " + t[i] + " but the potential's species are "
                        + java.util.Arrays.toString(labels) + " (species_count = " + labels.length + ")");
            }
            out[i] = s;
        }
        return out;
    }
}
