package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DuctilityIndexTest {
    private static final double KU = Math.sqrt(1e9) * 1e-6;

    /** Isotropic solid, μ = 80 GPa, ν = 0.3 (λ = 120): C11 280, C12 120, C44 80. */
    @Test void isotropicLimitEqualsRiceClosedForm() {
        double mu = 80, nu = 0.3, gs = 2.0, gu = 0.8;
        DuctilityIndex.Result r = DuctilityIndex.compute(280, 120, 80, gs, gu, DuctilityIndex.DEFAULT);
        assertEquals(45.0, r.thetaDeg(), 1e-9);
        assertEquals(Math.toDegrees(Math.atan(1 / Math.sqrt(2))), r.phiDeg(), 1e-9);
        // by hand: K_Ic = sqrt(4*2*80/0.7) = 30.2372; F = cos^2(22.5°) sin(22.5°) = 0.326641; tan^2 φ = 1/2;
        // K_Ie = sqrt(2*80*0.8*(1 + 0.7*0.5)/0.7)/F = 15.7117/0.326641 = 48.1008; D = 1.59078
        assertEquals(30.2372 * KU, r.kIc(), 1e-4 * KU);
        assertEquals(48.1008 * KU, r.kIe(), 2e-3 * KU);
        assertEquals(1.59078, r.d(), 2e-5);
        assertEquals(DuctilityIndex.isotropic(mu, nu, gs, gu, Math.PI / 4, Math.atan(1 / Math.sqrt(2))), r.d(), 1e-5);
        // the crack compliance and the slip modulus are the isotropic ones
        assertEquals((1 - nu) / mu, r.crackCompliance(), 1e-8);
        double cos2 = 2.0 / 3, sin2 = 1.0 / 3;
        assertEquals(mu * (cos2 / (1 - nu) + sin2), r.slipModulus(), 1e-4);
        assertEquals(0.326641 * Math.sqrt(cos2), r.fs(), 1e-6);
    }

    @Test void isotropicCrackTipFieldIsRices() {
        double[][][][] c = DuctilityIndex.cubicTensor(280, 120, 80);
        Stroh s = new Stroh(c);
        for (double th : new double[]{-2.5, -1.0, -0.3, 0.2, 0.7854, 1.3, 2.9}) {
            double[] t = s.traction(th, new double[]{0, 1, 0});
            double srt = Math.cos(th) * t[0] + Math.sin(th) * t[1]; // e_r . t = σ_rθ
            double stt = -Math.sin(th) * t[0] + Math.cos(th) * t[1]; // e_θ . t = σ_θθ
            assertEquals(Math.pow(Math.cos(th / 2), 2) * Math.sin(th / 2), srt, 1e-6, "σ_rθ at " + th);
            assertEquals(Math.pow(Math.cos(th / 2), 3), stt, 1e-6, "σ_θθ at " + th);
            assertEquals(0, t[2], 1e-9);
        }
    }

    /** Orthotropic crack (cubic axes): E_22 equals the Sih–Paris–Irwin plane-strain closed form. */
    @Test void cubicCrackComplianceEqualsSihParisIrwin() {
        double c11 = 247, c12 = 135, c44 = 28; // Nb-like, strongly anisotropic (Zener 0.5)
        double den = (c11 - c12) * (c11 + 2 * c12);
        double s11 = (c11 + c12) / den, s12 = -c12 / den, s66 = 1 / c44;
        double b11 = s11 - s12 * s12 / s11, b22 = b11, b12 = s12 - s12 * s12 / s11;
        double spi = 2 * Math.sqrt(b11 * b22 / 2) * Math.sqrt(Math.sqrt(b22 / b11) + (2 * b12 + s66) / (2 * b11));
        Stroh s = new Stroh(DuctilityIndex.cubicTensor(c11, c12, c44));
        double[][] e = s.compliance();
        assertEquals(spi, e[1][1], 1e-10 * spi / 1e-3);
        assertEquals(spi, e[1][1], 1e-9);
        // anti-plane: E_33 = 1/sqrt(C44 C55) = 1/C44 for cubic axes
        assertEquals(1 / c44, e[2][2], 1e-9);
        // symmetric, positive definite, no in-plane/anti-plane coupling for a symmetry-plane crack
        assertEquals(e[0][1], e[1][0], 1e-12);
        assertEquals(0, e[0][2], 1e-12);
        assertEquals(0, e[1][2], 1e-12);
    }

    @Test void crackFacesAreTractionFreeAndKIsNormalised() {
        for (double[] cij : new double[][]{{247, 135, 28}, {464, 158, 109}, {266, 161, 82}}) {
            Stroh s = new Stroh(DuctilityIndex.cubicTensor(cij[0], cij[1], cij[2]));
            double[] ahead = s.traction(0, new double[]{0.3, 1.0, -0.2});
            assertEquals(0.3, ahead[0], 1e-9);
            assertEquals(1.0, ahead[1], 1e-9);
            assertEquals(-0.2, ahead[2], 1e-9);
            double[] face = s.traction(Math.PI - 1e-9, new double[]{0.3, 1.0, -0.2});
            for (double v : face) assertEquals(0, v, 1e-6);
        }
    }

    /** Symmetry-equivalent crack systems give the same D; a rotated but equivalent frame too. */
    @Test void equivalentSystemsAgree() {
        double c11 = 464, c12 = 158, c44 = 109, gs = 3.0, gu = 1.4;
        double d0 = DuctilityIndex.compute(c11, c12, c44, gs, gu, DuctilityIndex.DEFAULT).d();
        DuctilityIndex.CrackSystem other = new DuctilityIndex.CrackSystem("(100)[010] crack, (01-1)... ",
                new int[]{1, 0, 0}, new int[]{0, 0, 1}, new int[]{1, 1, 0}, new int[]{1, -1, 1});
        assertEquals(d0, DuctilityIndex.compute(c11, c12, c44, gs, gu, other).d(), 1e-9);
        DuctilityIndex.CrackSystem mirrored = new DuctilityIndex.CrackSystem("mirror", new int[]{0, 1, 0}, new int[]{0, 0, 1},
                new int[]{1, -1, 0}, new int[]{-1, -1, 1});
        assertEquals(d0, DuctilityIndex.compute(c11, c12, c44, gs, gu, mirrored).d(), 1e-9);
    }

    /** D scales as sqrt(γ_usf/γ_s) at fixed elasticity; near-isotropic anisotropic tensors are continuous. */
    @Test void scalingAndContinuityThroughIsotropy() {
        double d1 = DuctilityIndex.compute(300, 130, 90, 2.0, 1.0, DuctilityIndex.DEFAULT).d();
        double d2 = DuctilityIndex.compute(300, 130, 90, 2.0, 4.0, DuctilityIndex.DEFAULT).d();
        double d3 = DuctilityIndex.compute(300, 130, 90, 8.0, 4.0, DuctilityIndex.DEFAULT).d();
        assertEquals(2 * d1, d2, 1e-9);
        assertEquals(d1, d3, 1e-9);
        // C44 = (C11 - C12)/2 = 85 is isotropic: values just around it are continuous
        double below = DuctilityIndex.compute(300, 130, 85 * (1 - 2e-3), 2.0, 1.0, DuctilityIndex.DEFAULT).d();
        double at = DuctilityIndex.compute(300, 130, 85, 2.0, 1.0, DuctilityIndex.DEFAULT).d();
        double above = DuctilityIndex.compute(300, 130, 85 * (1 + 2e-3), 2.0, 1.0, DuctilityIndex.DEFAULT).d();
        assertTrue(Math.abs(below - at) < 1e-3 && Math.abs(above - at) < 1e-3, below + " " + at + " " + above);
        assertTrue((below - at) * (above - at) < 0, "monotonic through the isotropic point");
    }

    /** The {110} crack: θ = 90°, φ = 35.26°; isotropic limit equals Rice's form at those angles. */
    @Test void crack110IsPerpendicularEmission() {
        DuctilityIndex.Result r = DuctilityIndex.compute(280, 120, 80, 2.0, 0.8, DuctilityIndex.CRACK_110);
        assertEquals(90.0, r.thetaDeg(), 1e-9);
        assertEquals(Math.toDegrees(Math.atan(1 / Math.sqrt(2))), r.phiDeg(), 1e-9);
        assertEquals(DuctilityIndex.isotropic(80, 0.3, 2.0, 0.8, Math.PI / 2, Math.atan(1 / Math.sqrt(2))), r.d(), 1e-5);
    }

    @Test void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> DuctilityIndex.compute(100, 120, 50, 2, 1, DuctilityIndex.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> DuctilityIndex.compute(300, 120, 50, -2, 1, DuctilityIndex.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new DuctilityIndex.CrackSystem("x", new int[]{0, 1, 0},
                new int[]{0, 0, 1}, new int[]{1, 0, 1}, new int[]{1, 1, 1}));
    }
}
