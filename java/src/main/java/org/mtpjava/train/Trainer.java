package org.mtpjava.train;

import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.InputFileException;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * MLIP-3's {@code mlp train} procedure (maths.md §8.3) on mtpjava's exact loss gradient:
 * <ol>
 *   <li>species from the data (untrained potentials rebuilt, trained ones extended), optional random radial
 *       coefficients, Rmin := 0.99 x the smallest interatomic distance (unless {@code noMindistUpdate});</li>
 *   <li>untrained potential: LinOptimize, Rescale, 75 BFGS steps, Rescale;</li>
 *   <li>main BFGS ({@code iterationLimit} steps; LinOptimize interleaved at steps 25, 70, 100, 150, 250, 400, with
 *       a Hessian reset when the regularisation is rebuilt), then LinOptimize and Rescale.</li>
 * </ol>
 * BFGS stops at the step limit, when the loss decreased by less than {@code tolerance} (relative) over the last
 * 50 steps (checked every 50 steps after step 100), when one step changed it by less than 1e-16, after more than
 * 999 line-search evaluations, or when the line search cannot descend.
 *
 * <p>Checkpoints hold the complete state at a BFGS iteration boundary (potential, inverse Hessian, counters,
 * regularisation, learning curve); resuming from one continues bit for bit as the uninterrupted run would.
 * All parallel sums are thread-count independent, so the result is the same for any number of threads.
 */
public final class Trainer implements AutoCloseable {
    /** Where the procedure is; checkpoints record it. */
    enum Stage { START, PRE_BFGS, PRE_RESCALE, MAIN_BFGS, FINAL, DONE }

    /** BFGS steps at which MLIP-3 inserts LinOptimize. */
    static final int[] LIN_STEPS = {25, 70, 100, 150, 250, 400};
    static final int MAX_LINE_SEARCH = 999;
    private static final String MAGIC = "MTPJAVA-TRAIN-CHECKPOINT";
    private static final int VERSION = 2; // 2: magnetic options

    /** One accepted BFGS iteration, for the learning curve. */
    public record Iteration(int stage, int step, double loss, double trainE, double trainF, double trainS,
                            double validE, double validF, double validS, double seconds) {}

    /** Thrown when a stop was requested (signal, test hook); a checkpoint has been written if a path is set. */
    public static final class Interrupted extends RuntimeException {
        Interrupted(String m) { super(m); }
    }

    private final Potential potential;
    private final TrainingOptions options;
    private final TrainingSet train, valid;
    private final String trainHash, validHash;
    private final Consumer<String> log;
    private final LossFunction loss;
    private final LossFunction validLoss;
    private final LinearFit linear;
    private final boolean untrained;
    private final String setupReport;
    private Path checkpointPath;
    private volatile boolean stopRequested;
    private volatile Snapshot latest;

    // procedure state
    private Stage stage = Stage.START;
    private int numStep;
    private double linf, lossPrev;
    private Optimizer bfgs;
    private final ParameterMap map; // null: BFGS on theta itself; else on x with theta = Phi(x) (compressed MTP)
    private double[] fullGradient;  // dL/dtheta when training through the map
    private int totalIterations;
    private final List<Iteration> history = new ArrayList<>();
    private double previousSeconds; // wall time of earlier sessions (resume)
    private long sessionStart = System.nanoTime();
    private double phaseStartSeconds;
    private int phaseStartStep;

    // evaluation cache (the point last evaluated)
    private double[] cacheX;
    private double cacheF;
    private double[] cacheG;
    private LossFunction.Stats cacheStats;

