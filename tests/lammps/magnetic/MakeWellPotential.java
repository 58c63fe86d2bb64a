// Writes a magnetic MTP whose energy has interior minima in the moments (for the relaxed-moment tests):
// level 8, 2 species, R = 6, M = 3 on [-1, 4], small random radial and moment coefficients (a perturbation), plus a convex
// phi_2(s_i) well in the radial function of the rank-0 scalar; energies scaled by 0.05 so that MD with a Morse pair
// potential holding the lattice stays stable. Deterministic (seed 3).
//   java -cp mtpjava.jar MakeWellPotential.java TEMPLATE_L08.almtp OUT.mtp
import java.nio.file.Path;
import java.util.Random;

import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.MagneticBasis;
import org.mtpjava.model.Potential;

public class MakeWellPotential {
    public static void main(String[] args) {
        Potential t = PotentialFiles.read(Path.of(args[0]));
        Potential p = new Potential(t.radialBasisType(), 2.0, 5.0, 6, new MagneticBasis(-1.0, 4.0, 3), t.radialFunctionsCount(), t.basis(), 2);
        Random rnd = new Random(3);
        double[] rad = new double[p.radialCoefficients().length];
        for (int i = 0; i < rad.length; i++) rad[i] = 0.003 * (2 * rnd.nextDouble() - 1);
        double[] mo = new double[p.basis().scalarCount()];
        for (int i = 0; i < mo.length; i++) mo[i] = 0.02 * (2 * rnd.nextDouble() - 1);
        mo[0] = 1.0;
        int mu = p.basis().basicMu(p.basis().scalarMappingArray()[0]);
        for (int pair = 0; pair < 4; pair++) rad[pair * p.radialCoefficientsPerPair() + mu * 6 * 9 + 6] += 0.02;
        // all energies x 0.05 (E is linear in the species and moment coefficients): the moment landscape keeps its
        // minima, forces stay small next to the Morse pair potential that holds the lattice in the MD tests
        for (int i = 0; i < mo.length; i++) mo[i] *= 0.05;
        p.setCoefficients(rad, new double[]{-0.15, -0.1}, mo);
        p.setName("well_L08_M3");
        PotentialFiles.write(p, Path.of(args[1]));
    }
}
