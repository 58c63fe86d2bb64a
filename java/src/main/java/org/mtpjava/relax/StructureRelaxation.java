package org.mtpjava.relax;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.eval.ErrorStatistics;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;
import org.mtpjava.optim.Lbfgs;

import java.util.Locale;

/**
 * Relaxation of positions, cell and (for a magnetic MTP) collinear moments together, minimising the enthalpy
 * H = E + P V with L-BFGS ({@link Lbfgs}). MLIP-3's {@code relax} semantics: a tolerance &le; 0 holds that
 * degree of freedom (force tolerance: positions; stress tolerance: cell; magnetic-force tolerance: moments); a
 * structure is {@code relaxation_OK} when the largest atomic force, stress component (GPa, the pressure
 * subtracted) and magnetic force are below their tolerances and no two atoms are closer than {@code minDist};
 * {@code relaxation_NOT_CONVERGED} when the iteration limit is reached first; {@code relaxation_MINDIST_ERROR}
 * when atoms end closer than {@code minDist}.
 *
 * <p>Variables: the cell deformation D = I + e / L (L = V0^(1/3), so e is in A like MLIP's lattice variables),
 * positions r_i = D s_i with s_i the undeformed Cartesian coordinates, moments m_i. Gradients: dH/ds_i = -D^T F_i,
 * dH/de = -(W - P V I) D^-T / L with W the virial (PlusStress), dH/dm_i = dE/dm_i. Moments keep their sign
 * unless flips are allowed and stay in the magnetic interval ({@link MomentRelaxation#bounds}).
 */
public final class StructureRelaxation {
    private StructureRelaxation() {}

    static final double EV_A3_TO_GPA = ErrorStatistics.EV_PER_A3_TO_GPA;

    /** Settings (defaults as MLIP-3's relaxation driver where it has them). */
    public static final class Options {
        /** eV/A; &le; 0 keeps positions fixed. */
        public double forceTolerance = 1e-4;
        /** GPa; &le; 0 keeps the cell fixed. */
        public double stressTolerance = 1e-3;
        /** eV/mu_B; &le; 0 keeps moments fixed (only used by magnetic potentials). */
        public double magneticForceTolerance = 1e-4;
        /** External pressure, GPa. */
        public double pressure = 0;
        public int iterationLimit = 1000;
        /** Largest move of an atom or lattice-vector variable in one step, A (MLIP: 0.05). */
        public double maxStep = 0.05;
        /** Largest change of a moment in one step, mu_B. */
        public double maxMagneticStep = 0.2;
        /** Smallest allowed interatomic distance at the end, A (MLIP: 0.5). */
        public double minDist = 0.5;
        public boolean allowFlips = false;
        public int memory = 20;

        public void validate() {
            if (iterationLimit < 0) throw new IllegalArgumentException("--iteration-limit must be >= 0");
            if (!(maxStep > 0) || !(maxMagneticStep > 0)) throw new IllegalArgumentException("--max-step values must be > 0");
            if (forceTolerance <= 0 && stressTolerance <= 0 && magneticForceTolerance <= 0) {
                throw new IllegalArgumentException("no relaxation activated: all tolerances are <= 0 (MLIP-3 semantics: a tolerance <= 0 holds that degree of freedom)");
            }
        }
    }

    /** What happened to one structure. */
    public record Result(String status, int iterations, int evaluations, double energy, double enthalpy, double maxForce,
                         double maxStress, double maxMagneticForce, double minDistance, String message) {
        public boolean ok() { return status.equals("relaxation_OK"); }
    }

