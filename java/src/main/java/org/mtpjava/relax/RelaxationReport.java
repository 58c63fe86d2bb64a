package org.mtpjava.relax;

import java.util.Locale;

/**
 * "Relaxation reliability" (Kotykhov et al., Comput. Mater. Sci. 2024): the share of structures whose relaxation
 * ends with small forces, stresses and magnetic forces, each and all together, plus MLIP-3's status counts.
 */
public final class RelaxationReport {
    private final StructureRelaxation.Options options;
    private final boolean magnetic;
    private int total, ok, notConverged, mindist, smallF, smallS, smallM, allSmall;
    private long iterations;

    public RelaxationReport(StructureRelaxation.Options options, boolean magnetic) {
        this.options = options;
        this.magnetic = magnetic;
    }

    public void add(StructureRelaxation.Result r) {
        total++;
        iterations += r.iterations();
        switch (r.status()) {
            case "relaxation_OK" -> ok++;
            case "relaxation_NOT_CONVERGED" -> notConverged++;
            default -> mindist++;
        }
        boolean f = r.maxForce() < threshold(options.forceTolerance);
        boolean s = r.maxStress() < threshold(options.stressTolerance);
        boolean m = !magnetic || r.maxMagneticForce() < threshold(options.magneticForceTolerance);
        boolean md = r.minDistance() >= options.minDist;
        if (f) smallF++;
        if (s) smallS++;
        if (m) smallM++;
        if (f && s && m && md) allSmall++;
    }

    /** A held degree of freedom is judged against the default tolerance. */
    private static double threshold(double tol) { return tol > 0 ? tol : Double.POSITIVE_INFINITY; }

    public int total() { return total; }
    public int reliable() { return allSmall; }
    /** Share (0..1) of structures with small forces, stresses and magnetic forces and no mindist violation. */
    public double reliability() { return total == 0 ? Double.NaN : (double) allSmall / total; }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "relaxation reliability: %d of %d structures (%.1f %%) reach max |F| < %s eV/A, max |stress| < %s GPa%s%n",
                allSmall, total, pct(allSmall), tol(options.forceTolerance), tol(options.stressTolerance),
                magnetic ? ", max |dE/dm| < " + tol(options.magneticForceTolerance) + " eV/muB" : ""));
        sb.append(String.format(Locale.ROOT, "  small forces %d (%.1f %%), small stresses %d (%.1f %%)%s%n", smallF, pct(smallF), smallS, pct(smallS),
                magnetic ? String.format(Locale.ROOT, ", small magnetic forces %d (%.1f %%)", smallM, pct(smallM)) : ""));
        sb.append(String.format(Locale.ROOT, "  relaxation_OK %d, relaxation_NOT_CONVERGED %d, relaxation_MINDIST_ERROR %d; %.1f iterations per structure%n",
                ok, notConverged, mindist, total == 0 ? 0 : (double) iterations / total));
        return sb.toString();
    }

    private double pct(int k) { return total == 0 ? 0 : 100.0 * k / total; }
    private static String tol(double t) { return t > 0 ? String.format(Locale.ROOT, "%.3g", t) : "(held)"; }
}
