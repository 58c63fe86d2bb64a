package org.mtpjava.eval;

import org.mtpjava.model.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prediction errors of a potential on reference data, in two conventions:
 * <ul>
 *   <li>MLIP-3's {@code check_errors} report (energy, energy per atom, per-atom force vector norms, Frobenius
 *       norm of the 3x3 PlusStress difference, the same divided by the volume in GPa);</li>
 *   <li>the per-component metrics used in the literature (mlearn, Zuo et al. 2020): energy MAE/RMSE per atom
 *       (each configuration weighted 1), force MAE/RMSE over every Cartesian component, stress per component
 *       in GPa.</li>
 * </ul>
 * Parity data (reference vs predicted) is kept for plots.
 */
public final class ErrorStatistics {
    /** eV/A^3 to GPa. */
    public static final double EV_PER_A3_TO_GPA = 160.21766208;

    private final Accumulator energy = new Accumulator(), energyPerAtom = new Accumulator();
    private final Accumulator forceNorm = new Accumulator(), forceComponent = new Accumulator();
    private final Accumulator stressFrobenius = new Accumulator(), virialFrobenius = new Accumulator();
    private final Accumulator stressComponentGpa = new Accumulator();
    private final Accumulator magneticComponent = new Accumulator();
    private double maxForce, sumForce2, maxStress, sumStress2, maxVirial, sumVirial2;
    private int forceAtoms, stressCfgs;
    private final List<double[]> energyParity = new ArrayList<>(), forceParity = new ArrayList<>(),
            stressParity = new ArrayList<>(), magneticParity = new ArrayList<>();
    private boolean keepParity = true;

    /** Stops recording parity points (for very large data sets). */
    public void setKeepParity(boolean keep) { keepParity = keep; }

    /** Adds one configuration: reference data from {@code ref}, predictions from {@code pred}. */
    public void add(Configuration ref, Configuration pred) {
        int n = ref.size();
        if (n == 0) return;
        if (ref.hasEnergy() && pred.hasEnergy()) {
            double d = pred.energy() - ref.energy();
            energy.add(d);
            energyPerAtom.add(d / n);
            if (keepParity) energyParity.add(new double[]{ref.energy() / n, pred.energy() / n});
        }
        if (ref.hasForces() && pred.hasForces()) {
            double[] fr = ref.forces(), fp = pred.forces();
            for (int i = 0; i < n; i++) {
                double s = 0, s2 = 0;
                for (int a = 0; a < 3; a++) {
                    double d = fp[3 * i + a] - fr[3 * i + a];
                    forceComponent.add(d);
                    s += d * d;
                    s2 += fr[3 * i + a] * fr[3 * i + a];
                    if (keepParity) forceParity.add(new double[]{fr[3 * i + a], fp[3 * i + a]});
                }
                forceNorm.add(Math.sqrt(s));
                maxForce = Math.max(maxForce, Math.sqrt(s2));
                sumForce2 += s2;
                forceAtoms++;
            }
        }
        if (ref.hasStress() && pred.hasStress()) {
            double[] sr = ref.stress(), sp = pred.stress();
            double fro = 0, fro2 = 0;
            for (int a = 0; a < 6; a++) {
                double d = sp[a] - sr[a];
                double w = a < 3 ? 1 : 2; // off-diagonals appear twice in the 3x3 tensor
                fro += w * d * d;
                fro2 += w * sr[a] * sr[a];
            }
            fro = Math.sqrt(fro);
            fro2 = Math.sqrt(fro2);
            stressFrobenius.add(fro);
            maxStress = Math.max(maxStress, fro2);
            sumStress2 += fro2 * fro2;
            double vol = ref.volume();
            if (vol > 0) {
                double toGpa = EV_PER_A3_TO_GPA / vol;
                virialFrobenius.add(fro * toGpa);
                maxVirial = Math.max(maxVirial, fro2 * toGpa);
                sumVirial2 += fro2 * toGpa * fro2 * toGpa;
                for (int a = 0; a < 6; a++) {
                    stressComponentGpa.add((sp[a] - sr[a]) * toGpa);
                    if (keepParity) stressParity.add(new double[]{sr[a] * toGpa, sp[a] * toGpa});
                }
            }
            stressCfgs++;
        }
        if (ref.magneticForces() != null && pred.magneticForces() != null) {
            double[] mr = ref.magneticForces(), mp = pred.magneticForces();
            for (int i = 0; i < n; i++) {
                double d = mp[3 * i] - mr[3 * i]; // collinear: x component
                magneticComponent.add(d);
                if (keepParity) magneticParity.add(new double[]{mr[3 * i], mp[3 * i]});
            }
        }
    }

