package org.mtpjava.workflow.ductility;

import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Potential;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The sweep over the composition grid: for every composition and random realisation the bulk, surface and
 * GSF calculations (checkpointed per task under {@code <output>/results/<composition>/}), a per-composition
 * summary, and the table and maps of the whole grid. Interrupted sweeps resume from the checkpoints; a
 * changed potential or setting recomputes what it affects.
 *
 * <p>Folders: {@code <output>/work/<composition>/r<k>/<task>/} (LAMMPS inputs, logs, extrapolative
 * configurations), {@code <output>/results/} (JSON checkpoints), {@code <output>/ductility.csv} and
 * {@code <output>/maps/*.png}.
 */
public final class DuctilitySweep {
    private final DuctilityConfig cfg;
    private final Path potentialFile;
    private final PrintStream log;
    private final LammpsSetup setup;
    private final LammpsRunner runner;
    private final PropertyCalculator calc;
    private final String potentialKey;
    private final String label;
    private final Path outputDir;
    private final List<String> species;

    // progress
    private long startNanos;
    private int done, cached, total;
    private double computedSeconds;
    private int computedCompositions;
    private double maxGrade;
    private int extrapolative;

    /**
     * @param potentialFile the potential of this sweep (the config's, or the current one of an active-learning round)
     * @param label         a short name for the progress lines ("sweep", "round 2", "oracle", ...)
     */
    public DuctilitySweep(DuctilityConfig cfg, Path potentialFile, String label, PrintStream log) {
        this(cfg, potentialFile, cfg.species, cfg.outputDir, null, label, log);
    }

    /**
     * @param species       the potential's species names in index order
     * @param outputDir     where work/, results/ and the outputs go
     * @param extrapolation force extrapolation control on/off (null: the config's setting)
     */
    public DuctilitySweep(DuctilityConfig cfg, Path potentialFile, List<String> species, Path outputDir, Boolean extrapolation,
                          String label, PrintStream log) {
        this.cfg = cfg;
        this.potentialFile = potentialFile;
        this.log = log;
        this.label = label;
        this.outputDir = outputDir;
        this.species = List.copyOf(species);
        if (cfg.lmp == null)
            throw new IllegalArgumentException("no LAMMPS executable: set lammps.binary in " + cfg.file
                    + " or MTPJAVA_LMP (source build/lammps/env.sh after scripts/lammps-build.sh)");
        if (cfg.plugin == null)
            throw new IllegalArgumentException("no pair_style mtpjava plugin: set lammps.plugin in " + cfg.file + " or MTPJAVA_PLUGIN");
        if (!Files.isExecutable(cfg.lmp)) throw new IllegalArgumentException("LAMMPS executable " + cfg.lmp + " not found or not executable");
        if (!Files.isRegularFile(cfg.plugin)) throw new IllegalArgumentException("plugin " + cfg.plugin + " not found");
        if (!Files.isRegularFile(potentialFile)) throw new IllegalArgumentException("potential " + potentialFile + " not found");
        Potential p = PotentialFiles.read(potentialFile);
        if (p.speciesCount() != species.size())
            throw new IllegalArgumentException("potential " + potentialFile + " has " + p.speciesCount() + " species but its species list has "
                    + species.size() + " names " + species);
        Boolean want = extrapolation != null ? extrapolation : cfg.extrapolation;
        boolean extrap = want != null ? want : p.activeSet() != null;
        if (extrap && p.activeSet() == null)
            throw new IllegalArgumentException("extrapolation.enabled = true but " + potentialFile + " has no active set (an .almtp with #MVS)");
        this.setup = new LammpsSetup(cfg.plugin, potentialFile.toAbsolutePath(), species, extrap, cfg.select, cfg.breakThreshold,
                cfg.gradeEvery, new LammpsSetup.Minimizer(cfg.ftol, cfg.maxIterations, cfg.maxEvaluations, cfg.pressureTolerance));
        Path jar = cfg.jar != null ? cfg.jar : ownJar();
        this.runner = new LammpsRunner(cfg.lmp, cfg.mpirun, cfg.ranks, jar, (long) (cfg.timeoutMinutes * 60));
        this.calc = new PropertyCalculator(cfg, setup, runner, workDir());
        this.potentialKey = Checkpoints.key(PropertyCalculator.METHOD_VERSION, Checkpoints.fileKey(potentialFile), species, extrap, cfg.select, cfg.breakThreshold, cfg.gradeEvery);
    }

    /** The jar this class was loaded from (the pair style loads the same code). */
    static Path ownJar() {
        try {
            Path p = Path.of(DuctilitySweep.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) return p;
        } catch (URISyntaxException | SecurityException | NullPointerException ignored) {
            // fall through
        }
        String env = System.getenv("MTPJAVA_JAR");
        if (env != null && Files.isRegularFile(Path.of(env))) return Path.of(env);
        throw new IllegalArgumentException("cannot tell which mtpjava jar LAMMPS should load: run from the jar or set lammps.jar");
    }

    public boolean extrapolation() { return setup.extrapolation(); }
    public Path outputDir() { return outputDir; }
    public Path workDir() { return outputDir.resolve("work"); }
    public Path resultsDir() { return outputDir.resolve("results"); }
    public double maxGrade() { return maxGrade; }
    public int extrapolativeConfigurations() { return extrapolative; }

    /** Runs the given compositions (computing what is not checkpointed) and returns their summaries. */
    public List<Summary> run(List<Composition> comps) {
        startNanos = System.nanoTime();
        total = comps.size();
        done = cached = 0;
        List<Summary> out = new ArrayList<>();
        for (Composition c : comps) {
            long t0 = System.nanoTime();
            boolean[] computedAny = {false};
            Summary s = composition(c, computedAny);
            out.add(s);
            done++;
            if (computedAny[0]) {
                computedSeconds += (System.nanoTime() - t0) * 1e-9;
                computedCompositions++;
            } else cached++;
            progress(c.label() + " " + s.status() + (Double.isNaN(s.dOverDc()) ? "" : String.format(Locale.ROOT, " D/Dc %.3f", s.dOverDc())));
        }
        return out;
    }

    private Summary composition(Composition c, boolean[] computedAny) {
        Path rdir = resultsDir().resolve(c.label());
        List<Results.Bulk> bulks = new ArrayList<>();
        for (int r = 1; r <= cfg.realisations; r++) {
            int rr = r;
            String key = Checkpoints.key(potentialKey, "bulk", c.label(), r, cfg.atoms, cfg.seed, cfg.strains, cfg.ftol,
                    cfg.maxIterations, cfg.maxEvaluations, cfg.pressureTolerance, cfg.boxRounds);
            bulks.add(task(rdir.resolve("bulk-r" + r + ".json"), key, Results.Bulk.class, computedAny, c, "bulk r" + r,
                    () -> calc.bulk(c, rr), Results.Bulk::run));
        }
        double[] a0s = bulks.stream().filter(b -> b.run().ok() && !Double.isNaN(b.a0())).mapToDouble(Results.Bulk::a0).toArray();
        List<Results.Surface> s100 = new ArrayList<>(), s110 = new ArrayList<>();
        List<Results.Gsf> gsfs = new ArrayList<>();
        if (a0s.length == cfg.realisations) {
            double a0 = ElasticConstants.mean(a0s);
            String a0s12 = String.format(Locale.ROOT, "%.12f", a0);
            for (int r = 1; r <= cfg.realisations; r++) {
                int rr = r;
                String common = Checkpoints.key(potentialKey, c.label(), r, a0s12, cfg.atoms, cfg.seed, cfg.ftol, cfg.maxIterations, cfg.maxEvaluations);
                s100.add(task(rdir.resolve("surface100-r" + r + ".json"), Checkpoints.key(common, "surface100", cfg.surfaceLayers, cfg.vacuum),
                        Results.Surface.class, computedAny, c, "surface{100} r" + r,
                        () -> calc.surface(c, rr, BccCell.Orientation.CUBIC, a0), Results.Surface::run));
                s110.add(task(rdir.resolve("surface110-r" + r + ".json"), Checkpoints.key(common, "surface110", cfg.surfaceLayers, cfg.vacuum),
                        Results.Surface.class, computedAny, c, "surface{110} r" + r,
                        () -> calc.surface(c, rr, BccCell.Orientation.O110, a0), Results.Surface::run));
                gsfs.add(task(rdir.resolve("gsf-r" + r + ".json"), Checkpoints.key(common, "gsf", cfg.gsfLayers, cfg.gsfPlanes, cfg.shifts),
                        Results.Gsf.class, computedAny, c, "gsf r" + r, () -> calc.gsf(c, rr, a0), Results.Gsf::run));
            }
        }
        Summary s = Summary.of(c, bulks, s100, s110, gsfs, cfg.criticalD, cfg.ductileBelow, DuctilityIndex.DEFAULT);
        Checkpoints.save(rdir.resolve("summary.json"), potentialKey, s);
        return s;
    }

    private <T> T task(Path file, String key, Class<T> type, boolean[] computedAny, Composition c, String what,
                       Supplier<T> compute, java.util.function.Function<T, Results.RunInfo> info) {
        Optional<T> old = Checkpoints.load(file, key, type);
        if (old.isPresent() && !info.apply(old.get()).status().equals("FAILED")) {
            note(info.apply(old.get()));
            return old.get();
        }
        progress(c.label() + " " + what + " ...");
        T result = compute.get();
        computedAny[0] = true;
        Results.RunInfo ri = info.apply(result);
        note(ri);
        Checkpoints.save(file, key, result);
        if (!ri.ok()) log.println("[" + label + "] " + c.label() + " " + what + ": " + ri.status() + ": " + ri.message());
        return result;
    }

    private void note(Results.RunInfo r) {
        maxGrade = Math.max(maxGrade, r.maxGrade());
        extrapolative += r.extrapolative();
    }

    private void progress(String now) {
        double elapsed = (System.nanoTime() - startNanos) * 1e-9;
        int remaining = total - done;
        String eta = computedCompositions == 0 ? "?" : hms(remaining * computedSeconds / computedCompositions);
        String grade = setup.extrapolation() ? String.format(Locale.ROOT, ", max grade %.3g (%d cfgs > select %s)", maxGrade, extrapolative,
                LammpsScripts.num(cfg.select)) : "";
        log.printf(Locale.ROOT, "[%s] %d/%d compositions (%d from checkpoints), elapsed %s, ETA %s%s | %s%n",
                label, done, total, cached, hms(elapsed), eta, grade, now);
        log.flush();
    }

    static String hms(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", t / 3600, (t / 60) % 60, t % 60)
                : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
    }

    /** Summaries of the compositions found in the results folder (merge step); missing ones are skipped. */
    public static List<Summary> collect(DuctilityConfig cfg, List<Composition> comps, PrintStream log) {
        return collect(cfg.outputDir, comps, log);
    }

    public static List<Summary> collect(Path outputDir, List<Composition> comps, PrintStream log) {
        List<Summary> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Composition c : comps) {
            Optional<Summary> s = Checkpoints.loadAny(outputDir.resolve("results").resolve(c.label()).resolve("summary.json"), Summary.class);
            if (s.isPresent()) out.add(s.get());
            else missing.add(c.label());
        }
        if (!missing.isEmpty()) log.println("[merge] no results yet for " + missing.size() + " composition(s): " + String.join(", ", missing));
        return out;
    }

    /** Writes the CSV table and the PNG maps of the summaries. */
    public static void writeOutputs(DuctilityConfig cfg, List<Summary> rows, PrintStream log, String title) {
        writeOutputs(cfg.outputDir, cfg.ductileBelow, rows, log, title);
    }

    public static void writeOutputs(Path outputDir, double ductileBelow, List<Summary> rows, PrintStream log, String title) {
        StringBuilder sb = new StringBuilder(Summary.csvHeader()).append('\n');
        for (Summary s : rows) sb.append(s.csvRow()).append('\n');
        Path csv = outputDir.resolve("ductility.csv");
        AtomicFiles.writeString(csv, sb.toString());
        Path maps = outputDir.resolve("maps");
        List<Path> pngs = TernaryMaps.writeAll(maps, rows, ductileBelow, title);
        log.println("[ductility] table: " + csv);
        for (Path p : pngs) log.println("[ductility] map: " + p);
    }
}
