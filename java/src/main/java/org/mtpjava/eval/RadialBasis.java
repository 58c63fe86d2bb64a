package org.mtpjava.eval;

import org.mtpjava.model.MagneticBasis;
import org.mtpjava.model.Potential;
import org.mtpjava.model.RadialBasisType;

/**
 * Values and derivatives of the per-pair basis of an MTP radial function: the Chebyshev radial basis
 * Q_beta(r) = T_beta(xi(r)) (r - Rcut)^2 (maths.md §5.1), times, for a magnetic MTP, Chebyshev polynomials
 * phi_p(s_i) phi_q(s_j) of the two collinear moments (§5.6). Index of a basis value: beta*M^2 + p*M + q,
 * matching the MLIP order of the radial coefficients. The global {@code scaling} is applied by the caller's
 * coefficients, not here (see {@link #scaling}).
 */
public final class RadialBasis {
    private final double rMin, rCut;
    private final int size;
    private final boolean repulsive;
    private final MagneticBasis magnetic;

    /** Strength and range of RBChebyshev_repuls's short-range wall: A (e^{-k (r-1)} - e^{-k (Rmin-1)}). */
    static final double REPULSION_STRENGTH = 10000.0, REPULSION_RATE = 10.0;

    public RadialBasis(Potential p) {
        this.rMin = p.minDist();
        this.rCut = p.maxDist();
        this.size = p.radialBasisSize();
        this.repulsive = p.radialBasisType() == RadialBasisType.RB_CHEBYSHEV_REPULSIVE;
        this.magnetic = p.magneticBasis();
    }

    public int radialSize() { return size; }
    public int magneticSize() { return magnetic == null ? 1 : magnetic.size(); }
    /** Number of basis values per pair: R * M^2. */
    public int size() { int m = magneticSize(); return size * m * m; }
    public boolean isRepulsive() { return repulsive; }
    public double minDist() { return rMin; }

    /**
     * Chebyshev radial values Q_beta(r) and dQ_beta/dr into q[0..R) and dq[0..R). For RBChebyshev_repuls
     * below Rmin the basis is frozen at Rmin (zero derivative).
     */
    public void radial(double r, double[] q, double[] dq) {
        double dxidr = 2.0 / (rCut - rMin);
        boolean frozen = repulsive && r < rMin;
        double rr = frozen ? rMin : r;
        double xi = (2.0 * rr - (rMin + rCut)) / (rCut - rMin);
        double w = rr - rCut;
        double w2 = w * w;
        double dw2 = 2.0 * w;
        q[0] = w2;
        dq[0] = dw2;
        if (size > 1) {
            q[1] = xi * w2;
            dq[1] = dxidr * w2 + xi * dw2;
        }
        for (int b = 2; b < size; b++) {
            q[b] = 2.0 * xi * q[b - 1] - q[b - 2];
            dq[b] = 2.0 * (dxidr * q[b - 1] + xi * dq[b - 1]) - dq[b - 2];
        }
        if (frozen) java.util.Arrays.fill(dq, 0, size, 0.0);
    }

    /** Energy of the RBChebyshev_repuls wall for one neighbour at distance r (0 at and beyond Rmin). */
    public double repulsion(double r) {
        if (!repulsive || r >= rMin) return 0;
        return REPULSION_STRENGTH * (Math.exp(-REPULSION_RATE * (r - 1)) - Math.exp(-REPULSION_RATE * (rMin - 1)));
    }

    /** d(repulsion)/dr. */
    public double repulsionDerivative(double r) {
        if (!repulsive || r >= rMin) return 0;
        return -REPULSION_RATE * REPULSION_STRENGTH * Math.exp(-REPULSION_RATE * (r - 1));
    }

    /** Magnetic Chebyshev values phi_p(s) and d phi_p/ds, p = 0..M-1 (no cutoff factor). */
    public void magnetic(double s, double[] phi, double[] dphi) {
        int m = magneticSize();
        if (magnetic == null) {
            phi[0] = 1;
            dphi[0] = 0;
            return;
        }
        double lo = magnetic.min(), hi = magnetic.max();
        double deta = 2.0 / (hi - lo);
        double eta = (2.0 * s - (lo + hi)) / (hi - lo);
        phi[0] = 1;
        dphi[0] = 0;
        if (m > 1) {
            phi[1] = eta;
            dphi[1] = deta;
        }
        for (int p = 2; p < m; p++) {
            phi[p] = 2.0 * eta * phi[p - 1] - phi[p - 2];
            dphi[p] = 2.0 * (deta * phi[p - 1] + eta * dphi[p - 1]) - dphi[p - 2];
        }
    }

    /** The global scaling multiplies every basis value (MLIP semantics); kept in the potential. */
    public static double scaling(Potential p) { return p.scaling(); }
}
