package org.mtpjava.train;

/**
 * A reverse-communication minimiser as the trainer drives it (implemented by {@link Bfgs}; compressed training
 * plugs in others, e.g. Riemannian BFGS on the fixed-rank manifold): the caller evaluates f and g at {@link #x()}
 * and passes them to {@link #iterate}; {@link #inLineSearch()} false after a call means the point just evaluated
 * was accepted.
 */
public interface Optimizer {
    int size();
    /** The point to evaluate next (live array; do not modify). */
    double[] x();
    boolean inLineSearch();
    /** Row-major inverse Hessian approximation (live array; saved in checkpoints). */
    double[] inverseHessian();
    void resetHessian();
    /** Starts from x0: the next {@link #iterate} begins a new line search there. */
    void setX(double[] x0);
    /** Takes f and g at {@link #x()} and sets the next point; false if the search cannot descend. */
    boolean iterate(double f, double[] g);
    /** Pulls the current trial back toward the previous one. */
    void reduceStep(double ratio);
    /** The start point of the current line search (the last accepted iterate) and its value. */
    double[] lineSearchStart();
    double lineSearchStartValue();
}
