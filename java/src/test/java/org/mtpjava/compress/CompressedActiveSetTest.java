package org.mtpjava.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.al.ActiveLearning;
import org.mtpjava.al.ActiveSet;
import org.mtpjava.al.RowCalculator;
import org.mtpjava.al.RowMap;
import org.mtpjava.al.SelectionWeights;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Active learning of compressed MTPs: rows in compressed coordinates (RowMap), the active set has the compressed
 * model's dimension, MaxVol and grades work as for a plain MTP, compressed .almtp files round-trip, and a
 * full-rank MF (which represents every tensor) grades exactly as the plain potential.
 */
class CompressedActiveSetTest {
    static final String TRAINED10 = "reference/mlip3_training/trained10_MoNbTa.almtp";
    static final String TRAIN40 = "reference/inputs/train_MoNbTa_40.cfg";
    static final String CANDIDATES = "reference/inputs/candidates_MoNbTa_30.cfg";

    @TempDir Path tmp;

    static Potential compressed(String spec) {
        Potential p = PotentialFiles.read(TestData.data(TRAINED10));
        p.setActiveSet(null);
        CompressedTraining.attach(p, CompressionSpec.parse(spec), 1, m -> {});
        return p;
    }

    static double[] grades(Potential p, ActiveSet as, List<Configuration> cfgs) {
        double[] g = new double[cfgs.size()];
        try (RowCalculator rc = new RowCalculator(p, as, 1)) {
            for (int i = 0; i < g.length; i++) g[i] = rc.grades(cfgs.get(i)).grade();
        }
        return g;
    }

    @Test
    void activeSetOfACompressedPotentialHasTheCompressedDimension() throws Exception {
        List<Configuration> train = CfgFiles.read(TestData.data(TRAIN40));
        List<Configuration> cand = CfgFiles.read(TestData.data(CANDIDATES));
        for (String spec : new String[]{"mf:rank=3", "tf:ranks=3,4,3", "rmf:rank=3"}) {
            for (SelectionWeights w : new SelectionWeights[]{SelectionWeights.CONFIGURATION_MODE, SelectionWeights.NEIGHBOURHOOD_MODE}) {
                Potential p = compressed(spec);
                Factorisation f = (Factorisation) p.radialRepresentation();
                int lin = p.speciesCount() + p.basis().scalarCount();
                assertEquals(f.manifoldDimension() + lin, RowMap.dimension(p), spec);
                ActiveSet as = ActiveLearning.rebuild(p, ActiveLearning.Source.of(train), w, ActiveSet.DEFAULT_THRESHOLD, 1);
                assertEquals(f.manifoldDimension() + lin, as.dimension());
                assertEquals(p.parameterCount(), as.rowLength());
                // MaxVol: after selection every training row is inside the active set's hull
                for (double g : grades(p, as, train)) assertTrue(g <= 1.001 + 1e-9, spec + " " + w + " training grade " + g);
                // round trip through a compressed .almtp
                p.setActiveSet(as.toData());
                Path file = tmp.resolve("c.almtp");
                PotentialFiles.write(p, file);
                Potential back = PotentialFiles.read(file);
                ActiveSet as2 = ActiveSet.fromData(back, file.toString());
                assertArrayEquals(grades(p, as, cand), grades(back, as2, cand), 1e-9, spec + " " + w);
            }
        }
    }

    /** Force and virial rows are mapped to the compressed coordinates like every row: MaxVol and grades work. */
    @Test
    void forceAndStressRowsOfACompressedPotential() {
        List<Configuration> train = CfgFiles.read(TestData.data(TRAIN40)).subList(0, 10);
        Potential p = compressed("mf:rank=3");
        SelectionWeights w = new SelectionWeights(0, 1, 1, 0, 2);
        ActiveSet as = ActiveLearning.rebuild(p, ActiveLearning.Source.of(train), w, ActiveSet.DEFAULT_THRESHOLD, 2);
        assertEquals(RowMap.dimension(p), as.dimension());
        assertTrue(as.filledRows() > as.dimension() / 2, "filled " + as.filledRows());
        for (double g : grades(p, as, train)) assertTrue(g <= 1.001 + 1e-9, "training grade " + g);
    }

    @Test
    void fullRankMfRowsAreAnOrthogonalTransformOfThePlainRows() {
        // 3 species, K = 3, R = 8: C is 24 x 9; rank 9 represents every tensor, so the compressed coordinates are
        // an orthonormal basis of all 216 radial coefficients: rows keep their lengths and inner products, hence
        // the D-optimal selection and grades are those of the plain potential up to the basis of the unfilled rows
        Potential plain = PotentialFiles.read(TestData.data(TRAINED10));
        Potential full = compressed("mf:rank=9");
        assertEquals(plain.parameterCount(), RowMap.dimension(full));
        RowMap map = RowMap.of(full);
        java.util.Random rnd = new java.util.Random(2);
        double[] a = new double[plain.parameterCount()], b = new double[plain.parameterCount()];
        for (int i = 0; i < a.length; i++) { a[i] = rnd.nextGaussian(); b[i] = rnd.nextGaussian(); }
        assertEquals(Dense.dot(a, b), Dense.dot(map.apply(a), map.apply(b)), 1e-10 * Math.sqrt(Dense.dot(a, a) * Dense.dot(b, b)));
        // a lower rank drops exactly the directions the factors cannot move
        Potential low = compressed("mf:rank=3");
        RowMap m3 = RowMap.of(low);
        double[] g = new double[low.parameterCount()];
        double[] gx = new double[((Factorisation) low.radialRepresentation()).storedCount()];
        for (int i = 0; i < g.length; i++) g[i] = rnd.nextGaussian();
        // |Q^T g_r| >= |J^T g_r| / |J| and Q^T g = 0 iff J^T g = 0: check the second on a vector orthogonal to range(J)
        double[] qt = low.radialRepresentation().rowBasis();
        int nr = low.radialCoefficients().length, d = qt.length / nr;
        double[] h = java.util.Arrays.copyOf(g, g.length);
        for (int k = 0; k < d; k++) {
            double c = 0;
            for (int i = 0; i < nr; i++) c += qt[k * nr + i] * h[i];
            for (int i = 0; i < nr; i++) h[i] -= c * qt[k * nr + i];
        }
        ((Factorisation) low.radialRepresentation()).pullBack(h, gx, 0);
        assertEquals(0, Dense.norm(gx), 1e-10 * Dense.norm(g), "J^T vanishes off the row basis");
        double[] mh = m3.apply(h);
        for (int k = 0; k < d; k++) assertEquals(0, mh[k], 1e-10 * Dense.norm(g));
    }

    @Test
    void extrapolationIsDetectedInCompressedCoordinates() {
        List<Configuration> train = CfgFiles.read(TestData.data(TRAIN40));
        Potential p = compressed("mf:rank=3");
        ActiveSet as = ActiveLearning.rebuild(p, ActiveLearning.Source.of(train.subList(0, 20)), SelectionWeights.NEIGHBOURHOOD_MODE,
                ActiveSet.DEFAULT_THRESHOLD, 1);
        // a compressed cell is far outside the training neighbourhoods
        Configuration c = train.get(30).copy();
        for (int i = 0; i < 9; i++) c.lattice()[i] *= 0.85;
        for (int i = 0; i < c.positions().length; i++) c.positions()[i] *= 0.85;
        List<Configuration> probe = new ArrayList<>(List.of(c));
        assertTrue(grades(p, as, probe)[0] > 2, "grade of a 15 % compressed cell");
    }
}
