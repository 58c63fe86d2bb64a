package org.mtpjava.optim;

import java.util.Arrays;

/**
 * Limited-memory BFGS with simple bounds (projected search) and a backtracking Armijo line search, for the
 * relaxation problems of mtpjava: magnetic moments at fixed positions (every MD step in LAMMPS, warm-started),
 * and positions + cell + moments together ({@code relax}). Training keeps its own dense MLIP-semantics
 * {@code org.mtpjava.train.Bfgs}: its reverse-communication line search reproduces MLIP-3's numbers, which a
 * relaxation does not need.
 *
 * <p>Vectors may be distributed (one slice per MPI rank): every inner product and maximum goes through the
 * {@link Reduction}, so all ranks take the same decisions; {@link Objective#evaluate} must return the global
 * value and the local slice of the gradient. With {@link Reduction#LOCAL} it is an ordinary serial optimiser.
 *
 * <p>Bounds: a component at a bound whose gradient points outward is held (its projected gradient is 0); trial
 * points are projected onto the box. Steps are capped per component ({@code maxStep}).
 */
public final class Lbfgs {
    private Lbfgs() {}

    /** f(x) and its gradient; x must not be modified. Returns the global value, fills the local gradient slice. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    /** Global sums and maxima of per-rank values (identity in serial use). */
    public interface Reduction {
        double sum(double local);
        double max(double local);

        Reduction LOCAL = new Reduction() {
            @Override public double sum(double local) { return local; }
            @Override public double max(double local) { return local; }
        };
    }

    /** Convergence test at an accepted point (must be collective when distributed). */
    @FunctionalInterface
    public interface Convergence {
        /** @param projected the projected gradient (0 where a bound holds a component) */
        boolean test(double[] x, double[] gradient, double[] projected, double value);
    }

    /** Settings; defaults suit moments in mu_B with gradients in eV/mu_B. */
    public static final class Options {
        /** Correction pairs kept. */
        public int memory = 10;
        /** Accepted steps at most. */
        public int maxIterations = 1000;
        /** Converged when max |projected gradient| is at most this (unless {@link #convergence} is set). */
        public double gradientTolerance = 1e-6;
        /** Largest change of any component in one step (all components), or +inf. */
        public double maxStep = Double.POSITIVE_INFINITY;
        /** Per-component step caps (overrides {@link #maxStep} where given), or null. */
        public double[] maxSteps;
        /** Bounds (per component, may be +-inf), or null. */
        public double[] lower, upper;
        /** Armijo constant. */
        public double c1 = 1e-4;
        /** Stop ("no progress") when neither f nor the max |projected gradient| improved on its best for this many steps. */
        public int patience = 50;
        public Reduction reduction = Reduction.LOCAL;
        public Convergence convergence;
    }

    /** How a run ended. */
    public record Result(boolean converged, int iterations, int evaluations, double value, double maxProjectedGradient,
                         int atBounds, String message) {}

