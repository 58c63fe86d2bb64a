package org.mtpjava.al.loop;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.mtpjava.al.ActiveLearning;
import org.mtpjava.al.ActiveSet;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.eval.ErrorStatistics;
import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The active-learning loop (issue 6 item 5): MD with extrapolation control → extrapolative configurations →
 * select-add → labelling by an oracle → retraining → repeat, until a round's MD saves no configuration above the
 * select threshold (converged) or {@code max_rounds} is reached.
 *
 * <p>Everything lives in the work folder and every step is written atomically and recorded in
 * {@code state.properties}, so an interrupted run resumes where it stopped without losing labelled data (the
 * merge of a round's labelled configurations into {@code train.cfg} is idempotent: they carry the feature
 * {@code al_round}). Layout: {@code train.cfg} (the growing training set), {@code round-NNN/potential.almtp},
 * {@code round-NNN/md-NAME/} (one LAMMPS run: input output, {@code extrapolative.cfg}, {@code outcome.properties}),
 * {@code round-NNN/candidates.cfg}, {@code selected.cfg}, {@code labelled.cfg}, {@code rounds.csv} and
 * {@code rounds.png} (training-set size and max grade per round).
 *
 * <p>The three external steps are interfaces so that they can be replaced (tests use in-process fakes); the defaults
 * run LAMMPS ({@link LammpsEngine}), the configured oracle command ({@link CommandOracle}) and mtpjava's own
 * {@code train} command ({@link TrainCommandFitter}).
 */
public final class LearningLoop {

    /** One MD run with extrapolation control. */
    public interface MdEngine {
        /**
         * Runs MD with {@code potential} in {@code dir}; extrapolative configurations go to {@code dump}.
         * A run stopped by the break threshold is a normal outcome.
         */
        MdOutcome run(LoopConfig.MdRun run, Path potential, Path dir, Path dump, int round, long seed);
    }

    /** Result of an MD run: stopped at the break threshold, and the largest grade seen (NaN if unknown). */
    public record MdOutcome(boolean broke, double maxGrade) {}

    /** Labels configurations (the "DFT" step): reads {@code in}, writes {@code out} with energies and forces. */
    public interface Oracle {
        void label(Path in, Path out, Path dir);
    }

    /** Trains {@code potential} on {@code trainingSet} and writes {@code out} (an .almtp with a fresh active set). */
    public interface Fitter {
        void train(Path potential, Path trainingSet, Path out, Path dir);
    }

    /** One line of rounds.csv. */
    public record RoundRecord(int round, int trainingConfigurations, int mdRuns, int mdBroken, int candidates, int selected,
                              double maxGrade, double energyRmseMeVPerAtom, double forceRmse) {
        static final String HEADER = "round,training_configurations,md_runs,md_stopped_at_break,candidates,selected,"
                + "max_grade,energy_rmse_meV_per_atom,force_rmse_eV_per_A";

        String csv() {
            return String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%.6g,%.6g,%.6g", round, trainingConfigurations, mdRuns, mdBroken,
                    candidates, selected, maxGrade, energyRmseMeVPerAtom, forceRmse);
        }

