package org.mtpjava.model;

/**
 * Chebyshev basis in the collinear magnetic moment s (MLIP-3 {@code magnetic_basis_type = BChebyshev}):
 * phi_p(s) = T_p(eta(s)), eta mapping [min, max] onto [-1, 1], p = 0..size-1. No cutoff factor.
 *
 * @param min   lower end of the moment interval (mu_B)
 * @param max   upper end of the moment interval (mu_B)
 * @param size  number of basis functions M
 */
public record MagneticBasis(double min, double max, int size) {
    public MagneticBasis {
        if (size < 1) throw new IllegalArgumentException("magnetic basis size must be >= 1, got " + size);
        if (!(max > min)) throw new IllegalArgumentException("magnetic basis needs max > min, got [" + min + ", " + max + "]");
    }
}
