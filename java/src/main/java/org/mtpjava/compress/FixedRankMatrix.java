package org.mtpjava.compress;

import java.util.Random;

/**
 * R-MF: the MF matrix C (same reshape as {@link MatrixFactorisation}) as a point of the manifold M_r of rank-r
 * matrices, stored as X = U S V^T with U (m x r) and V (n x r) orthonormal columns and S (r x r). The geometry
 * used by Riemannian optimisation:
 * <ul>
 *   <li>tangent space T_X = {U M V^T + U_p V^T + U V_p^T : U^T U_p = 0, V^T V_p = 0}, dimension (m + n - r) r;</li>
 *   <li>orthogonal projection P_X(Z) = Z V V^T + U U^T Z - U U^T Z V V^T (the Riemannian gradient is P_X(G));</li>
 *   <li>retraction R_X(xi) = the best rank-r approximation of X + xi, computed from a thin QR of [U | U_p] and of
 *       [V | V_p] and the SVD of a 2r x 2r core (when m or n is below 2r: the SVD of the m x n matrix);</li>
 *   <li>vector transport from X to Y: P_Y (projection).</li>
 * </ul>
 */
public final class FixedRankMatrix extends Factorisation {
    private final int[] rowModes, colModes, offsets;
    private final int m, n, r;
    private double[] u, s, v;

    public FixedRankMatrix(TensorLayout layout, int[] rowModes, int rank) {
        super(layout);
        this.rowModes = rowModes.clone();
        this.colModes = layout.complement(rowModes);
        if (rowModes.length == 0 || colModes.length == 0) throw new IllegalArgumentException("R-MF needs row and column modes");
        this.offsets = layout.offsets(TensorLayout.concat(this.rowModes, colModes));
        this.m = layout.size(this.rowModes);
        this.n = layout.size(colModes);
        if (rank < 1 || rank > Math.min(m, n)) {
            throw new IllegalArgumentException("R-MF rank " + rank + " out of range 1.." + Math.min(m, n) + " for the " + m + " x " + n + " matrix");
        }
        this.r = rank;
        u = new double[m * r];
        v = new double[n * r];
        s = new double[r * r];
        for (int i = 0; i < r; i++) {
            u[i * r + i] = 1;
            v[i * r + i] = 1;
        }
    }

    @Override public String method() { return "rmf"; }
    public int rows() { return m; }
    public int cols() { return n; }
    public int rank() { return r; }
    public int[] rowModes() { return rowModes.clone(); }
    @Override public int[] ranks() { return new int[]{r}; }
    public double[] u() { return u; }
    public double[] s() { return s; }
    public double[] v() { return v; }

    @Override public int parameterCount() { return manifoldDimension(); }
    @Override public int storedCount() { return m * r + r * r + n * r; }
    @Override public int manifoldDimension() { return (m + n - r) * r; }

    @Override public double[] factors() {
        double[] x = new double[storedCount()];
        System.arraycopy(u, 0, x, 0, u.length);
        System.arraycopy(s, 0, x, u.length, s.length);
        System.arraycopy(v, 0, x, u.length + s.length, v.length);
        return x;
    }

    /** Sets U, S, V from x (U and V are taken as given; callers keep them orthonormal). */
    @Override public void setFactors(double[] x, int off) {
        System.arraycopy(x, off, u, 0, u.length);
        System.arraycopy(x, off + u.length, s, 0, s.length);
        System.arraycopy(x, off + u.length + s.length, v, 0, v.length);
    }

    public double[] matrix() {
        return Dense.mulBt(Dense.mul(u, s, m, r, r), v, m, r, n);
    }

    public double[] matrixOf(double[] dense) { return TensorLayout.gather(dense, offsets); }
    public void denseOf(double[] matrix, double[] dense) { TensorLayout.scatter(matrix, offsets, dense); }

    @Override public void materialise(double[] dense) { TensorLayout.scatter(matrix(), offsets, dense); }

    /** Gradient with respect to the stored (U, S, V): G V S^T, U^T G V, G^T U S. */
    @Override public void pullBack(double[] gDense, double[] out, int off) {
        double[] g = matrixOf(gDense);
        double[] gv = Dense.mul(g, v, m, n, r);
        double[] du = Dense.mulBt(gv, s, m, r, r);
        double[] ds = Dense.mulAt(u, gv, m, r, r);
        double[] dv = Dense.mul(Dense.mulAt(g, u, m, n, r), s, n, r, r);
        System.arraycopy(du, 0, out, off, du.length);
        System.arraycopy(ds, 0, out, off + du.length, ds.length);
        System.arraycopy(dv, 0, out, off + du.length + ds.length, dv.length);
    }

    /** Sets X to the best rank-r approximation of the m x n matrix a (truncated SVD). */
    public void setMatrix(double[] a) {
        Dense.Svd d = Dense.svd(a, m, n);
        u = d.u(r);
        v = d.v(r);
        s = new double[r * r];
        for (int k = 0; k < r; k++) s[k * r + k] = d.s()[k];
    }

