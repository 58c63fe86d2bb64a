package org.mtpjava.compress;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Representations of the radial tensor: parameter counts, materialisation, exact fits at full rank, mode transforms
 * (absorbing LinOptimize), and the factor gradients J^T g against central finite differences of a smooth
 * non-quadratic function of the dense tensor, for the plain (4-way) and magnetic (6-way) layouts.
 */
class FactorisationTest {
    static final TensorLayout PLAIN = new TensorLayout(4, 4, 8, 1);     // NbMoTaW level 14: 512 coefficients
    static final TensorLayout MAGNETIC = new TensorLayout(2, 3, 8, 4);  // Fe-Al example of the seed talk: 1536

    /** A smooth test function of the dense tensor and its gradient. */
    static double fn(double[] c, double[] w, double[] g) {
        double s = 0, q = 0;
        for (int i = 0; i < c.length; i++) {
            s += w[i] * c[i];
            q += c[i] * c[i] * (1 + 0.1 * i % 7);
        }
        // f = sin(w.c) + q/2 + q^2/(200 n), q = sum a_i c_i^2
        double f = Math.sin(s) + 0.5 * q + q * q / (200.0 * c.length);
        if (g != null) for (int i = 0; i < c.length; i++) g[i] = Math.cos(s) * w[i] + (1 + q / (50.0 * c.length)) * c[i] * (1 + 0.1 * i % 7);
        return f;
    }

    static void checkGradient(Factorisation f, long seed) {
        Random rnd = new Random(seed);
        f.randomise(rnd);
        int n = f.layout().total();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = rnd.nextGaussian() / Math.sqrt(n);
        double[] g = new double[n];
        fn(f.dense(), w, g);
        double[] gx = new double[f.storedCount()];
        f.pullBack(g, gx, 0);
        double[] x0 = f.factors();
        double maxErr = 0, maxRef = 0;
        for (int k = 0; k < x0.length; k += Math.max(1, x0.length / 60)) {
            double h = 1e-6 * Math.max(1, Math.abs(x0[k]));
            double[] xp = x0.clone(), xm = x0.clone();
            xp[k] += h;
            xm[k] -= h;
            f.setFactors(xp, 0);
            double fp = fn(f.dense(), w, null);
            f.setFactors(xm, 0);
            double fm = fn(f.dense(), w, null);
            double fd = (fp - fm) / (2 * h);
            maxErr = Math.max(maxErr, Math.abs(fd - gx[k]));
            maxRef = Math.max(maxRef, Math.abs(gx[k]));
        }
        f.setFactors(x0, 0);
        assertTrue(maxRef > 1e-3, "gradient not trivially zero");
        assertTrue(maxErr < 1e-6 * maxRef, f.describe() + ": FD error " + maxErr + " vs scale " + maxRef);
    }

    @Test
    void parameterCountsMatchTheSeedTalk() {
        assertEquals(512, PLAIN.total());
        assertEquals(1536, MAGNETIC.total());
        // FLiNaK table: MF counts are 48 r: 384 (r = 8), 240 (r = 5), 192 (r = 4); R-MF 287 = 48*7 - 7^2
        int[] rows = MatrixFactorisation.defaultRows(PLAIN);
        assertEquals(384, new MatrixFactorisation(PLAIN, rows, 8).parameterCount());
        assertEquals(240, new MatrixFactorisation(PLAIN, rows, 5).parameterCount());
        assertEquals(192, new MatrixFactorisation(PLAIN, rows, 4).parameterCount());
        assertEquals(287, new FixedRankMatrix(PLAIN, rows, 7).parameterCount());
        // TT over (mu, beta, ti, tj) with ranks (4, 5, 4): 4*4 + 4*8*5 + 5*4*4 + 4*4
        TensorTrain tt = new TensorTrain(PLAIN, PLAIN.naturalOrder(), new int[]{4, 5, 4});
        assertEquals(16 + 160 + 80 + 16, tt.parameterCount());
        assertEquals(272 - 16 - 25 - 16, tt.manifoldDimension());
        // magnetic MF: rows (mu, beta) = 24, columns (zeta, gamma, ti, tj) = 64
        MatrixFactorisation mm = new MatrixFactorisation(MAGNETIC, MatrixFactorisation.defaultRows(MAGNETIC), 8);
        assertEquals(24, mm.rows());
        assertEquals(64, mm.cols());
        assertEquals(88 * 8, mm.parameterCount());
    }