    public Accumulator energy() { return energy; }
    public Accumulator energyPerAtom() { return energyPerAtom; }
    public Accumulator forceNorm() { return forceNorm; }
    public Accumulator forceComponent() { return forceComponent; }
    public Accumulator stressFrobenius() { return stressFrobenius; }
    public Accumulator virialFrobenius() { return virialFrobenius; }
    public Accumulator stressComponentGpa() { return stressComponentGpa; }
    public Accumulator magneticComponent() { return magneticComponent; }
    public List<double[]> energyParity() { return energyParity; }
    public List<double[]> forceParity() { return forceParity; }
    public List<double[]> stressParity() { return stressParity; }
    public List<double[]> magneticParity() { return magneticParity; }

    /** MLIP-3's {@code check_errors} report, same layout and number style. */
    public String mlipReport() {
        StringBuilder sb = new StringBuilder();
        sb.append("_________________Errors report_________________\n");
        block(sb, "Energy", energy, "configurations", Double.NaN, Double.NaN, null);
        block(sb, "Energy per atom", energyPerAtom, "configurations", Double.NaN, Double.NaN, null);
        block(sb, "Forces", forceNorm, "atoms", maxForce, forceAtoms == 0 ? 0 : Math.sqrt(sumForce2 / forceAtoms), "Force");
        block(sb, "Stresses (in energy units)", stressFrobenius, "configurations", maxStress,
                stressCfgs == 0 ? 0 : Math.sqrt(sumStress2 / stressCfgs), "Stres");
        block(sb, "Virial stresses (in pressure units)", virialFrobenius, "configurations", maxVirial,
                virialFrobenius.count() == 0 ? 0 : Math.sqrt(sumVirial2 / virialFrobenius.count()), "Stres");
        sb.setLength(sb.length() - 1);
        sb.append("_______________________________________________\n");
        return sb.toString();
    }

    private static void block(StringBuilder sb, String title, Accumulator a, String unit, double maxRef, double rmsRef, String name) {
        sb.append(title).append(":\n");
        sb.append("\tErrors checked for ").append(a.count()).append(' ').append(unit).append('\n');
        sb.append("\tMaximal absolute difference = ").append(g(a.maxAbs())).append('\n');
        sb.append("\tAverage absolute difference = ").append(g(a.mae())).append('\n');
        sb.append("\tRMS     absolute difference = ").append(g(a.rmse())).append('\n');
        if (name != null) {
            String diff = name.equals("Force") ? "ForceDiff" : "StresDiff";
            sb.append("\tMax(").append(diff).append(") / Max(").append(name).append(") = ").append(g(maxRef == 0 ? 0 : a.maxAbs() / maxRef)).append('\n');
            sb.append("\tRMS(").append(diff).append(") / RMS(").append(name).append(") = ").append(g(rmsRef == 0 ? 0 : a.rmse() / rmsRef)).append('\n');
        }
        sb.append('\n');
    }

    /** The per-component table: energy meV/atom, forces eV/A, stress GPa, magnetic forces eV/muB. */
    public String componentTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-26s %10s %12s %12s %12s%n", "quantity", "count", "MAE", "RMSE", "max|err|"));
        row(sb, "energy (meV/atom)", energyPerAtom, 1000);
        row(sb, "force component (eV/A)", forceComponent, 1);
        if (stressComponentGpa.count() > 0) row(sb, "stress component (GPa)", stressComponentGpa, 1);
        if (magneticComponent.count() > 0) row(sb, "magnetic force (eV/muB)", magneticComponent, 1);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, Accumulator a, double scale) {
        sb.append(String.format(Locale.ROOT, "%-26s %10d %12.5f %12.5f %12.5f%n", name, a.count(), a.mae() * scale, a.rmse() * scale, a.maxAbs() * scale));
    }

    /** C++ ostream default formatting (6 significant digits, trailing zeros dropped), as MLIP prints. */
    static String g(double v) {
        if (v == 0) return "0";
        String s = String.format(Locale.ROOT, "%.6g", v);
        String mant = s, exp = "";
        int e = s.indexOf('e');
        if (e >= 0) { mant = s.substring(0, e); exp = s.substring(e); }
        if (mant.contains(".")) {
            mant = mant.replaceAll("0+$", "");
            if (mant.endsWith(".")) mant = mant.substring(0, mant.length() - 1);
        }
        return mant + exp;
    }

    /** Running max/mean/RMS of absolute errors. */
    public static final class Accumulator {
        private long count;
        private double sumAbs, sumSq, maxAbs;

        void add(double d) {
            count++;
            double a = Math.abs(d);
            sumAbs += a;
            sumSq += d * d;
            if (a > maxAbs) maxAbs = a;
        }
        public long count() { return count; }
        public double mae() { return count == 0 ? 0 : sumAbs / count; }
        public double rmse() { return count == 0 ? 0 : Math.sqrt(sumSq / count); }
        public double maxAbs() { return maxAbs; }
    }
}
