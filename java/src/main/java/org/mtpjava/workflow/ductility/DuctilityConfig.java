package org.mtpjava.workflow.ductility;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The study's configuration ({@code ductility.toml}); every path is relative to the file's folder. See
 * {@code examples/monbta-ductility/ductility.toml} for the documented defaults. {@link #quick()} gives the
 * {@code --quick} variant (the {@code [quick]} table's overrides: about 2,000 atoms, 25 % grid, one realisation).
 */
public final class DuctilityConfig {
    public Path file;
    public Path baseDir;

    // [potential]
    public Path potential;
    public List<String> species;

    // [grid]
    public double step = 0.1;
    public List<Composition> explicitCompositions = List.of();

    // [cells]
    public int atoms = 10000;
    public int realisations = 3;
    public long seed = 2022;
    public int surfaceLayers = 24;
    public int gsfLayers = 24;
    public double vacuum = 12.0;

    // [elastic]
    public double[] strains = {0.001, 0.002};

    // [gsf]
    public int gsfPlanes = 3;
    public double[] shifts = {0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1.0};

    // [relax]
    public double ftol = 1e-4;
    public int maxIterations = 5000;
    public int maxEvaluations = 20000;
    public double pressureTolerance = 10.0;
    public int boxRounds = 20;

    // [lammps]
    public Path lmp;
    public Path plugin;
    public List<String> mpirun = List.of("mpirun");
    public int ranks = 1;
    public double timeoutMinutes = 0;
    public Path jar;

    // [extrapolation]
    /** null = automatic (on when the potential has an active set). */
    public Boolean extrapolation;
    public double select = 2.1;
    public double breakThreshold = 10.0;
    public int gradeEvery = 1;

    // [ductility]
    public double criticalD = DuctilityIndex.SEED_CRITICAL;
    public double ductileBelow = DuctilityIndex.SEED_DUCTILE_RATIO;

    // [output]
    public Path outputDir;

    // [slurm]
    public String slurmPartition = "";
    public String slurmAccount = "";
    public String slurmTime = "24:00:00";
    public List<String> slurmSetup = List.of();

    /** Overrides of the [quick] table. */
    private TomlTable quickTable;
    public boolean isQuick;

    /** The oracle/active-learning sections, read by the active-learning loop. */
    public ActiveLearningConfig activeLearning;

    public static DuctilityConfig read(Path file) {
        TomlTable t = TomlTable.read(file);
        DuctilityConfig c = new DuctilityConfig();
        c.file = file.toAbsolutePath().normalize();
        c.baseDir = c.file.getParent();
        c.load(t);
        t.checkUnused();
        c.validate();
        return c;
    }

    /** Parses configuration text (tests); paths are relative to {@code baseDir}. */
    public static DuctilityConfig parse(String text, Path baseDir) {
        TomlTable t = TomlTable.parse(text, "ductility.toml");
        DuctilityConfig c = new DuctilityConfig();
        c.baseDir = baseDir.toAbsolutePath().normalize();
        c.file = c.baseDir.resolve("ductility.toml");
        c.load(t);
        t.checkUnused();
        c.validate();
        return c;
    }

    Path resolve(String p) { return p == null || p.isEmpty() ? null : baseDir.resolve(p).normalize(); }

    private void load(TomlTable t) {
        TomlTable pot = t.table("potential");
        potential = resolve(pot.string("file", null));
        species = pot.strings("species", null);

        TomlTable grid = t.table("grid");
        step = grid.number("step", step);
        List<String> labels = grid.strings("compositions", List.of());
        List<Composition> comps = new ArrayList<>();
        for (String l : labels) comps.add(Composition.parse(l));
        explicitCompositions = comps;

        cells(t.table("cells"));
        elastic(t.table("elastic"));
        gsf(t.table("gsf"));
        relax(t.table("relax"));

        TomlTable lam = t.table("lammps");
        lmp = pathOrEnv(lam.string("binary", null), "MTPJAVA_LMP");
        plugin = pathOrEnv(lam.string("plugin", null), "MTPJAVA_PLUGIN");
        String mpi = lam.string("mpirun", null);
        if (mpi == null) mpi = System.getenv("MTPJAVA_MPIRUN");
        if (mpi != null && !mpi.isBlank()) mpirun = Arrays.asList(mpi.trim().split("\\s+"));
        ranks = lam.integer("ranks", ranks);
        timeoutMinutes = lam.number("timeout_minutes", timeoutMinutes);
        jar = resolve(lam.string("jar", null));

        TomlTable ex = t.table("extrapolation");
        if (ex.has("enabled")) {
            try {
                extrapolation = ex.bool("enabled", false);
            } catch (IllegalArgumentException e) {
                String v = ex.string("enabled", "auto");
                if (!v.equals("auto")) throw new IllegalArgumentException(file + ": extrapolation.enabled must be true, false or \"auto\"");
                extrapolation = null;
            }
        }
        select = ex.number("select", select);
        breakThreshold = ex.number("break", breakThreshold);
        gradeEvery = ex.integer("every", gradeEvery);

        TomlTable d = t.table("ductility");
        criticalD = d.number("critical", criticalD);
        ductileBelow = d.number("ductile_below", ductileBelow);

        TomlTable out = t.table("output");
        outputDir = resolve(out.string("dir", "run"));

        TomlTable sl = t.table("slurm");
        slurmPartition = sl.string("partition", slurmPartition);
        slurmAccount = sl.string("account", slurmAccount);
        slurmTime = sl.string("time", slurmTime);
        slurmSetup = sl.strings("setup", slurmSetup);

        quickTable = t.table("quick");
        // read the quick overrides once now so unknown keys are reported at load time
        DuctilityConfig probe = shallowCopy();
        probe.applyQuick(quickTable);

        activeLearning = ActiveLearningConfig.read(t, this);
    }

    private void cells(TomlTable c) {
        atoms = c.integer("atoms", atoms);
        realisations = c.integer("realisations", realisations);
        seed = c.longValue("seed", seed);
        surfaceLayers = c.integer("surface_layers", surfaceLayers);
        gsfLayers = c.integer("gsf_layers", gsfLayers);
        vacuum = c.number("vacuum", vacuum);
    }

    private void elastic(TomlTable e) { strains = e.numbers("strains", strains); }

    private void gsf(TomlTable g) {
        gsfPlanes = g.integer("planes", gsfPlanes);
        shifts = g.numbers("shifts", shifts);
    }

    private void relax(TomlTable r) {
        ftol = r.number("ftol", ftol);
        maxIterations = r.integer("max_iterations", maxIterations);
        maxEvaluations = r.integer("max_evaluations", maxEvaluations);
        pressureTolerance = r.number("pressure_tolerance", pressureTolerance);
        boxRounds = r.integer("box_rounds", boxRounds);
    }

    private void applyQuick(TomlTable q) {
        atoms = q.integer("atoms", 2000);
        step = q.number("step", 0.25);
        realisations = q.integer("realisations", 1);
        strains = q.numbers("strains", new double[]{0.002});
        gsfPlanes = q.integer("planes", 1);
        shifts = q.numbers("shifts", new double[]{0, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7});
        surfaceLayers = q.integer("surface_layers", 16);
        gsfLayers = q.integer("gsf_layers", 16);
        ftol = q.number("ftol", 1e-3);
        String dir = q.string("dir", null);
        outputDir = dir != null ? resolve(dir) : outputDir.resolveSibling(outputDir.getFileName() + "-quick");
        explicitCompositions = List.of();
        isQuick = true;
    }

    private Path pathOrEnv(String value, String env) {
        if (value != null && !value.isEmpty()) return resolve(value);
        String e = System.getenv(env);
        return e == null || e.isEmpty() ? null : Path.of(e);
    }

    private DuctilityConfig shallowCopy() {
        DuctilityConfig c = new DuctilityConfig();
        c.file = file; c.baseDir = baseDir; c.potential = potential; c.species = species; c.step = step;
        c.explicitCompositions = explicitCompositions; c.atoms = atoms; c.realisations = realisations; c.seed = seed;
        c.surfaceLayers = surfaceLayers; c.gsfLayers = gsfLayers; c.vacuum = vacuum; c.strains = strains.clone();
        c.gsfPlanes = gsfPlanes; c.shifts = shifts.clone(); c.ftol = ftol; c.maxIterations = maxIterations;
        c.maxEvaluations = maxEvaluations; c.pressureTolerance = pressureTolerance; c.boxRounds = boxRounds;
        c.lmp = lmp; c.plugin = plugin; c.mpirun = mpirun; c.ranks = ranks; c.timeoutMinutes = timeoutMinutes;
        c.jar = jar; c.extrapolation = extrapolation; c.select = select; c.breakThreshold = breakThreshold;
        c.gradeEvery = gradeEvery; c.criticalD = criticalD; c.ductileBelow = ductileBelow; c.outputDir = outputDir;
        c.quickTable = quickTable; c.isQuick = isQuick; c.activeLearning = activeLearning;
        c.slurmPartition = slurmPartition; c.slurmAccount = slurmAccount; c.slurmTime = slurmTime; c.slurmSetup = slurmSetup;
        return c;
    }

    /** The --quick variant of this configuration. */
    public DuctilityConfig quick() {
        DuctilityConfig c = shallowCopy();
        c.applyQuick(quickTable);
        c.validate();
        return c;
    }

    /** The compositions of the study: the explicit list if given, otherwise the grid. */
    public List<Composition> compositions() {
        return explicitCompositions.isEmpty() ? Composition.grid(step) : explicitCompositions;
    }

    public void validate() {
        boolean learning = activeLearning != null && activeLearning.enabled;
        if (potential == null && !learning)
            throw new IllegalArgumentException(file + ": potential.file is required (or [active_learning] enabled = true to learn one)");
        if (potential != null && (species == null || species.isEmpty()))
            throw new IllegalArgumentException(file + ": potential.species is required (the potential's species names in index order, e.g. [\"Nb\", \"Mo\", \"Ta\", \"W\"])");
        if (potential != null)
            for (String e : Composition.ELEMENTS)
                if (!species.contains(e)) throw new IllegalArgumentException(file + ": potential.species " + species + " must include " + e);
        if (atoms < 16) throw new IllegalArgumentException(file + ": cells.atoms must be >= 16, got " + atoms);
        if (realisations < 1) throw new IllegalArgumentException(file + ": cells.realisations must be >= 1");
        if (surfaceLayers < 4 || surfaceLayers % 2 != 0) throw new IllegalArgumentException(file + ": cells.surface_layers must be even and >= 4");
        if (gsfLayers < 4 || gsfLayers % 2 != 0) throw new IllegalArgumentException(file + ": cells.gsf_layers must be even and >= 4");
        if (!(vacuum >= 8)) throw new IllegalArgumentException(file + ": cells.vacuum must be >= 8 Å (more than the cutoff), got " + vacuum);
        if (strains.length == 0) throw new IllegalArgumentException(file + ": elastic.strains must not be empty");
        for (double s : strains) if (!(s > 0 && s < 0.05)) throw new IllegalArgumentException(file + ": elastic.strains must lie in (0, 0.05), got " + s);
        if (gsfPlanes < 1) throw new IllegalArgumentException(file + ": gsf.planes must be >= 1");
        if (shifts.length < 3 || shifts[0] != 0) throw new IllegalArgumentException(file + ": gsf.shifts needs >= 3 values starting with 0 (units of b)");
        for (int k = 1; k < shifts.length; k++)
            if (!(shifts[k] > shifts[k - 1]) || shifts[k] > 1) throw new IllegalArgumentException(file + ": gsf.shifts must ascend within [0, 1]");
        if (!(ftol > 0)) throw new IllegalArgumentException(file + ": relax.ftol must be > 0");
        if (boxRounds < 1) throw new IllegalArgumentException(file + ": relax.box_rounds must be >= 1");
        if (ranks < 1) throw new IllegalArgumentException(file + ": lammps.ranks must be >= 1");
        if (!(select > 0) || !(breakThreshold > select))
            throw new IllegalArgumentException(file + ": extrapolation needs 0 < select < break, got select " + select + ", break " + breakThreshold);
        if (gradeEvery < 1) throw new IllegalArgumentException(file + ": extrapolation.every must be >= 1");
        if (!(criticalD > 0) || !(ductileBelow > 0)) throw new IllegalArgumentException(file + ": ductility.critical and ductile_below must be > 0");
        Composition.grid(step); // checks the step
    }
}
