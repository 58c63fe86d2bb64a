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
 * template = "..."               # an untrained .almtp/.mtp (its level), or empty to start from potential.file
 * iteration_limit = 1000
 * threads = 2
 *
 * [active_learning]
 * enabled = false
 * max_rounds = 10
 * initial_configurations = 48    # small random-alloy cells the driver generates and the oracle labels
 * initial_max_atoms = 100
 * cut = "periodic"               # extrapolative neighbourhoods: "periodic" cells or "cluster"
 * cut_cutoff = 7.0               # Å around the extrapolative atom
 * </pre>
 */
public final class ActiveLearningConfig {
    public String oracleCommand;
    public double oracleTimeoutMinutes = 600;
    public boolean standIn;

    public Path trainingTemplate;
    public int iterationLimit = 1000;
    public int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    public boolean enabled;
    public int maxRounds = 10;
    public int initialConfigurations = 48;
    public int initialMaxAtoms = 100;
    public String cut = "periodic";
    public double cutCutoff = 7.0;
    public int selectBatch = 0;

    static ActiveLearningConfig read(TomlTable root, DuctilityConfig owner) {
        ActiveLearningConfig c = new ActiveLearningConfig();
        TomlTable o = root.table("oracle");
        c.oracleCommand = o.string("command", null);
        c.oracleTimeoutMinutes = o.number("timeout_minutes", c.oracleTimeoutMinutes);
        c.standIn = o.bool("stand_in", false);
        TomlTable t = root.table("training");
        c.trainingTemplate = owner.resolve(t.string("template", null));
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
        if (!List.of("periodic", "cluster").contains(c.cut))
            throw new IllegalArgumentException(owner.file + ": active_learning.cut must be \"periodic\" or \"cluster\", got \"" + c.cut + "\"");
        if (c.enabled && (c.oracleCommand == null || c.oracleCommand.isBlank()))
            throw new IllegalArgumentException(owner.file + ": active_learning.enabled needs oracle.command");
        if (c.maxRounds < 1) throw new IllegalArgumentException(owner.file + ": active_learning.max_rounds must be >= 1");
        if (c.initialConfigurations < 1) throw new IllegalArgumentException(owner.file + ": active_learning.initial_configurations must be >= 1");
        if (c.initialMaxAtoms < 2) throw new IllegalArgumentException(owner.file + ": active_learning.initial_max_atoms must be >= 2");
        if (c.iterationLimit < 0) throw new IllegalArgumentException(owner.file + ": training.iteration_limit must be >= 0");
        if (c.threads < 1) throw new IllegalArgumentException(owner.file + ": training.threads must be >= 1");
        if (!(c.cutCutoff > 0)) throw new IllegalArgumentException(owner.file + ": active_learning.cut_cutoff must be > 0");
        if (!(c.oracleTimeoutMinutes >= 0)) throw new IllegalArgumentException(owner.file + ": oracle.timeout_minutes must be >= 0");
        return c;
    }
}
