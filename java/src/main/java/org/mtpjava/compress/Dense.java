package org.mtpjava.compress;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Small dense row-major matrices (double[] with explicit sizes) and the two decompositions compression needs,
 * thin SVD and thin QR, from EJML. Sizes here are at most a few hundred, so clarity beats blocking.
 */
final class Dense {
    private Dense() {}

    /** C (m x n) = A (m x k) B (k x n). */
    static double[] mul(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < k; l++) {
                double v = a[i * k + l];
                if (v == 0) continue;
                int bo = l * n, co = i * n;
                for (int j = 0; j < n; j++) c[co + j] += v * b[bo + j];
            }
        }
        return c;
    }

    /** C (m x n) = A (m x k) B^T, B (n x k). */
    static double[] mulBt(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int l = 0; l < k; l++) v += a[i * k + l] * b[j * k + l];
                c[i * n + j] = v;
            }
        }
        return c;
    }

    /** C (k x n) = A^T B, A (m x k), B (m x n). */
    static double[] mulAt(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[k * n];
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < k; l++) {
                double v = a[i * k + l];
                if (v == 0) continue;
                int bo = i * n, co = l * n;
                for (int j = 0; j < n; j++) c[co + j] += v * b[bo + j];
            }
        }
        return c;
    }

    static double[] transpose(double[] a, int m, int n) {
        double[] t = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
        return t;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    /** Thin SVD A = U diag(s) V^T of an m x n matrix: U (m x p), s (p), V (n x p), p = min(m, n), s descending. */
    record Svd(double[] u, double[] s, double[] v, int m, int n, int p) {
        /** The first r columns of U (m x r). */
        double[] u(int r) { return columns(u, m, p, r); }
        double[] v(int r) { return columns(v, n, p, r); }
    }

    static double[] columns(double[] a, int rows, int cols, int r) {
        double[] out = new double[rows * r];
        for (int i = 0; i < rows; i++) System.arraycopy(a, i * cols, out, i * r, r);
        return out;
    }

    static Svd svd(double[] a, int m, int n) {
        int p = Math.min(m, n);
        SingularValueDecomposition_F64<DMatrixRMaj> d = DecompositionFactory_DDRM.svd(m, n, true, true, true);
        DMatrixRMaj am = new DMatrixRMaj(m, n, true, a);
        if (!d.decompose(am)) throw new IllegalStateException("SVD did not converge (" + m + " x " + n + ")");
        DMatrixRMaj u = d.getU(null, false), v = d.getV(null, false);
        double[] sv = d.getSingularValues();
        // sort descending (EJML does not guarantee the order)
        Integer[] idx = new Integer[p];
        for (int i = 0; i < p; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (x, y) -> Double.compare(sv[y], sv[x]));
        double[] uu = new double[m * p], vv = new double[n * p], ss = new double[p];
        for (int k = 0; k < p; k++) {
            int c = idx[k];
            ss[k] = sv[c];
            for (int i = 0; i < m; i++) uu[i * p + k] = u.get(i, c);
            for (int j = 0; j < n; j++) vv[j * p + k] = v.get(j, c);
        }
        return new Svd(uu, ss, vv, m, n, p);
    }

    /** Thin QR of an m x n matrix (m >= n): Q (m x n) with orthonormal columns and R (n x n) upper triangular. */
    record Qr(double[] q, double[] r) {}

    static Qr qr(double[] a, int m, int n) {
        if (m < n) throw new IllegalArgumentException("thin QR needs rows >= columns");
        QRDecomposition<DMatrixRMaj> d = DecompositionFactory_DDRM.qr(m, n);
        DMatrixRMaj am = new DMatrixRMaj(m, n, true, a);
        if (!d.decompose(am)) throw new IllegalStateException("QR failed");
        DMatrixRMaj q = d.getQ(null, true), r = d.getR(null, true);
        return new Qr(q.getData().clone(), r.getData().clone());
    }

    /** Solves A X = B for square A (n x n), B (n x k); null if A is singular. */
    static double[] solve(double[] a, double[] b, int n, int k) {
        DMatrixRMaj am = new DMatrixRMaj(n, n, true, a), bm = new DMatrixRMaj(n, k, true, b), x = new DMatrixRMaj(n, k);
        if (!CommonOps_DDRM.solve(am, bm, x)) return null;
        for (double v : x.getData()) if (!Double.isFinite(v)) return null;
        return x.getData().clone();
    }

    static double[] identity(int n) {
        double[] e = new double[n * n];
        for (int i = 0; i < n; i++) e[i * n + i] = 1;
        return e;
    }
}
