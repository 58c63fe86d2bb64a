package org.mtpjava.model;

/** Radial basis families of MLIP-3 that mtpjava evaluates. */
public enum RadialBasisType {
    /** Chebyshev polynomials times (r - Rcut)^2 (the standard MTP basis). */
    RB_CHEBYSHEV("RBChebyshev"),
    /** As {@link #RB_CHEBYSHEV}, with r clamped at Rmin and a repulsive term below Rmin. */
    RB_CHEBYSHEV_REPULSIVE("RBChebyshev_repuls");

    private final String fileName;

    RadialBasisType(String fileName) { this.fileName = fileName; }

    /** The spelling used in {@code .mtp} files. */
    public String fileName() { return fileName; }

    /** Returns the type for a file spelling, or null if unknown. */
    public static RadialBasisType fromFileName(String s) {
        for (RadialBasisType t : values()) if (t.fileName.equals(s)) return t;
        return null;
    }
}
