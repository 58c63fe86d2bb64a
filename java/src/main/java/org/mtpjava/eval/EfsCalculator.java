package org.mtpjava.eval;

import org.mtpjava.parallel.BlockPool;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;


/**
 * Energy, forces, virial stress (MLIP PlusStress), site energies and magnetic forces of whole configurations,
 * parallel over atoms. Per-atom work (site energy and dV_i/dr_ij of every pair) runs on worker threads, each
 * with its own {@link SiteEvaluator}; the scatter into forces and the sums run afterwards in atom order, so the
 * result is bit-for-bit the same for any thread count.
 */
public final class EfsCalculator implements AutoCloseable {
    /** How a magnetic potential treats a configuration that has no magnetic moments. */
    public enum MissingMoments {
        /** Refuse with an error (default). */
        ERROR,
        /** MLIP-3's behaviour: every magnetic basis function is 1, i.e. the coefficients are summed. */
        MLIP_SUM
    }

    private final Potential potential;
    private final BlockPool pool;
    private final SiteEvaluator[] evaluators;
    private final SpeciesMap species;
    private final Buffers[] buffers;
    private MissingMoments missingMoments = MissingMoments.ERROR;
    private NeighbourList lastList;

    public EfsCalculator(Potential potential, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
        this.potential = potential;
        this.pool = new BlockPool(threads, "mtpjava-efs");
        this.evaluators = new SiteEvaluator[threads];
        this.buffers = new Buffers[threads];
        for (int t = 0; t < threads; t++) {
            evaluators[t] = new SiteEvaluator(potential);
            buffers[t] = new Buffers();
        }
        this.species = new SpeciesMap(potential);
    }

    public void setMissingMoments(MissingMoments m) { missingMoments = m; }
    public Potential potential() { return potential; }
    /** Neighbour list of the last computed configuration (for reporting neighbours per atom). */
    public NeighbourList lastNeighbourList() { return lastList; }

    /** Result of one evaluation; arrays are owned by the caller. */
    public record Result(double energy, double[] forces, double[] stress, double[] siteEnergies,
                         double[] magneticForces) {}

    /** Computes and stores energy, forces, PlusStress (if periodic in 3D), site energies into the configuration. */
    public void computeInto(Configuration cfg) {
        Result r = compute(cfg);
        cfg.setEnergy(r.energy());
        cfg.setForces(r.forces());
        cfg.setStress(r.stress());
        cfg.setSiteEnergies(r.siteEnergies());
        if (r.magneticForces() != null) cfg.setMagneticForces(r.magneticForces());
    }

    /** Computes with a fresh neighbour list. */
    public Result compute(Configuration cfg) {
        NeighbourList nl = NeighbourList.build(cfg, potential.cutoff());
        lastList = nl;
        return compute(cfg, nl);
    }

    /** Computes with a given neighbour list (built for this configuration and the potential's cutoff). */
    public Result compute(Configuration cfg, NeighbourList nl) {
        int n = cfg.size();
        int[] sp = species.speciesOf(cfg);
        double[] moments = magneticMoments(cfg);
        double[] site = new double[n];
        double[] grad = new double[3 * nl.pairs()];
        double[] dEds = moments != null ? new double[nl.pairs() + n] : null; // per atom: central then per pair
        runParallel(n, (ev, i, buffers) -> {
            int off = nl.offset(i), cnt = nl.count(i);
            buffers.ensure(cnt);
            double[] v = nl.vectors();
            System.arraycopy(v, 3 * off, buffers.rij, 0, 3 * cnt);
            for (int e = 0; e < cnt; e++) buffers.species[e] = sp[nl.neighbour(off + e)];
            if (moments != null) {
                for (int e = 0; e < cnt; e++) buffers.moments[e] = moments[nl.neighbour(off + e)];
                site[i] = ev.siteEnergy(sp[i], moments[i], cnt, buffers.rij, buffers.species, buffers.moments, buffers.grad, buffers.dEds);
                dEds[off + i] = buffers.dEds[0];
                System.arraycopy(buffers.dEds, 1, dEds, off + i + 1, cnt);
            } else {
                site[i] = ev.siteEnergy(sp[i], 0, cnt, buffers.rij, buffers.species, null, buffers.grad, null);
            }
            System.arraycopy(buffers.grad, 0, grad, 3 * off, 3 * cnt);
        });
        // deterministic reduction in atom order
        double energy = 0;
        for (int i = 0; i < n; i++) energy += site[i];
        double[] forces = new double[3 * n];
        double[] w = new double[9];
        scatterPairGradients(nl, grad, forces, w);
        double[] stress = null;
        if (cfg.isPeriodic(0) && cfg.isPeriodic(1) && cfg.isPeriodic(2)) {
            stress = new double[]{w[0], w[4], w[8], w[5], w[2], w[1]};
        }
        double[] magneticForces = null;
        if (moments != null) {
            magneticForces = new double[3 * n];
            for (int i = 0; i < n; i++) {
                int off = nl.offset(i), cnt = nl.count(i);
                magneticForces[3 * i] += dEds[off + i];
                for (int e = 0; e < cnt; e++) magneticForces[3 * nl.neighbour(off + e)] += dEds[off + i + 1 + e];
            }
        }
        return new Result(energy, forces, stress, site, magneticForces);
    }

