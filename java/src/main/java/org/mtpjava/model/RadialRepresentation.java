package org.mtpjava.model;

/**
 * A factorised (compressed) radial tensor: the dense radial coefficients c of a {@link Potential} are a function
 * of fewer stored numbers (matrix or tensor-train factors, {@code org.mtpjava.compress}). The potential keeps the
 * dense array materialised, so the evaluator, trainer and active set read c as for any MTP; file writers store
 * the factors instead of c.
 */
public interface RadialRepresentation {
    /** Short method name as written in files ({@code mf}, {@code tf}, {@code rmf}). */
    String method();

    /** Number of independent radial parameters (the compressed count reported by the tools). */
    int parameterCount();

    /** Writes the dense radial coefficients (MLIP order, length S^2 K R M^2) defined by the factors. */
    void materialise(double[] dense);

    /** A deep copy. */
    RadialRepresentation copy();

    /**
     * Active-learning coordinates: an orthonormal basis Q^T (d x S^2 K R M^2, row-major) of the directions in
     * which the factors can change the dense coefficients at the current point (the range of dc/dfactors, gauge
     * directions removed; d = {@link #parameterCount()} or fewer). A row dV/dc becomes Q^T dV/dc, the gradient with
     * respect to orthonormal local coordinates of the compressed model.
     */
    double[] rowBasis();

    /** Number of rows of {@link #rowBasis()}. */
    int rowDimension();
}