    /**
     * Relaxes {@code cfg} in place and stores energy, forces, stresses, site energies and magnetic forces of the final
     * state; sets the feature {@code from} to the status, as MLIP-3 does.
     */
    public static Result relax(EfsCalculator calc, Configuration cfg, Options o) {
        o.validate();
        Potential p = calc.potential();
        int n = cfg.size();
        boolean atoms = o.forceTolerance > 0 && n > 0;
        boolean periodic = cfg.isPeriodic(0) && cfg.isPeriodic(1) && cfg.isPeriodic(2);
        boolean cell = o.stressTolerance > 0 && periodic;
        boolean moments = o.magneticForceTolerance > 0 && p.isMagnetic();
        if (p.isMagnetic() && !cfg.hasMagneticMoments()) {
            throw new IllegalArgumentException("the potential is magnetic but the configuration has no magnetic moments (magmom_x column)");
        }
        int off = cell ? 9 : 0, offM = off + (atoms ? 3 * n : 0), nv = offM + (moments ? n : 0);
        double[] lat0 = cfg.lattice().clone();
        double[] s0 = cfg.positions().clone();
        double vol0 = cfg.volume();
        double lc = periodic && vol0 > 0 ? Math.cbrt(vol0) : 1.0;
        double[] mm = cfg.magneticMoments();
        if (mm != null) for (int i = 0; i < n; i++) { mm[3 * i + 1] = 0; mm[3 * i + 2] = 0; }
        double[] x = new double[nv];
        if (moments) for (int i = 0; i < n; i++) x[offM + i] = mm[3 * i];
        if (atoms) System.arraycopy(s0, 0, x, off, 3 * n);
        Lbfgs.Options lo = new Lbfgs.Options();
        lo.memory = o.memory;
        lo.maxIterations = o.iterationLimit;
        lo.maxSteps = new double[nv];
        java.util.Arrays.fill(lo.maxSteps, 0, offM, o.maxStep);
        java.util.Arrays.fill(lo.maxSteps, offM, nv, o.maxMagneticStep);
        if (moments) {
            lo.lower = Lbfgs.filled(nv, Double.NEGATIVE_INFINITY);
            lo.upper = Lbfgs.filled(nv, Double.POSITIVE_INFINITY);
            double[] l = new double[n], h = new double[n];
            MomentRelaxation.Options mo = new MomentRelaxation.Options();
            mo.allowFlips = o.allowFlips;
            MomentRelaxation.bounds(p.magneticBasis(), MomentRelaxation.signs(mm, 3, n), n, mo, l, h);
            System.arraycopy(l, 0, lo.lower, offM, n);
            System.arraycopy(h, 0, lo.upper, offM, n);
        }
        double pressure = o.pressure / EV_A3_TO_GPA; // eV/A^3
        double[] d = new double[9];
        State st = new State();
        Lbfgs.Objective f = (v, g) -> {
            apply(cfg, v, cell, atoms, moments, off, offM, lat0, s0, lc, d);
            EfsCalculator.Result r = calc.compute(cfg);
            st.last = r;
            double vol = cfg.volume();
            double h = r.energy() + (cell ? pressure * vol : 0);
            double[] F = r.forces();
            if (atoms) {
                for (int i = 0; i < n; i++) {
                    double fx = F[3 * i], fy = F[3 * i + 1], fz = F[3 * i + 2];
                    // -D^T F
                    g[off + 3 * i] = -(d[0] * fx + d[3] * fy + d[6] * fz);
                    g[off + 3 * i + 1] = -(d[1] * fx + d[4] * fy + d[7] * fz);
                    g[off + 3 * i + 2] = -(d[2] * fx + d[5] * fy + d[8] * fz);
                }
            }
            if (cell) {
                double[] w = fullVirial(r.stress());
                for (int a = 0; a < 3; a++) w[4 * a] -= pressure * vol;
                double[] dinvT = inverseTranspose(d);
                for (int a = 0; a < 3; a++) {
                    for (int c = 0; c < 3; c++) {
                        double s = 0;
                        for (int b = 0; b < 3; b++) s += w[3 * a + b] * dinvT[3 * b + c];
                        g[3 * a + c] = -s / lc;
                    }
                }
            }
            if (moments) for (int i = 0; i < n; i++) g[offM + i] = r.magneticForces()[3 * i];
            return h;
        };
        lo.convergence = (v, g, pg, value) -> {
            Measures m = measures(cfg, st.last, pressure, pg, moments, offM, n);
            return (!atoms || m.maxForce < o.forceTolerance) && (!cell || m.maxStress < o.stressTolerance)
                    && (!moments || m.maxMagneticForce < o.magneticForceTolerance);
        };
        Lbfgs.Result lr;
        if (nv == 0) {
            f.evaluate(x, new double[0]);
            lr = new Lbfgs.Result(true, 0, 1, st.last.energy(), 0, 0, "nothing to relax");
        } else {
            lr = Lbfgs.minimize(f, x, lo, null);
        }
        // final state at the returned point
        apply(cfg, x, cell, atoms, moments, off, offM, lat0, s0, lc, d);
        EfsCalculator.Result r = calc.compute(cfg);
        NeighbourList nl = calc.lastNeighbourList();
        double[] pg = new double[nv];
        if (moments) {
            // projected magnetic gradient: components held by a bound do not count
            double[] g = new double[nv];
            for (int i = 0; i < n; i++) g[offM + i] = r.magneticForces()[3 * i];
            for (int i = offM; i < nv; i++) {
                double v = g[i];
                if (v > 0 && x[i] <= lo.lower[i]) v = 0;
                if (v < 0 && x[i] >= lo.upper[i]) v = 0;
                pg[i] = v;
            }
        }
        Measures m = measures(cfg, r, pressure, pg, moments, offM, n);
        double minDistance = minDistance(nl);
        cfg.setEnergy(r.energy());
        cfg.setForces(r.forces());
        cfg.setStress(r.stress());
        cfg.setSiteEnergies(r.siteEnergies());
        if (r.magneticForces() != null) cfg.setMagneticForces(r.magneticForces());
        boolean conv = (!atoms || m.maxForce < o.forceTolerance) && (!cell || m.maxStress < o.stressTolerance)
                && (!moments || m.maxMagneticForce < o.magneticForceTolerance);
        String status = minDistance < o.minDist ? "relaxation_MINDIST_ERROR" : conv ? "relaxation_OK" : "relaxation_NOT_CONVERGED";
        double enthalpy = r.energy() + (cell ? pressure * cfg.volume() : 0);
        cfg.features().put("from", status);
        if (o.pressure != 0 && cell) {
            cfg.features().put("PV", fmt(pressure * cfg.volume()));
            cfg.features().put("enthalpy", fmt(enthalpy));
        }
        return new Result(status, lr.iterations(), lr.evaluations() + 1, r.energy(), enthalpy, m.maxForce, m.maxStress,
                m.maxMagneticForce, minDistance, lr.message());
    }