    /**
     * Prepares a run: adapts the species of {@code potential} to the training data, checks the data, updates
     * min_dist and builds the evaluators. {@code potential} is modified in place.
     */
    public Trainer(Potential potential, List<Configuration> trainData, String trainName, Path trainFile,
                   List<Configuration> validData, String validName, Path validFile, TrainingOptions options,
                   Consumer<String> log) {
        options.validate();
        this.potential = potential;
        this.options = options.copy();
        this.log = log;
        this.trainHash = hash(trainFile, trainData);
        this.validHash = validData == null ? "" : hash(validFile, validData);
        StringBuilder report = new StringBuilder();
        if (trainData.isEmpty()) throw new InputFileException(trainName, 0, "no configurations; expected at least one BEGIN_CFG block");
        checkValues(trainData, trainName, trainFile, options);
        this.untrained = !potential.isTrained();
        SpeciesSetup.Result sr;
        try {
            sr = SpeciesSetup.apply(potential, trainData, trainName, options.initRandom, new Random(options.seed));
        } catch (IllegalArgumentException e) {
            throw new InputFileException(trainName, 0, e.getMessage());
        }
        report.append(trainData.size()).append(" configurations (").append(countAtoms(trainData)).append(" atoms) in ").append(trainName).append('\n');
        if (sr.rebuilt()) {
            report.append("species rebuilt from the data (untrained potential): labels ").append(Arrays.toString(potential.speciesLabels()))
                    .append(options.initRandom ? ", random radial coefficients (seed " + options.seed + ")" : "").append('\n');
        } else if (sr.addedLabels().length > 0) {
            report.append("species added to the trained potential (MLIP-3 behaviour, default coefficients): ")
                    .append(Arrays.toString(sr.addedLabels())).append('\n');
        }
        this.train = TrainingSet.of(trainName, trainFile, trainData, potential);
        checkGeometry(train);
        if (potential.isMagnetic()) {
            for (int k = 0; k < train.size(); k++) {
                if (!train.configuration(k).hasMagneticMoments() && train.configuration(k).size() > 0) {
                    throw train.error(k, "the potential is magnetic but this configuration has no magnetic moments (magmom_x/y/z columns)");
                }
            }
        }
        report.append(org.mtpjava.magnetic.MagneticTrainingSetup.prepare(potential, train, options.weights.magneticForceWeight(),
                options.allowMissing, options.autoMinmaxMagmom));
        TrainingSet.MinDistance md = train.minDistance();
        if (!options.noMindistUpdate) {
            if (md == null) {
                report.append("no two atoms are within the cutoff anywhere in the data; min_dist kept at ").append(potential.minDist()).append('\n');
            } else {
                double newMin = 0.99 * md.distance();
                if (!(newMin < potential.maxDist())) {
                    throw train.error(md.configuration(), String.format(Locale.ROOT,
                            "the smallest interatomic distance in the data is %.6g A (atoms %d and %d), so 0.99 x that is not below max_dist %.6g; "
                                    + "use --no-mindist-update or a larger cutoff", md.distance(), md.atomI() + 1, md.atomJ() + 1, potential.maxDist()));
                }
                report.append(String.format(Locale.ROOT, "min_dist %s -> %s (0.99 x the smallest interatomic distance %.6g A, configuration %d, atoms %d-%d)%n",
                        LinearFit.g8(potential.minDist()), LinearFit.g8(newMin), md.distance(), md.configuration() + 1, md.atomI() + 1, md.atomJ() + 1));
                potential.setMinDist(newMin);
            }
        } else {
            long[] below = train.countCloserThan(potential.minDist());
            if (below[0] > 0) {
                report.append(String.format(Locale.ROOT, "warning: %d configurations have %d atom pairs closer than min_dist = %s A "
                                + "(the radial basis is extrapolated there%s); min_dist was kept (--no-mindist-update)%n",
                        below[0], below[1], LinearFit.g8(potential.minDist()),
                        potential.radialBasisType() == org.mtpjava.model.RadialBasisType.RB_CHEBYSHEV_REPULSIVE ? ", plus the repulsive wall" : ""));
            }
        }
        long noStress = trainData.stream().filter(c -> c.size() > 0 && !c.hasStress()).count();
        if (noStress > 0 && options.weights.stressWeight() != 0) {
            report.append(noStress).append(" configurations have no stresses: their stress terms are left out\n");
        }
        long empty = trainData.stream().filter(c -> c.size() == 0).count();
        if (empty > 0) report.append(empty).append(" configurations without atoms are ignored (MLIP-3 still counts them in K)\n");
        if (validData != null) {
            checkValues(validData, validName, validFile, null);
            this.valid = TrainingSet.of(validName, validFile, validData, potential);
            checkGeometry(valid);
            report.append(validData.size()).append(" validation configurations (").append(countAtoms(validData)).append(" atoms) in ").append(validName).append('\n');
        } else {
            this.valid = null;
        }
        this.loss = new LossFunction(potential, train, options.weights, options.threads);
        this.validLoss = valid == null ? null : new LossFunction(potential, valid, options.weights, options.threads);
        this.linear = new LinearFit(potential, train, options.weights, options.threads);
        linear.setLog(log);
        this.map = options.parameterMap == null ? null : options.parameterMap.apply(potential);
        if (map != null) report.append(map.describe(potential)).append('\n');
        this.setupReport = report.toString();
    }

