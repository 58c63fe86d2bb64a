package org.mtpjava.compress;

import org.mtpjava.train.Optimizer;

import java.util.Arrays;

/**
 * Riemannian BFGS on M_r x R^L (the fixed-rank matrices of R-MF times the Euclidean linear coefficients), in the
 * embedded coordinates x = [X (m x n, row-major) | w], driven by reverse communication like {@link
 * org.mtpjava.train.Bfgs} so the trainer runs it unchanged:
 * <ul>
 *   <li>Riemannian gradient: [P_X(G) | g_w], P_X the tangent-space projection of {@link FixedRankMatrix};</li>
 *   <li>direction p = -P_X(H rgrad) with a dense inverse-Hessian approximation H in embedded coordinates
 *       (steepest descent, with H reset, whenever that is not a descent direction);</li>
 *   <li>trial points R_X(alpha p): retraction by truncated SVD through small QR + SVD;</li>
 *   <li>line search for the Wolfe conditions on phi(alpha) = f(R_X(alpha p)) (c1 = 0.1, c2 = 0.5 as MLIP's BFGS),
 *       with phi'(alpha) = &lt;rgrad(alpha), P_Y(p)&gt;, the direction moved by vector transport (projection);
 *       bracketing, safeguarded quadratic/secant interpolation, expansion x2 while descending;</li>
 *   <li>BFGS update with s = P_Y(alpha p) and y = rgrad_Y - P_Y(rgrad_X) (both transported by projection).</li>
 * </ul>
 * First trial alpha = 1 (as MLIP's BFGS, whose first direction with H = I is the negative gradient).
 */
public final class RiemannianBfgs implements Optimizer {
    static final double HUGE = 9e99;
    static final int MAX_TRIALS = 30;

    private final FixedRankMatrix base;   // accepted point (factors)
    private FixedRankMatrix trial;        // point of x()
    private final int m, n, mn, lin, size;
    private final double[] x, xStart, gStart, p, h;
    private double fStart = HUGE, pg0;
    private boolean inLineSearch, started;
    private final double c1 = 0.1, c2 = 0.5;
    // line search state
    private double alpha, prevAlpha;
    private double loA, loF, loD, hiA, hiF, hiD;
    private int trials;
    private boolean retriedSteepest;

    /** {@code shape} gives the manifold (rank, reshape); L linear coefficients follow the matrix in x. */
    public RiemannianBfgs(FixedRankMatrix shape, int linear) {
        this.base = shape.copy();
        this.trial = shape.copy();
        this.m = shape.rows();
        this.n = shape.cols();
        this.mn = m * n;
        this.lin = linear;
        this.size = mn + linear;
        x = new double[size];
        xStart = new double[size];
        gStart = new double[size];
        p = new double[size];
        h = new double[size * size];
        resetHessian();
    }

    @Override public int size() { return size; }
    @Override public double[] x() { return x; }
    @Override public boolean inLineSearch() { return inLineSearch; }
    @Override public double[] inverseHessian() { return h; }
    @Override public double[] lineSearchStart() { return xStart; }
    @Override public double lineSearchStartValue() { return fStart; }

    @Override public void resetHessian() {
        Arrays.fill(h, 0);
        for (int i = 0; i < size; i++) h[i * size + i] = 1;
    }

    /** The current accepted point's rank-r factors (for tests). */
    FixedRankMatrix basePoint() { return base; }

    @Override public void setX(double[] x0) {
        base.setMatrix(Arrays.copyOf(x0, mn));
        writePoint(base, x0, 0, null, xStart);
        System.arraycopy(xStart, 0, x, 0, size);
        trial = base.copy();
        fStart = HUGE;
        started = false;
        inLineSearch = false;
    }

    /** out = [point's matrix | w + a * dir_w]. */
    private void writePoint(FixedRankMatrix pt, double[] w, double a, double[] dir, double[] out) {
        System.arraycopy(pt.matrix(), 0, out, 0, mn);
        for (int i = 0; i < lin; i++) out[mn + i] = w[mn + i] + (dir == null ? 0 : a * dir[mn + i]);
    }

    /** Riemannian gradient at pt: [P(G) | g_w]. */
    private double[] riemannianGradient(FixedRankMatrix pt, double[] g) {
        double[] rg = new double[size];
        System.arraycopy(pt.project(Arrays.copyOf(g, mn)), 0, rg, 0, mn);
        System.arraycopy(g, mn, rg, mn, lin);
        return rg;
    }

    /** [P_pt(v_X) | v_w]. */
    private double[] transport(FixedRankMatrix pt, double[] v) {
        double[] out = v.clone();
        System.arraycopy(pt.project(Arrays.copyOf(v, mn)), 0, out, 0, mn);
        return out;
    }

