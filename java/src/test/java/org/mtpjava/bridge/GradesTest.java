package org.mtpjava.bridge;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.ActiveSetData;
import org.mtpjava.model.Potential;

import static org.junit.jupiter.api.Assertions.*;

/** The pair style grades energy or site-energy rows; an active set with force/stress rows is refused by name. */
class GradesTest {
    static Potential withWeights(double energy, double force, double stress, double site) {
        Potential p = PotentialFiles.read(TestData.data("reference/mlip3_training/trained10_MoNbTa.almtp"));
        p.setActiveSet(ActiveSetData.empty(p.parameterCount(), energy, force, stress, site, 2));
        return p;
    }

    @Test
    void forceOrStressWeightsAreRefusedAtPairCoeff() {
        for (double[] w : new double[][]{{1, 1, 0, 0}, {0, 0, 0.5, 1}}) {
            Potential p = withWeights(w[0], w[1], w[2], w[3]);
            var e = assertThrows(IllegalArgumentException.class, () -> new Grades(p, "fs.almtp"));
            assertTrue(e.getMessage().contains("fs.almtp"), e.getMessage());
            assertTrue(e.getMessage().contains("force_weight = " + w[1]), e.getMessage());
            assertTrue(e.getMessage().contains("stress_weight = " + w[2]), e.getMessage());
        }
    }

    @Test
    void energyAndSiteStatesAreGraded() {
        assertFalse(new Grades(withWeights(1, 0, 0, 0), "cfg.almtp").neighbourhoodMode());
        assertTrue(new Grades(withWeights(0, 0, 0, 1), "nbh.almtp").neighbourhoodMode());
    }
}
