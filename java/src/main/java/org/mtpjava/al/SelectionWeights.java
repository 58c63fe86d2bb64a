package org.mtpjava.al;

import org.mtpjava.model.ActiveSetData;

/**
 * Which equations of a configuration become rows of the active set, and how they are scaled (MLIP-3
 * {@code CfgSelection}, maths.md §9.1). For a configuration of N atoms, in this order:
 * <ul>
 *   <li>{@code energyWeight != 0}: one energy row {@code energyWeight * dE/dtheta / N^(weightScaling/2)}
 *       (equation index 0; configuration mode);</li>
 *   <li>{@code forceWeight != 0}: 3N force rows {@code forceWeight * dF_ka/dtheta}, F = -dE/dr, one per atom k and
 *       Cartesian component a (equation index 1 + 3k + a);</li>
 *   <li>{@code stressWeight != 0}: nine virial rows {@code stressWeight * dW_ab/dtheta / N^(weightScaling/2)},
 *       W = PlusStress (eV), all nine components a, b = x, y, z row-major as MLIP (equation index 3N + 1 + 3a + b;
 *       W is symmetric, so the rows ab and ba are equal up to rounding and MaxVol takes at most one of them);</li>
 *   <li>{@code siteEnergyWeight != 0}: N site-energy rows {@code dV_i/dtheta}, no weight applied (equation index
 *       3N + 10 + i; neighbourhood mode).</li>
 * </ul>
 * The equation indices are MLIP-3's ({@code CfgSelection::PrepareLinks}, formats.md §3). A configuration's grade is
 * the largest grade of its rows.
 *
 * @param energyWeight     MLIP {@code energy_weight}
 * @param forceWeight      MLIP {@code force_weight}
 * @param stressWeight     MLIP {@code stress_weight}
 * @param siteEnergyWeight MLIP {@code site_en_weight}
 * @param weightScaling    MLIP {@code weight_scaling}: energy and stress rows are divided by N^(weightScaling/2)
 */
public record SelectionWeights(double energyWeight, double forceWeight, double stressWeight,
                               double siteEnergyWeight, int weightScaling) {

    /** MLIP-3's default selection state ({@code --al_mode=cfg}): energy weight 1, weight scaling 2. */
    public static final SelectionWeights CONFIGURATION_MODE = new SelectionWeights(1, 0, 0, 0, 2);
    /** {@code --al_mode=nbh}: site-energy weight 1, weight scaling 2. */
    public static final SelectionWeights NEIGHBOURHOOD_MODE = new SelectionWeights(0, 0, 0, 1, 2);

    /** Virial rows per configuration: all nine components, as MLIP. */
    private static final int STRESS_ROWS = 9;

    public static SelectionWeights of(ActiveSetData d) {
        return new SelectionWeights(d.energyWeight(), d.forceWeight(), d.stressWeight(), d.siteEnergyWeight(), d.weightScaling());
    }

    /** The MLIP {@code --al_mode} value: {@code cfg} or {@code nbh}. */
    public static SelectionWeights forMode(String mode) {
        return switch (mode) {
            case "cfg" -> CONFIGURATION_MODE;
            case "nbh" -> NEIGHBOURHOOD_MODE;
            default -> throw new IllegalArgumentException("active-learning mode '" + mode + "'; expected cfg or nbh");
        };
    }

    /** One energy row per configuration. */
    public boolean hasEnergyRow() { return energyWeight != 0; }

    /** Three force rows per atom. */
    public boolean hasForceRows() { return forceWeight != 0; }

    /** Nine virial rows per configuration. */
    public boolean hasStressRows() { return stressWeight != 0; }

    /** One site-energy row per atom. */
    public boolean hasSiteRows() { return siteEnergyWeight != 0; }

    /** Neighbourhood mode in the sense of MLIP's grade output (nbh_grades written). */
    public boolean neighbourhoodMode() { return siteEnergyWeight != 0; }

    /** The kinds of rows, for logs: e.g. {@code energy}, {@code site-energy}, {@code energy+force+stress}. */
    public String rowKinds() {
        java.util.StringJoiner j = new java.util.StringJoiner("+");
        if (hasEnergyRow()) j.add("energy");
        if (hasForceRows()) j.add("force");
        if (hasStressRows()) j.add("stress");
        if (hasSiteRows()) j.add("site-energy");
        return j.length() == 0 ? "no" : j.toString();
    }

    /** Throws a clear error for weights that give no rows or are not numbers. */
    public SelectionWeights requireValid() {
        if (!Double.isFinite(energyWeight) || !Double.isFinite(forceWeight) || !Double.isFinite(stressWeight)
                || !Double.isFinite(siteEnergyWeight)) {
            throw new IllegalArgumentException("selection weights must be finite numbers (energy_weight = " + energyWeight
                    + ", force_weight = " + forceWeight + ", stress_weight = " + stressWeight + ", site_en_weight = "
                    + siteEnergyWeight + ")");
        }
        if (!hasEnergyRow() && !hasForceRows() && !hasStressRows() && !hasSiteRows()) {
            throw new IllegalArgumentException("all selection weights are zero; set energy_weight (configuration mode), "
                    + "site_en_weight (neighbourhood mode), force_weight or stress_weight");
        }
        return this;
    }

    /** Number of rows a configuration of {@code atoms} atoms contributes (0 for an empty configuration). */
    public int rowsPerConfiguration(int atoms) {
        if (atoms == 0) return 0;
        return (hasEnergyRow() ? 1 : 0) + (hasForceRows() ? 3 * atoms : 0) + (hasStressRows() ? STRESS_ROWS : 0)
                + (hasSiteRows() ? atoms : 0);
    }

    /** The factor applied to dE/dtheta for a configuration of {@code atoms} atoms. */
    public double energyRowFactor(int atoms) {
        return energyWeight / Math.pow(atoms, weightScaling / 2.0);
    }

    /** The factor applied to dW_ab/dtheta for a configuration of {@code atoms} atoms (scaled as the energy row). */
    public double stressRowFactor(int atoms) {
        return stressWeight / Math.pow(atoms, weightScaling / 2.0);
    }

    /** Equation index of the force row of atom k, component a (0..2), MLIP numbering. */
    public static int forceEquation(int atom, int component) { return 1 + 3 * atom + component; }

    /** Equation index of the virial row W_ab (a, b = 0..2) in a configuration of N atoms (MLIP numbering). */
    public static int stressEquation(int atoms, int a, int b) { return 3 * atoms + 1 + 3 * a + b; }

    /** Equation index of atom i's site-energy row in a configuration of N atoms (MLIP numbering). */
    public static int siteEquation(int atoms, int atom) { return 3 * atoms + 10 + atom; }
}
