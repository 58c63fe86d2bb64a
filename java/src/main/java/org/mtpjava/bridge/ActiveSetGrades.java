package org.mtpjava.bridge;

import org.mtpjava.eval.SiteEvaluator;
import org.mtpjava.model.ActiveSetData;
import org.mtpjava.model.Potential;

/**
 * Grades from the active set stored in a {@code .almtp} (maths.md §9.1): a row b (dV_i/dtheta in
 * neighbourhood mode, energy_weight * dE/dtheta / N^(weight_scaling/2) in configuration mode) has the grade
 * max_j |(b A^-1)_j| = max_j |invAT_j . b|. Rows are mostly zero (only the radial blocks of the central
 * species are non-zero), so the products run over the non-zero entries only.
 */
final class ActiveSetGrades implements Grades {
    private final ActiveSetData set;
    private final SiteEvaluator evaluator;
    private final int n;
    private final double[] row;
    private final int[] nonZero;

    ActiveSetGrades(Potential p, SiteEvaluator evaluator) {
        this.set = p.activeSet();
        if (set == null) throw new IllegalArgumentException("no active set");
        this.evaluator = evaluator;
        this.n = set.n();
        if (n != p.parameterCount()) {
            throw new IllegalArgumentException("the active set has dimension " + n + " but the potential has "
                    + p.parameterCount() + " parameters");
        }
        this.row = new double[n];
        this.nonZero = new int[n];
    }

    @Override public boolean neighbourhoodMode() { return set.neighbourhoodMode(); }

    @Override public int parameterCount() { return n; }

    @Override public double neighbourhoodGrade(int ti, int count, double[] rij, int[] species) {
        evaluator.siteEnergyParameterGradient(ti, 0, count, rij, species, null, row);
        return grade(row, 1.0);
    }

    @Override public void addParameterGradient(int ti, int count, double[] rij, int[] species, double[] sum) {
        evaluator.siteEnergyParameterGradient(ti, 0, count, rij, species, null, row);
        for (int k = 0; k < n; k++) sum[k] += row[k];
    }

    @Override public double configurationGrade(double[] sum, long atoms) {
        double scale = set.energyWeight() / Math.pow((double) atoms, set.weightScaling() / 2.0);
        return grade(sum, scale);
    }

    private double grade(double[] b, double scale) {
        int nz = 0;
        for (int k = 0; k < n; k++) if (b[k] != 0) nonZero[nz++] = k;
        double[] inv = set.invAT();
        double max = 0;
        for (int j = 0; j < n; j++) {
            int base = j * n;
            double s = 0;
            for (int q = 0; q < nz; q++) {
                int k = nonZero[q];
                s += inv[base + k] * b[k];
            }
            max = Math.max(max, Math.abs(s * scale));
        }
        return max;
    }
}