    /**
     * Minimises f from x (overwritten with the final point; it is first projected onto the bounds). The gradient at
     * the final point is left in {@code gradient} if that is not null.
     */
    public static Result minimize(Objective f, double[] x, Options o, double[] gradient) {
        int n = x.length;
        Reduction red = o.reduction;
        project(x, o);
        double[] g = new double[n], pg = new double[n], d = new double[n], xn = new double[n], gn = new double[n];
        int m = Math.max(1, o.memory);
        double[][] s = new double[m][n], y = new double[m][n];
        double[] rho = new double[m], alphaK = new double[m];
        int stored = 0, head = 0; // circular buffer: newest at (head - 1)
        double fx = f.evaluate(x, g);
        int evals = 1, iter = 0;
        if (!Double.isFinite(fx)) return finish(x, g, gradient, false, 0, evals, fx, 0, 0, "the objective is " + fx + " at the start");
        double bestPg = Double.POSITIVE_INFINITY, bestF = Double.POSITIVE_INFINITY;
        int sinceBest = 0, lastHeld = -1;
        double[] pgn = new double[n];
        while (true) {
            int active = projectedGradient(x, g, pg, o);
            double pgMax = red.max(maxAbs(pg));
            int atBounds = (int) red.sum(active);
            // a component that became (or stopped being) held changes the subspace: forget the curvature pairs
            if (lastHeld >= 0 && atBounds != lastHeld) stored = 0;
            lastHeld = atBounds;
            boolean done = o.convergence != null ? o.convergence.test(x, g, pg, fx) : pgMax <= o.gradientTolerance;
            if (done) return finish(x, g, gradient, true, iter, evals, fx, pgMax, atBounds, "converged");
            if (iter >= o.maxIterations) {
                return finish(x, g, gradient, false, iter, evals, fx, pgMax, atBounds, "iteration limit " + o.maxIterations + " reached");
            }
            boolean better = false;
            if (pgMax < bestPg) {
                bestPg = pgMax;
                better = true;
            }
            if (fx < bestF - 1e-13 * Math.max(1, Math.abs(fx))) {
                bestF = fx;
                better = true;
            }
            if (better) {
                sinceBest = 0;
            } else if (++sinceBest > o.patience) {
                return finish(x, g, gradient, false, iter, evals, fx, pgMax, atBounds,
                        "no progress in " + o.patience + " steps (rounding limit of the objective)");
            }
            // direction: two-loop recursion on the projected gradient, held components stay fixed
            boolean steepest = stored == 0;
            direction(pg, d, s, y, rho, alphaK, stored, head, m, red);
            for (int i = 0; i < n; i++) if (pg[i] == 0) d[i] = 0;
            double slope = red.sum(dot(d, pg));
            if (!(slope < 0)) {
                stored = 0;
                steepest = true;
                for (int i = 0; i < n; i++) d[i] = -pg[i];
                slope = red.sum(dot(d, pg));
            }
            // first trial: unit step of the quasi-Newton direction (steepest descent: capped by maxStep only)
            double alpha = 1.0;
            double ratio = red.max(stepRatio(d, o));
            if (ratio > 1) alpha = 1.0 / ratio;
            boolean accepted = false;
            double fn = Double.NaN;
            for (int trial = 0; trial < 40 && !accepted; trial++) {
                for (int i = 0; i < n; i++) xn[i] = x[i] + alpha * d[i];
                project(xn, o);
                fn = f.evaluate(xn, gn);
                evals++;
                double decrease = 0;
                for (int i = 0; i < n; i++) decrease += g[i] * (xn[i] - x[i]);
                decrease = red.sum(decrease);
                if (Double.isFinite(fn) && fn <= fx + o.c1 * decrease) {
                    accepted = true;
                } else if (Double.isFinite(fn) && fn <= fx + 1e-13 * Math.max(1, Math.abs(fx))
                        && red.max(maxAbs(pgAt(xn, gn, pgn, o))) < pgMax) {
                    // rounding regime: f cannot resolve the decrease any more, but the projected gradient shrank
                    accepted = true;
                } else {
                    // quadratic interpolation of f along the step, safeguarded
                    double a2 = alpha;
                    if (Double.isFinite(fn) && decrease < 0) {
                        double q = -decrease * a2 / (2 * (fn - fx - decrease));
                        alpha = Math.max(0.1 * a2, Math.min(0.5 * a2, q));
                    } else {
                        alpha = 0.25 * a2;
                    }
                }
            }
            if (!accepted) {
                if (steepest) {
                    return finish(x, g, gradient, false, iter, evals, fx, pgMax, atBounds,
                            "the line search found no lower value (max projected gradient " + pgMax + ")");
                }
                stored = 0; // retry once along the steepest descent
                continue;
            }
            // correction pair
            double sy = 0, yy = 0;
            double[] sNew = s[head], yNew = y[head];
            for (int i = 0; i < n; i++) {
                sNew[i] = xn[i] - x[i];
                yNew[i] = gn[i] - g[i];
                sy += sNew[i] * yNew[i];
                yy += yNew[i] * yNew[i];
            }
            sy = red.sum(sy);
            yy = red.sum(yy);
            if (sy > 1e-16 * yy && sy > 0) {
                rho[head] = 1.0 / sy;
                head = (head + 1) % m;
                stored = Math.min(stored + 1, m);
            }
            System.arraycopy(xn, 0, x, 0, n);
            System.arraycopy(gn, 0, g, 0, n);
            fx = fn;
            iter++;
        }
    }

