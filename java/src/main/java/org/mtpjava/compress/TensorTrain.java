package org.mtpjava.compress;

import java.util.Arrays;
import java.util.Random;

/**
 * TF: the radial tensor as a tensor train over all its modes in a chosen order o = (o_1, ..., o_d):
 * c[i_1, ..., i_d] = G_1[i_1] G_2[i_2] ... G_d[i_d], core G_k of shape r_{k-1} x n_k x r_k (r_0 = r_d = 1).
 * Stored as the cores one after another, each row-major (a, i, b). For a magnetic MTP d = 6.
 *
 * <p>Gradient of core k: dL/dG_k[a, i, b] = sum Left_{k-1}[l, a] G[l, i, q] Right_{k+1}[b, q], where G = dL/dc
 * in the train's order, Left_{k-1} the product of cores 1..k-1 (N_&lt;k x r_{k-1}) and Right_{k+1} that of cores
 * k+1..d (r_k x N_&gt;k).
 */
public final class TensorTrain extends Factorisation {
    private final int[] order, dims, offsets;
    private final int d;
    private int[] ranks; // length d + 1, ranks[0] = ranks[d] = 1
    private double[][] cores;

    public TensorTrain(TensorLayout layout, int[] order, int[] innerRanks) {
        super(layout);
        if (order.length != layout.order()) throw new IllegalArgumentException("TF order must list all " + layout.order() + " modes");
        this.order = order.clone();
        this.d = order.length;
        this.dims = new int[d];
        for (int k = 0; k < d; k++) dims[k] = layout.size(order[k]);
        this.offsets = layout.offsets(order);
        if (innerRanks.length != d - 1) {
            throw new IllegalArgumentException("TF of the " + d + "-way tensor needs " + (d - 1) + " ranks, got " + innerRanks.length);
        }
        int[] rk = new int[d + 1];
        rk[0] = rk[d] = 1;
        System.arraycopy(innerRanks, 0, rk, 1, d - 1);
        checkRanks(rk);
        this.ranks = rk;
        this.cores = new double[d][];
        for (int k = 0; k < d; k++) cores[k] = new double[rk[k] * dims[k] * rk[k + 1]];
    }

    /** Largest useful rank of each bond: min(product of the sizes on either side). */
    public int[] maxRanks() {
        int[] mx = new int[d - 1];
        for (int k = 1; k < d; k++) {
            long left = 1, right = 1;
            for (int i = 0; i < k; i++) left *= dims[i];
            for (int i = k; i < d; i++) right *= dims[i];
            mx[k - 1] = (int) Math.min(left, right);
        }
        return mx;
    }

    private void checkRanks(int[] rk) {
        int[] mx = maxRanks();
        for (int k = 1; k < d; k++) {
            if (rk[k] < 1) throw new IllegalArgumentException("TF rank r_" + k + " must be >= 1, got " + rk[k]);
            if (rk[k] > mx[k - 1]) {
                throw new IllegalArgumentException("TF rank r_" + k + " = " + rk[k] + " exceeds " + mx[k - 1]
                        + ", the size of the smaller side of bond " + k + " in the order " + layout.modeNames(order)
                        + " (largest ranks: " + Arrays.toString(mx) + ")");
            }
        }
    }

    @Override public String method() { return "tf"; }
    public int[] order() { return order.clone(); }
    public int[] dims() { return dims.clone(); }
    /** Inner ranks r_1 .. r_{d-1}. */
    @Override public int[] ranks() { return Arrays.copyOfRange(ranks, 1, d); }
    public int rank(int bond) { return ranks[bond]; }
    public int length() { return d; }
    /** Core k (live), shape r_{k-1} x n_k x r_k. */
    public double[] core(int k) { return cores[k]; }

    @Override public int parameterCount() { return storedCount(); }

    @Override public int storedCount() {
        int n = 0;
        for (int k = 0; k < d; k++) n += ranks[k] * dims[k] * ranks[k + 1];
        return n;
    }

    /** Parameters minus the gauge freedom: sum r_{k-1} n_k r_k - sum_{k=1}^{d-1} r_k^2 (full-rank cores). */
    @Override public int manifoldDimension() {
        int n = storedCount();
        for (int k = 1; k < d; k++) n -= ranks[k] * ranks[k];
        return n;
    }

    /** Stored count for given inner ranks of this order (no object needed). */
    public static int count(int[] dims, int[] inner) {
        int n = 0, prev = 1;
        for (int k = 0; k < dims.length; k++) {
            int next = k == dims.length - 1 ? 1 : inner[k];
            n += prev * dims[k] * next;
            prev = next;
        }
        return n;
    }

    @Override public double[] factors() {
        double[] x = new double[storedCount()];
        int o = 0;
        for (double[] c : cores) {
            System.arraycopy(c, 0, x, o, c.length);
            o += c.length;
        }
        return x;
    }

