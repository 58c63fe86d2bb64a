package org.mtpjava.relax;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.MagneticBasis;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;
import org.mtpjava.optim.Lbfgs;

import java.util.Locale;

/**
 * Relaxation of the collinear magnetic moments of a configuration at fixed positions and cell: E(m) is minimised
 * over all moments together by L-BFGS on dE/dm ({@link Lbfgs}), warm-started from the moments the configuration
 * carries (the previous MD step, or the data). By the envelope theorem the forces and stresses at the relaxed
 * moments are the derivatives of min_m E(R, m).
 *
 * <p>Constraints: each moment keeps its sign unless flips are allowed (a moment that is exactly 0 may take either
 * sign), and moments stay inside the potential's magnetic interval [min_val, max_val] (the Chebyshev basis is not
 * meant to be evaluated outside it). Components held by a constraint do not count toward the convergence test
 * (their projected gradient is 0); their number is reported.
 */
public final class MomentRelaxation {
    private MomentRelaxation() {}

    /** Settings. */
    public static final class Options {
        /** Converged when max |dE/dm_i| over moments not held by a bound is at most this (eV/mu_B). */
        public double tolerance = 1e-5;
        /** L-BFGS steps at most. */
        public int maxIterations = 500;
        /** Largest change of a moment in one step (mu_B). */
        public double maxStep = 0.5;
        /** Moments may change sign. */
        public boolean allowFlips = false;
        /** Keep moments inside the magnetic interval. */
        public boolean keepInInterval = true;
        public int memory = 10;

        public Options copy() {
            Options o = new Options();
            o.tolerance = tolerance;
            o.maxIterations = maxIterations;
            o.maxStep = maxStep;
            o.allowFlips = allowFlips;
            o.keepInInterval = keepInInterval;
            o.memory = memory;
            return o;
        }

        public void validate() {
            if (!(tolerance > 0)) throw new IllegalArgumentException("the moment tolerance must be > 0, got " + tolerance);
            if (maxIterations < 0) throw new IllegalArgumentException("the moment iteration limit must be >= 0, got " + maxIterations);
            if (!(maxStep > 0)) throw new IllegalArgumentException("the moment max step must be > 0, got " + maxStep);
        }
    }

    /** Outcome of one relaxation. */
    public record Result(boolean converged, int iterations, int evaluations, double energy, double maxMagneticForce,
                         int atBounds, String message) {
        public String describe() {
            return String.format(Locale.ROOT, "%s after %d iterations (%d evaluations): E = %.10g eV, max |dE/dm| = %.3g eV/muB%s",
                    converged ? "converged" : "NOT converged (" + message + ")", iterations, evaluations, energy, maxMagneticForce,
                    atBounds > 0 ? ", " + atBounds + " moments held at a bound" : "");
        }
    }

    /** Sign pattern (+1, -1, or 0 = free) of moments m[stride * i], i &lt; n. */
    public static int[] signs(double[] m, int stride, int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = m[stride * i] > 0 ? 1 : m[stride * i] < 0 ? -1 : 0;
        return s;
    }

    /**
     * Lower and upper bounds of each moment: the magnetic interval (if kept) intersected with the half line of its
     * sign (unless flips are allowed; sign 0 = either). The signs are those of the magnetic state chosen by the
     * user (the starting moments), kept for the whole run: the bound of a positive moment is the smallest positive
     * double (not 0), so a moment held there still has its sign and the next relaxation (the next MD step, warm
     * started from it) keeps it on the same side.
     */
    public static void bounds(MagneticBasis b, int[] sign, int n, Options o, double[] lo, double[] hi) {
        for (int i = 0; i < n; i++) {
            double l = o.keepInInterval ? b.min() : Double.NEGATIVE_INFINITY;
            double h = o.keepInInterval ? b.max() : Double.POSITIVE_INFINITY;
            if (!o.allowFlips) {
                if (sign[i] > 0) l = Math.max(l, Double.MIN_VALUE);
                else if (sign[i] < 0) h = Math.min(h, -Double.MIN_VALUE);
            }
            if (l > h) { // the interval lies entirely on the other side of 0: hold at 0's nearest end
                double v = sign[i] > 0 ? h : l;
                l = v;
                h = v;
            }
            lo[i] = l;
            hi[i] = h;
        }
    }

    /**
     * Relaxes the moments of {@code cfg} in place (x components; y and z set to 0). Energy, forces, PlusStress,
     * site energies and magnetic forces at the final moments are stored into the configuration.
     */
    public static Result relax(EfsCalculator calc, Configuration cfg, Options o) {
        return relax(calc, cfg, o, null);
    }

    /** As {@link #relax(EfsCalculator, Configuration, Options)} with a given sign pattern (null: the current moments'). */
    public static Result relax(EfsCalculator calc, Configuration cfg, Options o, int[] signs) {
        o.validate();
        Potential p = calc.potential();
        if (!p.isMagnetic()) throw new IllegalArgumentException("moment relaxation needs a magnetic potential");
        if (!cfg.hasMagneticMoments()) {
            throw new IllegalArgumentException("the configuration has no magnetic moments to relax (magmom_x column); give starting moments");
        }
        int n = cfg.size();
        double[] mm = cfg.magneticMoments();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mm[3 * i];
            mm[3 * i + 1] = 0;
            mm[3 * i + 2] = 0;
        }
        NeighbourList nl = NeighbourList.build(cfg, p.cutoff());
        Lbfgs.Options lo = new Lbfgs.Options();
        lo.memory = o.memory;
        lo.maxIterations = o.maxIterations;
        lo.gradientTolerance = o.tolerance;
        lo.maxStep = o.maxStep;
        lo.lower = new double[n];
        lo.upper = new double[n];
        if (signs != null && signs.length != n) throw new IllegalArgumentException("sign pattern has " + signs.length + " entries for " + n + " atoms");
        bounds(p.magneticBasis(), signs != null ? signs : signs(x, 1, n), n, o, lo.lower, lo.upper);
        Lbfgs.Objective f = (m, g) -> {
            for (int i = 0; i < n; i++) mm[3 * i] = m[i];
            EfsCalculator.Result r = calc.compute(cfg, nl);
            for (int i = 0; i < n; i++) g[i] = r.magneticForces()[3 * i];
            return r.energy();
        };
        Lbfgs.Result lr = Lbfgs.minimize(f, x, lo, null);
        for (int i = 0; i < n; i++) mm[3 * i] = x[i];
        EfsCalculator.Result r = calc.compute(cfg, nl);
        cfg.setEnergy(r.energy());
        cfg.setForces(r.forces());
        cfg.setStress(r.stress());
        cfg.setSiteEnergies(r.siteEnergies());
        cfg.setMagneticForces(r.magneticForces());
        return new Result(lr.converged(), lr.iterations(), lr.evaluations() + 1, r.energy(), lr.maxProjectedGradient(),
                lr.atBounds(), lr.message());
    }
}
