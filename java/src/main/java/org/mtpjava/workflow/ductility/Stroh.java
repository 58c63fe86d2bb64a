package org.mtpjava.workflow.ductility;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Stroh's sextic formalism for a semi-infinite crack in a linear anisotropic solid (plane problem, all three
 * displacement components, any orientation). Frame: x1 along the crack's extension, x2 normal to the crack
 * plane, x3 along the crack front. With Q_ik = C_i1k1, R_ik = C_i1k2, T_ik = C_i2k2 the eigenvalues p_α
 * (Im p_α > 0) solve det[Q + p(R + Rᵀ) + p²T] = 0, a_α is the null vector and b_α = (Rᵀ + p_α T) a_α.
 *
 * <p>The near-tip fields for stress intensities K = (K_II, K_I, K_III) are (r, θ polar around the tip, z_α =
 * cos θ + p_α sin θ, q = B⁻¹K/√(2π)):
 * <pre>
 *   σ_i2 = r^-1/2 Re[B ⟨z_α^-1/2⟩ q],   σ_i1 = −r^-1/2 Re[B ⟨p_α z_α^-1/2⟩ q],
 *   crack opening Δu = 4 √(r/2π) Re[i A B⁻¹] K,   energy release rate G = ½ Kᵀ E K with E = Re[i A B⁻¹].
 * </pre>
 * E (1/GPa if C is in GPa) is symmetric positive definite; for an isotropic solid E = diag(1−ν, 1−ν, 1)/μ.
 * Its inverse is the prelogarithmic energy-factor matrix of dislocations on the plane x2 = 0 (Barnett–Lothe L).
 *
 * <p>The isotropic case is degenerate (p = i triple). When two roots nearly coincide, the fields are computed
 * for C1111 (1 ± δ), C1313 (1 ± 2δ) with δ = 1e-3 and averaged: every returned quantity is a smooth function
 * of C, so the error is O(δ²) (tested against the closed isotropic forms).
 */
public final class Stroh {
    private final double[][][][] c;
    private final Complex[] p = new Complex[3];
    private final Complex[][] a = new Complex[3][3]; // a[k][alpha]
    private final Complex[][] b = new Complex[3][3];
    private final Complex[][] bInv;
    private final double[][] e = new double[3][3];
    private final Stroh plus, minus; // non-null for a near-degenerate tensor

    /** @param cijkl full elastic tensor in the crack frame */
    public Stroh(double[][][][] cijkl) { this(cijkl, true); }

