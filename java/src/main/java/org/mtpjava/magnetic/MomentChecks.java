package org.mtpjava.magnetic;

import org.mtpjava.model.Configuration;
import org.mtpjava.model.MagneticBasis;
import org.mtpjava.model.Potential;

import java.util.Locale;

/**
 * Input checks for magnetic evaluations. The magnetic basis is a Chebyshev basis on [min_val, max_val]: outside
 * it the polynomials grow quickly and the potential extrapolates wildly, so a moment outside the interval is a
 * user error unless extrapolation was asked for explicitly (MLIP-3 evaluates silently).
 */
public final class MomentChecks {
    private MomentChecks() {}

    /** Slack at the ends of the interval (relative to its width): moments written with finite decimals stay inside. */
    public static final double SLACK = 1e-9;

    /** Index of the first atom whose moment (x component) lies outside the interval, or -1. */
    public static int firstOutside(MagneticBasis b, double[] moments, int stride, int n) {
        double tol = SLACK * (b.max() - b.min());
        for (int i = 0; i < n; i++) {
            double m = moments[stride * i];
            if (!(m >= b.min() - tol && m <= b.max() + tol)) return i;
        }
        return -1;
    }

    /** The message for atom i (0-based) with moment m outside the interval of p. */
    public static String outsideMessage(Potential p, int i, double m, String remedy) {
        MagneticBasis b = p.magneticBasis();
        return String.format(Locale.ROOT, "atom %d has magnetic moment %s muB, outside the potential's magnetic interval [%s, %s] "
                        + "(min_val, max_val), where its Chebyshev basis is not defined%s", i + 1, g(m), g(b.min()), g(b.max()),
                remedy == null || remedy.isEmpty() ? "" : "; " + remedy);
    }

    /** Throws IllegalArgumentException if a magnetic potential meets a moment outside its interval. */
    public static void requireInsideInterval(Potential p, Configuration c, String remedy) {
        if (!p.isMagnetic() || !c.hasMagneticMoments()) return;
        int i = firstOutside(p.magneticBasis(), c.magneticMoments(), 3, c.size());
        if (i >= 0) throw new IllegalArgumentException(outsideMessage(p, i, c.magneticMoments()[3 * i], remedy));
    }

    static String g(double v) { return MagneticTrainingSetup.g(v); }
}
