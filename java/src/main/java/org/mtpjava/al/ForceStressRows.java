package org.mtpjava.al;

import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;
import org.mtpjava.train.SiteTangentEvaluator;

import java.util.Arrays;

/**
 * Parameter derivatives of forces and of the virial, the force and stress rows of the active set
 * ({@link SelectionWeights}), as tangent passes of the training code's {@link SiteTangentEvaluator}.
 *
 * <p>With r_ij = r_j - r_i and g_ij = dV_i/dr_ij, the force on atom k is F_k = sum_i sum_j g_ij (delta_ik - delta_jk)
 * and the virial (PlusStress, as {@code EfsCalculator} and the training loss define it) is
 * W_ab = -sum_i sum_j g_ij,a r_ij,b. Both are sums over sites i of a directional derivative sum_j g_ij . u_ij of
 * V_i, so their theta-gradients are tangent passes with
 * <pre>
 *   dF_ka/dtheta:  u_ij = (delta_ik - delta_jk) e_a     (only sites i = k or with k among their neighbours)
 *   dW_ab/dtheta:  u_ij = -(r_ij)_b e_a                 (every site)
 * </pre>
 * One pass per (site, row). Neighbour indices are those of the neighbour list: a periodic image of k counts as k
 * (its entries move with k), a ghost atom of a LAMMPS-written configuration is an atom of its own that stays put.
 *
 * <p>One instance per thread (it owns a tangent evaluator and a direction buffer).
 */
final class ForceStressRows {
    private final SiteTangentEvaluator tangent;
    private final int parameters;
    private final double[] row;
    private double[] u = new double[3 * 64];

    ForceStressRows(Potential p) {
        this.tangent = new SiteTangentEvaluator(p);
        this.parameters = p.parameterCount();
        this.row = new double[parameters];
    }

    /**
     * For each of the first {@code sites} atoms k, the sites whose dV_i/dtheta depends on r_k: k itself and every
     * site among those first {@code sites} atoms that has k (or an image of k) as a neighbour, ascending.
     */
    static int[][] sitesContaining(NeighbourList nl, int sites) {
        int[] count = new int[sites];
        int[] last = new int[sites];
        Arrays.fill(last, -1);
        for (int i = 0; i < sites; i++) {
            count[i]++;
            last[i] = i;
            for (int e = nl.offset(i), end = e + nl.count(i); e < end; e++) {
                int k = nl.neighbour(e);
                if (k < sites && last[k] != i) {
                    last[k] = i;
                    count[k]++;
                }
            }
        }
        int[][] out = new int[sites][];
        for (int k = 0; k < sites; k++) out[k] = new int[count[k]];
        int[] fill = new int[sites];
        Arrays.fill(last, -1);
        for (int i = 0; i < sites; i++) {
            out[i][fill[i]++] = i;
            last[i] = i;
            for (int e = nl.offset(i), end = e + nl.count(i); e < end; e++) {
                int k = nl.neighbour(e);
                if (k < sites && last[k] != i) {
                    last[k] = i;
                    out[k][fill[k]++] = i;
                }
            }
        }
        return out;
    }

    /**
     * Adds site i's part of dF_ka/dtheta (a = 0, 1, 2) to the three rows {@code rows[off + a*n ..]}. The neighbourhood ({@code ti, si, n, rij, species, sj}) is given as to {@link SiteTangentEvaluator#accumulate};
     * {@code neighbours[first + e]} is the atom index of its entry e (the neighbour list's array).
     */
    void addForceRows(int site, int ti, double si, int n, double[] rij, int[] species, double[] sj,
                      int[] neighbours, int first, int atom, double[] rows, int off) {
        ensure(n);
        for (int a = 0; a < 3; a++) {
            Arrays.fill(u, 0, 3 * n, 0.0);
            for (int e = 0; e < n; e++) {
                double d = (site == atom ? 1 : 0) - (neighbours[first + e] == atom ? 1 : 0);
                u[3 * e + a] = d;
            }
            accumulate(ti, si, n, rij, species, sj, rows, off + a * parameters);
        }
    }

    /** Adds site i's part of dW_ab/dtheta (nine rows, ab row-major) to {@code rows[off ..]}. */
    void addVirialRows(int ti, double si, int n, double[] rij, int[] species, double[] sj, double[] rows, int off) {
        ensure(n);
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                Arrays.fill(u, 0, 3 * n, 0.0);
                for (int e = 0; e < n; e++) u[3 * e + a] = -rij[3 * e + b];
                accumulate(ti, si, n, rij, species, sj, rows, off + (3 * a + b) * parameters);
            }
        }
    }

    /** The tangent evaluator adds to a whole gradient array; rows live inside a larger one, so go through a buffer. */
    private void accumulate(int ti, double si, int n, double[] rij, int[] species, double[] sj, double[] rows, int off) {
        Arrays.fill(row, 0.0);
        tangent.accumulate(ti, si, n, rij, 0, species, sj, u, 0.0, row);
        for (int k = 0; k < parameters; k++) rows[off + k] += row[k];
    }

    private void ensure(int n) {
        if (u.length < 3 * n) u = new double[Math.max(3 * n, 2 * u.length)];
    }
}