    @Test
    void layoutMapsModesOntoTheMlipOrder() {
        // element (mu=2, beta=5, ti=1, tj=3) of the plain tensor: ((1*4+3)*4+2)*8+5
        int[] off = PLAIN.offsets(PLAIN.naturalOrder());
        int lin = ((2 * 8 + 5) * 4 + 1) * 4 + 3;
        assertEquals(((1 * 4 + 3) * 4 + 2) * 8 + 5, off[lin]);
        // magnetic (mu=1, beta=2, zeta=3, gamma=0, ti=1, tj=0): ((1*2+0)*3+1)*8*16 + 2*16 + 3*4 + 0
        int[] moff = MAGNETIC.offsets(MAGNETIC.naturalOrder());
        int mlin = ((((1 * 8 + 2) * 4 + 3) * 4 + 0) * 2 + 1) * 2 + 0;
        assertEquals(((1 * 2 + 0) * 3 + 1) * 8 * 16 + 2 * 16 + 3 * 4, moff[mlin]);
    }

    @Test
    void gradientsOfEveryRepresentationMatchFiniteDifferences() {
        for (TensorLayout l : new TensorLayout[]{PLAIN, MAGNETIC}) {
            int[] rows = MatrixFactorisation.defaultRows(l);
            checkGradient(new MatrixFactorisation(l, rows, 3), 1);
            checkGradient(new FixedRankMatrix(l, rows, 3), 2);
            int[] order = l.naturalOrder();
            int[] ranks = new int[order.length - 1];
            for (int i = 0; i < ranks.length; i++) ranks[i] = 2 + i % 2;
            checkGradient(new TensorTrain(l, order, ranks), 3);
            // another order
            int[] o2 = order.clone();
            o2[0] = order[order.length - 2];
            o2[order.length - 2] = order[0];
            checkGradient(new TensorTrain(l, o2, ranks), 4);
        }
        // MF with other row modes (magnetic: rows mu, beta, zeta, gamma)
        checkGradient(new MatrixFactorisation(MAGNETIC, MAGNETIC.parseModes("mu,beta,zeta,gamma", false), 2), 5);
    }

    @Test
    void fullRankFitsAreExactAndTruncationsAreOptimal() {
        Random rnd = new Random(7);
        double[] c = new double[PLAIN.total()];
        for (int i = 0; i < c.length; i++) c[i] = rnd.nextGaussian();
        MatrixFactorisation mf = new MatrixFactorisation(PLAIN, MatrixFactorisation.defaultRows(PLAIN), 16);
        mf.fit(c);
        assertArrayEquals(c, mf.dense(), 1e-12);
        TensorTrain tt = new TensorTrain(PLAIN, PLAIN.naturalOrder(), new TensorTrain(PLAIN, PLAIN.naturalOrder(), new int[]{1, 1, 1}).maxRanks());
        tt.fit(c);
        assertArrayEquals(c, tt.dense(), 1e-12);
        // Eckart-Young: the rank-5 truncation error equals the tail of the singular values
        MatrixFactorisation m5 = new MatrixFactorisation(PLAIN, MatrixFactorisation.defaultRows(PLAIN), 5);
        m5.fit(c);
        Dense.Svd s = Dense.svd(m5.matrixOf(c), 32, 16);
        double tail = 0;
        for (int k = 5; k < 16; k++) tail += s.s()[k] * s.s()[k];
        double err = 0;
        double[] d = m5.dense();
        for (int i = 0; i < c.length; i++) err += (d[i] - c[i]) * (d[i] - c[i]);
        assertEquals(tail, err, 1e-10 * tail);
    }

