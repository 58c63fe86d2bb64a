package org.mtpjava.workflow.ductility;

import java.util.Arrays;

/**
 * One generalised stacking-fault curve γ(s) of one fault plane: shifts in units of the Burgers vector b and
 * energies in J/m², γ(0) = 0. The unstable stacking-fault energy is the maximum of the curve, refined by the
 * parabola through the largest sample and its two neighbours when it is an interior sample.
 *
 * @param plane      index of the fault plane within its cell
 * @param shift      shifts s/b, ascending, the first 0
 * @param energy     γ(s) in J/m²
 * @param gammaUsf   maximum of the curve, J/m²
 * @param shiftAtMax s/b of the maximum
 */
public record GsfCurve(int plane, double[] shift, double[] energy, double gammaUsf, double shiftAtMax) {

    /** Builds the curve from total energies (eV) at the shifts and the fault area (Å²). */
    public static GsfCurve of(int plane, double[] shift, double[] totalEnergy, double area) {
        if (shift.length != totalEnergy.length || shift.length < 2)
            throw new IllegalArgumentException("a GSF curve needs >= 2 points with one energy each");
        if (shift[0] != 0) throw new IllegalArgumentException("the first GSF shift must be 0");
        for (int k = 1; k < shift.length; k++)
            if (!(shift[k] > shift[k - 1])) throw new IllegalArgumentException("GSF shifts must ascend: " + Arrays.toString(shift));
        double[] g = new double[shift.length];
        for (int k = 0; k < g.length; k++) g[k] = (totalEnergy[k] - totalEnergy[0]) / area * Units.EV_PER_A2_TO_J_PER_M2;
        double[] max = maximum(shift, g);
        return new GsfCurve(plane, shift.clone(), g, max[1], max[0]);
    }

    /** {s, γ} of the maximum: the largest sample, parabola-refined when interior and the parabola is concave. */
    static double[] maximum(double[] s, double[] g) {
        int k = 0;
        for (int i = 1; i < g.length; i++) if (g[i] > g[k]) k = i;
        if (k == 0 || k == g.length - 1) return new double[]{s[k], g[k]};
        double x0 = s[k - 1], x1 = s[k], x2 = s[k + 1], y0 = g[k - 1], y1 = g[k], y2 = g[k + 1];
        // Lagrange parabola through the three points: vertex
        double d01 = (y1 - y0) / (x1 - x0), d12 = (y2 - y1) / (x2 - x1);
        double curv = (d12 - d01) / (x2 - x0); // half the second derivative
        if (!(curv < 0)) return new double[]{s[k], g[k]};
        double xv = 0.5 * (x0 + x1) - d01 / (2 * curv);
        if (xv < x0 || xv > x2) return new double[]{s[k], g[k]};
        double yv = y0 + d01 * (xv - x0) + curv * (xv - x0) * (xv - x1);
        return new double[]{xv, Math.max(yv, y1)};
    }
}
