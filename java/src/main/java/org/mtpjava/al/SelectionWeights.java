package org.mtpjava.al;

import org.mtpjava.model.ActiveSetData;

/**
 * Which equations of a configuration become rows of the active set, and how they are scaled (MLIP-3
 * {@code CfgSelection}, maths.md §9.1):
 * <ul>
 *   <li>configuration mode ({@code energyWeight != 0}): one row per configuration,
 *       {@code energyWeight * dE/dtheta / N^(weightScaling/2)} (equation index 0);</li>
 *   <li>neighbourhood mode ({@code siteEnergyWeight != 0}): one row per atom, {@code dV_i/dtheta}, no weight
 *       applied (equation index 3N + 10 + i).</li>
 * </ul>
 * Both may be non-zero (the energy row comes first). Force and stress rows (MLIP's {@code force_weight},
 * {@code stress_weight}) are not implemented; such weights are rejected by {@link #requireSupported()}.
 *
 * @param energyWeight     MLIP {@code energy_weight}
 * @param forceWeight      MLIP {@code force_weight} (must be 0 here)
 * @param stressWeight     MLIP {@code stress_weight} (must be 0 here)
 * @param siteEnergyWeight MLIP {@code site_en_weight}
 * @param weightScaling    MLIP {@code weight_scaling}: the energy row is divided by N^(weightScaling/2)
 */
public record SelectionWeights(double energyWeight, double forceWeight, double stressWeight,
                               double siteEnergyWeight, int weightScaling) {

    /** MLIP-3's default selection state ({@code --al_mode=cfg}): energy weight 1, weight scaling 2. */
    public static final SelectionWeights CONFIGURATION_MODE = new SelectionWeights(1, 0, 0, 0, 2);
    /** {@code --al_mode=nbh}: site-energy weight 1, weight scaling 2. */
    public static final SelectionWeights NEIGHBOURHOOD_MODE = new SelectionWeights(0, 0, 0, 1, 2);

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

    /** One site-energy row per atom. */
    public boolean hasSiteRows() { return siteEnergyWeight != 0; }

    /** Neighbourhood mode in the sense of MLIP's grade output (nbh_grades written). */
    public boolean neighbourhoodMode() { return siteEnergyWeight != 0; }

    /** Throws a clear error for weights this implementation cannot turn into rows. */
    public SelectionWeights requireSupported() {
        if (forceWeight != 0 || stressWeight != 0) {
            throw new IllegalArgumentException("selection by force or stress equations (force_weight = " + forceWeight
                    + ", stress_weight = " + stressWeight + ") is not supported; use energy_weight (configuration mode) "
                    + "or site_en_weight (neighbourhood mode)");
        }
        if (energyWeight == 0 && siteEnergyWeight == 0) {
            throw new IllegalArgumentException("all selection weights are zero; set energy_weight (configuration mode) "
                    + "or site_en_weight (neighbourhood mode)");
        }
        if (!Double.isFinite(energyWeight) || !Double.isFinite(siteEnergyWeight)) {
            throw new IllegalArgumentException("selection weights must be finite numbers");
        }
        return this;
    }

    /** Number of rows a configuration of {@code atoms} atoms contributes (0 for an empty configuration). */
    public int rowsPerConfiguration(int atoms) {
        if (atoms == 0) return 0;
        return (hasEnergyRow() ? 1 : 0) + (hasSiteRows() ? atoms : 0);
    }

    /** The factor applied to dE/dtheta for a configuration of {@code atoms} atoms. */
    public double energyRowFactor(int atoms) {
        return energyWeight / Math.pow(atoms, weightScaling / 2.0);
    }

    /** Equation index of atom i's site-energy row in a configuration of N atoms (MLIP numbering). */
    public static int siteEquation(int atoms, int atom) { return 3 * atoms + 10 + atom; }
}
