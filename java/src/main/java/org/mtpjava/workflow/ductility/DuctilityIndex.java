package org.mtpjava.workflow.ductility;

import java.util.List;
import java.util.Locale;

/**
 * The crack-tip ductility index D = K_Ie / K_Ic (Rice 1992; anisotropic form as used by Mak, Yin and Curtin,
 * J. Mech. Phys. Solids 152 (2021) 104389): the mode-I stress intensity at which a crack tip emits a
 * dislocation on an inclined slip plane, over the Griffith stress intensity for cleavage. Equations, geometry
 * and sources are written out in {@code docs/ductility.md}.
 *
 * <pre>
 *   K_Ic = sqrt( 4 γ_s / E⁰_22 )                          (Griffith: G = ½ E⁰_22 K_I² = 2 γ_s)
 *   K_Ie = sqrt( 2 γ_usf · sᵀ L_θ s ) / |F_s(θ, φ)|       (Rice: constrained slip along s reaches γ_usf)
 *   F_s  = s · t(θ) √(2πr) / K_I                          (resolved shear traction on the slip plane)
 * </pre>
 * E⁰ = Re[iAB⁻¹] is the Stroh crack compliance in the crack frame, L_θ = (E^θ)⁻¹ the energy-factor matrix of
 * the slip plane (Stroh in the frame whose x1 runs along the slip plane's trace), s = (cos φ, 0, sin φ) the
 * slip direction in that frame, t(θ) the traction of the pure mode-I field on the slip plane. Isotropic limit:
 * E⁰_22 = (1−ν)/μ, sᵀLs = μ[cos²φ/(1−ν) + sin²φ], F_s = cos²(θ/2) sin(θ/2) cos φ, i.e. Rice's
 * K_Ie = sqrt(2μγ_usf[1 + (1−ν) tan²φ]/(1−ν)) / (cos²(θ/2) sin(θ/2)).
 *
 * <p>Units: C_ij in GPa and γ in J/m² give K in MPa√m (factor √1e9 · 1e-6).
 */
public final class DuctilityIndex {
    private DuctilityIndex() {}

    /** Critical index of the seed talk (Novikov, FCS 2025): an alloy is called ductile when D/D_c < 1.03. */
    public static final double SEED_CRITICAL = 1.26;
    /** The seed talk's classification threshold on D/D_c. */
    public static final double SEED_DUCTILE_RATIO = 1.03;

    private static final double K_UNIT = Math.sqrt(1e9) * 1e-6; // sqrt(J/m² · GPa) -> MPa sqrt(m)

    /**
     * A crack system: crack plane and front, and the slip system that emits. Directions are Miller indices in
     * the cubic crystal frame; the slip plane must contain the crack front and the slip direction must lie in
     * the slip plane.
     */
    public record CrackSystem(String name, int[] crackPlane, int[] front, int[] slipPlane, int[] slipDirection) {
        public CrackSystem {
            if (dot(crackPlane, front) != 0) throw new IllegalArgumentException(name + ": the crack front must lie in the crack plane");
            if (dot(slipPlane, front) != 0) throw new IllegalArgumentException(name + ": the slip plane must contain the crack front");
            if (dot(slipPlane, slipDirection) != 0) throw new IllegalArgumentException(name + ": the slip direction must lie in the slip plane");
        }

        private static int dot(int[] x, int[] y) { return x[0] * y[0] + x[1] * y[1] + x[2] * y[2]; }
    }

    /**
     * The default system: a {100} cleavage crack, (010) plane with a [001] front (extension along [100]),
     * emitting on the (1-10) plane, inclined at θ = 45°, along [111], tilted by φ = 35.26° out of the plane
     * normal to the front.
     */
    public static final CrackSystem DEFAULT = new CrackSystem("(010)[001] crack, (1-10)[111] slip",
            new int[]{0, 1, 0}, new int[]{0, 0, 1}, new int[]{1, -1, 0}, new int[]{1, 1, 1});

