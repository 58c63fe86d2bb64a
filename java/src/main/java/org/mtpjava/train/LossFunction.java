package org.mtpjava.train;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.parallel.BlockPool;

import org.mtpjava.eval.ErrorStatistics;
import org.mtpjava.eval.SiteEvaluator;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;

import java.util.Arrays;

/**
 * MLIP-3's training loss (see {@link LossWeights}) and its exact gradient with respect to every parameter
 * theta = [radial | species | moment], for the potential's current coefficients.
 *
 * <p>Per configuration: pass 1 evaluates site energies and dV_i/dr_ij ({@link SiteEvaluator}), hence E, forces,
 * the nine-component virial and the residuals; pass 2 runs one {@link SiteTangentEvaluator} pass per atom with
 * the residual-weighted perturbation u_ij, which yields the energy, force and stress parts of the gradient
 * together.
 *
 * <p>Parallel over configurations. Configurations are grouped into fixed blocks (chosen from the data only);
 * each block is summed in configuration order by one thread and block sums are added in block order, so the
 * result is bit-for-bit the same for any thread count.
 */
public final class LossFunction implements AutoCloseable {
    private final Potential potential;
    private final TrainingSet set;
    private final LossWeights weights;
    private final int parameterCount, radialCount, linearCount;
    private final int[] blockStart;
    private final double[][] blockGrad;
    private final double[] blockLoss;
    private final Stats[] blockStats;
    private final BlockPool pool;
    private final Worker[] workers;
    private double[] regularisation; // per linear coefficient, or null
    private Stats lastStats = new Stats();
    private long evaluations;

    public LossFunction(Potential potential, TrainingSet set, LossWeights weights, int threads) {
        this.potential = potential;
        this.set = set;
        this.weights = weights;
        this.parameterCount = potential.parameterCount();
        this.radialCount = potential.radialCoefficients().length;
        this.linearCount = potential.speciesCount() + potential.basis().scalarCount();
        this.blockStart = ConfigurationBlocks.partition(set, 256);
        int blocks = blockStart.length - 1;
        this.blockGrad = new double[blocks][];
        this.blockLoss = new double[blocks];
        this.blockStats = new Stats[blocks];
        this.pool = new BlockPool(threads, "mtpjava-train");
        this.workers = new Worker[pool.threads()];
        for (int t = 0; t < workers.length; t++) workers[t] = new Worker(potential);
    }

    public Potential potential() { return potential; }
    public TrainingSet trainingSet() { return set; }
    public LossWeights weights() { return weights; }
    public int threads() { return pool.threads(); }
    /** Number of loss evaluations so far. */
    public long evaluations() { return evaluations; }

    /** The linear regularisation reg_i (MLIP's reg_vector, length S + Ns), or null for none. */
    public void setRegularisation(double[] reg) {
        if (reg != null && reg.length != linearCount) throw new IllegalArgumentException("regularisation length");
        regularisation = reg == null ? null : reg.clone();
    }

    public double[] regularisation() { return regularisation == null ? null : regularisation.clone(); }

    /** Error statistics of the last evaluation (at the coefficients it used). */
    public Stats lastStatistics() { return lastStats; }

    /**
     * The loss at the potential's current coefficients; if {@code grad} is not null it is overwritten with the
     * gradient (length = parameter count).
     */
    public double evaluate(double[] grad) {
        boolean withGrad = grad != null;
        if (withGrad && grad.length != parameterCount) throw new IllegalArgumentException("gradient length " + grad.length + " != " + parameterCount);
        int blocks = blockStart.length - 1;
        int k = set.size();
        pool.run(blocks, (t, b) -> {
            Worker w = workers[t];
            double[] g = null;
            if (withGrad) {
                if (blockGrad[b] == null) blockGrad[b] = new double[parameterCount];
                g = blockGrad[b];
                Arrays.fill(g, 0.0);
            }
            Stats st = new Stats();
            double loss = 0;
            for (int c = blockStart[b]; c < blockStart[b + 1]; c++) loss += w.configuration(c, k, g, st);
            blockLoss[b] = loss;
            blockStats[b] = st;
        });
        double loss = 0;
        Stats total = new Stats();
        if (withGrad) Arrays.fill(grad, 0.0);
        for (int b = 0; b < blocks; b++) {
            loss += blockLoss[b];
            total.add(blockStats[b]);
            if (withGrad) {
                double[] g = blockGrad[b];
                for (int i = 0; i < parameterCount; i++) grad[i] += g[i];
            }
        }
        // MLIP adds the penalty once per non-empty configuration, then divides everything by K
        double factor = k == 0 ? 0 : (double) set.nonEmpty() / k;
        loss += factor * penalty(grad, factor);
        total.loss = loss;
        lastStats = total;
        evaluations++;
        return loss;
    }

