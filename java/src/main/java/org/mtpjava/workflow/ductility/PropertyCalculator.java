package org.mtpjava.workflow.ductility;

import org.mtpjava.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the four property calculations of one random realisation of one composition through LAMMPS with
 * {@code pair_style mtpjava}: bulk (a₀ and C_ij), {100} and {110} surfaces, {110}⟨111⟩ GSF. Each calculation
 * gets its own folder (data file, {@code setup.lmp}, {@code in.lmp}, LAMMPS log and output, extrapolative
 * configurations) which is kept for inspection and can be rerun by hand.
 */
public final class PropertyCalculator {
    /** Bumped whenever a LAMMPS input or its analysis changes, so checkpoints of older methods are recomputed. */
    public static final int METHOD_VERSION = 2;
    /** Initial lattice constants (Å) of Mo, Nb, Ta for the box relaxation (Vegard's rule in between). */
    static final double[] A_GUESS = {3.16, 3.31, 3.32};
    /** Initial bulk moduli and C11 − C12 (GPa) of Mo, Nb, Ta for the box update (rough; refined by secant). */
    static final double[] B_GUESS = {260, 175, 195}, SHEAR_GUESS = {250, 90, 70};
    /** Initial C'33 normal to (110), (C11 + C12 + 2 C44)/2, of Mo, Nb, Ta (GPa) for the GSF height update. */
    static final double[] NORMAL110_GUESS = {400, 220, 280};

    private final DuctilityConfig cfg;
    private final LammpsSetup setup;
    private final LammpsRunner runner;
    private final Path workRoot;

    public PropertyCalculator(DuctilityConfig cfg, LammpsSetup setup, LammpsRunner runner, Path workRoot) {
        this.cfg = cfg;
        this.setup = setup;
        this.runner = runner;
        this.workRoot = workRoot;
    }

    public Path taskDir(Composition c, int realisation, String task) {
        return workRoot.resolve(c.label()).resolve("r" + realisation).resolve(task);
    }

    /** The cubic cell of the bulk calculation. */
    BccCell bulkCell(Composition c, int realisation) {
        int n = Math.max(3, (int) Math.round(Math.cbrt(cfg.atoms / 2.0)));
        double a = 0;
        for (int k = 0; k < 3; k++) a += c.fraction(k) * A_GUESS[k];
        return BccCell.random(BccCell.Orientation.CUBIC, n, n, n, a, c, seed(c, realisation, "bulk"));
    }

    long seed(Composition c, int realisation, String task) {
        return BccCell.seed(cfg.seed, c.label(), Integer.toString(realisation), task);
    }

    /** Repeats of an oriented cell with the given number of z-planes and about cfg.atoms atoms. */
    static int[] repeats(BccCell.Orientation o, int layers, int atoms) {
        int nz = layers / o.planesPerCell();
        double perColumn = (double) o.atomsPerCell() * nz; // atoms per lateral repeat
        double lateral = atoms / perColumn;
        // aspect: make Lx ≈ Ly
        double ratio = o.repeat[1] / o.repeat[0]; // nx/ny for a square plane
        int ny = Math.max(1, (int) Math.round(Math.sqrt(lateral / ratio)));
        int nx = Math.max(2, (int) Math.round(lateral / ny));
        return new int[]{nx, ny, nz};
    }

    /** The slab cell of a surface calculation. */
    BccCell surfaceCell(Composition c, int realisation, BccCell.Orientation o, double a0) {
        int[] r = repeats(o, cfg.surfaceLayers, cfg.atoms);
        return BccCell.random(o, r[0], r[1], r[2], a0, c, seed(c, realisation, "surface" + o.millerZ()));
    }

    /** The {110} cell of the GSF calculation. */
    BccCell gsfCell(Composition c, int realisation, double a0) {
        int[] r = repeats(BccCell.Orientation.O110, cfg.gsfLayers, cfg.atoms);
        return BccCell.random(BccCell.Orientation.O110, r[0], r[1], r[2], a0, c, seed(c, realisation, "gsf"));
    }

    // ---- bulk ----------------------------------------------------------------------------------------------