    private Stroh(double[][][][] cijkl, boolean allowPerturbation) {
        this.c = cijkl;
        double[][] q = new double[3][3], r = new double[3][3], t = new double[3][3];
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++) {
                q[i][k] = c[i][0][k][0];
                r[i][k] = c[i][0][k][1];
                t[i][k] = c[i][1][k][1];
            }
        Complex[] roots = roots(q, r, t);
        double sep = Double.MAX_VALUE, scale = 0;
        for (int x = 0; x < 3; x++) {
            scale = Math.max(scale, roots[x].abs());
            for (int y = x + 1; y < 3; y++) sep = Math.min(sep, roots[x].sub(roots[y]).abs());
        }
        if (allowPerturbation && sep < 2e-3 * Math.max(1, scale)) {
            plus = new Stroh(perturbed(cijkl, 1e-3), false);
            minus = new Stroh(perturbed(cijkl, -1e-3), false);
            bInv = null;
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) e[i][j] = 0.5 * (plus.e[i][j] + minus.e[i][j]);
            return;
        }
        plus = minus = null;
        for (int al = 0; al < 3; al++) {
            p[al] = roots[al];
            Complex[][] m = new Complex[3][3];
            for (int i = 0; i < 3; i++)
                for (int k = 0; k < 3; k++)
                    m[i][k] = new Complex(q[i][k] + p[al].re * (r[i][k] + r[k][i]) + (p[al].re * p[al].re - p[al].im * p[al].im) * t[i][k],
                            p[al].im * (r[i][k] + r[k][i]) + 2 * p[al].re * p[al].im * t[i][k]);
            Complex[] av = nullVector(m);
            for (int k = 0; k < 3; k++) a[k][al] = av[k];
            for (int i = 0; i < 3; i++) {
                Complex s = Complex.ZERO;
                for (int k = 0; k < 3; k++) {
                    // (R^T + p T)_ik a_k with (R^T)_ik = R_ki
                    Complex coef = new Complex(r[k][i], 0).add(p[al].mul(t[i][k]));
                    s = s.add(coef.mul(av[k]));
                }
                b[i][al] = s;
            }
        }
        bInv = inverse(b);
        // E = Re[i A B^-1]
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                Complex s = Complex.ZERO;
                for (int al = 0; al < 3; al++) s = s.add(a[i][al].mul(bInv[al][j]));
                e[i][j] = -s.im; // Re(i s) = -Im(s)
            }
    }

    private static double[][][][] perturbed(double[][][][] c, double d) {
        // break the isotropic degeneracy of both the in-plane pair (C1111) and the anti-plane root (C1313)
        // by different relative amounts; symmetric, and positive definite for small d
        double[][][][] out = new double[3][3][3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++) out[i][j][k] = c[i][j][k].clone();
        out[0][0][0][0] *= 1 + d;
        double c55 = c[0][2][0][2] * (1 + 2 * d);
        out[0][2][0][2] = out[0][2][2][0] = out[2][0][0][2] = out[2][0][2][0] = c55;
        return out;
    }

    /** E = Re[iAB⁻¹]: G = ½ Kᵀ E K for K = (K_II, K_I, K_III). */
    public double[][] compliance() {
        double[][] out = new double[3][];
        for (int i = 0; i < 3; i++) out[i] = e[i].clone();
        return out;
    }

    /**
     * Stress components σ_i1 and σ_i2 (i = 1..3) at unit distance and angle θ for the intensity vector K
     * (units of K per √(2π)... i.e. σ·√(2πr)). Returns {σ11, σ21, σ31, σ12, σ22, σ32}.
     */
    public double[] stress(double theta, double[] k) {
        if (plus != null) {
            double[] s1 = plus.stress(theta, k), s2 = minus.stress(theta, k);
            double[] out = new double[6];
            for (int i = 0; i < 6; i++) out[i] = 0.5 * (s1[i] + s2[i]);
            return out;
        }
        // q = B^-1 K (the 1/sqrt(2π) is folded into the σ·sqrt(2πr) normalisation)
        Complex[] qv = new Complex[3];
        for (int al = 0; al < 3; al++) {
            Complex s = Complex.ZERO;
            for (int j = 0; j < 3; j++) s = s.add(bInv[al][j].mul(k[j]));
            qv[al] = s;
        }
        double[] out = new double[6];
        for (int i = 0; i < 3; i++) {
            Complex s2 = Complex.ZERO, s1 = Complex.ZERO;
            for (int al = 0; al < 3; al++) {
                Complex z = new Complex(Math.cos(theta) + p[al].re * Math.sin(theta), p[al].im * Math.sin(theta));
                Complex zm = z.sqrt().reciprocal();
                Complex term = b[i][al].mul(zm).mul(qv[al]);
                s2 = s2.add(term);
                s1 = s1.add(term.mul(p[al]));
            }
            out[i] = -s1.re;
            out[3 + i] = s2.re;
        }
        return out;
    }

    /**
     * Traction vector σ·n on the radial plane at angle θ (normal n = (−sin θ, cos θ, 0)), times √(2πr),
     * for intensity vector K = (K_II, K_I, K_III).
     */
    public double[] traction(double theta, double[] k) {
        double[] s = stress(theta, k);
        double sn = Math.sin(theta), cs = Math.cos(theta);
        return new double[]{-sn * s[0] + cs * s[3], -sn * s[1] + cs * s[4], -sn * s[2] + cs * s[5]};
    }

    // ---- the sextic ----------------------------------------------------------------------------------------

    private static Complex[] roots(double[][] q, double[][] r, double[][] t) {
        // entries as quadratics c0 + c1 p + c2 p^2
        double[][][] m = new double[3][3][];
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++) m[i][k] = new double[]{q[i][k], r[i][k] + r[k][i], t[i][k]};
        double[] det = sub(add(mul(m[0][0], sub(mul(m[1][1], m[2][2]), mul(m[1][2], m[2][1]))),
                        mul(m[0][2], sub(mul(m[1][0], m[2][1]), mul(m[1][1], m[2][0])))),
                mul(m[0][1], sub(mul(m[1][0], m[2][2]), mul(m[1][2], m[2][0]))));
        int deg = det.length - 1;
        while (deg > 0 && Math.abs(det[deg]) < 1e-300) deg--;
        if (deg != 6) throw new IllegalArgumentException("elastic tensor is singular in the crack frame (sextic of degree " + deg + ")");
        // companion matrix of the monic polynomial
        DMatrixRMaj comp = new DMatrixRMaj(6, 6);
        for (int i = 1; i < 6; i++) comp.set(i, i - 1, 1);
        for (int i = 0; i < 6; i++) comp.set(i, 5, -det[i] / det[6]);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(6, false);
        if (!eig.decompose(comp)) throw new IllegalStateException("eigenvalues of the Stroh sextic did not converge");
        Complex[] up = new Complex[3];
        int n = 0;
        Complex[] all = new Complex[6];
        for (int i = 0; i < 6; i++) {
            Complex_F64 v = eig.getEigenvalue(i);
            all[i] = polish(det, new Complex(v.real, v.imaginary));
        }
        java.util.Arrays.sort(all, (x, y) -> Double.compare(y.im, x.im));
        for (int i = 0; i < 3; i++) {
            if (!(all[i].im > 1e-9)) throw new IllegalArgumentException("elastic tensor is not positive definite (real Stroh eigenvalue)");
            up[n++] = all[i];
        }
        return up;
    }

    private static Complex polish(double[] poly, Complex z) {
        for (int it = 0; it < 20; it++) {
            Complex f = Complex.ZERO, d = Complex.ZERO;
            for (int k = poly.length - 1; k >= 0; k--) {
                d = d.mul(z).add(f);
                f = f.mul(z).add(new Complex(poly[k], 0));
            }
            if (d.abs() == 0) break;
            Complex step = f.div(d);
            z = z.sub(step);
            if (step.abs() < 1e-15 * Math.max(1, z.abs())) break;
        }
        return z;
    }

    private static double[] mul(double[] x, double[] y) {
        double[] out = new double[x.length + y.length - 1];
        for (int i = 0; i < x.length; i++) for (int j = 0; j < y.length; j++) out[i + j] += x[i] * y[j];
        return out;
    }

    private static double[] add(double[] x, double[] y) {
        double[] out = new double[Math.max(x.length, y.length)];
        for (int i = 0; i < x.length; i++) out[i] += x[i];
        for (int i = 0; i < y.length; i++) out[i] += y[i];
        return out;
    }

    private static double[] sub(double[] x, double[] y) {
        double[] out = new double[Math.max(x.length, y.length)];
        for (int i = 0; i < x.length; i++) out[i] += x[i];
        for (int i = 0; i < y.length; i++) out[i] -= y[i];
        return out;
    }

    /** Null vector of a rank-2 complex 3×3 matrix: the largest cross product of two rows. */
    private static Complex[] nullVector(Complex[][] m) {
        Complex[] best = null;
        double bestNorm = -1;
        int[][] pairs = {{0, 1}, {0, 2}, {1, 2}};
        for (int[] pr : pairs) {
            Complex[] x = m[pr[0]], y = m[pr[1]];
            Complex[] v = {x[1].mul(y[2]).sub(x[2].mul(y[1])), x[2].mul(y[0]).sub(x[0].mul(y[2])), x[0].mul(y[1]).sub(x[1].mul(y[0]))};
            double nrm = v[0].abs() + v[1].abs() + v[2].abs();
            if (nrm > bestNorm) {
                bestNorm = nrm;
                best = v;
            }
        }
        if (bestNorm <= 0) throw new IllegalStateException("Stroh matrix of rank < 2 (degenerate tensor)");
        return best;
    }

    private static Complex[][] inverse(Complex[][] m) {
        Complex det = m[0][0].mul(m[1][1].mul(m[2][2]).sub(m[1][2].mul(m[2][1])))
                .sub(m[0][1].mul(m[1][0].mul(m[2][2]).sub(m[1][2].mul(m[2][0]))))
                .add(m[0][2].mul(m[1][0].mul(m[2][1]).sub(m[1][1].mul(m[2][0]))));
        if (det.abs() == 0) throw new IllegalStateException("singular Stroh matrix B");
        Complex[][] inv = new Complex[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
                inv[i][j] = m[i1][j1].mul(m[i2][j2]).sub(m[i1][j2].mul(m[i2][j1])).div(det);
            }
        return inv;
    }

    /** Minimal immutable complex number. */
    record Complex(double re, double im) {
        static final Complex ZERO = new Complex(0, 0);
        Complex add(Complex o) { return new Complex(re + o.re, im + o.im); }
        Complex sub(Complex o) { return new Complex(re - o.re, im - o.im); }
        Complex mul(Complex o) { return new Complex(re * o.re - im * o.im, re * o.im + im * o.re); }
        Complex mul(double x) { return new Complex(re * x, im * x); }
        Complex div(Complex o) {
            double d = o.re * o.re + o.im * o.im;
            return new Complex((re * o.re + im * o.im) / d, (im * o.re - re * o.im) / d);
        }
        Complex reciprocal() { return new Complex(1, 0).div(this); }
        double abs() { return Math.hypot(re, im); }
        /** Principal square root (branch cut on the negative real axis). */
        Complex sqrt() {
            double m = abs();
            if (m == 0) return ZERO;
            double r = Math.sqrt(0.5 * (m + re));
            double i = Math.copySign(Math.sqrt(0.5 * (m - re)), im);
            return new Complex(r, i);
        }
    }
}