    /** The penalty P (orthonormality of radial functions + linear regularisation); adds factor * dP to grad. */
    double penalty(double[] grad, double factor) {
        double[] c = potential.radialCoefficients();
        int kf = potential.radialFunctionsCount();
        int s2 = potential.speciesCount() * potential.speciesCount();
        int nb = potential.radialBasisSize() * potential.magneticSize() * potential.magneticSize();
        double w = weights.penaltyWeight();
        double p = 0;
        if (w != 0) {
            double[] norm2 = new double[kf];
            for (int mu = 0; mu < kf; mu++) {
                double s = 0;
                for (int pair = 0; pair < s2; pair++) {
                    int base = (pair * kf + mu) * nb;
                    for (int b = 0; b < nb; b++) s += c[base + b] * c[base + b];
                }
                norm2[mu] = s;
                p += w * (s - 1) * (s - 1);
                if (grad != null) {
                    double f = factor * w * 4 * (s - 1);
                    for (int pair = 0; pair < s2; pair++) {
                        int base = (pair * kf + mu) * nb;
                        for (int b = 0; b < nb; b++) grad[base + b] += f * c[base + b];
                    }
                }
            }
            for (int m1 = 0; m1 < kf; m1++) {
                for (int m2 = m1 + 1; m2 < kf; m2++) {
                    double s = 0;
                    for (int pair = 0; pair < s2; pair++) {
                        int b1 = (pair * kf + m1) * nb, b2 = (pair * kf + m2) * nb;
                        for (int b = 0; b < nb; b++) s += c[b1 + b] * c[b2 + b];
                    }
                    p += w * s * s;
                    if (grad != null) {
                        double f = factor * w * 2 * s;
                        for (int pair = 0; pair < s2; pair++) {
                            int b1 = (pair * kf + m1) * nb, b2 = (pair * kf + m2) * nb;
                            for (int b = 0; b < nb; b++) {
                                double v1 = c[b1 + b], v2 = c[b2 + b];
                                grad[b1 + b] += f * v2;
                                grad[b2 + b] += f * v1;
                            }
                        }
                    }
                }
            }
        }
        if (regularisation != null) {
            double[] sp = potential.speciesCoefficients(), xi = potential.momentCoefficients();
            int s = sp.length;
            for (int i = 0; i < linearCount; i++) {
                double v = i < s ? sp[i] : xi[i - s];
                p += v * v * regularisation[i];
                if (grad != null) grad[radialCount + i] += factor * 2 * v * regularisation[i];
            }
        }
        return p;
    }

    @Override public void close() { pool.close(); }

    // ------------------------------------------------------------------------------------------------

    /** Sums of squared errors for progress lines (energy per atom, force components, stress components in GPa). */
    public static final class Stats {
        double loss;
        double energyLoss, forceLoss, stressLoss, magneticLoss;
        double e2, f2, s2, m2;
        long ne, nf, ns, nm;

        void add(Stats o) {
            magneticLoss += o.magneticLoss;
            m2 += o.m2;
            nm += o.nm;
            energyLoss += o.energyLoss;
            forceLoss += o.forceLoss;
            stressLoss += o.stressLoss;
            e2 += o.e2;
            f2 += o.f2;
            s2 += o.s2;
            ne += o.ne;
            nf += o.nf;
            ns += o.ns;
        }

        public double loss() { return loss; }
        /** RMSE of the energy per atom, eV/atom (NaN if no energies). */
        public double energyRmse() { return ne == 0 ? Double.NaN : Math.sqrt(e2 / ne); }
        /** RMSE over force components, eV/Å (NaN if no forces). */
        public double forceRmse() { return nf == 0 ? Double.NaN : Math.sqrt(f2 / nf); }
        /** RMSE over the six stress components, GPa (NaN if no stresses of periodic cells). */
        public double stressRmse() { return ns == 0 ? Double.NaN : Math.sqrt(s2 / ns); }
        /** RMSE of the magnetic forces dE/dm (en_der_mx), eV/muB (NaN if the data have none or the potential is not magnetic). */
        public double magneticForceRmse() { return nm == 0 ? Double.NaN : Math.sqrt(m2 / nm); }
        /** Magnetic-force part of the loss (0 unless the magnetic-force weight is non-zero). */
        public double magneticPart() { return magneticLoss; }
        /** Energy, force and stress parts of the loss (sums over configurations divided by K). */
        public double energyPart() { return energyLoss; }
        public double forcePart() { return forceLoss; }
        public double stressPart() { return stressLoss; }
    }