    @Override public boolean iterate(double f, double[] g) {
        double[] rg = riemannianGradient(trial, g);
        if (!started) {
            // f, g at the base point: start a line search
            started = true;
            return newDirection(f, rg);
        }
        if (forceAccept) {
            accept(f, rg);
            return true;
        }
        double d = Dense.dot(rg, p); // = <rg, P_Y p>, rg being tangent at Y
        boolean armijo = f <= fStart + c1 * alpha * pg0;
        if (armijo && Math.abs(d) <= c2 * Math.abs(pg0)) {
            accept(f, rg);
            return true;
        }
        trials++;
        // bracket update (Nocedal-Wright zoom): lo = best sufficient-decrease point, [lo, hi] holds a minimiser
        if (!armijo || f >= loF) {
            hiA = alpha; hiF = f; hiD = d;
        } else {
            if (d * (hiA - loA) >= 0) { hiA = loA; hiF = loF; hiD = loD; }
            loA = alpha; loF = f; loD = d;
        }
        if (trials >= MAX_TRIALS || (hiA < HUGE && Math.abs(hiA - loA) < 1e-14 * Math.max(1, Math.abs(hiA)))) {
            if (loA > 0) {
                // the best sufficient-decrease point found: move there and accept it at the next call
                moveTo(loA);
                forceAccept = true;
                return true;
            }
            if (!retriedSteepest) {
                retriedSteepest = true;
                resetHessian();
                return restartSteepest(gStart.clone());
            }
            return false;
        }
        double next;
        if (hiA >= HUGE) {
            next = 2 * alpha; // descending with sufficient decrease and no upper bracket yet: expand
        } else {
            double dx = hiA - loA;
            double c = (hiF - loF - loD * dx) / (dx * dx);
            next = c > 0 ? loA - loD / (2 * c) : 0.5 * (loA + hiA);
            double lo = Math.min(loA, hiA), hi = Math.max(loA, hiA), w = hi - lo;
            if (!(next > lo + 0.1 * w && next < hi - 0.1 * w)) next = 0.5 * (lo + hi);
        }
        moveTo(next);
        return true;
    }

    private boolean forceAccept;

    private boolean newDirection(double f, double[] rg) {
        fStart = f;
        System.arraycopy(rg, 0, gStart, 0, size);
        double[] dir = new double[size];
        for (int i = 0; i < size; i++) {
            double v = 0;
            int row = i * size;
            for (int j = 0; j < size; j++) v -= h[row + j] * rg[j];
            dir[i] = v;
        }
        dir = transport(base, dir);
        double pg = Dense.dot(dir, rg);
        if (!(pg < 0)) {
            resetHessian();
            for (int i = 0; i < size; i++) dir[i] = -rg[i];
            pg = Dense.dot(dir, rg);
        }
        if (pg == 0) return false; // zero gradient
        System.arraycopy(dir, 0, p, 0, size);
        pg0 = pg;
        loA = 0; loF = f; loD = pg;
        hiA = HUGE; hiF = HUGE; hiD = HUGE;
        trials = 0;
        retriedSteepest = false;
        forceAccept = false;
        prevAlpha = 0;
        alpha = 0;
        moveTo(1.0);
        inLineSearch = true;
        return true;
    }

    private boolean restartSteepest(double[] rg) {
        for (int i = 0; i < size; i++) p[i] = -rg[i];
        pg0 = Dense.dot(p, rg);
        loA = 0; loF = fStart; loD = pg0;
        hiA = HUGE; hiF = HUGE; hiD = HUGE;
        trials = 0;
        prevAlpha = 0;
        alpha = 0;
        moveTo(1e-3 / Math.max(1e-300, Math.sqrt(-pg0)));
        return true;
    }

    private void moveTo(double a) {
        prevAlpha = alpha;
        setTrial(a);
    }

    /** The trial point R_X(a p) (alpha := a) without touching prevAlpha. */
    private void setTrial(double a) {
        alpha = a;
        trial = base.copy();
        double[] xi = new double[mn];
        for (int i = 0; i < mn; i++) xi[i] = a * p[i];
        trial.retract(xi);
        writePoint(trial, xStart, a, p, x);
    }

    private void accept(double f, double[] rg) {
        // s = P_Y(alpha p), y = rg_Y - P_Y(rg_X)
        double[] s = transport(trial, p);
        for (int i = 0; i < size; i++) s[i] *= alpha;
        double[] y = transport(trial, gStart);
        for (int i = 0; i < size; i++) y[i] = rg[i] - y[i];
        updateInverseHessian(s, y);
        // the accepted trial becomes the base; propose the next trial (as Bfgs does)
        base.setFactors(trial.factors(), 0);
        System.arraycopy(x, 0, xStart, 0, size);
        inLineSearch = false;
        forceAccept = false;
        newDirection(f, rg);
        inLineSearch = false;
    }

    private void updateInverseHessian(double[] s, double[] y) {
        double sy = Dense.dot(s, y);
        if (!(sy > 0)) return; // curvature condition fails: keep H
        double[] hy = new double[size];
        double yhy = 0;
        for (int i = 0; i < size; i++) {
            double v = 0;
            int row = i * size;
            for (int j = 0; j < size; j++) v += h[row + j] * y[j];
            hy[i] = v;
            yhy += v * y[i];
        }
        double a = (sy + yhy) / (sy * sy), b = 1.0 / sy;
        for (int i = 0; i < size; i++) {
            double si = s[i], hi = hy[i];
            int row = i * size;
            for (int j = i; j < size; j++) h[row + j] += a * si * s[j] - b * (si * hy[j] + hi * s[j]);
        }
        for (int i = 0; i < size; i++) for (int j = i + 1; j < size; j++) h[j * size + i] = h[i * size + j];
    }

    /** Pulls the trial toward the previous trial (the point just evaluated), as Bfgs.reduceStep does. */
    @Override public void reduceStep(double ratio) {
        setTrial(prevAlpha + ratio * (alpha - prevAlpha));
    }
}
