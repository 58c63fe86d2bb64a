package org.mtpjava.workflow.ductility;

import java.nio.file.Path;
import java.util.List;

/**
 * The oracle and active-learning sections of {@code ductility.toml}:
 * <pre>
 * [oracle]                       # labels configurations: {in} = .cfg to label, {out} = .cfg to write
 * command = "..."                # a shell command template; {in}, {out}, {dir}, {jar} are substituted
 * timeout_minutes = 600
 * stand_in = true                # the oracle is a potential standing in for DFT (labelled so in every output)
 *
 * [training]                     # the potential being learned
 * species = ["Nb", "Mo", "Ta"]   # its species (cfg types 0, 1, 2 in this order; the oracle gets them as {species})
 * template = ""                  # an untrained .almtp/.mtp, or empty: generated with level/max_dist/radial_basis_size
 * level = 12
 * max_dist = 4.7
 * radial_basis_size = 8
 * iteration_limit = 1000
 * args = []                      # extra options of `mtpjava train` (weights, ...)
 * threads = 2
 *
 * [active_learning]
 * enabled = false
 * max_rounds = 10
 * initial_configurations = 48    # small random-alloy cells the driver generates and the oracle labels
 * initial_max_atoms = 100
 * cut = "cluster"                # "cluster": non-periodic clusters (MLIP cut_extrapolative_nbh); "periodic": small
 *                                #   periodic cells (al.PeriodicCut; the atom's neighbourhood within max_dist kept exactly)
 * cut_cutoff = 7.0               # Å: the cluster radius, or the periodic cells' half-width (> max_dist)
 * reference = true               # with a stand-in oracle potential: sweep it too and write the comparison table
 * initial_probes = false         # also start from property probes of every composition of the grid (PropertyProbes):
 *                                #   a cubic bulk cell unstrained and at ± probe_strains of the modes xx (C11, C12)
 *                                #   and yz (C44), and a {110} cell unfaulted and at the fault shifts probe_shifts
 * accuracy_check = false         # when a sweep has no grade above select: label a fresh probe set (new seed per
 *                                #   round), compare the learned C11/C12/C44 and γ(s) with the oracle's
 *                                #   (AccuracyCheck, al/accuracy-round-N.csv); if a composition is outside the
 *                                #   tolerances, add its probes to the training set, retrain and sweep again
 * probe_strains = [0.005]        # strain magnitudes of the bulk probes, each in (0, 0.05), applied as + and −
 * probe_shifts = [0.3, 0.4, 0.5] # fault shifts s/b of the {110} probes, each in (0, 1)
 * probe_rattle = 0.01            # Å, Gaussian displacements of the probe cells (shared by a cell's variants)
 * accuracy_cij = 0.05            # relative tolerance of C11, C12, C44 in the accuracy check
 * accuracy_gamma = 0.05          # relative tolerance of the fault energies γ(s) in the accuracy check
 * </pre>
 * initial_max_atoms must be >= 24 (the {110} fault cells have 8 planes). With the defaults the probes are 9
 * configurations per composition (1 + 4 strained + 1 + 3 faulted), bulk 54 and fault 96 atoms at 100 atoms.
 */
public final class ActiveLearningConfig {
    public String oracleCommand;
    public double oracleTimeoutMinutes = 600;
    public boolean standIn;

    public Path trainingTemplate;
    public List<String> trainingSpecies = List.of("Nb", "Mo", "Ta");
    public int level = 12;
    public double maxDist = 4.7;
    public int radialBasisSize = 8;
    public List<String> trainArgs = List.of();
    public Path oraclePotential;
    public List<String> oracleSpecies;
    public int oracleBatch = 0;
    public boolean reference = true;
    public int iterationLimit = 1000;
    public int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    public boolean enabled;
    public int maxRounds = 10;
    public int initialConfigurations = 48;
    public int initialMaxAtoms = 100;
    public String cut = "cluster";
    public double cutCutoff = 7.0;
    public int selectBatch = 0;
    public boolean initialProbes;
    public boolean accuracyCheck;
    public double[] probeStrains = {0.005};
    public double[] probeShifts = {0.3, 0.4, 0.5};
    public double probeRattle = 0.01;
    public double accuracyCij = 0.05;
    public double accuracyGamma = 0.05;

