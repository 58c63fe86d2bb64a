package org.mtpjava.eval;

import org.mtpjava.TestData;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.Random;

/** Potentials and random configurations for property tests. */
final class Fixtures {
    private Fixtures() {}

    static final String SIO = "lammps_ml_mtp/SiO.mtp";
    static final String NBMOTAW = "monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp";
    static final String L20_REPULSIVE = "mlip_reference_kit/testvectors/L20_3species_repuls.mtp";
    static final String MAGNETIC = "mlip_reference_kit/testvectors/mag_L16_2species.mtp";
    static final String TRAINED10 = "reference/mlip3_training/trained10_MoNbTa.almtp";
    static final String NAKCL = "lammps_mtp_unittest_oracle/NaKCl.mtp";

    static Potential potential(String rel) { return PotentialFiles.read(TestData.data(rel)); }

    /**
     * A random triclinic cell of n atoms at roughly the given density (atoms per A^3), with random species
     * and, if asked, random magnetic moments within [mMin, mMax]; atoms are kept at least dMin apart.
     */
    static Configuration randomCell(Random rnd, int n, int species, double density, double dMin, boolean triclinic,
                                    double[] momentRange) {
        double v = n / density;
        double a = Math.cbrt(v);
        Configuration c = new Configuration(n);
        double[] l = {a, 0, 0, 0, a, 0, 0, 0, a};
        if (triclinic) {
            l[3] = 0.2 * a * (rnd.nextDouble() - 0.5);
            l[6] = 0.2 * a * (rnd.nextDouble() - 0.5);
            l[7] = 0.2 * a * (rnd.nextDouble() - 0.5);
            l[1] = 0.05 * a * (rnd.nextDouble() - 0.5);
        }
        c.setLattice(l);
        double[] x = c.positions();
        int placed = 0, attempts = 0;
        while (placed < n) {
            if (++attempts > 100000) throw new IllegalStateException("cannot place atoms");
            double f0 = rnd.nextDouble(), f1 = rnd.nextDouble(), f2 = rnd.nextDouble();
            double px = f0 * l[0] + f1 * l[3] + f2 * l[6];
            double py = f0 * l[1] + f1 * l[4] + f2 * l[7];
            double pz = f0 * l[2] + f1 * l[5] + f2 * l[8];
            boolean ok = true;
            for (int j = 0; j < placed && ok; j++) {
                for (int s0 = -1; s0 <= 1 && ok; s0++) for (int s1 = -1; s1 <= 1 && ok; s1++) for (int s2 = -1; s2 <= 1 && ok; s2++) {
                    double dx = x[3 * j] + s0 * l[0] + s1 * l[3] + s2 * l[6] - px;
                    double dy = x[3 * j + 1] + s0 * l[1] + s1 * l[4] + s2 * l[7] - py;
                    double dz = x[3 * j + 2] + s0 * l[2] + s1 * l[5] + s2 * l[8] - pz;
                    if (dx * dx + dy * dy + dz * dz < dMin * dMin) ok = false;
                }
            }
            if (!ok) continue;
            x[3 * placed] = px;
            x[3 * placed + 1] = py;
            x[3 * placed + 2] = pz;
            c.types()[placed] = rnd.nextInt(species);
            placed++;
        }
        if (momentRange != null) {
            double[] m = new double[3 * n];
            for (int i = 0; i < n; i++) m[3 * i] = momentRange[0] + (momentRange[1] - momentRange[0]) * rnd.nextDouble();
            c.setMagneticMoments(m);
        }
        return c;
    }
}
