package org.mtpjava.al;

import org.mtpjava.eval.SiteEvaluator;
import org.mtpjava.model.Potential;

/**
 * Per-thread extrapolation grades of single neighbourhoods and of summed configuration rows — the entry point
 * for the LAMMPS bridge ({@code pair_style mtpjava extrapolation}) and for everything else that grades.
 *
 * <p>One instance per thread: it owns a {@link SiteEvaluator} and a scratch vector, reads the shared
 * {@link ActiveSet} (which must not be updated while graders run), and allocates nothing per call.
 *
 * <h2>Stable API for the bridge</h2>
 * <pre>{@code
 * NeighbourhoodGrader g = new NeighbourhoodGrader(potential, activeSet);   // once per thread
 * double[] row = new double[g.parameterCount()];                           // once per thread
 *
 * // neighbourhood mode, one atom (same arguments as SiteEvaluator.siteEnergy):
 * double gamma = g.neighbourhoodGrade(ti, si, n, rij, species, sj, row);    // row receives dV_i/dtheta
 *
 * // neighbourhood mode, atom already evaluated for energy/forces by `ev` (a SiteEvaluator of the same
 * // potential; ev.siteEnergy(ti, si, n, rij, species, sj, dEdr, dEds) was its last call) -- cheaper:
 * double gamma = g.gradeOfLastSite(ev, ti, si, n, species, sj, row);
 *
 * // configuration mode: sum dV_i/dtheta over all local atoms (and MPI ranks) into `sum`, then
 * double gamma = g.configurationGrade(sum, totalAtoms, row);              // row = scratch for the scaled row
 * }</pre>
 * Arguments: {@code ti} species index (0..S-1) of the central atom, {@code si} its magnetic moment (ignored for a
 * non-magnetic potential), {@code n} neighbour count, {@code rij} flat [3n] vectors x_j - x_i (entries at or beyond
 * the cutoff are ignored), {@code species} [n] neighbour species indices, {@code sj} [n] neighbour moments or
 * null, {@code row} caller-owned, length {@link #parameterCount()}. The grade is
 * {@code max_j |(b A^-1)_j|}; configuration rows are scaled as MLIP-3 does ({@code energy_weight /
 * N^(weight_scaling/2)}, i.e. 1/N by default — LAMMPS ML-MTP's hard-coded 1/N is the same for the default).
 */
public final class NeighbourhoodGrader {
    private final ActiveSet activeSet;
    private final Potential potential;
    private SiteEvaluator evaluator; // created on first use
    private final double[] scratch;
    private final int parameters;
    private double lastSiteEnergy;

    public NeighbourhoodGrader(Potential potential, ActiveSet activeSet) {
        if (activeSet.dimension() != potential.parameterCount()) {
            throw new IllegalArgumentException("the active set has dimension " + activeSet.dimension()
                    + " but the potential has " + potential.parameterCount() + " parameters");
        }
        this.activeSet = activeSet;
        this.potential = potential;
        this.parameters = potential.parameterCount();
        this.scratch = new double[parameters];
    }

    /** Length of a row (= the potential's parameter count). */
    public int parameterCount() { return parameters; }

    public ActiveSet activeSet() { return activeSet; }

    /** This grader's own evaluator (usable for energy/forces followed by {@link #gradeOfLastSite}). */
    public SiteEvaluator evaluator() {
        if (evaluator == null) evaluator = new SiteEvaluator(potential);
        return evaluator;
    }

    /** Site energy computed by the last {@link #neighbourhoodGrade} call. */
    public double lastSiteEnergy() { return lastSiteEnergy; }

    /** Grade of one neighbourhood; {@code workRow} receives dV_i/dtheta. */
    public double neighbourhoodGrade(int ti, double si, int n, double[] rij, int[] species, double[] sj, double[] workRow) {
        lastSiteEnergy = evaluator().siteEnergyParameterGradient(ti, si, n, rij, species, sj, workRow);
        return activeSet.grade(workRow, scratch);
    }

    /**
     * Grade of the neighbourhood that {@code ev} evaluated last (its forward and backward passes are reused);
     * the arguments must be those of that call. {@code workRow} receives dV_i/dtheta.
     */
    public double gradeOfLastSite(SiteEvaluator ev, int ti, double si, int n, int[] species, double[] sj, double[] workRow) {
        ev.lastParameterGradient(ti, si, n, species, sj, workRow);
        return activeSet.grade(workRow, scratch);
    }

    /** Grade of an already scaled row. */
    public double rowGrade(double[] row) {
        return activeSet.grade(row, scratch);
    }

    /**
     * Configuration-mode grade from the unscaled sum of dV_i/dtheta over all {@code totalAtoms} atoms:
     * the row is {@code energy_weight / N^(weight_scaling/2)} times the sum (written into {@code workRow}).
     */
    public double configurationGrade(double[] dEdTheta, int totalAtoms, double[] workRow) {
        if (totalAtoms <= 0) return 0;
        double f = activeSet.weights().energyRowFactor(totalAtoms);
        for (int k = 0; k < parameters; k++) workRow[k] = dEdTheta[k] * f;
        return activeSet.grade(workRow, scratch);
    }
}
