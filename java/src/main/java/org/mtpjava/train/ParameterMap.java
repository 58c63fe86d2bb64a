package org.mtpjava.train;

import org.mtpjava.model.Potential;

import java.util.function.Consumer;

/**
 * Training over a reduced parameter vector x with theta = Phi(x) (compressed MTPs, {@code org.mtpjava.compress}):
 * the trainer's BFGS runs on x, the loss gradient with respect to theta is computed as usual and pulled back
 * with J^T (J = dPhi/dx). Steps that change theta directly (MLIP's LinOptimize, Rescale) are absorbed through
 * {@link #current}.
 */
public interface ParameterMap {
    /** Dimension of x. */
    int size();

    /** x for the potential's current coefficients; absorbs changes made to them since the last {@link #apply}. */
    double[] current(Potential p);

    /** Sets the potential's coefficients to theta = Phi(x). */
    void apply(double[] x, Potential p);

    /** gx = J^T gTheta at the potential's current point (the last {@link #apply}). */
    void pullBack(Potential p, double[] gTheta, double[] gx);

    /** The optimiser for x (default: MLIP-semantics BFGS). */
    default Optimizer newOptimizer() { return new Bfgs(size()); }

    /** The loss (and, if {@code gradTheta} is not null, its gradient w.r.t. theta) at the potential's current coefficients. */
    @FunctionalInterface
    interface LossProbe {
        double evaluate(double[] gradTheta);
    }

    /**
     * Called after every accepted BFGS iteration ({@code iteration} counts all of them, pre-training included),
     * with the potential at the accepted point. Returns true if it changed {@link #size()} (rank augmentation);
     * the trainer then continues from {@link #current} with {@link #resized}.
     */
    default boolean afterIteration(int iteration, Potential p, LossProbe probe, Consumer<String> log) { return false; }

    /** The optimiser to continue with after {@link #size()} changed (default: a fresh one). */
    default Optimizer resized(Optimizer old) { return newOptimizer(); }

    /** One line for the log: what is trained and how many parameters. */
    String describe(Potential p);
}