    @Override public void setFactors(double[] x, int off) {
        for (double[] c : cores) {
            System.arraycopy(x, off, c, 0, c.length);
            off += c.length;
        }
    }

    /** Product of cores from..to-1 as (N_from..to) x r_to with the r_from index folded in: shape (r_from * N) x r_to. */
    private double[] leftProduct(int upTo) {
        // cores 0..upTo-1, result N_<upTo x r_upTo
        double[] l = {1.0};
        int rows = 1;
        for (int k = 0; k < upTo; k++) {
            l = Dense.mul(l, cores[k], rows, ranks[k], dims[k] * ranks[k + 1]);
            rows *= dims[k];
        }
        return l;
    }

    /** Product of cores from..d-1: r_from x N_>=from. */
    private double[] rightProduct(int from) {
        double[] rr = {1.0};
        int cols = 1;
        for (int k = d - 1; k >= from; k--) {
            rr = Dense.mul(cores[k], rr, ranks[k] * dims[k], ranks[k + 1], cols);
            cols *= dims[k];
        }
        return rr;
    }

    /** The tensor in the train's order (row-major, first mode slowest). */
    public double[] full() { return leftProduct(d); }

    @Override public void materialise(double[] dense) { TensorLayout.scatter(full(), offsets, dense); }

    /** The tensor of a dense array in this train's order. */
    public double[] viewOf(double[] dense) { return TensorLayout.gather(dense, offsets); }

    @Override public void pullBack(double[] gDense, double[] out, int off) {
        double[] g = viewOf(gDense);
        int total = g.length;
        // left products cached left to right
        double[] left = {1.0};
        int nLeft = 1;
        for (int k = 0; k < d; k++) {
            int nRight = total / (nLeft * dims[k]);
            double[] right = rightProduct(k + 1); // r_k x nRight
            // T1 = Left^T G : r_{k-1} x (n_k nRight)
            double[] t1 = Dense.mulAt(left, g, nLeft, ranks[k], dims[k] * nRight);
            // (r_{k-1} n_k) x nRight times Right^T (nRight x r_k)
            double[] gk = Dense.mulBt(t1, right, ranks[k] * dims[k], nRight, ranks[k + 1]);
            System.arraycopy(gk, 0, out, off, gk.length);
            off += gk.length;
            left = Dense.mul(left, cores[k], nLeft, ranks[k], dims[k] * ranks[k + 1]);
            nLeft *= dims[k];
        }
    }

    @Override public void transformMode(int mode, double[] t) {
        int k = -1;
        for (int i = 0; i < d; i++) if (order[i] == mode) k = i;
        int a = ranks[k], n = dims[k], b = ranks[k + 1];
        double[] c = cores[k], out = new double[c.length];
        for (int x = 0; x < a; x++) {
            for (int i = 0; i < n; i++) {
                int o = (x * n + i) * b;
                for (int j = 0; j < n; j++) {
                    double w = t[i * n + j];
                    if (w == 0) continue;
                    int src = (x * n + j) * b;
                    for (int y = 0; y < b; y++) out[o + y] += w * c[src + y];
                }
            }
        }
        cores[k] = out;
    }

    /** TT-SVD at the current ranks (sequential truncated SVDs, left to right). */
    @Override public void fit(double[] dense) {
        double[] a = viewOf(dense);
        int rows = 1, rest = a.length;
        for (int k = 0; k < d - 1; k++) {
            int m = ranks[k] * dims[k];
            rest /= dims[k];
            Dense.Svd s = Dense.svd(a, m, rest);
            int rk = ranks[k + 1];
            double[] uu = new double[m * rk];
            for (int i = 0; i < m; i++) for (int j = 0; j < rk && j < s.p(); j++) uu[i * rk + j] = s.u()[i * s.p() + j];
            cores[k] = uu;
            double[] next = new double[rk * rest];
            for (int j = 0; j < rk && j < s.p(); j++) {
                for (int c = 0; c < rest; c++) next[j * rest + c] = s.s()[j] * s.v()[c * s.p() + j];
            }
            a = next;
            rows = rk;
        }
        cores[d - 1] = a;
        if (a.length != rows * dims[d - 1]) throw new IllegalStateException("TT-SVD size");
    }

    /** Relative Frobenius error of the TT-SVD of {@code dense} at these ranks (for mode-order comparisons). */
    public double fitError(double[] dense) {
        fit(dense);
        double[] x = dense();
        double err = 0, ref = 0;
        for (int i = 0; i < x.length; i++) {
            double dd = x[i] - dense[i];
            err += dd * dd;
            ref += dense[i] * dense[i];
        }
        return Math.sqrt(err / ref);
    }

