package org.mtpjava.al;

import org.mtpjava.model.Potential;
import org.mtpjava.model.RadialRepresentation;

/**
 * Active-learning rows of a compressed MTP (issue 10 item 6): the evaluator's rows dV/dtheta (dense radial | species
 * | moment) become [Q^T dV/dc | species | moment], the gradient with respect to orthonormal local coordinates of the
 * compressed model ({@link RadialRepresentation#rowBasis}). This is the chain rule through the compression map with
 * the gauge directions of the factors removed, so the active set has the compressed model's dimension and no
 * singular directions. The basis is fixed when the map is made (per potential load / per active-set build).
 */
public final class RowMap {
    private final int inputLength, outputLength, radial, rows;
    private final double[] basis; // rows x radial

    private RowMap(Potential p, RadialRepresentation r) {
        this.radial = p.radialCoefficients().length;
        this.inputLength = p.parameterCount();
        this.basis = r.rowBasis();
        this.rows = basis.length / radial;
        this.outputLength = rows + inputLength - radial;
    }

    /** The map of a compressed potential, null for a plain one (rows are used as they are). */
    public static RowMap of(Potential p) {
        return p.radialRepresentation() == null ? null : new RowMap(p, p.radialRepresentation());
    }

    /** Active-set dimension of a potential: its parameter count, or the compressed coordinates' count. */
    public static int dimension(Potential p) {
        RadialRepresentation r = p.radialRepresentation();
        return r == null ? p.parameterCount() : r.rowDimension() + p.parameterCount() - p.radialCoefficients().length;
    }

    public int inputLength() { return inputLength; }
    public int outputLength() { return outputLength; }

    /** out[0..outputLength) = the mapped row of in[0..inputLength). */
    public void apply(double[] in, int inOff, double[] out, int outOff) {
        for (int k = 0; k < rows; k++) {
            double v = 0;
            int b = k * radial;
            for (int i = 0; i < radial; i++) {
                double x = in[inOff + i];
                if (x != 0) v += basis[b + i] * x;
            }
            out[outOff + k] = v;
        }
        System.arraycopy(in, inOff + radial, out, outOff + rows, inputLength - radial);
    }

    public double[] apply(double[] in) {
        double[] out = new double[outputLength];
        apply(in, 0, out, 0);
        return out;
    }
}
