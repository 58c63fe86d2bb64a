package org.mtpjava.compress;

import org.mtpjava.model.RadialRepresentation;

import java.util.Random;

/**
 * A compressed radial tensor: stored factors x (a flat vector) define the dense coefficients c = Phi(x).
 * Gradients with respect to the factors come from the one dense gradient dL/dc by contraction
 * ({@link #pullBack}, i.e. J^T dL/dc with J = dPhi/dx); no second gradient code exists.
 */
public abstract class Factorisation implements RadialRepresentation {
    protected final TensorLayout layout;

    protected Factorisation(TensorLayout layout) { this.layout = layout; }

    public TensorLayout layout() { return layout; }

    /** Number of stored factor entries (the length of {@link #factors()}). */
    public abstract int storedCount();

    /** Dimension of the set of tensors this representation can express near the current point (gauge removed). */
    public abstract int manifoldDimension();

    /** A copy of the stored factor entries. */
    public abstract double[] factors();

    /** Sets the stored factor entries from x[off .. off + storedCount()). */
    public abstract void setFactors(double[] x, int off);

    /** out[off + k] = sum_i gDense[i] dc_i/dx_k at the current factors. */
    public abstract void pullBack(double[] gDense, double[] out, int off);

    /** Replaces the factors by those of t x_mode c (t is n x n row-major, n the mode size); exact. */
    public abstract void transformMode(int mode, double[] t);

    /** Replaces the factors by the best approximation of {@code dense} at the current ranks (truncated SVD / TT-SVD). */
    public abstract void fit(double[] dense);

    /** Random factors (seeded); entries of c of order one. */
    public abstract void randomise(Random rnd);

    /** One line for logs: method, ranks, parameter count against the dense count. */
    public abstract String describe();

    /** The ranks (MF: {r}; TF: {r_1, ..., r_{d-1}}). */
    public abstract int[] ranks();

    @Override public abstract Factorisation copy();

    /**
     * Q^T for active learning (see {@link org.mtpjava.model.RadialRepresentation#rowBasis}): the leading
     * {@link #manifoldDimension()} left singular vectors of J = dc/dx, J^T built column by column with
     * {@link #pullBack} of unit vectors.
     */
    @Override public double[] rowBasis() {
        int nd = layout.total(), nx = storedCount();
        double[] jt = new double[nd * nx]; // row i = J^T e_i, i.e. J (nd x nx) row-major
        double[] e = new double[nd], row = new double[nx];
        for (int i = 0; i < nd; i++) {
            e[i] = 1;
            pullBack(e, row, 0);
            e[i] = 0;
            System.arraycopy(row, 0, jt, i * nx, nx);
        }
        Dense.Svd s = Dense.svd(jt, nd, nx);
        int d = rowDimension();
        double[] q = new double[d * nd];
        for (int k = 0; k < d; k++) for (int i = 0; i < nd; i++) q[k * nd + i] = s.u()[i * s.p() + k];
        return q;
    }

    @Override public int rowDimension() {
        return Math.min(manifoldDimension(), Math.min(layout.total(), storedCount()));
    }

    /** The dense tensor of the current factors. */
    public double[] dense() {
        double[] c = new double[layout.total()];
        materialise(c);
        return c;
    }

    /** What {@link #absorb} did. */
    public enum Absorbed { UNCHANGED, MODE_TRANSFORM, PROJECTED }

    /**
     * Makes the factors represent {@code dense}, which someone changed in place (MLIP's LinOptimize
     * orthonormalises the radial functions, a linear map along the mu mode): if {@code dense} equals the current
     * tensor nothing happens; if it is t x_mu (current) for some K x K matrix t (to 1e-10 relative), the mu factor
     * is transformed exactly; otherwise the factors are refitted (projection onto the current ranks).
     */
    public Absorbed absorb(double[] dense) {
        double[] cur = dense();
        if (java.util.Arrays.equals(cur, dense)) return Absorbed.UNCHANGED;
        int mu = layout.mode(TensorLayout.MU);
        int[] order = TensorLayout.concat(new int[]{mu}, layout.complement(new int[]{mu}));
        int[] off = layout.offsets(order);
        int k = layout.size(mu), rest = layout.total() / k;
        double[] a0 = TensorLayout.gather(cur, off), a1 = TensorLayout.gather(dense, off);
        // t = A1 A0^+ (pseudo-inverse: the mu unfolding may be rank-deficient, e.g. TT rank 1 next to mu)
        Dense.Svd sv = Dense.svd(a0, k, rest);
        double tol = 1e-13 * sv.s()[0];
        double[] pinv = new double[rest * k]; // A0^+ = V S^+ U^T (rest x k)
        for (int q = 0; q < sv.p(); q++) {
            if (!(sv.s()[q] > tol)) continue;
            double w = 1 / sv.s()[q];
            for (int c = 0; c < rest; c++) {
                double vq = sv.v()[c * sv.p() + q] * w;
                for (int i = 0; i < k; i++) pinv[c * k + i] += vq * sv.u()[i * sv.p() + q];
            }
        }
        double[] t = Dense.mul(a1, pinv, k, rest, k);
        boolean finite = true;
        for (double v : t) finite &= Double.isFinite(v);
        if (finite) {
            double[] pred = Dense.mul(t, a0, k, k, rest);
            double err = 0, ref = 0;
            for (int i = 0; i < pred.length; i++) {
                double d = pred[i] - a1[i];
                err += d * d;
                ref += a1[i] * a1[i];
            }
            if (err <= 1e-20 * Math.max(ref, 1e-300)) {
                transformMode(mu, t);
                return Absorbed.MODE_TRANSFORM;
            }
        }
        fit(dense);
        return Absorbed.PROJECTED;
    }

    static String percent(int part, int whole) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
