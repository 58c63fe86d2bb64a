package org.mtpjava.train;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * BFGS with a dense inverse Hessian and a Wolfe line search, driven by reverse communication as MLIP-3's
 * optimiser is (maths.md §8.3): the caller evaluates f and g at {@link #x()}, passes them to
 * {@link #iterate}, which proposes the next point; {@link #inLineSearch()} false after a call means the point
 * just evaluated was accepted as a new iterate (and the proposal is the first trial of the next line search).
 *
 * <p>Semantics follow MLIP-3: initial inverse Hessian I; a trial alpha is accepted when f &lt;= f0 + c1 alpha
 * g0.p and |g.p| &lt;= c2 |g0.p| (c1 = 0.1, c2 = 0.5); first trial alpha = 1; the inverse Hessian gets the
 * standard BFGS update at acceptance; the line search brackets the minimum and proposes points by a parabola
 * on log(f - f0 + slope) when sufficient decrease fails, by secant steps on the directional derivative
 * otherwise, with bisection and bounded expansion as safeguards. {@link #reduceStep} pulls a trial back toward
 * the previous one (used to cap parameter jumps). All state is exposed for exact checkpoints.
 */
public final class Bfgs implements Optimizer {
    /** MLIP's "infinite" value for unset function values. */
    static final double HUGE = 9e99;

    private final int n;
    private final double[] x, xStart, gStart, p, invHess, y, hy, s;
    private double fStart = HUGE, pDotGStart = HUGE;
    private boolean inLineSearch;
    private final LineSearch ls = new LineSearch();
    double c1 = 0.1, c2 = 0.5;

    public Bfgs(int n) {
        this.n = n;
        x = new double[n];
        xStart = new double[n];
        gStart = new double[n];
        p = new double[n];
        invHess = new double[n * n];
        y = new double[n];
        hy = new double[n];
        s = new double[n];
        resetHessian();
    }

    public int size() { return n; }
    /** The point to evaluate next (live array; do not modify). */
    public double[] x() { return x; }
    public boolean inLineSearch() { return inLineSearch; }
    /** Row-major inverse Hessian (live array). */
    public double[] inverseHessian() { return invHess; }

    /** Inverse Hessian := identity. */
    public void resetHessian() {
        Arrays.fill(invHess, 0.0);
        for (int i = 0; i < n; i++) invHess[i * n + i] = 1.0;
    }

    /** Starts from x0 (MLIP's Set_x): the next {@link #iterate} begins a new line search there. */
    public void setX(double[] x0) {
        System.arraycopy(x0, 0, x, 0, n);
        fStart = HUGE;
        pDotGStart = HUGE;
        ls.reset(1.0);
        inLineSearch = false;
    }

    /**
     * Takes f and g at {@link #x()} and sets the next point. Returns false if the search went uphill (the
     * direction is not a descent direction or the line search cannot proceed): the caller should stop.
     */
    public boolean iterate(double f, double[] g) {
        double pg = dot(g, p);
        if (f > fStart + c1 * ls.x() * pDotGStart || Math.abs(pg) > c2 * Math.abs(pDotGStart)) {
            // Wolfe conditions fail: continue the line search
            inLineSearch = true;
            boolean ok = ls.iterate(f, pg);
            moveAlongDirection();
            return ok;
        }
        // accepted (or the first call after setX): new direction
        inLineSearch = !inLineSearch;
        updateInverseHessian(g);
        for (int i = 0; i < n; i++) {
            double v = 0;
            int row = i * n;
            for (int j = 0; j < n; j++) v -= invHess[row + j] * g[j];
            p[i] = v;
        }
        pg = dot(g, p);
        ls.reset(1.0);
        System.arraycopy(x, 0, xStart, 0, n);
        System.arraycopy(g, 0, gStart, 0, n);
        fStart = f;
        pDotGStart = pg;
        boolean ok = ls.iterate(f, pg);
        moveAlongDirection();
        return ok;
    }

    /** Replaces the current trial by prev + ratio (trial - prev) along the search direction. */
    public void reduceStep(double ratio) {
        ls.reduceStep(ratio);
        moveAlongDirection();
    }

    /** The start point of the current line search (the last accepted iterate). */
    public double[] lineSearchStart() { return xStart; }
    public double lineSearchStartValue() { return fStart; }

    private void moveAlongDirection() {
        double a = ls.x();
        for (int i = 0; i < n; i++) x[i] = xStart[i] + a * p[i];
    }

    private void updateInverseHessian(double[] g) {
        double alpha = ls.x();
        double py = 0;
        for (int i = 0; i < n; i++) {
            y[i] = g[i] - gStart[i];
            s[i] = alpha * p[i];
            py += s[i] * y[i];
        }
        if (py == 0) return;
        double yhy = 0;
        for (int i = 0; i < n; i++) {
            double v = 0;
            int row = i * n;
            for (int j = 0; j < n; j++) v += invHess[row + j] * y[j];
            hy[i] = v;
            yhy += v * y[i];
        }
        // H += (py + y'Hy)/py^2 s s' - (s (Hy)' + (Hy) s')/py ; update the upper triangle, mirror the lower
        double a = (py + yhy) / (py * py), b = 1.0 / py;
        for (int i = 0; i < n; i++) {
            double si = s[i], hi = hy[i];
            int row = i * n;
            for (int j = i; j < n; j++) invHess[row + j] += a * si * s[j] - b * (si * hy[j] + hi * s[j]);
        }
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) invHess[j * n + i] = invHess[i * n + j];
    }

    private double dot(double[] a, double[] b) {
        double v = 0;
        for (int i = 0; i < n; i++) v += a[i] * b[i];
        return v;
    }

    // ------------------------------------------------------------------------------------------------
    // exact state for checkpoints

    public void write(DataOutput out) throws IOException {
        out.writeInt(n);
        for (double[] a : new double[][]{x, xStart, gStart, p, invHess}) for (double v : a) out.writeDouble(v);
        out.writeDouble(fStart);
        out.writeDouble(pDotGStart);
        out.writeBoolean(inLineSearch);
        ls.write(out);
    }

    public void read(DataInput in) throws IOException {
        int m = in.readInt();
        if (m != n) throw new IOException("BFGS state has dimension " + m + ", expected " + n);
        for (double[] a : new double[][]{x, xStart, gStart, p, invHess}) for (int i = 0; i < a.length; i++) a[i] = in.readDouble();
        fStart = in.readDouble();
        pDotGStart = in.readDouble();
        inLineSearch = in.readBoolean();
        ls.read(in);
    }

    /**
     * One-dimensional search for alpha &gt; 0 along the BFGS direction, from f(0) and f'(0) &lt; 0: first trial
     * alpha = 1; keeps a bracket [left, right] and the previous trial.
     */
    static final class LineSearch {
        double cur;
        double leftX, leftF, leftG;
        double rightX, rightF, rightG;
        double prevX, prevF, prevG;

        LineSearch() { reset(1.0); }

        void reset(double initialStep) {
            leftX = 0;
            cur = 0;
            rightX = initialStep;
            rightF = HUGE;
            rightG = HUGE;
        }

        double x() { return cur; }

        void reduceStep(double ratio) { cur = prevX + ratio * (cur - prevX); }

        private void remember(double f, double g) {
            prevX = cur;
            prevF = f;
            prevG = g;
        }

        /** f and g = f'(alpha) at the current trial; sets the next trial. False if the search cannot proceed. */
        boolean iterate(double f, double g) {
            if (cur == 0) {
                leftX = 0;
                leftF = f;
                leftG = g;
                remember(f, g);
                cur = rightX;
                return !(g > 0);
            }
            if (prevX == cur) return false;
            if (cur == rightX || (cur > leftX && rightF == HUGE)) {
                rightX = cur;
                rightF = f;
                rightG = g;
            }
            // maintain the bracket
            if (rightG < 0 && rightF < leftF) {
                if (cur > rightX) {
                    leftX = rightX; leftF = rightF; leftG = rightG;
                    rightX = cur; rightF = f; rightG = g;
                }
            } else {
                if (g < 0 && f < leftF && cur > leftX) {
                    if (cur > rightX) {
                        if (f > rightF) {
                            remember(f, g);
                            leftX = rightX; leftF = rightF; leftG = rightG;
                            rightX = cur; rightF = f; rightG = g;
                            cur = 0.5 * (leftX + rightX);
                            return true;
                        }
                        rightX = cur; rightF = f; rightG = g;
                    } else {
                        leftX = cur; leftF = f; leftG = g;
                    }
                }
                if (g > 0 && cur < rightX) {
                    rightX = cur; rightF = f; rightG = g;
                }
            }
            // no sufficient decrease: model log(f - f_left + slope) by a parabola through the left end
            if (f > leftF + 0.1 * leftG * (cur - leftX)) {
                double h = cur - leftX;
                double slope = -leftG * h;
                double f0 = Math.log(slope);
                double g0 = leftG / slope;
                double f1 = Math.log(f - leftF + slope);
                double next = leftX - 0.5 * g0 * h * h / (f1 - f0 - g0 * h);
                if (next > rightX && rightG > 0) next = leftX + 0.5 * h;
                else if (next - leftX > 3.0 * rightX - 2.0 * leftX && rightG < 0) next = leftX + 3.0 * (rightX - leftX);
                remember(f, g);
                cur = next;
                return true;
            }
            if ((g - prevG) / (cur - prevX) < 0.0) {
                // negative curvature
                remember(f, g);
                cur = rightG < 0 ? 3 * rightX - 2 * leftX : cur + 0.5 * (rightX - cur);
                return true;
            }
            // secant step on the directional derivative
            double next = cur - g * (cur - prevX) / (g - prevG);
            remember(f, g);
            cur = next;
            if (cur > rightX) {
                if (rightG > 0) cur = 0.5 * leftX + 0.5 * rightX;
                else if (cur > 3 * rightX - 2 * leftX) cur = 3 * rightX - 2 * leftX;
                return true;
            }
            if (cur < leftX) {
                prevX = cur;
                cur = 0.5 * leftX + 0.5 * rightX;
            }
            return true;
        }

        void write(DataOutput out) throws IOException {
            for (double v : new double[]{cur, leftX, leftF, leftG, rightX, rightF, rightG, prevX, prevF, prevG}) out.writeDouble(v);
        }

        void read(DataInput in) throws IOException {
            cur = in.readDouble();
            leftX = in.readDouble(); leftF = in.readDouble(); leftG = in.readDouble();
            rightX = in.readDouble(); rightF = in.readDouble(); rightG = in.readDouble();
            prevX = in.readDouble(); prevF = in.readDouble(); prevG = in.readDouble();
        }
    }
}