    /** Energy only (still computes per-site gradients; cheap enough and keeps one code path). */
    public double energy(Configuration cfg) { return compute(cfg).energy(); }

    private double[] magneticMoments(Configuration cfg) {
        if (!potential.isMagnetic()) return null;
        if (cfg.hasMagneticMoments()) {
            double[] m = cfg.magneticMoments();
            double[] s = new double[cfg.size()];
            for (int i = 0; i < s.length; i++) s[i] = m[3 * i]; // collinear: the x component (MLIP-3)
            return s;
        }
        if (missingMoments == MissingMoments.MLIP_SUM) return null;
        throw new IllegalArgumentException("the potential is magnetic but the configuration has no magnetic moments "
                + "(AtomData columns magmom_x magmom_y magmom_z); add them, or ask for MLIP-3's behaviour "
                + "(magnetic basis taken as 1) explicitly");
    }

    /** Work done for one atom by a worker. */
    @FunctionalInterface
    interface AtomTask {
        void run(SiteEvaluator ev, int atom, Buffers buffers);
    }

    /** Per-worker neighbour buffers, grown on demand. */
    static final class Buffers {
        double[] rij = new double[3 * 64], grad = new double[3 * 64], moments = new double[64], dEds = new double[65];
        int[] species = new int[64];

        void ensure(int n) {
            if (species.length >= n) return;
            int cap = Math.max(n, species.length * 2);
            rij = new double[3 * cap];
            grad = new double[3 * cap];
            moments = new double[cap];
            dEds = new double[cap + 1];
            species = new int[cap];
        }
    }


    /**
     * Forces and virial from the pair gradients g_e = dV_i/dr_ij of every neighbour entry e = (i, j) of
     * {@code nl}: F_i += g, F_j -= g, W_ab -= g_a r_b. Adds to {@code forces} [3n] and {@code virial} [9] in
     * entry order (deterministic).
     */
    public static void scatterPairGradients(NeighbourList nl, double[] pairGrad, double[] forces, double[] virial) {
        double[] v = nl.vectors();
        double[] w = virial;
        for (int i = 0, n = nl.atoms(); i < n; i++) {
            int off = nl.offset(i), end = off + nl.count(i);
            for (int e = off; e < end; e++) {
                int j = nl.neighbour(e);
                double gx = pairGrad[3 * e], gy = pairGrad[3 * e + 1], gz = pairGrad[3 * e + 2];
                forces[3 * i] += gx;
                forces[3 * i + 1] += gy;
                forces[3 * i + 2] += gz;
                forces[3 * j] -= gx;
                forces[3 * j + 1] -= gy;
                forces[3 * j + 2] -= gz;
                double rx = v[3 * e], ry = v[3 * e + 1], rz = v[3 * e + 2];
                w[0] -= gx * rx; w[1] -= gx * ry; w[2] -= gx * rz;
                w[3] -= gy * rx; w[4] -= gy * ry; w[5] -= gy * rz;
                w[6] -= gz * rx; w[7] -= gz * ry; w[8] -= gz * rz;
            }
        }
    }

    private void runParallel(int n, AtomTask task) {
        // blocks of atoms, small enough to balance the threads, large enough to amortise the hand-out
        int chunk = n < 64 ? Math.max(n, 1) : Math.max(16, n / (pool.threads() * 8));
        int blocks = (n + chunk - 1) / chunk;
        pool.run(blocks, (t, blk) -> {
            SiteEvaluator ev = evaluators[t];
            Buffers b = buffers[t];
            for (int i = blk * chunk, end = Math.min(n, i + chunk); i < end; i++) task.run(ev, i, b);
        });
    }

    @Override public void close() { pool.close(); }
}
