package org.mtpjava.workflow.ductility;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.ArrayList;
import java.util.List;

/**
 * Lattice constant and elastic constants of a pure bcc element straight from mtpjava's {@link EfsCalculator}
 * (no LAMMPS): the cross-check of the LAMMPS workflow. In a perfect bcc crystal every atom is a centre of
 * inversion, so homogeneous strains need no internal relaxation and a 2-atom cell is exact; the strains are
 * the same engineering strains the LAMMPS inputs apply (x scale 1+ε, tilt yz = ε·lz, ...).
 */
public final class StandaloneElastic {
    private StandaloneElastic() {}

    /** a₀ (Å), energy per atom at a₀ (eV) and the fitted constants. */
    public record Result(double a0, double energyPerAtom, ElasticConstants.Result elastic) {}

    public static Result compute(Potential p, int species, double aGuess, double[] strains) {
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            double a0 = latticeConstant(calc, species, aGuess);
            Configuration ref = cell(species, a0);
            double e0 = calc.compute(ref).energy() / ref.size();
            List<ElasticConstants.Point> pts = new ArrayList<>();
            for (double eps : strains)
                for (String comp : ElasticConstants.VOIGT)
                    for (int sign = -1; sign <= 1; sign += 2) {
                        Configuration c = strained(ref, comp, sign * eps);
                        pts.add(new ElasticConstants.Point(comp, sign * eps, stress(calc, c)));
                    }
            return new Result(a0, e0, ElasticConstants.fit(pts));
        }
    }

    /** The zero-pressure lattice constant: secant iteration on the pressure, then bisection safeguard. */
    static double latticeConstant(EfsCalculator calc, int species, double aGuess) {
        double a1 = aGuess * 0.99, a2 = aGuess * 1.01;
        double p1 = pressure(calc, cell(species, a1)), p2 = pressure(calc, cell(species, a2));
        for (int it = 0; it < 60 && Math.abs(a2 - a1) > 1e-12; it++) {
            double a3 = a2 - p2 * (a2 - a1) / (p2 - p1);
            if (!(a3 > 0.8 * aGuess && a3 < 1.2 * aGuess)) throw new IllegalStateException("lattice-constant search left the plausible range");
            a1 = a2;
            p1 = p2;
            a2 = a3;
            p2 = pressure(calc, cell(species, a2));
            if (Math.abs(p2) < 1e-10) break;
        }
        return a2;
    }

    static Configuration cell(int species, double a) {
        Configuration c = new Configuration(2);
        c.setLattice(new double[]{a, 0, 0, 0, a, 0, 0, 0, a});
        double[] x = c.positions();
        x[3] = x[4] = x[5] = a / 2;
        c.types()[0] = c.types()[1] = species;
        return c;
    }

    /** Applies the engineering strain of one Voigt component (deformation gradient F, r → F r, lattice rows too). */
    static Configuration strained(Configuration ref, String comp, double eps) {
        double[][] f = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        switch (comp) {
            case "xx" -> f[0][0] += eps;
            case "yy" -> f[1][1] += eps;
            case "zz" -> f[2][2] += eps;
            case "yz" -> f[1][2] += eps; // y += eps z (LAMMPS tilt yz)
            case "xz" -> f[0][2] += eps;
            case "xy" -> f[0][1] += eps;
            default -> throw new IllegalArgumentException(comp);
        }
        Configuration c = ref.copy();
        double[] l = c.lattice();
        for (int row = 0; row < 3; row++) transform(f, l, 3 * row);
        double[] x = c.positions();
        for (int i = 0; i < c.size(); i++) transform(f, x, 3 * i);
        return c;
    }

    private static void transform(double[][] f, double[] v, int off) {
        double x = v[off], y = v[off + 1], z = v[off + 2];
        for (int k = 0; k < 3; k++) v[off + k] = f[k][0] * x + f[k][1] * y + f[k][2] * z;
    }

    /** Cauchy stress, GPa, tension positive, Voigt order: −PlusStress/V. */
    static double[] stress(EfsCalculator calc, Configuration c) {
        double[] w = calc.compute(c).stress(); // xx yy zz yz xz xy, eV
        double v = c.volume();
        double[] s = new double[6];
        for (int k = 0; k < 6; k++) s[k] = -w[k] / v * Units.EV_PER_A3_TO_GPA;
        return s;
    }

    static double pressure(EfsCalculator calc, Configuration c) {
        double[] s = stress(calc, c);
        return -(s[0] + s[1] + s[2]) / 3;
    }
}