    private static long countAtoms(List<Configuration> cfgs) {
        long a = 0;
        for (Configuration c : cfgs) a += c.size();
        return a;
    }

    /** What preparation found and changed (species, min_dist, warnings). */
    public String setupReport() { return setupReport; }
    public Potential potential() { return potential; }
    public TrainingSet trainingSet() { return train; }
    public TrainingSet validationSet() { return valid; }
    public List<Iteration> history() { return List.copyOf(history); }
    public LossFunction lossFunction() { return loss; }
    public TrainingOptions options() { return options.copy(); }
    public int totalIterations() { return totalIterations; }
    /** Number of loss-and-gradient evaluations so far in this session. */
    public long evaluations() { return loss.evaluations(); }
    public long assemblies() { return linear.assemblies(); }

    public void setCheckpointPath(Path p) { checkpointPath = p; }
    public Path checkpointPath() { return checkpointPath; }

    /** Asks the run to stop at the next iteration boundary (thread-safe). */
    public void requestStop() { stopRequested = true; }

    // ------------------------------------------------------------------------------------------------
    // data checks

    private static void checkValues(List<Configuration> data, String name, Path file, TrainingOptions o) {
        int[] lines = null;
        for (int k = 0; k < data.size(); k++) {
            Configuration c = data.get(k);
            String problem = null;
            if (o != null && c.size() > 0 && !o.allowMissing) {
                if (o.weights.energyWeight() != 0 && !c.hasEnergy()) {
                    problem = "no energy, but --energy-weight is " + o.weights.energyWeight()
                            + " (add the energy, set --energy-weight 0, or use --allow-missing to drop such terms as MLIP-3 does)";
                } else if (o.weights.forceWeight() != 0 && !c.hasForces()) {
                    problem = "no forces (fx fy fz columns), but --force-weight is " + o.weights.forceWeight()
                            + " (add them, set --force-weight 0, or use --allow-missing)";
                }
            }
            if (problem == null) problem = nonFinite(c);
            if (problem != null) {
                if (lines == null) lines = TrainingSet.scanBeginLines(file);
                throw new InputFileException(name, k < lines.length ? lines[k] : 0, "configuration " + (k + 1) + ": " + problem);
            }
        }
    }

    private static String nonFinite(Configuration c) {
        if (c.hasEnergy() && !Double.isFinite(c.energy())) return "the energy is " + c.energy();
        double[] x = c.positions();
        for (int i = 0; i < x.length; i++) if (!Double.isFinite(x[i])) return "atom " + (i / 3 + 1) + " has a non-finite coordinate";
        if (c.hasForces()) {
            double[] f = c.forces();
            for (int i = 0; i < f.length; i++) if (!Double.isFinite(f[i])) return "atom " + (i / 3 + 1) + " has a non-finite force";
        }
        if (c.hasStress()) for (double s : c.stress()) if (!Double.isFinite(s)) return "the stress has a non-finite component";
        return null;
    }

