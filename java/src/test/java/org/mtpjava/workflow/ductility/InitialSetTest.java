package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;
import org.mtpjava.model.Configuration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitialSetTest {
    private static final int[] SPECIES = {1, 0, 2};

    /** Every kind of starting cell respects the atom bound, down to the smallest allowed bound. */
    @Test void cellsStayWithinTheAtomBound() {
        for (int max : new int[]{InitialSet.MIN_ATOMS, 30, 40, 100}) {
            for (Configuration c : InitialSet.generate(20, max, SPECIES, 7)) {
                assertTrue(c.size() > 0 && c.size() <= max,
                        c.features().get("ductility_initial") + ": " + c.size() + " atoms with initial_max_atoms " + max);
            }
        }
    }

    @Test void boundBelowTheSmallestCellIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> InitialSet.generate(10, InitialSet.MIN_ATOMS - 1, SPECIES, 7));
    }
}