    /**
     * A {110} crack for comparison: plane (1-10), front [001]; emission on the (110) plane, perpendicular to the
     * crack (θ = 90°), along [1-11] (φ = 35.26°). Uses γ_s{110}.
     */
    public static final CrackSystem CRACK_110 = new CrackSystem("(1-10)[001] crack, (110)[1-11] slip",
            new int[]{1, -1, 0}, new int[]{0, 0, 1}, new int[]{1, 1, 0}, new int[]{1, -1, 1});

    /**
     * The index of one composition.
     *
     * @param kIc         Griffith cleavage stress intensity, MPa√m
     * @param kIe         emission stress intensity, MPa√m
     * @param d           K_Ie/K_Ic
     * @param thetaDeg    slip-plane inclination θ, degrees
     * @param phiDeg      slip-direction tilt φ, degrees
     * @param fs          resolved angular factor F_s
     * @param slipModulus sᵀ L_θ s, GPa
     * @param crackCompliance E⁰_22, 1/GPa
     */
    public record Result(double kIc, double kIe, double d, double thetaDeg, double phiDeg, double fs,
                         double slipModulus, double crackCompliance) {
        @Override public String toString() {
            return String.format(Locale.ROOT, "K_Ic %.4f, K_Ie %.4f MPa√m, D %.4f (θ %.2f°, φ %.2f°, F_s %.4f)",
                    kIc, kIe, d, thetaDeg, phiDeg, fs);
        }
    }