    private static Result finish(double[] x, double[] g, double[] out, boolean ok, int iter, int evals, double f, double pgMax,
                                 int atBounds, String message) {
        if (out != null) System.arraycopy(g, 0, out, 0, g.length);
        return new Result(ok, iter, evals, f, pgMax, atBounds, message);
    }

    /** d = -H pg by the two-loop recursion (H0 = gamma I, gamma = s.y / y.y of the newest pair, or 1). */
    private static void direction(double[] pg, double[] d, double[][] s, double[][] y, double[] rho, double[] alphaK,
                                  int stored, int head, int m, Reduction red) {
        int n = pg.length;
        System.arraycopy(pg, 0, d, 0, n);
        for (int k = 0; k < stored; k++) {
            int idx = Math.floorMod(head - 1 - k, m);
            double a = rho[idx] * red.sum(dot(s[idx], d));
            alphaK[idx] = a;
            double[] yy = y[idx];
            for (int i = 0; i < n; i++) d[i] -= a * yy[i];
        }
        double gamma = 1.0;
        if (stored > 0) {
            int newest = Math.floorMod(head - 1, m);
            double yy = red.sum(dot(y[newest], y[newest]));
            if (yy > 0) gamma = 1.0 / (rho[newest] * yy);
        }
        for (int i = 0; i < n; i++) d[i] *= gamma;
        for (int k = stored - 1; k >= 0; k--) {
            int idx = Math.floorMod(head - 1 - k, m);
            double b = rho[idx] * red.sum(dot(y[idx], d));
            double c = alphaK[idx] - b;
            double[] ss = s[idx];
            for (int i = 0; i < n; i++) d[i] += c * ss[i];
        }
        for (int i = 0; i < n; i++) d[i] = -d[i];
    }

    private static double[] pgAt(double[] x, double[] g, double[] out, Options o) {
        projectedGradient(x, g, out, o);
        return out;
    }

    /** Projected gradient; returns the number of components held by a bound. */
    static int projectedGradient(double[] x, double[] g, double[] pg, Options o) {
        int held = 0;
        for (int i = 0; i < x.length; i++) {
            double v = g[i];
            if (o.lower != null && x[i] <= o.lower[i] && v > 0) { v = 0; held++; }
            else if (o.upper != null && x[i] >= o.upper[i] && v < 0) { v = 0; held++; }
            pg[i] = v;
        }
        return held;
    }

    static void project(double[] x, Options o) {
        if (o.lower != null) for (int i = 0; i < x.length; i++) if (x[i] < o.lower[i]) x[i] = o.lower[i];
        if (o.upper != null) for (int i = 0; i < x.length; i++) if (x[i] > o.upper[i]) x[i] = o.upper[i];
    }

    /** max_i |d_i| / cap_i (local). */
    private static double stepRatio(double[] d, Options o) {
        double r = 0;
        for (int i = 0; i < d.length; i++) {
            double cap = o.maxSteps != null ? o.maxSteps[i] : o.maxStep;
            if (cap < Double.POSITIVE_INFINITY) r = Math.max(r, Math.abs(d[i]) / cap);
        }
        return r;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Convenience: all-infinite bounds except those given. */
    public static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }
}
