package org.mtpjava.magnetic;

import org.mtpjava.TestData;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.MagneticBasis;
import org.mtpjava.model.Potential;

import java.util.Random;

/** Random magnetic MTPs of several levels and sizes, and random magnetic configurations, for property tests. */
final class MagneticFixtures {
    private MagneticFixtures() {}

    /** Templates whose moment bases give the levels: 6, 8, 10, 16. */
    static final String L06 = "mlip_reference_kit/testvectors/L06_nbh.almtp";
    static final String L08 = "mlip_reference_kit/testvectors/L08_init_template.almtp";
    static final String L10 = "reference/mlip3_training/template10_3sp.almtp";
    static final String L16 = "mlip_reference_kit/testvectors/mag_L16_2species.mtp";
    static final String MAG16 = L16;
    static final String MAG_INPUT = "mlip_reference_kit/testvectors/mag_input.cfg";

    static Potential read(String rel) { return PotentialFiles.read(TestData.data(rel)); }

    /**
     * The moment basis of {@code template} with S species, R radial basis functions and a magnetic basis of size M
     * on [mMin, mMax]; random radial coefficients (uniform in +-0.1, scaled by 1/sqrt(R M^2)) and linear
     * coefficients (species +-0.5, moments +-1e-3 ... +-1e-1 by rank), as an untrained template filled at random.
     */
    static Potential random(String template, int species, int radialSize, int m, double mMin, double mMax, long seed) {
        Potential t = read(template);
        Potential p = new Potential(t.radialBasisType(), 2.0, 5.0, radialSize, new MagneticBasis(mMin, mMax, m),
                t.radialFunctionsCount(), t.basis(), species);
        randomise(p, seed);
        return p;
    }

    static void randomise(Potential p, long seed) {
        Random rnd = new Random(seed);
        double[] rad = p.radialCoefficients().clone();
        int m = p.magneticSize();
        double amp = 0.1 / Math.sqrt(p.radialBasisSize() * m * m);
        for (int i = 0; i < rad.length; i++) rad[i] = amp * (2 * rnd.nextDouble() - 1);
        double[] sp = new double[p.speciesCount()];
        for (int i = 0; i < sp.length; i++) sp[i] = rnd.nextDouble() - 0.5;
        double[] mo = new double[p.basis().scalarCount()];
        for (int i = 0; i < mo.length; i++) mo[i] = 0.2 * (2 * rnd.nextDouble() - 1);
        p.setCoefficients(rad, sp, mo);
        p.setScaling(1.0);
    }

    /** Random bcc-like cell: n = 2 k^3 atoms on a bcc lattice (a ~ 2.9 A), displaced, strained, random species/moments. */
    static Configuration bcc(Random rnd, int k, int species, double[] momentRange, double displacement) {
        return TeacherData.randomBcc(rnd, k, k, k, 2.87, species, 0.5, displacement, 0.03, momentRange, 0.0);
    }
}