    /** D for cubic elastic constants (GPa) and energies (J/m²) in the given crack system. */
    public static Result compute(double c11, double c12, double c44, double gammaS, double gammaUsf, CrackSystem g) {
        if (!(c44 > 0 && c11 - c12 > 0 && c11 + 2 * c12 > 0))
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "elastic constants C11 %.3g, C12 %.3g, C44 %.3g GPa are not mechanically stable", c11, c12, c44));
        if (!(gammaS > 0) || !(gammaUsf > 0))
            throw new IllegalArgumentException(String.format(Locale.ROOT, "surface energy %.4g and unstable stacking-fault energy %.4g J/m² must be > 0", gammaS, gammaUsf));
        double[][][][] crystal = cubicTensor(c11, c12, c44);
        // crack frame: x2 = crack normal, x3 = front, x1 = x2 × x3
        double[] x2 = unit(g.crackPlane()), x3 = unit(g.front()), x1 = cross(x2, x3);
        double[][] crackFrame = {x1, x2, x3};
        Stroh crack = new Stroh(rotate(crystal, crackFrame));
        double e22 = crack.compliance()[1][1];
        double kIc = Math.sqrt(4 * gammaS / e22) * K_UNIT;

        // slip plane trace e_r (in the plane, normal to the front, pointing ahead of the crack)
        double[] m = unit(g.slipPlane());
        double[] er = cross(m, x3);
        double erx = dot(er, x1), ery = dot(er, x2);
        if (erx < 0 || (erx == 0 && ery < 0)) er = scale(er, -1);
        double theta = Math.atan2(dot(er, x2), dot(er, x1));
        double[] etheta = cross(x3, er); // slip-plane normal in the rotated frame (x2')
        double[] bv = unit(g.slipDirection());
        double sr = dot(bv, er), s3 = dot(bv, x3);
        double[] t = crack.traction(theta, new double[]{0, 1, 0}); // crack-frame components
        double[] tCrystal = add(add(scale(x1, t[0]), scale(x2, t[1])), scale(x3, t[2]));
        double tau = sr * dot(tCrystal, er) + s3 * dot(tCrystal, x3);
        if (tau < 0) { // emit the dislocation of the opposite sign
            sr = -sr;
            s3 = -s3;
            tau = -tau;
        }
        if (!(tau > 1e-12)) throw new IllegalArgumentException(g.name() + ": no resolved shear on the slip plane under mode I");
        double phi = Math.atan2(Math.abs(s3), Math.abs(sr));
        double[][] slipFrame = {er, etheta, x3};
        Stroh slip = new Stroh(rotate(crystal, slipFrame));
        double[][] l = inverse3(slip.compliance());
        double[] s = {sr, 0, s3};
        double sls = 0;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) sls += s[i] * l[i][j] * s[j];
        double kIe = Math.sqrt(2 * gammaUsf * sls) / tau * K_UNIT;
        return new Result(kIc, kIe, kIe / kIc, Math.toDegrees(theta), Math.toDegrees(phi), tau, sls, e22);
    }

    /** Rice's isotropic closed form (for tests and for the docs): D for shear modulus μ, Poisson ratio ν. */
    public static double isotropic(double mu, double nu, double gammaS, double gammaUsf, double thetaRad, double phiRad) {
        double kIc = Math.sqrt(4 * gammaS * mu / (1 - nu));
        double f = Math.cos(thetaRad / 2) * Math.cos(thetaRad / 2) * Math.sin(thetaRad / 2);
        double kIe = Math.sqrt(2 * mu * gammaUsf * (1 + (1 - nu) * Math.tan(phiRad) * Math.tan(phiRad)) / (1 - nu)) / f;
        return kIe / kIc;
    }

    /** The smallest D over several crack systems (the most favourable emission). */
    public static Result best(double c11, double c12, double c44, double gammaS, double gammaUsf, List<CrackSystem> systems) {
        Result best = null;
        for (CrackSystem g : systems) {
            Result r = compute(c11, c12, c44, gammaS, gammaUsf, g);
            if (best == null || r.d() < best.d()) best = r;
        }
        return best;
    }

    // ---- tensors and vectors -------------------------------------------------------------------------------

    static double[][][][] cubicTensor(double c11, double c12, double c44) {
        double[][][][] c = new double[3][3][3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++)
                    for (int l = 0; l < 3; l++) {
                        double v = 0;
                        if (i == j && k == l) v = i == k ? c11 : c12;
                        else if ((i == k && j == l) || (i == l && j == k)) v = c44;
                        c[i][j][k][l] = v;
                    }
        return c;
    }

    /** C'_ijkl = Q_ip Q_jq Q_kr Q_ls C_pqrs, rows of Q = new axes in old coordinates. */
    static double[][][][] rotate(double[][][][] c, double[][] q) {
        double[][][][] t1 = new double[3][3][3][3], t2 = new double[3][3][3][3];
        for (int i = 0; i < 3; i++) for (int b = 0; b < 3; b++) for (int cc = 0; cc < 3; cc++) for (int d = 0; d < 3; d++) {
            double s = 0;
            for (int a = 0; a < 3; a++) s += q[i][a] * c[a][b][cc][d];
            t1[i][b][cc][d] = s;
        }
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int cc = 0; cc < 3; cc++) for (int d = 0; d < 3; d++) {
            double s = 0;
            for (int b = 0; b < 3; b++) s += q[j][b] * t1[i][b][cc][d];
            t2[i][j][cc][d] = s;
        }
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) for (int d = 0; d < 3; d++) {
            double s = 0;
            for (int cc = 0; cc < 3; cc++) s += q[k][cc] * t2[i][j][cc][d];
            t1[i][j][k][d] = s;
        }
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) for (int l = 0; l < 3; l++) {
            double s = 0;
            for (int d = 0; d < 3; d++) s += q[l][d] * t1[i][j][k][d];
            t2[i][j][k][l] = s;
        }
        return t2;
    }

    static double[] unit(int[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (n == 0) throw new IllegalArgumentException("zero direction");
        return new double[]{v[0] / n, v[1] / n, v[2] / n};
    }

    static double dot(double[] x, double[] y) { return x[0] * y[0] + x[1] * y[1] + x[2] * y[2]; }

    static double[] cross(double[] x, double[] y) {
        return new double[]{x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]};
    }

    static double[] scale(double[] x, double s) { return new double[]{x[0] * s, x[1] * s, x[2] * s}; }

    static double[] add(double[] x, double[] y) { return new double[]{x[0] + y[0], x[1] + y[1], x[2] + y[2]}; }

    static double[][] inverse3(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        if (det == 0) throw new IllegalStateException("singular 3×3 matrix");
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
                inv[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det;
            }
        return inv;
    }
}