    public Results.Bulk bulk(Composition c, int realisation) {
        BccCell cell = bulkCell(c, realisation);
        Path dir = prepare(c, realisation, "bulk");
        List<LammpsScripts.Strain> strains = ElasticConstants.cases(cfg.strains);
        write(dir, "bulk.data", cell.lammpsData("bulk " + c.label() + " realisation " + realisation + " seed " + seed(c, realisation, "bulk")));
        double bg = 0, sg = 0;
        for (int k = 0; k < 3; k++) {
            bg += c.fraction(k) * B_GUESS[k];
            sg += c.fraction(k) * SHEAR_GUESS[k];
        }
        write(dir, LammpsScripts.INPUT, LammpsScripts.bulk(setup, "bulk.data", strains, cfg.boxRounds, bg, sg));
        Results.RunInfo run = execute(dir);
        List<Map<String, String>> rec = LammpsRunner.results(dir);
        Map<String, String> ref = last(rec, "REF");
        int rounds = (int) rec.stream().filter(m -> m.get("tag").equals("BOXRELAX")).count();
        double a0 = Double.NaN, epa = Double.NaN;
        double[] box = null, residual = null;
        if (ref != null) {
            int n = Integer.parseInt(ref.get("natoms"));
            double vol = d(ref, "vol");
            a0 = Math.cbrt(2 * vol / n);
            epa = d(ref, "pe") / n;
            box = new double[]{d(ref, "lx"), d(ref, "ly"), d(ref, "lz")};
            residual = new double[]{d(ref, "pxx"), d(ref, "pyy"), d(ref, "pzz")};
            double worst = Math.max(Math.abs(residual[0]), Math.max(Math.abs(residual[1]), Math.abs(residual[2])));
            if (worst > 5 * cfg.pressureTolerance && run.ok())
                run = withMessage(run, String.format(Locale.ROOT, "box relaxation left %.1f bar after %d rounds", worst, rounds));
        }
        List<ElasticConstants.Point> points = new ArrayList<>();
        for (Map<String, String> m : rec) {
            if (!m.get("tag").equals("STRAIN")) continue;
            points.add(new ElasticConstants.Point(m.get("comp"), d(m, "eps"),
                    ElasticConstants.stressFromPressureBar(d(m, "pxx"), d(m, "pyy"), d(m, "pzz"), d(m, "pyz"), d(m, "pxz"), d(m, "pxy"))));
        }
        ElasticConstants.Result elastic = null;
        if (run.ok()) {
            if (points.size() != strains.size())
                run = failed(run, "expected " + strains.size() + " strained cells in results.txt, found " + points.size());
            else elastic = ElasticConstants.fit(points);
        }
        return new Results.Bulk(c.label(), realisation, seed(c, realisation, "bulk"), cell.size(), cell.repeats(), a0, box, epa,
                residual, rounds, points, elastic, run);
    }

    // ---- surfaces ------------------------------------------------------------------------------------------

    public Results.Surface surface(Composition c, int realisation, BccCell.Orientation o, double a0) {
        String plane = o == BccCell.Orientation.CUBIC ? "100" : "110";
        BccCell cell = surfaceCell(c, realisation, o, a0);
        Path dir = prepare(c, realisation, "surface" + plane);
        long seed = seed(c, realisation, "surface" + o.millerZ());
        write(dir, "slab.data", cell.lammpsData("surface {" + plane + "} " + c.label() + " realisation " + realisation + " seed " + seed));
        write(dir, LammpsScripts.INPUT, LammpsScripts.surface(setup, "slab.data", cfg.vacuum));
        Results.RunInfo run = execute(dir);
        List<Map<String, String>> rec = LammpsRunner.results(dir);
        Map<String, String> bulk = last(rec, "BULK"), slab = last(rec, "SLAB");
        double area = cell.box()[0] * cell.box()[1];
        double eb = Double.NaN, es = Double.NaN, gamma = Double.NaN;
        if (bulk != null) {
            eb = d(bulk, "pe");
            double extent = d(bulk, "zmax") - d(bulk, "zmin");
            if (extent > d(bulk, "lz") - 0.5 * cell.planeSpacing())
                run = failed(run, String.format(Locale.ROOT, "atoms crossed the z boundary during the bulk relaxation (extent %.3f of %.3f Å); the slab would be cut through a plane", extent, d(bulk, "lz")));
        }
        if (slab != null && run.ok()) {
            es = d(slab, "pe");
            gamma = (es - eb) / (2 * area) * Units.EV_PER_A2_TO_J_PER_M2;
        }
        return new Results.Surface(c.label(), realisation, seed, plane, cell.size(), cell.planes(), a0, area, eb, es, gamma, run);
    }

    // ---- generalised stacking fault ------------------------------------------------------------------------