    private static final class State {
        EfsCalculator.Result last;
    }

    record Measures(double maxForce, double maxStress, double maxMagneticForce) {}

    static Measures measures(Configuration cfg, EfsCalculator.Result r, double pressure, double[] pg, boolean moments, int offM, int n) {
        double mf = 0;
        double[] F = r.forces();
        for (int i = 0; i < n; i++) mf = Math.max(mf, Math.sqrt(F[3 * i] * F[3 * i] + F[3 * i + 1] * F[3 * i + 1] + F[3 * i + 2] * F[3 * i + 2]));
        double ms = 0;
        double vol = cfg.volume();
        if (r.stress() != null && vol > 0) {
            double[] s = r.stress();
            for (int k = 0; k < 6; k++) {
                double v = s[k] - (k < 3 ? pressure * vol : 0);
                ms = Math.max(ms, Math.abs(v) * EV_A3_TO_GPA / vol);
            }
        }
        double mm = 0;
        if (moments) for (int i = 0; i < n; i++) mm = Math.max(mm, Math.abs(pg[offM + i]));
        else if (r.magneticForces() != null) for (int i = 0; i < n; i++) mm = Math.max(mm, Math.abs(r.magneticForces()[3 * i]));
        return new Measures(mf, ms, mm);
    }

    /** Writes variables into the configuration: D = I + e / lc, lattice rows D l0, positions D s, moments. */
    static void apply(Configuration cfg, double[] v, boolean cell, boolean atoms, boolean moments, int off, int offM,
                      double[] lat0, double[] s0, double lc, double[] d) {
        int n = cfg.size();
        java.util.Arrays.fill(d, 0.0);
        d[0] = d[4] = d[8] = 1;
        if (cell) for (int k = 0; k < 9; k++) d[k] += v[k] / lc;
        double[] lat = cfg.lattice();
        for (int r = 0; r < 3; r++) {
            double x = lat0[3 * r], y = lat0[3 * r + 1], z = lat0[3 * r + 2];
            lat[3 * r] = d[0] * x + d[1] * y + d[2] * z;
            lat[3 * r + 1] = d[3] * x + d[4] * y + d[5] * z;
            lat[3 * r + 2] = d[6] * x + d[7] * y + d[8] * z;
        }
        double[] pos = cfg.positions();
        for (int i = 0; i < n; i++) {
            double x, y, z;
            if (atoms) { x = v[off + 3 * i]; y = v[off + 3 * i + 1]; z = v[off + 3 * i + 2]; }
            else { x = s0[3 * i]; y = s0[3 * i + 1]; z = s0[3 * i + 2]; }
            pos[3 * i] = d[0] * x + d[1] * y + d[2] * z;
            pos[3 * i + 1] = d[3] * x + d[4] * y + d[5] * z;
            pos[3 * i + 2] = d[6] * x + d[7] * y + d[8] * z;
        }
        if (moments) {
            double[] mm = cfg.magneticMoments();
            for (int i = 0; i < n; i++) mm[3 * i] = v[offM + i];
        }
    }

    /** PlusStress (xx yy zz yz xz xy) as a symmetric row-major 3x3. */
    static double[] fullVirial(double[] s) {
        return new double[]{s[0], s[5], s[4], s[5], s[1], s[3], s[4], s[3], s[2]};
    }

    static double[] inverseTranspose(double[] a) {
        double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
        double[] inv = {
                (a[4] * a[8] - a[5] * a[7]) / det, (a[2] * a[7] - a[1] * a[8]) / det, (a[1] * a[5] - a[2] * a[4]) / det,
                (a[5] * a[6] - a[3] * a[8]) / det, (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
                (a[3] * a[7] - a[4] * a[6]) / det, (a[1] * a[6] - a[0] * a[7]) / det, (a[0] * a[4] - a[1] * a[3]) / det};
        return new double[]{inv[0], inv[3], inv[6], inv[1], inv[4], inv[7], inv[2], inv[5], inv[8]};
    }

    static double minDistance(NeighbourList nl) {
        double best = Double.POSITIVE_INFINITY;
        double[] v = nl.vectors();
        for (int e = 0; e < nl.pairs(); e++) {
            double r2 = v[3 * e] * v[3 * e] + v[3 * e + 1] * v[3 * e + 1] + v[3 * e + 2] * v[3 * e + 2];
            if (r2 > 0) best = Math.min(best, r2);
        }
        return Math.sqrt(best);
    }

    static String fmt(double v) { return String.format(Locale.ROOT, "%.10g", v); }
}
