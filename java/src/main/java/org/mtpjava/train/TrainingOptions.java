package org.mtpjava.train;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one training run: MLIP-3's {@code mlp train} options (maths.md §8.1) plus mtpjava's run controls.
 * Fields are public for simple construction; {@link #numericsDiffer} lists the ones that change the numbers.
 */
public final class TrainingOptions {
    /** Loss weights ({@code --energy-weight}, {@code --force-weight}, ...). */
    public LossWeights weights = LossWeights.mlipDefaults();
    /** Main BFGS steps ({@code --iteration-limit}, MLIP default 1000; 0 = no fitting). */
    public int iterationLimit = 1000;
    /** Stop when the relative loss decrease over 50 steps is below this (checked every 50 steps after step 100). */
    public double tolerance = 1e-3;
    /** Random radial coefficients for an untrained potential ({@code --init-random}). */
    public boolean initRandom = false;
    /** Seed of {@code --init-random} (MLIP-3 seeds from the OS; mtpjava is reproducible). */
    public long seed = 1;
    /** Keep min_dist ({@code --no-mindist-update}); otherwise Rmin := 0.99 x the smallest distance in the data. */
    public boolean noMindistUpdate = false;
    /** Skip LinOptimize/Rescale/75-step pre-training of an untrained potential (MLIP's undocumented skip_preinit). */
    public boolean skipPreinit = false;
    /** Selection mode of a new active set ({@code --al-mode cfg|nbh}) when the input has no #MVS block. */
    public String alMode = "cfg";
    /** Missing energies/forces where their weight is non-zero: drop the terms (MLIP) instead of stopping. */
    public boolean allowMissing = false;
    /**
     * Widen the magnetic basis interval [min, max] to the smallest and largest collinear moment of the training
     * data when they lie outside it ({@code --auto-minmax-magmom}; MLIP-3's {@code auto_minmax_magmom}, default off).
     */
    public boolean autoMinmaxMagmom = false;

    // run controls (do not change the numbers)
    /** Worker threads. */
    public int threads = Runtime.getRuntime().availableProcessors();
    /** Checkpoint every this many BFGS iterations (0 = only on a signal). */
    public int checkpointEvery = 10;
    /** Evaluate the validation set every this many iterations. */
    public int validEvery = 1;
    /** Test hook: behave as if interrupted after this many BFGS iterations in total (-1 = never). */
    public int stopAfterIterations = -1;
    /**
     * Compressed training ({@code org.mtpjava.compress}): builds the map theta = Phi(x) for the prepared potential;
     * null trains theta itself. Not saved in checkpoints (pass it again when resuming).
     */
    public java.util.function.Function<org.mtpjava.model.Potential, ParameterMap> parameterMap = null;

    /** Steps of BFGS pre-training of an untrained potential (MLIP-3: 75). */
    public static final int PRE_TRAINING_STEPS = 75;

    public TrainingOptions copy() {
        TrainingOptions o = new TrainingOptions();
        o.weights = weights;
        o.iterationLimit = iterationLimit;
        o.tolerance = tolerance;
        o.initRandom = initRandom;
        o.seed = seed;
        o.noMindistUpdate = noMindistUpdate;
        o.skipPreinit = skipPreinit;
        o.alMode = alMode;
        o.allowMissing = allowMissing;
        o.autoMinmaxMagmom = autoMinmaxMagmom;
        o.threads = threads;
        o.checkpointEvery = checkpointEvery;
        o.validEvery = validEvery;
        o.stopAfterIterations = stopAfterIterations;
        o.parameterMap = parameterMap;
        return o;
    }

    public void validate() {
        if (iterationLimit < 0) throw new IllegalArgumentException("--iteration-limit must be >= 0, got " + iterationLimit);
        if (!(tolerance >= 0)) throw new IllegalArgumentException("--tolerance must be >= 0, got " + tolerance);
        if (!alMode.equals("cfg") && !alMode.equals("nbh")) throw new IllegalArgumentException("--al-mode must be cfg or nbh, got '" + alMode + "'");
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must be >= 0");
        if (validEvery < 1) throw new IllegalArgumentException("--valid-every must be >= 1");
    }

    /** Names of the options that affect the result and differ between this and {@code o}. */
    public List<String> numericsDiffer(TrainingOptions o) {
        List<String> d = new ArrayList<>();
        LossWeights a = weights, b = o.weights;
        if (a.energyWeight() != b.energyWeight()) d.add("--energy-weight");
        if (a.forceWeight() != b.forceWeight()) d.add("--force-weight");
        if (a.stressWeight() != b.stressWeight()) d.add("--stress-weight");
        if (a.weightScaling() != b.weightScaling()) d.add("--weight-scaling");
        if (a.weightScalingForces() != b.weightScalingForces()) d.add("--weight-scaling-forces");
        if (a.scaleByForce() != b.scaleByForce()) d.add("--scale-by-force");
        if (a.penaltyWeight() != b.penaltyWeight()) d.add("--penalty-weight");
        if (tolerance != o.tolerance) d.add("--tolerance");
        if (initRandom != o.initRandom) d.add("--init-random");
        if (seed != o.seed) d.add("--seed");
        if (noMindistUpdate != o.noMindistUpdate) d.add("--no-mindist-update");
        if (skipPreinit != o.skipPreinit) d.add("--skip-preinit");
        if (!Objects.equals(alMode, o.alMode)) d.add("--al-mode");
        if (allowMissing != o.allowMissing) d.add("--allow-missing");
        if (a.magneticForceWeight() != b.magneticForceWeight()) d.add("--magnetic-force-weight");
        if (autoMinmaxMagmom != o.autoMinmaxMagmom) d.add("--auto-minmax-magmom");
        return d;
    }

    void write(DataOutput out) throws IOException {
        LossWeights w = weights;
        out.writeDouble(w.energyWeight());
        out.writeDouble(w.forceWeight());
        out.writeDouble(w.stressWeight());
        out.writeInt(w.weightScaling());
        out.writeInt(w.weightScalingForces());
        out.writeDouble(w.scaleByForce());
        out.writeDouble(w.penaltyWeight());
        out.writeInt(iterationLimit);
        out.writeDouble(tolerance);
        out.writeBoolean(initRandom);
        out.writeLong(seed);
        out.writeBoolean(noMindistUpdate);
        out.writeBoolean(skipPreinit);
        out.writeUTF(alMode);
        out.writeBoolean(allowMissing);
        out.writeInt(checkpointEvery);
        out.writeInt(validEvery);
        // since checkpoint version 2
        out.writeDouble(w.magneticForceWeight());
        out.writeBoolean(autoMinmaxMagmom);
    }

    static TrainingOptions read(DataInput in) throws IOException { return read(in, 2); }

    /** Reads what {@link #write} wrote for checkpoint format {@code version} (1: no magnetic options). */
    static TrainingOptions read(DataInput in, int version) throws IOException {
        TrainingOptions o = new TrainingOptions();
        o.weights = new LossWeights(in.readDouble(), in.readDouble(), in.readDouble(), in.readInt(), in.readInt(),
                in.readDouble(), in.readDouble());
        o.iterationLimit = in.readInt();
        o.tolerance = in.readDouble();
        o.initRandom = in.readBoolean();
        o.seed = in.readLong();
        o.noMindistUpdate = in.readBoolean();
        o.skipPreinit = in.readBoolean();
        o.alMode = in.readUTF();
        o.allowMissing = in.readBoolean();
        o.checkpointEvery = in.readInt();
        o.validEvery = in.readInt();
        if (version >= 2) {
            o.weights = o.weights.withMagneticForceWeight(in.readDouble());
            o.autoMinmaxMagmom = in.readBoolean();
        }
        return o;
    }
}
