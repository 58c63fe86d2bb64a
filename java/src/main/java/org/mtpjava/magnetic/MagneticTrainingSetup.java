package org.mtpjava.magnetic;

import org.mtpjava.model.Configuration;
import org.mtpjava.model.MagneticBasis;
import org.mtpjava.model.Potential;
import org.mtpjava.train.TrainingSet;

import java.util.Locale;

/**
 * Checks and preparation of magnetic training data (used by {@link org.mtpjava.train.Trainer}):
 * <ul>
 *   <li>a magnetic-force weight needs a magnetic potential and, per configuration, {@code en_der_mx} columns
 *       (unless missing terms may be dropped);</li>
 *   <li>moments are collinear: only the x component is used (MLIP-3 stops on non-zero y/z; mtpjava reports
 *       how many there are);</li>
 *   <li>MLIP-3's {@code auto_minmax_magmom}: the magnetic interval is widened to the smallest and largest moment
 *       of the training set when they lie outside it (never narrowed). Without it, moments outside the interval
 *       are reported, because the Chebyshev basis extrapolates there.</li>
 * </ul>
 */
public final class MagneticTrainingSetup {
    private MagneticTrainingSetup() {}

    /** Smallest and largest collinear moment (x component) over configurations with moments; null if none. */
    public static double[] momentRange(Iterable<Configuration> data) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Configuration c : data) {
            if (!c.hasMagneticMoments()) continue;
            double[] m = c.magneticMoments();
            for (int i = 0; i < c.size(); i++) {
                lo = Math.min(lo, m[3 * i]);
                hi = Math.max(hi, m[3 * i]);
            }
        }
        return lo <= hi ? new double[]{lo, hi} : null;
    }

    /**
     * Validates the set for a magnetic fit and widens the interval if asked. Returns report lines (may be empty);
     * throws an input error naming the configuration for data that cannot be used.
     *
     * @param magneticForceWeight w_m of the loss
     * @param allowMissing        configurations without en_der_mx only drop the magnetic term
     * @param widen               MLIP-3's auto_minmax_magmom
     */
    public static String prepare(Potential p, TrainingSet set, double magneticForceWeight, boolean allowMissing, boolean widen) {
        StringBuilder report = new StringBuilder();
        if (magneticForceWeight != 0 && !p.isMagnetic()) {
            throw new IllegalArgumentException("--magnetic-force-weight " + magneticForceWeight
                    + " needs a magnetic potential (magnetic_basis_type in the .mtp), but this one has no magnetic basis");
        }
        if (!p.isMagnetic()) return "";
        long nonCollinear = 0, noForces = 0;
        for (int k = 0; k < set.size(); k++) {
            Configuration c = set.configuration(k);
            if (c.size() == 0) continue;
            if (!c.hasMagneticMoments()) {
                throw set.error(k, "the potential is magnetic but this configuration has no magnetic moments (magmom_x/y/z columns)");
            }
            double[] m = c.magneticMoments();
            for (int i = 0; i < c.size(); i++) {
                if (!Double.isFinite(m[3 * i])) throw set.error(k, "atom " + (i + 1) + " has a non-finite magnetic moment");
                if (Math.abs(m[3 * i + 1]) > 1e-6 || Math.abs(m[3 * i + 2]) > 1e-6) nonCollinear++;
            }
            double[] d = c.magneticForces();
            if (d != null) {
                for (int i = 0; i < c.size(); i++) {
                    if (!Double.isFinite(d[3 * i])) throw set.error(k, "atom " + (i + 1) + " has a non-finite en_der_mx");
                }
            } else if (magneticForceWeight != 0) {
                if (!allowMissing) {
                    throw set.error(k, "no magnetic forces (en_der_mx en_der_my en_der_mz columns), but --magnetic-force-weight is "
                            + magneticForceWeight + " (add them, set --magnetic-force-weight 0, or use --allow-missing)");
                }
                noForces++;
            }
        }
        if (nonCollinear > 0) {
            report.append(nonCollinear).append(" atoms have non-zero magmom_y/magmom_z; the magnetic MTP is collinear and uses magmom_x only\n");
        }
        if (noForces > 0) report.append(noForces).append(" configurations have no en_der_mx: their magnetic-force terms are left out\n");
        double[] range = momentRange(set.configurations());
        MagneticBasis b = p.magneticBasis();
        if (range == null) return report.toString();
        boolean below = range[0] < b.min(), above = range[1] > b.max();
        if (below || above) {
            if (widen) {
                MagneticBasis nb = new MagneticBasis(below ? range[0] : b.min(), above ? range[1] : b.max(), b.size());
                p.setMagneticBasis(nb);
                report.append(String.format(Locale.ROOT, "magnetic interval [%s, %s] -> [%s, %s] (moments of the training set span [%s, %s]; --auto-minmax-magmom)%n",
                        g(b.min()), g(b.max()), g(nb.min()), g(nb.max()), g(range[0]), g(range[1])));
            } else {
                report.append(String.format(Locale.ROOT, "warning: moments of the training set span [%s, %s], outside the magnetic interval [%s, %s] "
                                + "(the Chebyshev basis extrapolates there); --auto-minmax-magmom widens the interval as MLIP-3 does%n",
                        g(range[0]), g(range[1]), g(b.min()), g(b.max())));
            }
        } else {
            report.append(String.format(Locale.ROOT, "magnetic interval [%s, %s] kept (moments of the training set span [%s, %s])%n",
                    g(b.min()), g(b.max()), g(range[0]), g(range[1])));
        }
        return report.toString();
    }

    static String g(double v) {
        String s = String.format(Locale.ROOT, "%.8g", v);
        if (s.contains("e")) return s;
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }
}