    private static void checkGeometry(TrainingSet set) {
        for (int k = 0; k < set.size(); k++) {
            TrainingSet.MinDistance m = set.minDistance(k);
            if (m != null && m.distance() < TrainingSet.OVERLAP_DISTANCE) {
                throw set.error(k, String.format(Locale.ROOT, "atoms %d and %d are %s A apart (overlapping atoms; a duplicated atom "
                        + "or broken coordinates?)", m.atomI() + 1, m.atomJ() + 1, LinearFit.g8(Double.parseDouble(String.format(Locale.ROOT, "%.3g", m.distance())))));
            }
        }
    }

    /** SHA-256 of the file's bytes (or of the configurations' text if there is no file). */
    static String hash(Path file, List<Configuration> data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (file != null && Files.isRegularFile(file)) {
                try (var in = Files.newInputStream(file)) {
                    byte[] buf = new byte[1 << 16];
                    int r;
                    while ((r = in.read(buf)) > 0) md.update(buf, 0, r);
                }
            } else {
                for (Configuration c : data) md.update(org.mtpjava.io.CfgFiles.format(c, org.mtpjava.io.CfgFiles.Precision.LOSSLESS).getBytes(StandardCharsets.ISO_8859_1));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (Exception e) {
            throw new IllegalStateException("cannot hash the training data: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // the procedure

    /** Runs (or continues) the procedure to the end. The potential then holds the trained coefficients. */
    public void run() {
        sessionStart = System.nanoTime();
        if (stage == Stage.START) {
            if (untrained && options.iterationLimit > 0 && !options.skipPreinit) {
                log.accept("Pre-training: LinOptimize, Rescale, " + TrainingOptions.PRE_TRAINING_STEPS + " BFGS steps, Rescale");
                linear.linOptimize();
                linear.rescale();
                beginBfgs(Stage.PRE_BFGS);
            } else if (options.iterationLimit > 0) {
                beginBfgs(Stage.MAIN_BFGS);
            } else {
                stage = Stage.DONE;
                log.accept("iteration limit 0: no fitting");
            }
        }
        if (stage == Stage.PRE_BFGS) {
            runBfgs(TrainingOptions.PRE_TRAINING_STEPS);
            stage = Stage.PRE_RESCALE;
        }
        if (stage == Stage.PRE_RESCALE) {
            linear.rescale();
            log.accept("Pre-training ended");
            beginBfgs(Stage.MAIN_BFGS);
        }
        if (stage == Stage.MAIN_BFGS) {
            runBfgs(options.iterationLimit);
            stage = Stage.FINAL;
        }
        if (stage == Stage.FINAL) {
            linear.linOptimize();
            linear.rescale();
            stage = Stage.DONE;
        }
        if (map != null) map.current(potential); // absorb the last LinOptimize/Rescale into the factors
        potential.setTrained(true);
        loss.setRegularisation(linear.regularisation());
    }

    private void beginBfgs(Stage s) {
        stage = s;
        numStep = 0;
        linf = 9e99;
        lossPrev = 9e99;
        bfgs = newOptimizer();
        phaseStartSeconds = elapsedSeconds();
        phaseStartStep = 0;
        log.accept((s == Stage.PRE_BFGS ? "Pre-training" : "Main training") + " BFGS started ("
                + (s == Stage.PRE_BFGS ? TrainingOptions.PRE_TRAINING_STEPS : options.iterationLimit) + " steps at most, "
                + dimension() + " parameters, " + loss.threads() + " threads)");
    }

    /** MLIP-3's NonLinOptimize loop on the current stage's BFGS state. */
    private void runBfgs(int maxIter) {
        int n = dimension();
        double[] x = currentX();
        double[] g = new double[n];
        boolean converge = false, inLineSearch = false;
        int lineSearchEvaluations = 0;
        double f = Double.NaN;
        String reason = "";
        while (!converge) {
            if (!inLineSearch) {
                boundary(x);
                lineSearchEvaluations = 0;
                bfgs.setX(x);
                if (contains(LIN_STEPS, numStep)) {
                    setX(potential, x);
                    linear.linOptimize();
                    x = currentX();
                    bfgs.setX(x);
                    if (linear.regInit()) {
                        bfgs.resetHessian();
                        linear.setRegInit(false);
                    }
                }
            }
            System.arraycopy(bfgs.x(), 0, x, 0, n);
            f = evaluate(x, g);
            if (!bfgs.iterate(f, g)) {
                converge = true;
                reason = "the line search cannot descend further";
            }
            while (Math.abs(bfgs.x()[0] - x[0]) > 0.5) bfgs.reduceStep(0.25);
            inLineSearch = bfgs.inLineSearch();
            if (inLineSearch) {
                lineSearchEvaluations++;
            } else {
                if (Math.abs(lossPrev - f) < 1e-16) {
                    converge = true;
                    reason = "BFGS ended due to small decr. for 1 iteration";
                }
                lossPrev = f;
                accepted(f);
                numStep++;
                totalIterations++;
                if (map != null && map.afterIteration(totalIterations, potential, this::probe, log)) {
                    // the reduced vector changed size (rank augmentation): continue from the new point
                    bfgs = map.resized(bfgs);
                    n = map.size();
                    x = map.current(potential);
                    g = new double[n];
                    cacheX = null;
                }
                if (numStep % 50 == 0 && numStep > 100) {
                    if ((linf - f) / f < options.tolerance) {
                        converge = true;
                        reason = "BFGS ended due to small decr. in 50 iterations";
                    }
                    linf = f;
                }
                if (numStep >= maxIter) {
                    converge = true;
                    reason = "step limit reached";
                }
            }
            if (lineSearchEvaluations > MAX_LINE_SEARCH) {
                converge = true;
                reason = "BFGS has exceeded the linesearch limit";
            }
        }
        // MLIP keeps the last evaluated point; mtpjava keeps the better of it and the last accepted one
        if (inLineSearch && f > bfgs.lineSearchStartValue()) {
            setX(potential, bfgs.lineSearchStart());
        } else {
            setX(potential, x);
        }
        linear.setRegInit(true);
        log.accept(reason);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    /** The loss and gradient at x, reusing the last evaluation if x is bitwise the same point. */
    private double evaluate(double[] x, double[] g) {
        if (cacheX != null && Arrays.equals(cacheX, x)) {
            System.arraycopy(cacheG, 0, g, 0, g.length);
            return cacheF;
        }
        setX(potential, x);
        loss.setRegularisation(linear.regularisation());
        double f;
        if (map == null) {
            f = loss.evaluate(g);
        } else {
            if (fullGradient == null || fullGradient.length != potential.parameterCount()) fullGradient = new double[potential.parameterCount()];
            f = loss.evaluate(fullGradient);
            map.pullBack(potential, fullGradient, g);
        }
        if (!Double.isFinite(f)) {
            throw new IllegalStateException("the loss became " + f + " at BFGS step " + numStep + "; check the data for extreme values");
        }
        cacheX = x.clone();
        cacheG = g.clone();
        cacheF = f;
        cacheStats = loss.lastStatistics();
        return f;
    }

    /** Number of optimised parameters: theta, or x of the parameter map. */
    private int dimension() { return map == null ? potential.parameterCount() : map.size(); }

    private double[] currentX() { return map == null ? potential.parameters() : map.current(potential); }

    private void setX(Potential p, double[] x) {
        if (map == null) p.setParameters(x);
        else map.apply(x, p);
    }

    private Optimizer newOptimizer() { return map == null ? new Bfgs(potential.parameterCount()) : map.newOptimizer(); }

    /** The loss (and dL/dtheta) at the potential's current coefficients, for the parameter map's rank augmentation. */
    private double probe(double[] gradTheta) {
        loss.setRegularisation(linear.regularisation());
        cacheX = null;
        return loss.evaluate(gradTheta);
    }

    private void accepted(double f) {
        LossFunction.Stats st = cacheStats;
        double vE = Double.NaN, vF = Double.NaN, vS = Double.NaN;
        if (validLoss != null && (numStep % options.validEvery == 0)) {
            validLoss.evaluate(null);
            LossFunction.Stats vs = validLoss.lastStatistics();
            vE = vs.energyRmse();
            vF = vs.forceRmse();
            vS = vs.stressRmse();
        }
        double now = elapsedSeconds();
        history.add(new Iteration(stage.ordinal(), numStep, f, st.energyRmse(), st.forceRmse(), st.stressRmse(), vE, vF, vS, now));
        int max = stage == Stage.PRE_BFGS ? TrainingOptions.PRE_TRAINING_STEPS : options.iterationLimit;
        int done = numStep + 1 - phaseStartStep;
        double perIt = (now - phaseStartSeconds) / Math.max(1, done);
        int remaining = max - numStep - 1 + (stage == Stage.PRE_BFGS ? options.iterationLimit : 0);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s iter %4d/%d  loss %.8e  train E %s meV/at F %s eV/A S %s GPa",
                stage == Stage.PRE_BFGS ? "pre " : "main", numStep, max, f, fmt(1000 * st.energyRmse(), 3), fmt(st.forceRmse(), 4), fmt(st.stressRmse(), 3)));
        if (!Double.isNaN(st.magneticForceRmse())) sb.append(String.format(Locale.ROOT, " M %s eV/muB", fmt(st.magneticForceRmse(), 4)));
        if (validLoss != null) {
            sb.append(String.format(Locale.ROOT, " | valid E %s F %s S %s", fmt(1000 * vE, 3), fmt(vF, 4), fmt(vS, 3)));
        }
        sb.append(String.format(Locale.ROOT, " | %.3f s/it ETA %s", perIt, duration(remaining * perIt)));
        log.accept(sb.toString());
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    private double elapsedSeconds() {
        return previousSeconds + (System.nanoTime() - sessionStart) * 1e-9;
    }

    /** At an iteration boundary: snapshot, periodic checkpoint, stop requests. */
    private void boundary(double[] x) {
        Snapshot s = new Snapshot(stage, numStep, linf, lossPrev, totalIterations, x.clone(), potential.scaling(),
                potential.minDist(), bfgs.inverseHessian().clone(), linear.regularisation(), linear.regInit(),
                List.copyOf(history), elapsedSeconds());
        latest = s;
        boolean stop = stopRequested || (options.stopAfterIterations >= 0 && totalIterations >= options.stopAfterIterations);
        boolean due = options.checkpointEvery > 0 && numStep > 0 && numStep % options.checkpointEvery == 0;
        if ((due || stop) && checkpointPath != null) writeCheckpoint(checkpointPath, s);
        if (stop) {
            throw new Interrupted("training stopped at " + stage + " step " + numStep
                    + (checkpointPath != null ? "; checkpoint written to " + checkpointPath : ""));
        }
    }

    /** Writes the latest boundary state (for a signal handler); false if there is none yet. */
    public boolean writeLatestCheckpoint() {
        Snapshot s = latest;
        if (s == null || checkpointPath == null) return false;
        writeCheckpoint(checkpointPath, s);
        return true;
    }

    // ------------------------------------------------------------------------------------------------
    // checkpoints

    /** Complete state at an iteration boundary (immutable). */
    private record Snapshot(Stage stage, int numStep, double linf, double lossPrev, int totalIterations, double[] theta,
                            double scaling, double minDist, double[] invHess, double[] reg, boolean regInit,
                            List<Iteration> history, double seconds) {}

    private synchronized void writeCheckpoint(Path path, Snapshot s) {
        Potential copy = potential.copy();
        copy.setScaling(s.scaling());
        copy.setMinDist(s.minDist());
        setX(copy, s.theta());
        copy.setActiveSet(null);
        byte[] text = PotentialFiles.mtpText(copy, false).getBytes(StandardCharsets.ISO_8859_1);
        AtomicFiles.write(path, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            options.write(out);
            out.writeUTF(trainHash);
            out.writeUTF(validHash);
            out.writeBoolean(untrained);
            out.writeInt(text.length);
            out.write(text);
            out.writeInt(s.theta().length);
            for (double v : s.theta()) out.writeDouble(v);
            out.writeDouble(s.scaling());
            out.writeDouble(s.minDist());
            out.writeInt(s.stage().ordinal());
            out.writeInt(s.numStep());
            out.writeDouble(s.linf());
            out.writeDouble(s.lossPrev());
            out.writeInt(s.totalIterations());
            out.writeInt(s.invHess().length);
            for (double v : s.invHess()) out.writeDouble(v);
            out.writeInt(s.reg().length);
            for (double v : s.reg()) out.writeDouble(v);
            out.writeBoolean(s.regInit());
            out.writeInt(s.history().size());
            for (Iteration it : s.history()) {
                out.writeInt(it.stage());
                out.writeInt(it.step());
                for (double v : new double[]{it.loss(), it.trainE(), it.trainF(), it.trainS(), it.validE(), it.validF(), it.validS(), it.seconds()}) out.writeDouble(v);
            }
            out.writeDouble(s.seconds());
            out.flush();
        });
    }

    /** What a checkpoint file holds before it is applied. */
    public static final class Checkpoint {
        final TrainingOptions options;
        final String trainHash, validHash;
        final boolean untrained;
        final String potentialText;
        final double[] theta;
        final double scaling, minDist;
        final Stage stage;
        final int numStep, totalIterations;
        final double linf, lossPrev;
        final double[] invHess, reg;
        final boolean regInit;
        final List<Iteration> history;
        final double seconds;
        final String source;

        private Checkpoint(DataInputStream in, String source) throws IOException {
            this.source = source;
            if (!MAGIC.equals(in.readUTF())) throw new IOException("not an mtpjava training checkpoint");
            int v = in.readInt();
            if (v != 1 && v != VERSION) throw new IOException("checkpoint version " + v + " is not supported (expected " + VERSION + ")");
            options = TrainingOptions.read(in, v);
            trainHash = in.readUTF();
            validHash = in.readUTF();
            untrained = in.readBoolean();
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            potentialText = new String(text, StandardCharsets.ISO_8859_1);
            theta = new double[in.readInt()];
            for (int i = 0; i < theta.length; i++) theta[i] = in.readDouble();
            scaling = in.readDouble();
            minDist = in.readDouble();
            stage = Stage.values()[in.readInt()];
            numStep = in.readInt();
            linf = in.readDouble();
            lossPrev = in.readDouble();
            totalIterations = in.readInt();
            invHess = new double[in.readInt()];
            for (int i = 0; i < invHess.length; i++) invHess[i] = in.readDouble();
            reg = new double[in.readInt()];
            for (int i = 0; i < reg.length; i++) reg[i] = in.readDouble();
            regInit = in.readBoolean();
            int h = in.readInt();
            history = new ArrayList<>(h);
            for (int i = 0; i < h; i++) {
                int st = in.readInt(), step = in.readInt();
                double[] d = new double[8];
                for (int j = 0; j < 8; j++) d[j] = in.readDouble();
                history.add(new Iteration(st, step, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]));
            }
            seconds = in.readDouble();
        }

        /** Reads a checkpoint; errors name the file. */
        public static Checkpoint read(Path file) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                return new Checkpoint(in, file.toString());
            } catch (NoSuchFileException e) {
                throw new InputFileException(file.toString(), 0, "checkpoint not found");
            } catch (IOException e) {
                throw new InputFileException(file.toString(), 0, "cannot read the checkpoint (" + e.getMessage() + "); is it an mtpjava training checkpoint?");
            }
        }

        /** The options the checkpointed run used. */
        public TrainingOptions options() { return options.copy(); }

        /** The potential at the checkpoint (species rebuilt, min_dist updated, coefficients exact). */
        public Potential potential() {
            Potential p = PotentialFiles.fromText(potentialText, source + " (potential)");
            p.setScaling(scaling);
            p.setMinDist(minDist);
            if (p.radialRepresentation() == null) p.setParameters(theta); // compressed: the factors are in the text (exact)
            p.setTrained(!untrained || stage != Stage.START);
            return p;
        }

        public int iterations() { return totalIterations; }
        public String stageName() { return stage.name(); }
    }

