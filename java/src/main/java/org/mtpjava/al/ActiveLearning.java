package org.mtpjava.al;

import org.mtpjava.model.ActiveSetData;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The active-learning operations of MLIP-3 as library calls (the CLI verbs are thin wrappers):
 * rebuilding the active set from a training set ({@code train --iteration_limit=0}), grading
 * ({@code calculate_grade}) and selecting new configurations ({@code select_add}).
 */
public final class ActiveLearning {
    private ActiveLearning() {}

    /** Streams configurations (a file read lazily, or a list); may be called more than once. */
    @FunctionalInterface
    public interface Source {
        void forEach(Consumer<Configuration> sink);

        static Source of(List<Configuration> list) { return list::forEach; }
    }

    // ------------------------------------------------------------------------------------------------
    // building the active set

    /**
     * A fresh MaxVol selection over a training set (what MLIP-3 {@code train} does after fitting, and what
     * {@code train --iteration_limit=0} is used for): initial state 1e-6 I, all configurations' rows in one batch,
     * swaps while a grade exceeds {@code threshold}.
     */
    public static ActiveSet rebuild(Potential p, Source training, SelectionWeights w, double threshold, int threads) {
        w.requireValid();
        ActiveSet as = ActiveSet.empty(p, w);
        try (RowCalculator rows = new RowCalculator(p, threads)) {
            int[] index = {0};
            training.forEach(cfg -> add(as, rows, cfg, false, index[0]++));
        }
        as.select(threshold, Integer.MAX_VALUE);
        return as;
    }

    /**
     * The trainer's entry point: rebuilds the potential's active set from its training set and stores it in the
     * potential ({@link Potential#setActiveSet}). Weights come from the potential's existing state (the input
     * file's {@code #MVS} block), or {@code defaultWeights} if it has none (MLIP's {@code --al_mode}).
     *
     * @return the new state, also set on the potential
     */
    public static ActiveSetData updateActiveSet(Potential p, List<Configuration> training, SelectionWeights defaultWeights, int threads) {
        SelectionWeights w = p.activeSet() != null ? SelectionWeights.of(p.activeSet()) : defaultWeights;
        ActiveSetData d = rebuild(p, Source.of(training), w, ActiveSet.DEFAULT_THRESHOLD, threads).toData();
        p.setActiveSet(d);
        return d;
    }

