package org.mtpjava.compress;

import java.util.Random;

/**
 * MF: the radial tensor reshaped to a matrix C (rows = the row modes, default (mu, beta); columns = the other
 * modes, default (ti, tj), for a magnetic MTP (zeta, gamma, ti, tj)) with C = U V^T, U (m x r), V (n x r).
 * Stored as [U row-major | V row-major]: (m + n) r numbers. Gradients: dL/dU = G V, dL/dV = G^T U, G = dL/dC.
 */
public final class MatrixFactorisation extends Factorisation {
    private final int[] rowModes, colModes, offsets;
    private final int m, n;
    private int r;
    private double[] u, v;

    public MatrixFactorisation(TensorLayout layout, int[] rowModes, int rank) {
        super(layout);
        this.rowModes = rowModes.clone();
        this.colModes = layout.complement(rowModes);
        if (rowModes.length == 0 || colModes.length == 0) throw new IllegalArgumentException("MF needs row and column modes");
        this.offsets = layout.offsets(TensorLayout.concat(this.rowModes, colModes));
        this.m = layout.size(this.rowModes);
        this.n = layout.size(colModes);
        if (rank < 1) throw new IllegalArgumentException("MF rank must be >= 1, got " + rank);
        if (rank > Math.min(m, n)) {
            throw new IllegalArgumentException("MF rank " + rank + " exceeds min(rows, columns) = " + Math.min(m, n)
                    + " of the " + m + " x " + n + " matrix (" + layout.modeNames(this.rowModes) + " | " + layout.modeNames(colModes) + ")");
        }
        this.r = rank;
        this.u = new double[m * r];
        this.v = new double[n * r];
    }

    /** Default row modes: (mu, beta). */
    public static int[] defaultRows(TensorLayout layout) {
        return new int[]{layout.mode(TensorLayout.MU), layout.mode(TensorLayout.BETA)};
    }

    @Override public String method() { return "mf"; }
    public int rows() { return m; }
    public int cols() { return n; }
    public int rank() { return r; }
    public int[] rowModes() { return rowModes.clone(); }
    public int[] colModes() { return colModes.clone(); }
    @Override public int[] ranks() { return new int[]{r}; }
    /** U (m x r), live. */
    public double[] u() { return u; }
    /** V (n x r), live. */
    public double[] v() { return v; }
    int[] offsets() { return offsets; }

    @Override public int parameterCount() { return (m + n) * r; }
    @Override public int storedCount() { return (m + n) * r; }
    @Override public int manifoldDimension() { return (m + n - r) * r; }

    @Override public double[] factors() {
        double[] x = new double[storedCount()];
        System.arraycopy(u, 0, x, 0, u.length);
        System.arraycopy(v, 0, x, u.length, v.length);
        return x;
    }

    @Override public void setFactors(double[] x, int off) {
        System.arraycopy(x, off, u, 0, u.length);
        System.arraycopy(x, off + u.length, v, 0, v.length);
    }

    /** Sets U and V (copied); the rank follows from their lengths. */
    public void setFactors(double[] newU, double[] newV, int rank) {
        if (newU.length != m * rank || newV.length != n * rank) throw new IllegalArgumentException("factor sizes");
        if (rank < 1 || rank > Math.min(m, n)) throw new IllegalArgumentException("MF rank " + rank + " out of range 1.." + Math.min(m, n));
        r = rank;
        u = newU.clone();
        v = newV.clone();
    }

    /** C = U V^T as an m x n row-major matrix. */
    public double[] matrix() { return Dense.mulBt(u, v, m, r, n); }

    /** The m x n matrix view of a dense tensor (e.g. of the gradient dL/dc). */
    public double[] matrixOf(double[] dense) { return TensorLayout.gather(dense, offsets); }

    /** Writes an m x n matrix into the dense array. */
    public void denseOf(double[] matrix, double[] dense) { TensorLayout.scatter(matrix, offsets, dense); }

    @Override public void materialise(double[] dense) { TensorLayout.scatter(matrix(), offsets, dense); }