        static RoundRecord parse(String line) {
            String[] t = line.split(",");
            return new RoundRecord(Integer.parseInt(t[0]), Integer.parseInt(t[1]), Integer.parseInt(t[2]), Integer.parseInt(t[3]),
                    Integer.parseInt(t[4]), Integer.parseInt(t[5]), Double.parseDouble(t[6]), Double.parseDouble(t[7]), Double.parseDouble(t[8]));
        }
    }

    /** Outcome of {@link #run()}. */
    public record Summary(boolean converged, int rounds, Path potential, List<RoundRecord> records) {}

    private enum Phase { TRAIN_START, MD, SELECT, LABEL, MERGE, TRAIN, CONVERGED, STOPPED }

    private final LoopConfig config;
    private final MdEngine md;
    private final Oracle oracle;
    private final Fitter fitter;
    private final int threads;
    private final Consumer<String> log;
    private final Path work;
    private final List<RoundRecord> records = new ArrayList<>();

    public LearningLoop(LoopConfig config, MdEngine md, Oracle oracle, Fitter fitter, int threads, Consumer<String> log) {
        this.config = config;
        this.md = md;
        this.oracle = oracle;
        this.fitter = fitter;
        this.threads = threads;
        this.log = log;
        this.work = config.workDir();
    }

    /** The loop with LAMMPS, the configured oracle command and mtpjava's train command. */
    public static LearningLoop standard(LoopConfig config, int threads, Consumer<String> log) {
        return new LearningLoop(config, new LammpsEngine(config.lammps()), new CommandOracle(config.oracle()),
                new TrainCommandFitter(config.train()), threads, log);
    }

    Path roundDir(int r) { return work.resolve(String.format(Locale.ROOT, "round-%03d", r)); }

    Path potential(int r) { return roundDir(r).resolve("potential.almtp"); }

    Path trainingSet() { return work.resolve("train.cfg"); }

    /** Runs (or resumes) the loop. */
    public Summary run() {
        Properties state = readState();
        int round;
        Phase phase;
        if (state == null) {
            round = 0;
            phase = start();
        } else {
            round = Integer.parseInt(state.getProperty("round"));
            phase = Phase.valueOf(state.getProperty("phase"));
            readRecords();
            log.accept("active-learn: resuming in " + work + " at round " + round + ", step " + phase.name().toLowerCase(Locale.ROOT));
        }
        while (true) {
            switch (phase) {
                case TRAIN_START -> {
                    log.accept("active-learn: training the start potential on " + count(trainingSet()) + " configurations");
                    mkdirs(roundDir(0));
                    fitter.train(config.potential(), trainingSet(), potential(0), roundDir(0));
                    requireFile(potential(0), "the trained start potential");
                    phase = Phase.MD;
                }
                case MD -> {
                    MdSummary s = runMd(round);
                    if (s.candidates == 0) {
                        double[] err = errors(potential(round));
                        records.add(new RoundRecord(round, count(trainingSet()), config.md().size(), s.broken, 0, 0, s.maxGrade, err[0], err[1]));
                        writeRecords();
                        log.accept(String.format(Locale.ROOT, "active-learn: round %d: no configuration above select %.3g in %d MD run(s): converged",
                                round, config.lammps().select(), config.md().size()));
                        phase = Phase.CONVERGED;
                    } else {
                        phase = Phase.SELECT;
                    }
                }
                case SELECT -> {
                    int n = select(round);
                    phase = n == 0 ? Phase.CONVERGED : Phase.LABEL;
                    if (n == 0) {
                        MdSummary s = readMdSummary(round);
                        double[] err = errors(potential(round));
                        records.add(new RoundRecord(round, count(trainingSet()), config.md().size(), s.broken, s.candidates, 0, s.maxGrade, err[0], err[1]));
                        writeRecords();
                        log.accept("active-learn: round " + round + ": the candidates add nothing to the active set: converged");
                    }
                }
                case LABEL -> {
                    label(round);
                    phase = Phase.MERGE;
                }
                case MERGE -> {
                    merge(round);
                    phase = Phase.TRAIN;
                }
                case TRAIN -> {
                    mkdirs(roundDir(round + 1));
                    log.accept("active-learn: round " + round + ": training on " + count(trainingSet()) + " configurations");
                    fitter.train(potential(round), trainingSet(), potential(round + 1), roundDir(round + 1));
                    requireFile(potential(round + 1), "the retrained potential");
                    MdSummary s = readMdSummary(round);
                    double[] err = errors(potential(round + 1));
                    records.add(new RoundRecord(round, count(trainingSet()), config.md().size(), s.broken, s.candidates,
                            count(roundDir(round).resolve("selected.cfg")), s.maxGrade, err[0], err[1]));
                    writeRecords();
                    log.accept(String.format(Locale.ROOT, "active-learn: round %d done: training set %d, errors on it: E %.3f meV/atom, F %.4f eV/A (RMSE)",
                            round, count(trainingSet()), err[0], err[1]));
                    round++;
                    phase = round >= config.maxRounds() ? Phase.STOPPED : Phase.MD;
                    if (phase == Phase.STOPPED) {
                        log.accept("active-learn: max_rounds = " + config.maxRounds() + " reached before convergence; the last potential is "
                                + potential(round) + " (run again with a larger max_rounds to continue)");
                    }
                }
                case CONVERGED, STOPPED -> {
                    writeState(round, phase);
                    plot();
                    Path pot = potential(round);
                    if (phase == Phase.CONVERGED) log.accept("active-learn: final potential " + pot);
                    return new Summary(phase == Phase.CONVERGED, round, pot, List.copyOf(records));
                }
            }
            writeState(round, phase);
        }
    }

    /** A fresh work folder: copy the training set and the start potential. */
    private Phase start() {
        mkdirs(work);
        requireFile(config.trainingSet(), "the training set");
        requireFile(config.potential(), "the start potential");
        List<Configuration> train = CfgFiles.read(config.trainingSet());
        if (train.isEmpty()) throw new IllegalArgumentException(config.trainingSet() + ": no configurations");
        CfgFiles.write(trainingSet(), train, CfgFiles.Precision.LOSSLESS);
        Potential p = PotentialFiles.read(config.potential());
        Phase phase;
        if (!p.isTrained()) {
            phase = Phase.TRAIN_START;
        } else {
            mkdirs(roundDir(0));
            if (p.activeSet() == null) {
                log.accept("active-learn: " + config.potential() + " has no active set; building one from the training set");
                ActiveLearning.updateActiveSet(p, train, org.mtpjava.al.SelectionWeights.NEIGHBOURHOOD_MODE, threads);
                PotentialFiles.write(p, potential(0));
            } else {
                copy(config.potential(), potential(0));
            }
            phase = Phase.MD;
        }
        log.accept("active-learn: work folder " + work + ", " + train.size() + " training configurations, " + config.md().size()
                + " MD run(s) per round, select " + config.lammps().select() + ", break " + config.lammps().breakThreshold());
        writeState(0, phase);
        return phase;
    }

    // ------------------------------------------------------------------------------------------------

    private record MdSummary(int candidates, int broken, double maxGrade) {}

    private MdSummary runMd(int round) {
        Path rd = roundDir(round);
        mkdirs(rd);
        List<Configuration> candidates = new ArrayList<>();
        int broken = 0;
        double maxGrade = Double.NaN;
        for (int k = 0; k < config.md().size(); k++) {
            LoopConfig.MdRun run = config.md().get(k);
            Path dir = rd.resolve("md-" + run.name());
            Path outcomeFile = dir.resolve("outcome.properties");
            Path dump = dir.resolve("extrapolative.cfg");
            MdOutcome o;
            if (Files.isRegularFile(outcomeFile)) {
                Properties pr = load(outcomeFile);
                o = new MdOutcome(Boolean.parseBoolean(pr.getProperty("broke")), Double.parseDouble(pr.getProperty("max_grade")));
            } else {
                deleteTree(dir);
                mkdirs(dir);
                long seed = config.seed() + 1000L * round + k;
                o = md.run(run, potential(round), dir, dump, round, seed);
                Properties pr = new Properties();
                pr.setProperty("broke", Boolean.toString(o.broke()));
                pr.setProperty("max_grade", Double.toString(o.maxGrade()));
                store(pr, outcomeFile);
            }
            List<Configuration> saved = Files.isRegularFile(dump) ? CfgFiles.read(dump) : List.of();
            double g = o.maxGrade();
            for (Configuration c : saved) {
                String mv = c.features().get("MV_grade");
                if (mv != null) {
                    try {
                        g = Double.isNaN(g) ? Double.parseDouble(mv) : Math.max(g, Double.parseDouble(mv));
                    } catch (NumberFormatException ignored) {
                        // not a number: no grade information
                    }
                }
                c.features().put("al_source", "round " + round + " md " + run.name());
            }
            if (o.broke()) broken++;
            if (!Double.isNaN(g)) maxGrade = Double.isNaN(maxGrade) ? g : Math.max(maxGrade, g);
            candidates.addAll(saved);
            log.accept(String.format(Locale.ROOT, "active-learn: round %d: md %s: %s, %d configuration(s) above select, max grade %s",
                    round, run.name(), o.broke() ? "stopped at the break threshold" : "completed", saved.size(),
                    Double.isNaN(g) ? "unknown" : String.format(Locale.ROOT, "%.4g", g)));
        }
        CfgFiles.write(rd.resolve("candidates.cfg"), candidates, CfgFiles.Precision.LOSSLESS);
        Properties pr = new Properties();
        pr.setProperty("candidates", Integer.toString(candidates.size()));
        pr.setProperty("broken", Integer.toString(broken));
        pr.setProperty("max_grade", Double.toString(maxGrade));
        store(pr, rd.resolve("md-summary.properties"));
        return new MdSummary(candidates.size(), broken, maxGrade);
    }

    private MdSummary readMdSummary(int round) {
        Properties pr = load(roundDir(round).resolve("md-summary.properties"));
        return new MdSummary(Integer.parseInt(pr.getProperty("candidates")), Integer.parseInt(pr.getProperty("broken")),
                Double.parseDouble(pr.getProperty("max_grade")));
    }

    private int select(int round) {
        Path rd = roundDir(round);
        Potential p = PotentialFiles.read(potential(round));
        if (p.activeSet() == null) throw new IllegalStateException(potential(round) + " has no active set");
        ActiveSet as = ActiveSet.fromData(p, potential(round).toString());
        var opts = new ActiveLearning.SelectAddOptions(config.selection().threshold(), config.selection().swapLimit(), 9999, threads);
        Path cand = rd.resolve("candidates.cfg");
        var res = ActiveLearning.selectAdd(p, as, sink -> CfgFiles.forEach(trainingSet(), sink), sink -> CfgFiles.forEach(cand, sink), opts);
        List<Configuration> sel = new ArrayList<>();
        for (Configuration c : res.newlySelected()) {
            Configuration x = c.copy();
            x.clearComputed();
            sel.add(x);
        }
        CfgFiles.write(rd.resolve("selected.cfg"), sel, CfgFiles.Precision.LOSSLESS);
        log.accept("active-learn: round " + round + ": select-add chose " + sel.size() + " of " + res.candidates() + " candidates");
        return sel.size();
    }

    private void label(int round) {
        Path rd = roundDir(round);
        Path in = rd.resolve("selected.cfg"), out = rd.resolve("labelled.cfg");
        int n = count(in);
        Path tmp = rd.resolve("labelled.cfg.part");
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.accept("active-learn: round " + round + ": labelling " + n + " configuration(s) with the oracle");
        oracle.label(in, tmp, rd);
        if (!Files.isRegularFile(tmp)) throw new IllegalStateException("the oracle wrote no output " + tmp);
        List<Configuration> got = CfgFiles.read(tmp);
        if (got.size() != n) {
            throw new IllegalStateException("the oracle returned " + got.size() + " configurations for " + n + " (" + tmp + ")");
        }
        for (int k = 0; k < got.size(); k++) {
            if (!got.get(k).hasEnergy() || !got.get(k).hasForces()) {
                throw new IllegalStateException("configuration " + (k + 1) + " of the oracle's output " + tmp + " has no energy or forces");
            }
        }
        move(tmp, out);
    }

    private void merge(int round) {
        List<Configuration> train = CfgFiles.read(trainingSet());
        String tag = Integer.toString(round);
        for (Configuration c : train) {
            if (tag.equals(c.features().get("al_round"))) {
                log.accept("active-learn: round " + round + ": labelled configurations already in the training set");
                return;
            }
        }
        List<Configuration> add = CfgFiles.read(roundDir(round).resolve("labelled.cfg"));
        for (Configuration c : add) {
            c.features().put("al_round", tag);
            c.features().remove("selected_eqn_inds");
            c.setNeighbourhoodGrades(null);
            train.add(c);
        }
        CfgFiles.write(trainingSet(), train, CfgFiles.Precision.LOSSLESS);
        log.accept("active-learn: round " + round + ": " + add.size() + " labelled configuration(s) added; training set " + train.size());
    }

    /** Energy-per-atom RMSE (meV/atom) and force-component RMSE (eV/A) of a potential on the training set. */
    private double[] errors(Path pot) {
        Potential p = PotentialFiles.read(pot);
        ErrorStatistics st = new ErrorStatistics();
        try (EfsCalculator calc = new EfsCalculator(p, threads)) {
            CfgFiles.forEach(trainingSet(), c -> {
                Configuration pred = c.copy();
                pred.clearComputed();
                calc.computeInto(pred);
                st.add(c, pred);
            });
        }
        return new double[]{1000 * st.energyPerAtom().rmse(), st.forceComponent().rmse()};
    }

    // ------------------------------------------------------------------------------------------------
    // state, records, plot

    private Properties readState() {
        Path f = work.resolve("state.properties");
        return Files.isRegularFile(f) ? load(f) : null;
    }

    private void writeState(int round, Phase phase) {
        Properties p = new Properties();
        p.setProperty("round", Integer.toString(round));
        p.setProperty("phase", phase.name());
        store(p, work.resolve("state.properties"));
    }

    private void readRecords() {
        records.clear();
        Path f = work.resolve("rounds.csv");
        if (!Files.isRegularFile(f)) return;
        try {
            List<String> lines = Files.readAllLines(f);
            for (int i = 1; i < lines.size(); i++) if (!lines.get(i).isBlank()) records.add(RoundRecord.parse(lines.get(i)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeRecords() {
        StringBuilder sb = new StringBuilder(RoundRecord.HEADER).append('\n');
        for (RoundRecord r : records) sb.append(r.csv()).append('\n');
        AtomicFiles.writeString(work.resolve("rounds.csv"), sb.toString());
        plot();
    }

    /** rounds.png: training-set size and max grade per round. */
    private void plot() {
        if (records.isEmpty()) return;
        XYSeries size = new XYSeries("training configurations"), grade = new XYSeries("max grade in MD");
        for (RoundRecord r : records) {
            size.add(r.round(), r.trainingConfigurations());
            if (r.maxGrade() > 0) grade.add(r.round(), r.maxGrade());
        }
        NumberAxis x = new NumberAxis("round");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        XYPlot p1 = new XYPlot(new XYSeriesCollection(size), null, new NumberAxis("training configurations"), new XYLineAndShapeRenderer(true, true));
        LogAxis gy = new LogAxis("max extrapolation grade");
        XYPlot p2 = new XYPlot(new XYSeriesCollection(grade), null, gy, new XYLineAndShapeRenderer(true, true));
        p2.addRangeMarker(new org.jfree.chart.plot.ValueMarker(config.lammps().select()));
        for (XYPlot p : List.of(p1, p2)) {
            p.setBackgroundPaint(Color.WHITE);
            p.setDomainGridlinePaint(Color.LIGHT_GRAY);
            p.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.add(p);
        }
        JFreeChart chart = new JFreeChart("active learning (select threshold marked)", plot);
        var img = chart.createBufferedImage(800, 700);
        AtomicFiles.write(work.resolve("rounds.png"), out -> ImageIO.write(img, "png", out));
    }

    // ------------------------------------------------------------------------------------------------
    // small file helpers

    static int count(Path cfg) {
        if (!Files.isRegularFile(cfg)) return 0;
        int[] n = {0};
        CfgFiles.forEach(cfg, c -> n[0]++);
        return n[0];
    }

    private static void requireFile(Path f, String what) {
        if (!Files.isRegularFile(f)) throw new IllegalArgumentException(what + " " + f + " does not exist");
    }

    static void mkdirs(Path d) {
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + d + ": " + e.getMessage(), e);
        }
    }

    private static void copy(Path a, Path b) {
        AtomicFiles.write(b, out -> Files.copy(a, out));
    }

    private static void move(Path a, Path b) {
        try {
            Files.move(a, b, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + a + " to " + b + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path d) {
        if (!Files.exists(d)) return;
        try (var s = Files.walk(d)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + d + ": " + e.getMessage(), e);
        }
    }

    static Properties load(Path f) {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        return p;
    }

    static void store(Properties p, Path f) {
        StringBuilder sb = new StringBuilder();
        for (String k : new java.util.TreeSet<>(p.stringPropertyNames())) sb.append(k).append('=').append(p.getProperty(k)).append('\n');
        AtomicFiles.writeString(f, sb.toString());
    }
}