    public Results.Gsf gsf(Composition c, int realisation, double a0) {
        BccCell cell = gsfCell(c, realisation, a0);
        Path dir = prepare(c, realisation, "gsf");
        long seed = seed(c, realisation, "gsf");
        int planes = Math.min(cfg.gsfPlanes, cell.planes());
        double[] offsets = new double[planes];
        for (int p = 0; p < planes; p++) offsets[p] = (long) p * (cell.planes() / planes) * cell.planeSpacing();
        double b = a0 * Math.sqrt(3) / 2;
        double[] tilts = new double[cfg.shifts.length];
        for (int k = 0; k < tilts.length; k++) tilts[k] = cfg.shifts[k] * b;
        write(dir, "gsf.data", cell.lammpsData("gsf {110}<111> " + c.label() + " realisation " + realisation + " seed " + seed));
        double normal = 0;
        for (int k = 0; k < 3; k++) normal += c.fraction(k) * NORMAL110_GUESS[k];
        write(dir, LammpsScripts.INPUT, LammpsScripts.gsf(setup, "gsf.data", offsets, tilts, normal, cfg.boxRounds));
        Results.RunInfo run = execute(dir);
        List<Map<String, String>> rec = LammpsRunner.results(dir);
        double area = cell.box()[0] * cell.box()[1];
        List<GsfCurve> curves = new ArrayList<>();
        for (int p = 0; p < planes; p++) {
            double[] e = new double[tilts.length];
            int found = 0;
            for (Map<String, String> m : rec) {
                if (!m.get("tag").equals("GSF") || Integer.parseInt(m.get("plane")) != p) continue;
                double s = d(m, "shift");
                for (int k = 0; k < tilts.length; k++)
                    if (Math.abs(s - tilts[k]) < 1e-6 * Math.max(1, b)) {
                        e[k] = d(m, "pe");
                        found++;
                    }
            }
            if (found == tilts.length) curves.add(GsfCurve.of(p, cfg.shifts, e, area));
        }
        double mean = Double.NaN, spread = Double.NaN;
        if (run.ok()) {
            if (curves.size() != planes) run = failed(run, "expected " + planes + " complete GSF curves, found " + curves.size());
            else {
                double[] g = curves.stream().mapToDouble(GsfCurve::gammaUsf).toArray();
                mean = ElasticConstants.mean(g);
                spread = ElasticConstants.std(g);
            }
        }
        return new Results.Gsf(c.label(), realisation, seed, cell.size(), cell.planes(), a0, area, b, curves, mean, spread, run);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private Path prepare(Composition c, int realisation, String task) {
        Path dir = taskDir(c, realisation, task);
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) { // a stopped run may still be finishing its last writes
            try {
                if (Files.exists(dir)) {
                    try (Stream<Path> s = Files.walk(dir)) {
                        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
                    }
                }
                Files.createDirectories(dir);
                last = null;
                break;
            } catch (IOException | UncheckedIOException e) {
                last = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (last != null)
            throw new UncheckedIOException("cannot clean the task folder " + dir + " (" + last.getClass().getSimpleName() + ": "
                    + last.getMessage() + "); is another run using it?", last);
        write(dir, LammpsScripts.SETUP, LammpsScripts.setup(setup));
        return dir;
    }

    private static void write(Path dir, String name, String text) { AtomicFiles.writeString(dir.resolve(name), text); }

    private Results.RunInfo execute(Path dir) {
        LammpsRunner.Outcome o = runner.run(dir);
        int extrapolative = countConfigurations(dir.resolve(LammpsScripts.DUMP));
        List<Map<String, String>> rec = LammpsRunner.results(dir);
        return new Results.RunInfo(o.status().name(), o.message(), o.wallSeconds(), o.pairSeconds(), o.loopSeconds(),
                o.evaluations(), o.maxGrade(), extrapolative, runner.ranks(), cumulative(rec, "tpair"), cumulative(rec, "tjava"),
                cumulative(rec, "tkern"));
    }

    /**
     * Sum of a per-pair-style cumulative counter over the runs of an input: the counter restarts with every pair
     * style instance (after each clear), so the last value of each instance ({@code pinst}) is added.
     */
    static double cumulative(List<Map<String, String>> rec, String key) {
        Map<String, Double> last = new java.util.LinkedHashMap<>();
        double total = 0, prev = 0;
        for (Map<String, String> m : rec) {
            String v = m.get(key);
            if (v == null) continue;
            double x = Double.parseDouble(v);
            String inst = m.get("pinst");
            if (inst != null) last.put(inst, x);
            else { // older records without instance numbers: count drops as restarts
                if (x < prev) total += prev;
                prev = x;
            }
        }
        if (!last.isEmpty()) return last.values().stream().mapToDouble(Double::doubleValue).sum();
        return total + prev;
    }

    static int countConfigurations(Path cfgFile) {
        if (!Files.exists(cfgFile)) return 0;
        try (Stream<String> lines = Files.lines(cfgFile, StandardCharsets.ISO_8859_1)) {
            return (int) lines.filter(l -> l.strip().equals("BEGIN_CFG")).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static Results.RunInfo failed(Results.RunInfo r, String message) {
        return new Results.RunInfo("FAILED", r.message().isEmpty() ? message : r.message() + "; " + message, r.wallSeconds(),
                r.pairSeconds(), r.loopSeconds(), r.evaluations(), r.maxGrade(), r.extrapolative(), r.ranks(), r.pairStyleSeconds(),
                r.javaSeconds(), r.kernelSeconds());
    }

    private static Results.RunInfo withMessage(Results.RunInfo r, String message) {
        return new Results.RunInfo(r.status(), r.message().isEmpty() ? message : r.message() + "; " + message, r.wallSeconds(),
                r.pairSeconds(), r.loopSeconds(), r.evaluations(), r.maxGrade(), r.extrapolative(), r.ranks(), r.pairStyleSeconds(),
                r.javaSeconds(), r.kernelSeconds());
    }

    private static Map<String, String> last(List<Map<String, String>> rec, String tag) {
        Map<String, String> out = null;
        for (Map<String, String> m : rec) if (m.get("tag").equals(tag)) out = m;
        return out;
    }

    private static double d(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) throw new IllegalStateException("results.txt record " + m.get("tag") + " lacks " + key);
        return Double.parseDouble(v);
    }
}