    /** Per-thread evaluators and buffers. */
    private final class Worker {
        final SiteEvaluator ev;
        final SiteTangentEvaluator tev;
        double[] rij = new double[192], g = new double[192], sj = new double[64];
        int[] sp = new int[64];
        double[] pairGrad = new double[0], u = new double[0], forces = new double[0], c = new double[0];
        // magnetic forces: per-site dV/ds (central, then neighbours), per-atom dE/ds and residual weights, per-pair tangents
        double[] ds = new double[65], dEds = new double[0], cm = new double[0], pcm = new double[0];
        final double[] w = new double[9], dw = new double[9];

        Worker(Potential p) {
            ev = new SiteEvaluator(p);
            tev = new SiteTangentEvaluator(p);
        }

        void ensureNeighbours(int n) {
            if (ds.length < n + 1) ds = new double[Math.max(n + 1, 2 * ds.length)];
            if (sp.length >= n) return;
            int cap = Math.max(n, 2 * sp.length);
            rij = new double[3 * cap];
            g = new double[3 * cap];
            sj = new double[cap];
            sp = new int[cap];
        }

        void ensureConfiguration(int atoms, int pairs) {
            if (pairGrad.length < 3 * pairs) {
                pairGrad = new double[Math.max(3 * pairs, 2 * pairGrad.length)];
                u = new double[pairGrad.length];
            }
            if (forces.length < 3 * atoms) {
                forces = new double[Math.max(3 * atoms, 2 * forces.length)];
                c = new double[forces.length];
            }
        }

