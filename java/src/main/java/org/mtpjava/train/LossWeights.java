package org.mtpjava.train;

/**
 * Weights of MLIP-3's training loss (maths.md §8.2):
 * <pre>
 *   L = (1/K) sum_cfg [ w_e/N^pe (E-E*)^2 + sum_ia w_f/N^pf s_i (F_ia-F*_ia)^2 + sum_ab w_s/N (W_ab-W*_ab)^2 ] + P
 * </pre>
 * with s_i = sbf/(|F*_i|^2 + sbf) if {@code scaleByForce} sbf &gt; 0 (else 1), the stress sum over all nine
 * components of the virial (PlusStress), and P the orthonormality penalty on the radial coefficients
 * ({@code penaltyWeight}) plus the linear regularisation set by the least-squares step.
 *
 * <p>MLIP-3 evaluates s_i from the <em>predicted</em> forces inside its BFGS loss (and from the reference forces
 * in its linear step), which makes its gradient inexact; mtpjava uses the reference forces in both.
 *
 * @param energyWeight        w_e ({@code --energy-weight}, default 1)
 * @param forceWeight         w_f ({@code --force-weight}, default 0.01)
 * @param stressWeight        w_s ({@code --stress-weight}, default 0.001)
 * @param weightScaling       pe ({@code --weight-scaling}, default 1)
 * @param weightScalingForces pf ({@code --weight-scaling-forces}, default 0)
 * @param scaleByForce        sbf ({@code --scale-by-force}, default 0 = off)
 * @param penaltyWeight       weight of the radial orthonormality penalty (MLIP-3: 1e-6)
 * @param magneticForceWeight w_m ({@code --magnetic-force-weight}, default 0 = MLIP-3, which does not fit them): adds
 *                            (1/K) sum_cfg w_m/N^pf sum_i (dE/dm_i - dE/dm_i*)^2 for magnetic potentials on data with
 *                            {@code en_der_mx} columns (collinear: the x component)
 */
public record LossWeights(double energyWeight, double forceWeight, double stressWeight, int weightScaling,
                          int weightScalingForces, double scaleByForce, double penaltyWeight, double magneticForceWeight) {

    /** MLIP-3's defaults. */
    public static LossWeights mlipDefaults() {
        return new LossWeights(1, 0.01, 0.001, 1, 0, 0, 1e-6);
    }

    /** Weights without a magnetic-force term (MLIP-3's loss). */
    public LossWeights(double energyWeight, double forceWeight, double stressWeight, int weightScaling,
                       int weightScalingForces, double scaleByForce, double penaltyWeight) {
        this(energyWeight, forceWeight, stressWeight, weightScaling, weightScalingForces, scaleByForce, penaltyWeight, 0.0);
    }

    /** The same weights with w_m replaced. */
    public LossWeights withMagneticForceWeight(double wm) {
        return new LossWeights(energyWeight, forceWeight, stressWeight, weightScaling, weightScalingForces, scaleByForce, penaltyWeight, wm);
    }

    public LossWeights {
        check(magneticForceWeight, "magnetic-force weight");
        check(energyWeight, "energy weight");
        check(forceWeight, "force weight");
        check(stressWeight, "stress weight");
        check(scaleByForce, "scale-by-force");
        check(penaltyWeight, "penalty weight");
    }

    private static void check(double v, String what) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + v);
    }

    /** Energy weight of a configuration with n atoms (0 if it has no energy). */
    public double energy(int n) { return energyWeight / Math.pow(n, weightScaling); }
    /** Force weight of a configuration with n atoms, before the per-atom scale-by-force factor. */
    public double force(int n) { return forceWeight / Math.pow(n, weightScalingForces); }
    /** Stress weight of a configuration with n atoms (MLIP-3 always divides by N). */
    public double stress(int n) { return stressWeight / n; }
    /** Magnetic-force weight of a configuration with n atoms (scaled like forces, by N^pf). */
    public double magneticForce(int n) { return magneticForceWeight / Math.pow(n, weightScalingForces); }
    /** Per-atom factor of the force weight for a reference force with squared norm f2. */
    public double forceFactor(double f2) { return scaleByForce > 0 ? scaleByForce / (f2 + scaleByForce) : 1.0; }
}
