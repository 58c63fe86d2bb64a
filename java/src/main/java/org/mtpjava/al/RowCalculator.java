package org.mtpjava.al;

import org.mtpjava.parallel.BlockPool;
import org.mtpjava.eval.SiteEvaluator;
import org.mtpjava.eval.SpeciesMap;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Active-learning rows and grades of whole configurations, parallel over atoms (the {@code EfsCalculator}
 * pattern): each worker thread has its own {@link SiteEvaluator}/{@link NeighbourhoodGrader} and buffers; atoms
 * are processed in fixed chunks of {@value #CHUNK}, and sums over atoms are formed per chunk and then added in
 * chunk order, so every result is bit-for-bit independent of the thread count (and for up to {@value #CHUNK}
 * atoms identical to a plain sum in atom order, as MLIP forms it).
 */
public final class RowCalculator implements AutoCloseable {
    static final int CHUNK = 64;

    private final Potential potential;
    private final int parameters;
    private final BlockPool pool;
    private final SpeciesMap speciesMap;
    private final Worker[] workers;
    private final ActiveSet activeSet; // may be null when only rows are needed

    /** Row computation only (no grades). */
    public RowCalculator(Potential potential, int threads) {
        this(potential, null, threads);
    }

    /** Rows and grades against {@code activeSet} (which must not change while a call runs). */
    public RowCalculator(Potential potential, ActiveSet activeSet, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
        this.potential = potential;
        this.parameters = potential.parameterCount();
        this.activeSet = activeSet;
        this.pool = new BlockPool(threads, "mtpjava-al");
        this.speciesMap = new SpeciesMap(potential);
        this.workers = new Worker[threads];
        for (int t = 0; t < threads; t++) workers[t] = new Worker();
    }

    public Potential potential() { return potential; }

    /** Rows of one configuration in the order MLIP builds them: energy, force, stress, then site rows ({@link SelectionWeights}). */
    public record Rows(double[] values, int[] equations, int count) {}

    /** Grades of one configuration: the configuration's grade and, in neighbourhood mode, one per atom. */
    public record Grades(double grade, double[] neighbourhoodGrades) {}

    /** The rows of a configuration for the given weights (an empty configuration has none). */
    public Rows rows(Configuration cfg, SelectionWeights w) {
        int natoms = centralAtoms(cfg);
        int count = w.rowsPerConfiguration(natoms);
        double[] values = new double[count * parameters];
        int[] eqns = new int[count];
        if (count == 0) return new Rows(values, eqns, 0);
        NeighbourList nl = neighbours(cfg);
        Inputs in = inputs(cfg);
        int r = 0;
        if (w.hasEnergyRow()) {
            double[] g = energyGradient(cfg, nl, in);
            double f = w.energyRowFactor(natoms);
            for (int k = 0; k < parameters; k++) values[k] = g[k] * f;
            eqns[r++] = 0;
        }
        if (w.hasForceRows()) {
            int base = r;
            int[][] sites = ForceStressRows.sitesContaining(nl, natoms);
            forEachChunk(natoms, (wk, start, end, chunk) -> {
                for (int k = start; k < end; k++) wk.forceRows(nl, in, sites[k], k, w.forceWeight(), values, (base + 3 * k) * parameters);
            });
            for (int k = 0; k < natoms; k++) for (int a = 0; a < 3; a++) eqns[r++] = SelectionWeights.forceEquation(k, a);
        }
        if (w.hasStressRows()) {
            double[] s = virialRows(nl, in, natoms, w.stressRowFactor(natoms));
            System.arraycopy(s, 0, values, r * parameters, s.length);
            for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) eqns[r++] = SelectionWeights.stressEquation(natoms, a, b);
        }
        if (w.hasSiteRows()) {
            int base = r;
            forEachChunk(natoms, (wk, start, end, chunk) -> {
                for (int i = start; i < end; i++) {
                    wk.siteRow(nl, in, i);
                    System.arraycopy(wk.row, 0, values, (base + i) * parameters, parameters);
                }
            });
            for (int i = 0; i < natoms; i++) eqns[r++] = SelectionWeights.siteEquation(natoms, i);
        }
        checkFinite(values, cfg);
        return new Rows(values, eqns, count);
    }

    /** dE/dtheta = sum_i dV_i/dtheta of a configuration (deterministic chunked sum). */
    public double[] energyGradient(Configuration cfg) {
        if (centralAtoms(cfg) == 0) return new double[parameters];
        return energyGradient(cfg, neighbours(cfg), inputs(cfg));
    }

    /**
     * Number of atoms that have rows: all of them, or, for a configuration with ghost atoms (AtomData column
     * {@code ghost}, e.g. written by LAMMPS), the real ones, which must come first (MLIP-3's convention). Ghost
     * atoms are neighbours only.
     */
    public static int centralAtoms(Configuration cfg) {
        boolean[] g = cfg.ghost();
        if (g == null) return cfg.size();
        int real = 0;
        while (real < g.length && !g[real]) real++;
        for (int i = real; i < g.length; i++) {
            if (!g[i]) {
                throw new IllegalArgumentException("atom " + (i + 1) + " is a real atom after ghost atom " + (real + 1)
                        + "; ghost atoms must come after all real atoms");
            }
        }
        return real;
    }

    /** The neighbour list; with ghost atoms no periodic images are added (MLIP-3: the ghosts are the images). */
    private NeighbourList neighbours(Configuration cfg) {
        if (cfg.ghost() != null && centralAtoms(cfg) < cfg.size()) {
            Configuration c = cfg.copy();
            c.setLattice(new double[9]);
            return NeighbourList.build(c, potential.cutoff());
        }
        return NeighbourList.build(cfg, potential.cutoff());
    }

    private double[] energyGradient(Configuration cfg, NeighbourList nl, Inputs in) {
        int natoms = centralAtoms(cfg);
        int chunks = (natoms + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks * parameters];
        forEachChunk(natoms, (wk, start, end, chunk) -> {
            int off = chunk * parameters;
            for (int i = start; i < end; i++) {
                wk.siteRow(nl, in, i);
                for (int k = 0; k < parameters; k++) partial[off + k] += wk.row[k];
            }
        });
        double[] sum = Arrays.copyOf(partial, parameters);
        for (int c = 1; c < chunks; c++) {
            int off = c * parameters;
            for (int k = 0; k < parameters; k++) sum[k] += partial[off + k];
        }
        return sum;
    }

    /**
     * dW_ab/dtheta (nine rows, ab row-major) times {@code factor}: tangent passes of every site, summed per chunk
     * and then in chunk order (deterministic).
     */
    private double[] virialRows(NeighbourList nl, Inputs in, int natoms, double factor) {
        int len = 9 * parameters;
        int chunks = (natoms + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks * len];
        forEachChunk(natoms, (wk, start, end, chunk) -> {
            for (int i = start; i < end; i++) wk.virialRows(nl, in, i, partial, chunk * len);
        });
        double[] sum = Arrays.copyOf(partial, len);
        for (int c = 1; c < chunks; c++) {
            int off = c * len;
            for (int k = 0; k < len; k++) sum[k] += partial[off + k];
        }
        for (int k = 0; k < len; k++) sum[k] *= factor;
        return sum;
    }

    /**
     * Grades of a configuration against the active set: the largest grade of its rows (energy, force, stress and
     * site rows, as the weights ask); in neighbourhood mode also every atom's site-row grade (MLIP
     * {@code CfgSampling::Grade}, which writes the site rows' grades to {@code nbh_grades}). An empty configuration
     * has grade 0.
     */
    public Grades grades(Configuration cfg) {
        if (activeSet == null) throw new IllegalStateException("no active set given");
        SelectionWeights w = activeSet.weights();
        int natoms = centralAtoms(cfg);
        if (natoms == 0) return new Grades(0, w.neighbourhoodMode() ? new double[cfg.size()] : null);
        NeighbourList nl = neighbours(cfg);
        Inputs in = inputs(cfg);
        double grade = 0;
        double[] nbh = null;
        if (w.hasEnergyRow()) {
            double[] g = energyGradient(cfg, nl, in);
            grade = workers[0].grader().configurationGrade(g, natoms, workers[0].row);
            checkGrade(grade, cfg);
        }
        if (w.hasForceRows()) {
            int[][] sites = ForceStressRows.sitesContaining(nl, natoms);
            double[] atomGrades = new double[natoms];
            forEachChunk(natoms, (wk, start, end, chunk) -> {
                for (int k = start; k < end; k++) {
                    wk.forceRows(nl, in, sites[k], k, w.forceWeight(), wk.forceBuffer, 0);
                    double g = 0;
                    for (int a = 0; a < 3; a++) {
                        System.arraycopy(wk.forceBuffer, a * parameters, wk.row, 0, parameters);
                        g = Math.max(g, wk.grader().rowGrade(wk.row));
                    }
                    atomGrades[k] = g;
                }
            });
            for (double v : atomGrades) {
                checkGrade(v, cfg);
                grade = Math.max(grade, v);
            }
        }
        if (w.hasStressRows()) {
            double[] s = virialRows(nl, in, natoms, w.stressRowFactor(natoms));
            double[] row = workers[0].row;
            for (int q = 0; q < 9; q++) {
                System.arraycopy(s, q * parameters, row, 0, parameters);
                double v = workers[0].grader().rowGrade(row);
                checkGrade(v, cfg);
                grade = Math.max(grade, v);
            }
        }
        if (w.hasSiteRows()) {
            double[] out = new double[cfg.size()]; // ghost atoms keep 0
            forEachChunk(natoms, (wk, start, end, chunk) -> {
                NeighbourhoodGrader gr = wk.grader();
                for (int i = start; i < end; i++) {
                    wk.siteRow(nl, in, i);
                    out[i] = gr.siteRowGrade(in.species[i], wk.row);
                }
            });
            for (double v : out) {
                checkGrade(v, cfg);
                grade = Math.max(grade, v);
            }
            nbh = out;
        }
        return new Grades(grade, nbh);
    }

    /** Energies, forces and per-atom grades in one pass (how the bridge can do it; used by the benchmark). */
    public record EfsGrades(double energy, double[] forces, double[] neighbourhoodGrades) {}

    /**
     * Energy, forces and neighbourhood grades with one forward/backward pass per atom: each atom's site energy and
     * dV/dr come from {@link SiteEvaluator#siteEnergy}, its row from {@link SiteEvaluator#lastParameterGradient}.
     */
    public EfsGrades efsWithGrades(Configuration cfg, NeighbourList nl, boolean withGrades) {
        if (withGrades && activeSet == null) throw new IllegalStateException("no active set given");
        int natoms = cfg.size();
        Inputs in = inputs(cfg);
        double[] site = new double[natoms];
        double[] grad = new double[3 * nl.pairs()];
        double[] grades = withGrades ? new double[natoms] : null;
        forEachChunk(natoms, (wk, start, end, chunk) -> {
            for (int i = start; i < end; i++) {
                int off = nl.offset(i), cnt = nl.count(i);
                wk.load(nl, in, i);
                SiteEvaluator ev = withGrades ? wk.grader().evaluator() : wk.plainEvaluator();
                double s = in.moments == null ? 0 : in.moments[i];
                site[i] = ev.siteEnergy(in.species[i], s, cnt, wk.rij, wk.species, in.moments == null ? null : wk.moments, wk.grad, null);
                System.arraycopy(wk.grad, 0, grad, 3 * off, 3 * cnt);
                if (withGrades) {
                    wk.grader().queueLastSite(ev, in.species[i], s, cnt, wk.species,
                            in.moments == null ? null : wk.moments, i, grades);
                }
            }
            if (withGrades) wk.grader().flush(grades);
        });
        double energy = 0;
        double[] forces = new double[3 * natoms];
        for (int i = 0; i < natoms; i++) {
            energy += site[i];
            int off = nl.offset(i), end = off + nl.count(i);
            for (int e = off; e < end; e++) {
                int j = nl.neighbour(e);
                for (int a = 0; a < 3; a++) {
                    forces[3 * i + a] += grad[3 * e + a];
                    forces[3 * j + a] -= grad[3 * e + a];
                }
            }
        }
        return new EfsGrades(energy, forces, grades);
    }

    /**
     * Energy, forces and the configuration-mode grade in one pass: each atom's dV_i/dtheta comes from the
     * evaluator state of its energy/forces evaluation ({@link SiteEvaluator#lastParameterGradient}) and is summed
     * (chunked, deterministic); one row product at the end. Returns {energy, grade}; forces go to {@code forces}.
     */
    public double[] efsWithConfigurationGrade(Configuration cfg, NeighbourList nl, double[] forces) {
        if (activeSet == null) throw new IllegalStateException("no active set given");
        int natoms = cfg.size();
        Inputs in = inputs(cfg);
        double[] site = new double[natoms];
        double[] grad = new double[3 * nl.pairs()];
        int chunks = (natoms + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks * parameters];
        forEachChunk(natoms, (wk, start, end, chunk) -> {
            SiteEvaluator ev = wk.plainEvaluator();
            int po = chunk * parameters;
            for (int i = start; i < end; i++) {
                int off = nl.offset(i), cnt = nl.count(i);
                wk.load(nl, in, i);
                double s = in.moments == null ? 0 : in.moments[i];
                double[] sj = in.moments == null ? null : wk.moments;
                site[i] = ev.siteEnergy(in.species[i], s, cnt, wk.rij, wk.species, sj, wk.grad, null);
                System.arraycopy(wk.grad, 0, grad, 3 * off, 3 * cnt);
                ev.lastParameterGradient(in.species[i], s, cnt, wk.species, sj, wk.row);
                for (int k = 0; k < parameters; k++) partial[po + k] += wk.row[k];
            }
        });
        double[] sum = Arrays.copyOf(partial, parameters);
        for (int c = 1; c < chunks; c++) {
            int off = c * parameters;
            for (int k = 0; k < parameters; k++) sum[k] += partial[off + k];
        }
        double energy = 0;
        Arrays.fill(forces, 0, 3 * natoms, 0.0);
        for (int i = 0; i < natoms; i++) {
            energy += site[i];
            int off = nl.offset(i), end = off + nl.count(i);
            for (int e = off; e < end; e++) {
                int j = nl.neighbour(e);
                for (int a = 0; a < 3; a++) {
                    forces[3 * i + a] += grad[3 * e + a];
                    forces[3 * j + a] -= grad[3 * e + a];
                }
            }
        }
        double grade = workers[0].grader().configurationGrade(sum, natoms, workers[0].row);
        return new double[]{energy, grade};
    }

    // ------------------------------------------------------------------------------------------------

    /** Per-configuration inputs shared by the workers. */
    private record Inputs(int[] species, double[] moments) {}

    private Inputs inputs(Configuration cfg) {
        int[] sp;
        try {
            sp = speciesMap.speciesOf(cfg);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        double[] moments = null;
        if (potential.isMagnetic()) {
            if (!cfg.hasMagneticMoments()) {
                throw new IllegalArgumentException("the potential is magnetic but the configuration has no magnetic moments "
                        + "(AtomData columns magmom_x magmom_y magmom_z)");
            }
            double[] m = cfg.magneticMoments();
            moments = new double[cfg.size()];
            for (int i = 0; i < moments.length; i++) moments[i] = m[3 * i];
        }
        return new Inputs(sp, moments);
    }

    private static void checkFinite(double[] v, Configuration cfg) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("a row of this configuration is not finite (NaN or infinite positions or "
                        + "coefficients?)");
            }
        }
    }

    private static void checkGrade(double g, Configuration cfg) {
        if (!Double.isFinite(g)) {
            throw new IllegalArgumentException("the extrapolation grade is not finite (NaN or infinite positions, "
                    + "coefficients or active-set matrices?)");
        }
    }

    /** Work on atoms [start, end) of chunk {@code chunk}. */
    @FunctionalInterface
    private interface ChunkTask {
        void run(Worker w, int start, int end, int chunk);
    }

    private void forEachChunk(int count, ChunkTask task) {
        int chunks = (count + CHUNK - 1) / CHUNK;
        pool.run(chunks, (t, c) -> task.run(workers[t], c * CHUNK, Math.min(count, (c + 1) * CHUNK), c));
    }

    /** Per-thread state: evaluators and neighbour buffers, grown on demand. */
    private final class Worker {
        private SiteEvaluator plain;
        private NeighbourhoodGrader grader;
        private ForceStressRows derivatives;
        final double[] row = new double[parameters];
        final double[] forceBuffer = new double[3 * parameters];
        double[] rij = new double[3 * 64], grad = new double[3 * 64], moments = new double[64];
        int[] species = new int[64];

        SiteEvaluator plainEvaluator() {
            if (plain == null) plain = new SiteEvaluator(potential);
            return plain;
        }

        NeighbourhoodGrader grader() {
            if (grader == null) grader = new NeighbourhoodGrader(potential, activeSet);
            return grader;
        }

        SiteEvaluator rowEvaluator() {
            return activeSet != null ? grader().evaluator() : plainEvaluator();
        }

        void load(NeighbourList nl, Inputs in, int i) {
            int off = nl.offset(i), cnt = nl.count(i);
            if (species.length < cnt) {
                int cap = Math.max(cnt, species.length * 2);
                rij = new double[3 * cap];
                grad = new double[3 * cap];
                moments = new double[cap];
                species = new int[cap];
            }
            System.arraycopy(nl.vectors(), 3 * off, rij, 0, 3 * cnt);
            for (int e = 0; e < cnt; e++) species[e] = in.species[nl.neighbour(off + e)];
            if (in.moments != null) for (int e = 0; e < cnt; e++) moments[e] = in.moments[nl.neighbour(off + e)];
        }

        ForceStressRows derivatives() {
            if (derivatives == null) derivatives = new ForceStressRows(potential);
            return derivatives;
        }

        /** weight * dF_ka/dtheta, a = 0..2, into out[off ..] (three rows), from the sites {@code sites} containing k. */
        void forceRows(NeighbourList nl, Inputs in, int[] sites, int k, double weight, double[] out, int off) {
            int len = 3 * parameters;
            Arrays.fill(out, off, off + len, 0.0);
            for (int i : sites) {
                load(nl, in, i);
                double s = in.moments == null ? 0 : in.moments[i];
                derivatives().addForceRows(i, in.species[i], s, nl.count(i), rij, species, in.moments == null ? null : moments,
                        nl.neighbourArray(), nl.offset(i), k, out, off);
            }
            for (int q = off; q < off + len; q++) out[q] *= weight;
        }

        /** Adds site i's part of dW_ab/dtheta (nine rows) to out[off ..]. */
        void virialRows(NeighbourList nl, Inputs in, int i, double[] out, int off) {
            load(nl, in, i);
            double s = in.moments == null ? 0 : in.moments[i];
            derivatives().addVirialRows(in.species[i], s, nl.count(i), rij, species, in.moments == null ? null : moments, out, off);
        }

        /** dV_i/dtheta of atom i into {@link #row}. */
        void siteRow(NeighbourList nl, Inputs in, int i) {
            load(nl, in, i);
            double s = in.moments == null ? 0 : in.moments[i];
            rowEvaluator().siteEnergyParameterGradient(in.species[i], s, nl.count(i), rij, species,
                    in.moments == null ? null : moments, row);
        }
    }

    @Override public void close() { pool.close(); }
}