        /** Loss contribution (already divided by K) of configuration k; adds its gradient to grad if not null. */
        double configuration(int k, int kTotal, double[] grad, Stats st) {
            Configuration cfg = set.configuration(k);
            int n = cfg.size();
            if (n == 0) return 0;
            NeighbourList nl = set.neighbours(k);
            int[] asp = set.atomSpecies(k), psp = set.pairSpecies(k);
            double[] mom = set.moments(k), pmom = set.pairMoments(k);
            double[] v = nl.vectors();
            int pairs = nl.pairs();
            ensureConfiguration(n, pairs);
            // magnetic forces dE/ds are computed when the data have them (for the loss term or the statistics)
            boolean magRef = pmom != null && cfg.magneticForces() != null;
            if (magRef) {
                if (dEds.length < n) {
                    dEds = new double[Math.max(n, 2 * dEds.length)];
                    cm = new double[dEds.length];
                }
                Arrays.fill(dEds, 0, n, 0.0);
            }
            // pass 1: site energies and dV_i/dr_ij
            double energy = 0;
            for (int i = 0; i < n; i++) {
                int off = nl.offset(i), cnt = nl.count(i);
                ensureNeighbours(cnt);
                System.arraycopy(v, 3 * off, rij, 0, 3 * cnt);
                System.arraycopy(psp, off, sp, 0, cnt);
                double[] sjArg = null;
                double si = 0;
                if (pmom != null) {
                    System.arraycopy(pmom, off, sj, 0, cnt);
                    sjArg = sj;
                    si = mom[i];
                }
                energy += ev.siteEnergy(asp[i], si, cnt, rij, sp, sjArg, g, magRef ? ds : null);
                System.arraycopy(g, 0, pairGrad, 3 * off, 3 * cnt);
                if (magRef) {
                    dEds[i] += ds[0];
                    for (int e = 0; e < cnt; e++) dEds[nl.neighbour(off + e)] += ds[1 + e];
                }
            }
            Arrays.fill(forces, 0, 3 * n, 0.0);
            Arrays.fill(w, 0.0);
            EfsCalculator.scatterPairGradients(nl, pairGrad, forces, w);
            // residuals and loss
            double invK = 1.0 / kTotal;
            double loss = 0;
            double a = 0;
            if (weights.energyWeight() != 0 && cfg.hasEnergy()) {
                double we = weights.energy(n);
                double de = energy - cfg.energy();
                double le = we * de * de * invK;
                loss += le;
                st.energyLoss += le;
                a = 2 * we * de * invK;
                st.e2 += (de / n) * (de / n);
                st.ne++;
            } else if (cfg.hasEnergy()) {
                double de = (energy - cfg.energy()) / n;
                st.e2 += de * de;
                st.ne++;
            }
            boolean forceTerm = weights.forceWeight() != 0 && cfg.hasForces();
            if (cfg.hasForces()) {
                double[] fr = cfg.forces();
                double wf = weights.force(n), lf = 0;
                for (int i = 0; i < n; i++) {
                    double fx = fr[3 * i], fy = fr[3 * i + 1], fz = fr[3 * i + 2];
                    double wi = forceTerm ? wf * weights.forceFactor(fx * fx + fy * fy + fz * fz) : 0;
                    for (int b = 0; b < 3; b++) {
                        double df = forces[3 * i + b] - fr[3 * i + b];
                        lf += wi * df * df;
                        st.f2 += df * df;
                        c[3 * i + b] = 2 * wi * df * invK;
                    }
                }
                st.nf += 3L * n;
                lf *= invK;
                loss += lf;
                st.forceLoss += lf;
            }
            if (!forceTerm) Arrays.fill(c, 0, 3 * n, 0.0);
            boolean stressTerm = weights.stressWeight() != 0 && cfg.hasStress();
            Arrays.fill(dw, 0.0);
            if (cfg.hasStress()) {
                double[] s = cfg.stress(); // xx yy zz yz xz xy
                double[] ref = {s[0], s[5], s[4], s[5], s[1], s[3], s[4], s[3], s[2]};
                double ws = weights.stress(n), ls = 0;
                for (int q = 0; q < 9; q++) {
                    double d = w[q] - ref[q];
                    ls += d * d;
                    if (stressTerm) dw[q] = 2 * ws * d * invK;
                }
                if (stressTerm) {
                    ls *= ws * invK;
                    loss += ls;
                    st.stressLoss += ls;
                }
                double vol = cfg.volume();
                if (vol > 0) {
                    double toGpa = ErrorStatistics.EV_PER_A3_TO_GPA / vol;
                    int[] six = {0, 4, 8, 5, 2, 1};
                    for (int q = 0; q < 6; q++) {
                        double d = (w[six[q]] - ref[six[q]]) * toGpa;
                        st.s2 += d * d;
                    }
                    st.ns += 6;
                }
            }
            boolean magTerm = magRef && weights.magneticForceWeight() != 0;
            if (magRef) {
                double[] mr = cfg.magneticForces(); // en_der_m*, flat; collinear: x
                double wm = weights.magneticForce(n), lm = 0;
                for (int i = 0; i < n; i++) {
                    double d = dEds[i] - mr[3 * i];
                    st.m2 += d * d;
                    lm += d * d;
                    cm[i] = magTerm ? 2 * wm * d * invK : 0.0;
                }
                st.nm += n;
                if (magTerm) {
                    lm *= wm * invK;
                    loss += lm;
                    st.magneticLoss += lm;
                }
            }
            if (grad == null) return loss;
            double[] pairTangent = null;
            if (magTerm) {
                if (pcm.length < pairs) pcm = new double[Math.max(pairs, 2 * pcm.length)];
                for (int e = 0; e < pairs; e++) pcm[e] = cm[nl.neighbour(e)];
                pairTangent = pcm;
            }
            // pass 2: u_ij = c_i - c_j - dW r_ij, one tangent pass per atom
            boolean anyU = forceTerm || stressTerm;
            if (anyU) {
                for (int i = 0; i < n; i++) {
                    int off = nl.offset(i), end = off + nl.count(i);
                    double cx = c[3 * i], cy = c[3 * i + 1], cz = c[3 * i + 2];
                    for (int e = off; e < end; e++) {
                        int j = nl.neighbour(e);
                        double rx = v[3 * e], ry = v[3 * e + 1], rz = v[3 * e + 2];
                        u[3 * e] = cx - c[3 * j] - (dw[0] * rx + dw[1] * ry + dw[2] * rz);
                        u[3 * e + 1] = cy - c[3 * j + 1] - (dw[3] * rx + dw[4] * ry + dw[5] * rz);
                        u[3 * e + 2] = cz - c[3 * j + 2] - (dw[6] * rx + dw[7] * ry + dw[8] * rz);
                    }
                }
            }
            if (a == 0 && !anyU && !magTerm) return loss;
            for (int i = 0; i < n; i++) {
                double si = mom == null ? 0 : mom[i];
                tev.accumulate(asp[i], si, nl.count(i), v, 3 * nl.offset(i), psp, pmom, anyU ? u : null,
                        magTerm ? cm[i] : 0.0, pairTangent, a, grad);
            }
            return loss;
        }
    }
}