    @Override public void randomise(Random rnd) {
        for (int k = 0; k < d; k++) {
            double sd = Math.pow((double) ranks[k] * ranks[k + 1], -0.25);
            for (int i = 0; i < cores[k].length; i++) cores[k][i] = sd * rnd.nextGaussian();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // gauge and rank augmentation (rank-adaptive TF)

    /**
     * Gauge transform that keeps the tensor: for bond b (1-based, between cores b and b+1), the cores left of the
     * pair are made left-orthonormal (QR sweep) and those right of it right-orthonormal, so that the map from the
     * supercore W_b = G_b G_{b+1} to c is an isometry.
     */
    public void orthogonaliseAround(int bond) {
        int kl = bond - 1; // 0-based index of the left core of the pair
        for (int k = 0; k < kl; k++) {
            int m = ranks[k] * dims[k], r = ranks[k + 1];
            if (m < r) continue; // cannot be left-orthonormal (over-specified rank); left as is
            Dense.Qr q = Dense.qr(cores[k], m, r);
            cores[k] = q.q();
            cores[k + 1] = Dense.mul(q.r(), cores[k + 1], r, r, dims[k + 1] * ranks[k + 2]);
        }
        for (int k = d - 1; k > kl + 1; k--) {
            int l = ranks[k], n = dims[k] * ranks[k + 1];
            if (n < l) continue;
            // G_k (l x n) = R^T Q^T from the QR of G_k^T (n x l)
            Dense.Qr q = Dense.qr(Dense.transpose(cores[k], l, n), n, l);
            cores[k] = Dense.transpose(q.q(), n, l);
            int pm = ranks[k - 1] * dims[k - 1];
            cores[k - 1] = Dense.mulBt(cores[k - 1], q.r(), pm, l, l);
        }
    }

    /**
     * Gradient with respect to the supercore W_b = G_b G_{b+1} of bond b = 1..d-1 (cores b and b+1, 1-based), as a
     * matrix (r_{b-1} n_b) x (n_{b+1} r_{b+1}): Left^T G Right^T with the interfaces of the cores left and right of
     * the pair. Call {@link #orthogonaliseAround} first so that the frame is isometric.
     */
    public double[] supercoreGradient(int bond, double[] gDense) {
        int k = bond - 1; // left core index
        double[] g = viewOf(gDense);
        int nLeft = 1;
        for (int i = 0; i < k; i++) nLeft *= dims[i];
        int nMid = dims[k] * dims[k + 1];
        int nRight = g.length / (nLeft * nMid);
        double[] left = leftProduct(k);           // nLeft x r_k
        double[] right = rightProduct(k + 2);     // r_{k+2} x nRight
        double[] t1 = Dense.mulAt(left, g, nLeft, ranks[k], nMid * nRight);          // r_k x (nMid nRight)
        return Dense.mulBt(t1, right, ranks[k] * nMid, nRight, ranks[k + 2]);        // (r_k n_k n_k+1) x r_k+2
    }

    /** Rows and columns of the supercore matrix of a bond (1-based bond). */
    public int[] supercoreShape(int bond) {
        int k = bond - 1;
        return new int[]{ranks[k] * dims[k], dims[k + 1] * ranks[k + 2]};
    }

    /**
     * Bond (1-based) rank += kk: G_b gets kk new columns dA ((r_{b-1} n_b) x kk), G_{b+1} kk new rows dB
     * (kk x (n_{b+1} r_{b+1})); the tensor changes by Left dA dB Right.
     */
    public void augment(int bond, double[] dA, double[] dB, int kk) {
        int k = bond - 1;
        int mrows = ranks[k] * dims[k], r = ranks[k + 1], ncols = dims[k + 1] * ranks[k + 2];
        int nr = r + kk;
        int[] rk = ranks.clone();
        rk[k + 1] = nr;
        checkRanks(rk);
        double[] a = new double[mrows * nr];
        for (int i = 0; i < mrows; i++) {
            System.arraycopy(cores[k], i * r, a, i * nr, r);
            System.arraycopy(dA, i * kk, a, i * nr + r, kk);
        }
        double[] b = new double[nr * ncols];
        System.arraycopy(cores[k + 1], 0, b, 0, r * ncols);
        System.arraycopy(dB, 0, b, r * ncols, kk * ncols);
        cores[k] = a;
        cores[k + 1] = b;
        ranks = rk;
    }

    /** Stored parameters added by raising bond (1-based) by one. */
    public int augmentationCost(int bond) {
        int k = bond - 1;
        return ranks[k] * dims[k] + dims[k + 1] * ranks[k + 2];
    }

    @Override public String describe() {
        return "TF ranks " + Arrays.toString(ranks()).replace(" ", "") + " (order " + layout.modeNames(order) + ", sizes "
                + Arrays.toString(dims).replace(" ", "") + "): " + parameterCount() + " radial parameters of " + layout.total()
                + " (" + percent(parameterCount(), layout.total()) + "), manifold dimension " + manifoldDimension();
    }

    @Override public TensorTrain copy() {
        TensorTrain c = new TensorTrain(layout, order, ranks());
        for (int k = 0; k < d; k++) c.cores[k] = cores[k].clone();
        return c;
    }
}