    /** Adds one configuration's rows to the batch of an active set. */
    static ActiveSet.Member add(ActiveSet as, RowCalculator rows, Configuration cfg, boolean isNew, int index) {
        ActiveSet.Member mem = ActiveSet.member(cfg, isNew, index);
        if (cfg.size() == 0) return mem;
        RowCalculator.Rows r;
        try {
            r = rows.rows(cfg, as.weights());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + (index + 1) + ": " + e.getMessage(), e);
        }
        as.addCandidate(mem, r.values(), r.equations(), r.count());
        return mem;
    }

    // ------------------------------------------------------------------------------------------------
    // grades

    /**
     * MLIP-3 {@code calculate_grade}: every configuration gets {@code Feature ID} (0-based input index) and
     * {@code Feature MV_grade}; in neighbourhood mode also per-atom {@code nbh_grades}. As in MLIP, a
     * configuration is passed to {@code sink} only if its grade is above 0 (an empty configuration is dropped).
     *
     * @return the number of configurations passed to the sink
     */
    public static int calculateGrades(Potential p, ActiveSet as, Source input, int threads, Consumer<Configuration> sink) {
        as.weights().requireValid();
        int[] counts = {0, 0};
        try (RowCalculator calc = new RowCalculator(p, as, threads)) {
            input.forEach(cfg -> {
                int id = counts[0]++;
                Configuration c = cfg.copy();
                c.features().put("ID", Integer.toString(id));
                RowCalculator.Grades g;
                try {
                    g = calc.grades(c);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("configuration " + (id + 1) + ": " + e.getMessage(), e);
                }
                c.features().put("MV_grade", formatGrade(g.grade()));
                if (g.neighbourhoodGrades() != null) c.setNeighbourhoodGrades(g.neighbourhoodGrades());
                if (g.grade() > 0) {
                    counts[1]++;
                    sink.accept(withoutGhosts(c));
                }
            });
        }
        return counts[1];
    }

    /** The real atoms of a configuration with ghost atoms (MLIP writes grades without the ghosts). */
    static Configuration withoutGhosts(Configuration c) {
        int real = RowCalculator.centralAtoms(c);
        if (c.ghost() == null) return c;
        if (real == c.size()) {
            c.setGhost(null);
            return c;
        }
        Configuration r = new Configuration(real);
        r.setLattice(c.lattice());
        System.arraycopy(c.types(), 0, r.types(), 0, real);
        System.arraycopy(c.positions(), 0, r.positions(), 0, 3 * real);
        if (c.hasForces()) r.setForces(java.util.Arrays.copyOf(c.forces(), 3 * real));
        if (c.hasEnergy()) r.setEnergy(c.energy());
        if (c.hasStress()) r.setStress(c.stress().clone());
        if (c.siteEnergies() != null) r.setSiteEnergies(java.util.Arrays.copyOf(c.siteEnergies(), real));
        if (c.charges() != null) r.setCharges(java.util.Arrays.copyOf(c.charges(), real));
        if (c.hasMagneticMoments()) r.setMagneticMoments(java.util.Arrays.copyOf(c.magneticMoments(), 3 * real));
        if (c.magneticForces() != null) r.setMagneticForces(java.util.Arrays.copyOf(c.magneticForces(), 3 * real));
        if (c.neighbourhoodGrades() != null) r.setNeighbourhoodGrades(java.util.Arrays.copyOf(c.neighbourhoodGrades(), real));
        r.features().putAll(c.features());
        return r;
    }

    /** C's {@code %f} (6 decimals, round-half-even on the exact binary value), as MLIP's {@code to_string}. */
    public static String formatGrade(double g) {
        if (!Double.isFinite(g)) return Double.toString(g);
        return new BigDecimal(g).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    }

    // ------------------------------------------------------------------------------------------------
    // select-add

    /** Options of select-add (MLIP-3 names in brackets). */
    public record SelectAddOptions(double threshold, int swapLimit, int batchSize, int threads) {
        /** MLIP-3's defaults: threshold 1.001, swap limit unlimited (0), batch size 9999. */
        public static SelectAddOptions defaults(int threads) {
            return new SelectAddOptions(ActiveSet.DEFAULT_THRESHOLD, 0, 9999, threads);
        }
    }

    /** Outcome of select-add. */
    public record SelectAddResult(List<Configuration> newlySelected, int selectedFromTraining, int candidates,
                                  int finalActiveSetConfigurations, ActiveSet activeSet) {}

    /**
     * MLIP-3 {@code select_add}: starting from {@code start} (the potential's stored state, or a fresh one),
     * (1) re-select from the training set with threshold 1.001, (2) add the candidates in batches and select with
     * the given threshold and swap limit, (3) select from the training set again (so training rows can take back
     * their place), and return the candidates that ended up in the active set, in candidate order, each with
     * {@code selected_eqn_inds}. {@code start} is modified.
     */
    public static SelectAddResult selectAdd(Potential p, ActiveSet start, Source training, Source candidates, SelectAddOptions o) {
        start.weights().requireValid();
        int swapLimit = o.swapLimit() > 0 ? o.swapLimit() : Integer.MAX_VALUE;
        int fromTraining;
        int[] count = {0};
        try (RowCalculator rows = new RowCalculator(p, o.threads())) {
            int[] idx = {0};
            training.forEach(cfg -> add(start, rows, cfg, false, idx[0]++));
            start.select(ActiveSet.DEFAULT_THRESHOLD, Integer.MAX_VALUE);
            fromTraining = start.selected().size();

            int[] added = {0};
            candidates.forEach(cfg -> {
                add(start, rows, cfg, true, count[0]++);
                added[0]++;
                if (o.batchSize() != 1 && o.batchSize() != 0 && added[0] >= o.batchSize()) {
                    start.select(o.threshold(), swapLimit);
                    added[0] = 0;
                } else if (o.batchSize() == 1) {
                    start.select(o.threshold(), swapLimit);
                    added[0] = 0;
                }
            });
            start.select(o.threshold(), swapLimit);

            int[] idx2 = {0};
            training.forEach(cfg -> add(start, rows, cfg, false, idx2[0]++));
            start.select(o.threshold(), Integer.MAX_VALUE);
        }
        List<Configuration> out = new ArrayList<>();
        for (ActiveSet.Member mem : start.selected()) {
            if (!mem.isNew() || mem.configuration().size() == 0) continue;
            Configuration c = mem.configuration().copy();
            c.features().remove("selected_eqn_inds");
            c.features().put("selected_eqn_inds", mem.equationList());
            out.add(c);
        }
        return new SelectAddResult(out, fromTraining, count[0], start.selected().size(), start);
    }
}