    /**
     * A trainer that continues from a checkpoint: the potential comes from the checkpoint, the data must be the
     * same files (checked by SHA-256), and the options must be those of the checkpointed run (run controls such as
     * threads may differ).
     */
    public static Trainer resume(Checkpoint c, Potential original, List<Configuration> trainData, String trainName, Path trainFile,
                                 List<Configuration> validData, String validName, Path validFile, TrainingOptions runControls,
                                 Consumer<String> log) {
        String th = hash(trainFile, trainData);
        if (!th.equals(c.trainHash)) {
            throw new InputFileException(trainName, 0, "differs from the training data of checkpoint " + c.source + " (SHA-256 mismatch); resume needs the same file");
        }
        String vh = validData == null ? "" : hash(validFile, validData);
        if (!vh.equals(c.validHash)) {
            throw new InputFileException(validName == null ? c.source : validName, 0, "the validation data differ from those of checkpoint " + c.source);
        }
        TrainingOptions o = c.options.copy();
        o.threads = runControls.threads;
        o.checkpointEvery = runControls.checkpointEvery;
        o.validEvery = runControls.validEvery;
        o.stopAfterIterations = runControls.stopAfterIterations;
        o.iterationLimit = runControls.iterationLimit;
        o.parameterMap = runControls.parameterMap;
        Potential p = c.potential();
        if (original != null && original.activeSet() != null) p.setActiveSet(original.activeSet());
        o.noMindistUpdate = true; // min_dist is already the updated one
        Trainer t = new Trainer(p, trainData, trainName, trainFile, validData, validName, validFile, o, log);
        t.options.noMindistUpdate = c.options.noMindistUpdate;
        t.restore(c);
        return t;
    }

    private void restore(Checkpoint c) {
        if (c.theta.length != dimension()) throw new IllegalStateException("checkpoint parameter count mismatch");
        potential.setScaling(c.scaling);
        potential.setMinDist(c.minDist);
        setX(potential, c.theta);
        stage = c.stage;
        numStep = c.numStep;
        linf = c.linf;
        lossPrev = c.lossPrev;
        totalIterations = c.totalIterations;
        bfgs = newOptimizer();
        if (c.invHess.length != bfgs.inverseHessian().length) throw new IllegalStateException("checkpoint inverse Hessian size mismatch");
        System.arraycopy(c.invHess, 0, bfgs.inverseHessian(), 0, c.invHess.length);
        linear.setRegularisation(c.reg, c.regInit);
        history.clear();
        history.addAll(c.history);
        previousSeconds = c.seconds;
        sessionStart = System.nanoTime();
        phaseStartSeconds = c.seconds;
        phaseStartStep = numStep;
        log.accept("resumed at " + stage + " step " + numStep + " (" + totalIterations + " BFGS iterations done)");
    }

    @Override public void close() {
        loss.close();
        if (validLoss != null) validLoss.close();
        linear.close();
    }

}