    @Test
    void modeTransformsAreAbsorbedExactly() {
        for (TensorLayout l : new TensorLayout[]{PLAIN, MAGNETIC}) {
            Factorisation[] fs = {
                    new MatrixFactorisation(l, MatrixFactorisation.defaultRows(l), 3),
                    new FixedRankMatrix(l, MatrixFactorisation.defaultRows(l), 3),
                    new TensorTrain(l, l.naturalOrder(), l.isMagnetic() ? new int[]{2, 3, 3, 3, 2} : new int[]{2, 3, 2})};
            Random rnd = new Random(3);
            for (Factorisation f : fs) {
                f.randomise(rnd);
                int k = l.radialFuncs();
                double[] t = new double[k * k];
                for (int i = 0; i < t.length; i++) t[i] = (i % (k + 1) == 0 ? 1 : 0) + 0.3 * rnd.nextGaussian();
                // the dense tensor with t applied along mu
                double[] c = f.dense();
                int mu = l.mode(TensorLayout.MU);
                int[] order = TensorLayout.concat(new int[]{mu}, l.complement(new int[]{mu}));
                int[] off = l.offsets(order);
                double[] a = TensorLayout.gather(c, off);
                double[] ta = Dense.mul(t, a, k, k, a.length / k);
                double[] c2 = new double[c.length];
                TensorLayout.scatter(ta, off, c2);
                int stored = f.storedCount();
                assertEquals(Factorisation.Absorbed.MODE_TRANSFORM, f.absorb(c2), f.describe());
                assertEquals(stored, f.storedCount());
                assertArrayEquals(c2, f.dense(), 1e-12 * Dense.norm(c2));
                assertEquals(Factorisation.Absorbed.UNCHANGED, f.absorb(f.dense()));
                // a change that is not a mu transform is projected
                double[] c3 = f.dense();
                c3[5] += 1;
                assertEquals(Factorisation.Absorbed.PROJECTED, f.absorb(c3));
            }
        }
    }

    @Test
    void retractionIsTheTruncatedSvdOfTheSum() {
        TensorLayout l = PLAIN;
        for (int r : new int[]{3, 8, 10}) { // r = 10 > 16/2 takes the direct-SVD path
            FixedRankMatrix x = new FixedRankMatrix(l, MatrixFactorisation.defaultRows(l), r);
            x.randomise(new Random(r));
            Random rnd = new Random(11);
            double[] z = new double[32 * 16];
            for (int i = 0; i < z.length; i++) z[i] = 0.3 * rnd.nextGaussian();
            double[] xi = x.project(z);
            // projection is idempotent and self-adjoint
            assertArrayEquals(xi, x.project(xi), 1e-12);
            double[] z2 = new double[z.length];
            for (int i = 0; i < z2.length; i++) z2[i] = rnd.nextGaussian();
            assertEquals(Dense.dot(x.project(z), z2), Dense.dot(z, x.project(z2)), 1e-10);
            double[] sum = x.matrix();
            for (int i = 0; i < sum.length; i++) sum[i] += xi[i];
            FixedRankMatrix ref = x.copy();
            ref.setMatrix(sum);
            x.retract(xi);
            assertArrayEquals(ref.matrix(), x.matrix(), 1e-10);
            // orthonormal factors
            double[] utu = Dense.mulAt(x.u(), x.u(), 32, r, r);
            assertArrayEquals(Dense.identity(r), utu, 1e-12);
        }
    }

    @Test
    void ttAugmentationAndSupercoreGradient() {
        TensorTrain tt = new TensorTrain(PLAIN, PLAIN.naturalOrder(), new int[]{2, 2, 2});
        Random rnd = new Random(5);
        tt.randomise(rnd);
        double[] before = tt.dense();
        for (int b = 1; b <= 3; b++) {
            TensorTrain t = tt.copy();
            t.orthogonaliseAround(b);
            assertArrayEquals(before, t.dense(), 1e-12);
            // supercore gradient of <w, c> is the projection of w; check by FD on the supercore's change
            int n = PLAIN.total();
            double[] w = new double[n];
            for (int i = 0; i < n; i++) w[i] = rnd.nextGaussian();
            int[] sh = t.supercoreShape(b);
            double[] gw = t.supercoreGradient(b, w);
            // adding a rank-1 term u v^T to the supercore changes <w, c> by u^T Gw v
            double[] u = new double[sh[0]], v = new double[sh[1]];
            for (int i = 0; i < u.length; i++) u[i] = rnd.nextGaussian();
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian();
            TensorTrain a = t.copy();
            a.augment(b, u, v, 1);
            double[] after = a.dense();
            double change = 0;
            for (int i = 0; i < n; i++) change += w[i] * (after[i] - before[i]);
            double pred = 0;
            for (int i = 0; i < sh[0]; i++) for (int j = 0; j < sh[1]; j++) pred += u[i] * gw[i * sh[1] + j] * v[j];
            assertEquals(pred, change, 1e-9 * Math.abs(pred));
            assertEquals(tt.rank(b) + 1, a.rank(b));
            assertEquals(tt.parameterCount() + t.augmentationCost(b), a.parameterCount());
        }
    }
}