    @Override public void pullBack(double[] gDense, double[] out, int off) {
        double[] g = matrixOf(gDense);
        double[] gu = Dense.mul(g, v, m, n, r);       // G V
        double[] gv = Dense.mulAt(g, u, m, n, r);     // G^T U
        System.arraycopy(gu, 0, out, off, gu.length);
        System.arraycopy(gv, 0, out, off + gu.length, gv.length);
    }

    @Override public void transformMode(int mode, double[] t) {
        int pos = -1;
        for (int i = 0; i < rowModes.length; i++) if (rowModes[i] == mode) pos = i;
        if (pos >= 0) u = applyToFactor(u, rowModes, pos, t, r, layout);
        else {
            for (int i = 0; i < colModes.length; i++) if (colModes[i] == mode) pos = i;
            v = applyToFactor(v, colModes, pos, t, r, layout);
        }
    }

    /** F (prod sizes(modes) x r): transforms the index of modes[pos] by t. */
    static double[] applyToFactor(double[] f, int[] modes, int pos, double[] t, int r, TensorLayout layout) {
        int before = 1, after = 1, nk = layout.size(modes[pos]);
        for (int i = 0; i < pos; i++) before *= layout.size(modes[i]);
        for (int i = pos + 1; i < modes.length; i++) after *= layout.size(modes[i]);
        after *= r;
        double[] out = new double[f.length];
        for (int b = 0; b < before; b++) {
            for (int i = 0; i < nk; i++) {
                int o = (b * nk + i) * after;
                for (int j = 0; j < nk; j++) {
                    double w = t[i * nk + j];
                    if (w == 0) continue;
                    int src = (b * nk + j) * after;
                    for (int a = 0; a < after; a++) out[o + a] += w * f[src + a];
                }
            }
        }
        return out;
    }

    /** Truncated SVD: U = U_r S_r^1/2, V = V_r S_r^1/2 (balanced factors). */
    @Override public void fit(double[] dense) {
        Dense.Svd s = Dense.svd(matrixOf(dense), m, n);
        double[] nu = s.u(r), nv = s.v(r);
        for (int k = 0; k < r; k++) {
            double w = Math.sqrt(s.s()[k]);
            for (int i = 0; i < m; i++) nu[i * r + k] *= w;
            for (int j = 0; j < n; j++) nv[j * r + k] *= w;
        }
        u = nu;
        v = nv;
    }

    @Override public void randomise(Random rnd) {
        double sd = Math.pow(r, -0.25);
        for (int i = 0; i < u.length; i++) u[i] = sd * rnd.nextGaussian();
        for (int i = 0; i < v.length; i++) v[i] = sd * rnd.nextGaussian();
    }

    /** Appends columns: U := [U | du], V := [V | dv] (du m x k, dv n x k). */
    public void augment(double[] du, double[] dv, int k) {
        int nr = r + k;
        if (nr > Math.min(m, n)) throw new IllegalArgumentException("rank " + nr + " exceeds " + Math.min(m, n));
        double[] nu = new double[m * nr], nv = new double[n * nr];
        for (int i = 0; i < m; i++) {
            System.arraycopy(u, i * r, nu, i * nr, r);
            System.arraycopy(du, i * k, nu, i * nr + r, k);
        }
        for (int j = 0; j < n; j++) {
            System.arraycopy(v, j * r, nv, j * nr, r);
            System.arraycopy(dv, j * k, nv, j * nr + r, k);
        }
        u = nu;
        v = nv;
        r = nr;
    }

    @Override public String describe() {
        return "MF rank " + r + " (" + layout.modeNames(rowModes) + " | " + layout.modeNames(colModes) + ", " + m + " x " + n + "): "
                + parameterCount() + " radial parameters of " + layout.total() + " (" + percent(parameterCount(), layout.total())
                + "), manifold dimension " + manifoldDimension();
    }

    @Override public MatrixFactorisation copy() {
        MatrixFactorisation c = new MatrixFactorisation(layout, rowModes, r);
        c.u = u.clone();
        c.v = v.clone();
        return c;
    }
}