    static ActiveLearningConfig read(TomlTable root, DuctilityConfig owner) {
        ActiveLearningConfig c = new ActiveLearningConfig();
        TomlTable o = root.table("oracle");
        c.oracleCommand = o.string("command", null);
        c.oracleTimeoutMinutes = o.number("timeout_minutes", c.oracleTimeoutMinutes);
        c.standIn = o.bool("stand_in", false);
        c.oraclePotential = owner.resolve(o.string("potential", null));
        c.oracleSpecies = o.strings("species", null);
        c.oracleBatch = o.integer("batch_size", c.oracleBatch);
        TomlTable t = root.table("training");
        c.trainingTemplate = owner.resolve(t.string("template", null));
        c.trainingSpecies = t.strings("species", c.trainingSpecies);
        c.level = t.integer("level", c.level);
        c.maxDist = t.number("max_dist", c.maxDist);
        c.radialBasisSize = t.integer("radial_basis_size", c.radialBasisSize);
        c.trainArgs = t.strings("args", c.trainArgs);
        c.iterationLimit = t.integer("iteration_limit", c.iterationLimit);
        c.threads = t.integer("threads", c.threads);
        TomlTable a = root.table("active_learning");
        c.enabled = a.bool("enabled", false);
        c.maxRounds = a.integer("max_rounds", c.maxRounds);
        c.initialConfigurations = a.integer("initial_configurations", c.initialConfigurations);
        c.initialMaxAtoms = a.integer("initial_max_atoms", c.initialMaxAtoms);
        c.cut = a.string("cut", c.cut);
        c.cutCutoff = a.number("cut_cutoff", c.cutCutoff);
        c.selectBatch = a.integer("select_batch", c.selectBatch);
        c.reference = a.bool("reference", c.reference);
        c.initialProbes = a.bool("initial_probes", false);
        c.accuracyCheck = a.bool("accuracy_check", false);
        c.probeStrains = a.numbers("probe_strains", c.probeStrains);
        c.probeShifts = a.numbers("probe_shifts", c.probeShifts);
        c.probeRattle = a.number("probe_rattle", c.probeRattle);
        c.accuracyCij = a.number("accuracy_cij", c.accuracyCij);
        c.accuracyGamma = a.number("accuracy_gamma", c.accuracyGamma);
        for (String e : Composition.ELEMENTS)
            if (!c.trainingSpecies.contains(e)) throw new IllegalArgumentException(owner.file + ": training.species " + c.trainingSpecies + " must include " + e);
        if (c.level < 2 || c.level % 2 != 0) throw new IllegalArgumentException(owner.file + ": training.level must be even and >= 2");
        if (!(c.maxDist > 2)) throw new IllegalArgumentException(owner.file + ": training.max_dist must be > 2 Å");
        if (c.oracleBatch < 0) throw new IllegalArgumentException(owner.file + ": oracle.batch_size must be >= 0 (0 = all in one call)");
        if (c.oraclePotential != null && c.oracleSpecies == null)
            throw new IllegalArgumentException(owner.file + ": oracle.potential needs oracle.species (its species names in index order)");
        if (!c.cut.equals("cluster") && !c.cut.equals("periodic"))
            throw new IllegalArgumentException(owner.file + ": active_learning.cut must be \"cluster\" or \"periodic\", got \"" + c.cut + "\"");
        if (c.cut.equals("periodic") && !(c.cutCutoff > c.maxDist))
            throw new IllegalArgumentException(owner.file + ": active_learning.cut = \"periodic\" needs cut_cutoff (the cells' half-width, "
                    + c.cutCutoff + " A) larger than training.max_dist (" + c.maxDist + " A), ideally by half a nearest-neighbour distance");
        if (c.enabled && (c.oracleCommand == null || c.oracleCommand.isBlank()))
            throw new IllegalArgumentException(owner.file + ": active_learning.enabled needs oracle.command");
        if (c.maxRounds < 1) throw new IllegalArgumentException(owner.file + ": active_learning.max_rounds must be >= 1");
        if (c.initialConfigurations < 1) throw new IllegalArgumentException(owner.file + ": active_learning.initial_configurations must be >= 1");
        // the smallest generated starting cell is the 8-plane {110} stacking-fault cell (24 atoms)
        if (c.initialMaxAtoms < InitialSet.MIN_ATOMS)
            throw new IllegalArgumentException(owner.file + ": active_learning.initial_max_atoms must be >= " + InitialSet.MIN_ATOMS
                    + " (the {110} stacking-fault starting cell has 8 planes), got " + c.initialMaxAtoms);
        if (c.iterationLimit < 0) throw new IllegalArgumentException(owner.file + ": training.iteration_limit must be >= 0");
        if (c.threads < 1) throw new IllegalArgumentException(owner.file + ": training.threads must be >= 1");
        if (!(c.cutCutoff > 0)) throw new IllegalArgumentException(owner.file + ": active_learning.cut_cutoff must be > 0");
        c.validateProbes(owner);
        if (!(c.oracleTimeoutMinutes >= 0)) throw new IllegalArgumentException(owner.file + ": oracle.timeout_minutes must be >= 0");
        return c;
    }

    private void validateProbes(DuctilityConfig owner) {
        String at = owner.file + ": active_learning.";
        if (probeStrains.length == 0) throw new IllegalArgumentException(at + "probe_strains must not be empty");
        for (double e : probeStrains)
            if (!(e > 0 && e < 0.05))
                throw new IllegalArgumentException(at + "probe_strains must lie in (0, 0.05) (magnitudes; each is applied as + and -), got " + e);
        if (probeShifts.length == 0) throw new IllegalArgumentException(at + "probe_shifts must not be empty");
        for (double s : probeShifts)
            if (!(s > 0 && s < 1))
                throw new IllegalArgumentException(at + "probe_shifts must lie in (0, 1) (units of b; the unfaulted cell is always included), got " + s);
        if (!(probeRattle >= 0 && probeRattle < 0.1))
            throw new IllegalArgumentException(at + "probe_rattle must lie in [0, 0.1) A, got " + probeRattle);
        if (!(accuracyCij > 0)) throw new IllegalArgumentException(at + "accuracy_cij must be > 0 (a relative tolerance), got " + accuracyCij);
        if (!(accuracyGamma > 0))
            throw new IllegalArgumentException(at + "accuracy_gamma must be > 0 (a relative tolerance), got " + accuracyGamma);
    }
}