    @Override public void fit(double[] dense) { setMatrix(matrixOf(dense)); }

    @Override public void transformMode(int mode, double[] t) {
        boolean rowSide = false;
        int pos = -1;
        for (int i = 0; i < rowModes.length; i++) if (rowModes[i] == mode) { pos = i; rowSide = true; }
        if (!rowSide) for (int i = 0; i < colModes.length; i++) if (colModes[i] == mode) pos = i;
        double[] f = MatrixFactorisation.applyToFactor(rowSide ? u : v, rowSide ? rowModes : colModes, pos, t, r, layout);
        Dense.Qr q = Dense.qr(f, rowSide ? m : n, r);
        if (rowSide) {
            u = q.q();
            s = Dense.mul(q.r(), s, r, r, r);
        } else {
            v = q.q();
            s = Dense.mulBt(s, q.r(), r, r, r);
        }
    }

    @Override public void randomise(Random rnd) {
        double[] a = new double[m * r], b = new double[n * r];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
        u = Dense.qr(a, m, r).q();
        v = Dense.qr(b, n, r).q();
        s = new double[r * r];
        double scale = Math.sqrt((double) m * n / r);
        for (int k = 0; k < r; k++) s[k * r + k] = scale * (0.5 + rnd.nextDouble());
    }

    // ------------------------------------------------------------------------------------------------
    // Riemannian geometry (matrices m x n row-major)

    /** P_X(z) = z V V^T + U U^T z - U U^T z V V^T. */
    public double[] project(double[] z) {
        double[] zv = Dense.mul(z, v, m, n, r);            // m x r
        double[] utz = Dense.mulAt(u, z, m, r, n);         // r x n
        double[] utzv = Dense.mul(utz, v, r, n, r);        // r x r
        double[] a = Dense.mulBt(zv, v, m, r, n);          // z V V^T
        double[] b = Dense.mul(u, utz, m, r, n);           // U U^T z
        double[] c = Dense.mulBt(Dense.mul(u, utzv, m, r, r), v, m, r, n);
        double[] out = new double[m * n];
        for (int i = 0; i < out.length; i++) out[i] = a[i] + b[i] - c[i];
        return out;
    }

    /** X := R_X(xi) for a tangent vector xi (m x n): the truncated SVD of X + xi via small QR + SVD. */
    public void retract(double[] xi) {
        if (m < 2 * r || n < 2 * r) {
            double[] x = matrix();
            for (int i = 0; i < x.length; i++) x[i] += xi[i];
            setMatrix(x);
            return;
        }
        double[] mm = Dense.mul(Dense.mulAt(u, xi, m, r, n), v, r, n, r);   // U^T xi V
        double[] up = Dense.mul(xi, v, m, n, r);                             // xi V - U M
        double[] um = Dense.mul(u, mm, m, r, r);
        for (int i = 0; i < up.length; i++) up[i] -= um[i];
        double[] vp = Dense.mulAt(xi, u, m, n, r);                           // xi^T U - V M^T
        double[] vm = Dense.mulBt(v, mm, n, r, r);
        for (int i = 0; i < vp.length; i++) vp[i] -= vm[i];
        // X + xi = [U Up] [[S + M, I], [I, 0]] [V Vp]^T
        int r2 = 2 * r;
        Dense.Qr qu = Dense.qr(hcat(u, up, m, r), m, r2), qv = Dense.qr(hcat(v, vp, n, r), n, r2);
        double[] mid = new double[r2 * r2];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) mid[i * r2 + j] = s[i * r + j] + mm[i * r + j];
            mid[i * r2 + r + i] = 1;
            mid[(r + i) * r2 + i] = 1;
        }
        double[] core = Dense.mulBt(Dense.mul(qu.r(), mid, r2, r2, r2), qv.r(), r2, r2, r2);
        Dense.Svd d = Dense.svd(core, r2, r2);
        u = Dense.mul(qu.q(), d.u(r), m, r2, r);
        v = Dense.mul(qv.q(), d.v(r), n, r2, r);
        s = new double[r * r];
        for (int k = 0; k < r; k++) s[k * r + k] = d.s()[k];
    }

    private static double[] hcat(double[] a, double[] b, int rows, int k) {
        double[] out = new double[rows * 2 * k];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, i * k, out, i * 2 * k, k);
            System.arraycopy(b, i * k, out, i * 2 * k + k, k);
        }
        return out;
    }

    @Override public String describe() {
        return "R-MF rank " + r + " (" + layout.modeNames(rowModes) + " | " + layout.modeNames(colModes) + ", " + m + " x " + n
                + ", fixed-rank manifold): " + parameterCount() + " radial parameters of " + layout.total() + " ("
                + percent(parameterCount(), layout.total()) + "; stored as U, S, V: " + storedCount() + " numbers)";
    }

    @Override public FixedRankMatrix copy() {
        FixedRankMatrix c = new FixedRankMatrix(layout, rowModes, r);
        c.u = u.clone();
        c.s = s.clone();
        c.v = v.clone();
        return c;
    }
}
