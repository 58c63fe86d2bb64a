package org.mtpjava.bridge;

import org.mtpjava.al.ActiveSet;
import org.mtpjava.al.NeighbourhoodGrader;
import org.mtpjava.eval.SiteEvaluator;
import org.mtpjava.model.Potential;

/**
 * Extrapolation grades for the pair style, from the active set of a {@code .almtp} through mtpjava's active
 * learning ({@link NeighbourhoodGrader}, maths.md §9.1). The site just evaluated for energy and forces is graded
 * from the same evaluator pass, so a grade costs one parameter-gradient backward pass and a share of a four-row product.
 * One instance per pair-style model (single-threaded, like the model).
 */
final class Grades {
    private final NeighbourhoodGrader grader;
    private final boolean neighbourhoodMode;
    private final double[] row, scaledRow;

    Grades(Potential p, String file) {
        requireEnergyOrSiteRows(p, file);
        ActiveSet set = ActiveSet.fromData(p, file);
        this.grader = new NeighbourhoodGrader(p, set);
        this.neighbourhoodMode = p.activeSet().neighbourhoodMode();
        this.row = new double[grader.parameterCount()];
        this.scaledRow = new double[grader.parameterCount()];
    }

    /**
     * On the fly the pair style grades energy rows (summed over ranks) or site rows (per local atom). Force and
     * virial rows need parameter derivatives gathered from the neighbourhoods of other ranks' atoms, which the
     * plugin does not communicate; such an active set is refused at pair_coeff time instead of being graded by
     * part of its rows. calculate-grade and select-add handle every weight.
     */
    static void requireEnergyOrSiteRows(Potential p, String file) {
        var a = p.activeSet();
        if (a.forceWeight() != 0 || a.stressWeight() != 0) {
            throw new IllegalArgumentException(file + ": the active set selects by force_weight = " + a.forceWeight()
                    + ", stress_weight = " + a.stressWeight() + "; pair_style mtpjava extrapolation grades energy rows "
                    + "(energy_weight) or site-energy rows (site_en_weight) only. Grade such configurations with "
                    + "'mtpjava calculate-grade', or give LAMMPS an energy or site-energy active set: 'mtpjava convert "
                    + file + " P.mtp' drops the active set, 'mtpjava update-active-set P.mtp TRAIN.cfg --al-mode cfg|nbh "
                    + "--save-to NEW.almtp' builds one");
        }
    }

    /** True for a neighbourhood-mode active set (per-atom grades); false for configuration mode. */
    boolean neighbourhoodMode() { return neighbourhoodMode; }

    /** Length of theta (configuration mode's summed dE/dtheta). */
    int parameterCount() { return grader.parameterCount(); }

    /**
     * Queues the grade of the neighbourhood {@code ev} evaluated last; it lands in {@code grades[atom]} when the
     * batch of its species is full or at {@link #flush} (four rows per product are faster than one).
     */
    void queueLastSite(SiteEvaluator ev, int ti, int n, int[] neighbourSpecies, int atom, double[] grades) {
        grader.queueLastSite(ev, ti, 0, n, neighbourSpecies, null, atom, grades);
    }

    /** Writes the grades still queued. */
    void flush(double[] grades) { grader.flush(grades); }

    /** Adds dV_i/dtheta of the neighbourhood that {@code ev} evaluated last to {@code sum}. */
    void addLastSiteGradient(SiteEvaluator ev, int ti, int n, int[] neighbourSpecies, double[] sum) {
        ev.lastParameterGradient(ti, 0, n, neighbourSpecies, null, row);
        for (int k = 0; k < row.length; k++) sum[k] += row[k];
    }

    /** Configuration grade from dE/dtheta summed over all atoms of all ranks. */
    double configurationGrade(double[] dEdThetaSum, long atoms) {
        return grader.configurationGrade(dEdThetaSum, Math.toIntExact(atoms), scaledRow);
    }
}
