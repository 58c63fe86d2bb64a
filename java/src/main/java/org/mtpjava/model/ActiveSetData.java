package org.mtpjava.model;

import java.util.List;

/**
 * The active-learning state stored after the potential in an MLIP-3 {@code .almtp} file (section
 * {@code #MVS_v1.1}): selection weights, the n x n active-set matrix A (row j = j-th selected row), its inverse
 * stored transposed ({@code A . invAT^T = I}), the origin of each row, and the selected configurations.
 * n = the potential's full parameter count.
 *
 * @param energyWeight     weight of the energy row (1 in configuration mode)
 * @param forceWeight      weight of force rows
 * @param stressWeight     weight of stress rows
 * @param siteEnergyWeight weight of site-energy rows (non-zero in neighbourhood mode)
 * @param weightScaling    power p: configuration rows are divided by N^(p/2)
 * @param n                matrix dimension
 * @param a                A, row-major, n*n
 * @param invAT            (A^-1)^T, row-major, n*n
 * @param rowConfiguration per row, the index of its configuration among {@code selected}, or -1
 * @param rowEquation      per row, the equation index (0 energy, 1+3i+k force, ...), or -1
 * @param selected         the selected configurations (with feature selected_eqn_inds)
 */
public record ActiveSetData(double energyWeight, double forceWeight, double stressWeight, double siteEnergyWeight,
                            int weightScaling, int n, double[] a, double[] invAT, int[] rowConfiguration,
                            int[] rowEquation, List<Configuration> selected) {

    /** True in neighbourhood mode (rows are site energies). */
    public boolean neighbourhoodMode() { return siteEnergyWeight != 0; }

    /** A fresh state: A = 1e-6 I, invA = 1e6 I, no rows filled (MLIP-3's initial state). */
    public static ActiveSetData empty(int n, double energyWeight, double forceWeight, double stressWeight,
                                      double siteEnergyWeight, int weightScaling) {
        double[] a = new double[n * n];
        double[] inv = new double[n * n];
        int[] rc = new int[n];
        int[] re = new int[n];
        for (int j = 0; j < n; j++) {
            a[j * n + j] = 1e-6;
            inv[j * n + j] = 1e6;
            rc[j] = -1;
            re[j] = -1;
        }
        return new ActiveSetData(energyWeight, forceWeight, stressWeight, siteEnergyWeight, weightScaling, n,
                a, inv, rc, re, List.of());
    }
}
