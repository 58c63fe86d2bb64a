package org.mtpjava.magnetic;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Synthetic magnetic training data for the teacher-student test (issue 9): random bcc supercells of two species
 * (16-54 atoms, random composition, displaced atoms, strained cells, random collinear moments) labelled by a
 * known magnetic MTP through mtpjava's own evaluator, with energies, forces, PlusStress and magnetic forces
 * {@code en_der_mx} = dE/dm (y, z zero).
 *
 * <pre>
 *   java -cp mtpjava.jar org.mtpjava.magnetic.TeacherData TEACHER.mtp OUT.cfg COUNT SEED [--template UNTRAINED.mtp]
 * </pre>
 * writes COUNT labelled configurations (seed SEED) and, with {@code --template}, the teacher's structure without
 * coefficients (an untrained template of the same level, radial and magnetic basis).
 */
public final class TeacherData {
    private TeacherData() {}

    /** bcc supercell shapes (repetitions of the 2-atom cubic cell): 16, 24, 36 and 54 atoms. */
    static final int[][] SHAPES = {{2, 2, 2}, {2, 2, 3}, {2, 3, 3}, {3, 3, 3}};

    /**
     * A random bcc configuration: kx x ky x kz cubic cells of lattice constant a (2 atoms each), species 1 with
     * probability {@code fraction1} (else 0) for two species, uniformly random for more, 0 for one, every coordinate displaced by a normal
     * deviate of {@code displacement} A, the cell (and atoms) deformed by a random symmetric strain with components
     * uniform in +-{@code strain}, and moments uniform on [momentRange[0], momentRange[1]] (x component) if a range
     * is given; with probability {@code flip} a moment's sign is reversed.
     */
    public static Configuration randomBcc(Random rnd, int kx, int ky, int kz, double a, int species, double fraction1,
                                          double displacement, double strain, double[] momentRange, double flip) {
        int n = 2 * kx * ky * kz;
        Configuration c = new Configuration(n);
        double[] e = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = i; j < 3; j++) {
                double v = strain * (2 * rnd.nextDouble() - 1);
                e[3 * i + j] += v;
                if (i != j) e[3 * j + i] += v;
            }
        }
        double[] l = {kx * a, 0, 0, 0, ky * a, 0, 0, 0, kz * a};
        double[] lat = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 3; col++) {
                double s = l[3 * r + col];
                for (int k = 0; k < 3; k++) s += e[3 * col + k] * l[3 * r + k];
                lat[3 * r + col] = s;
            }
        }
        c.setLattice(lat);
        double[] x = c.positions();
        int at = 0;
        for (int i = 0; i < kx; i++) {
            for (int j = 0; j < ky; j++) {
                for (int k = 0; k < kz; k++) {
                    for (int b = 0; b < 2; b++) {
                        double px = (i + 0.5 * b) * a, py = (j + 0.5 * b) * a, pz = (k + 0.5 * b) * a;
                        double[] p = {px, py, pz};
                        for (int d = 0; d < 3; d++) {
                            double s = p[d];
                            for (int q = 0; q < 3; q++) s += e[3 * d + q] * p[q];
                            x[3 * at + d] = s + displacement * rnd.nextGaussian();
                        }
                        c.types()[at] = species == 2 ? (rnd.nextDouble() < fraction1 ? 1 : 0) : species > 2 ? rnd.nextInt(species) : 0;
                        at++;
                    }
                }
            }
        }
        if (momentRange != null) {
            double[] m = new double[3 * n];
            for (int t = 0; t < n; t++) {
                double v = momentRange[0] + (momentRange[1] - momentRange[0]) * rnd.nextDouble();
                if (flip > 0 && rnd.nextDouble() < flip) v = -v;
                m[3 * t] = v;
            }
            c.setMagneticMoments(m);
        }
        return c;
    }

    /**
     * COUNT random configurations labelled by {@code teacher}: shapes cycled through {@link #SHAPES}, lattice
     * constant 2.80-2.95 A, composition uniform in [0.1, 0.9], displacements 0.03-0.15 A, strains up to 3 %, moments
     * uniform over the teacher's magnetic interval; cells with a pair closer than 1.05 x the teacher's min_dist are
     * drawn again (its radial basis is not defined below min_dist).
     */
    public static List<Configuration> generate(Potential teacher, int count, long seed, int threads) {
        if (!teacher.isMagnetic()) throw new IllegalArgumentException("the teacher must be a magnetic MTP");
        Random rnd = new Random(seed);
        double[] range = {teacher.magneticBasis().min(), teacher.magneticBasis().max()};
        List<Configuration> out = new ArrayList<>(count);
        try (EfsCalculator calc = new EfsCalculator(teacher, threads)) {
            for (int k = 0; k < count; k++) {
                int[] s = SHAPES[k % SHAPES.length];
                double a = 2.80 + 0.15 * rnd.nextDouble();
                double frac = 0.1 + 0.8 * rnd.nextDouble();
                double disp = 0.03 + 0.12 * rnd.nextDouble();
                Configuration c = randomBcc(rnd, s[0], s[1], s[2], a, teacher.speciesCount(), frac, disp, 0.03, range, 0.0);
                // the teacher's radial basis is only defined from min_dist on: redraw cells with closer pairs
                if (minDistance(c, teacher.cutoff()) < MIN_DIST_MARGIN * teacher.minDist()) {
                    k--;
                    continue;
                }
                calc.computeInto(c);
                double[] d = c.magneticForces();
                for (int i = 0; i < c.size(); i++) {
                    d[3 * i + 1] = 0;
                    d[3 * i + 2] = 0;
                }
                c.setSiteEnergies(null);
                c.features().put("EFS_by", "teacher_" + teacher.name());
                out.add(c);
            }
        }
        return out;
    }

    /** Pairs must be at least this multiple of the teacher's min_dist apart. */
    static final double MIN_DIST_MARGIN = 1.05;

    static double minDistance(Configuration c, double cutoff) {
        org.mtpjava.neighbours.NeighbourList nl = org.mtpjava.neighbours.NeighbourList.build(c, cutoff);
        double best = Double.POSITIVE_INFINITY;
        double[] v = nl.vectors();
        for (int e = 0; e < nl.pairs(); e++) best = Math.min(best, v[3 * e] * v[3 * e] + v[3 * e + 1] * v[3 * e + 1] + v[3 * e + 2] * v[3 * e + 2]);
        return Math.sqrt(best);
    }

    /** The teacher's structure (level, radial and magnetic basis) without its coefficients: an untrained template. */
    public static Potential untrainedLike(Potential teacher) {
        Potential t = teacher.copy();
        t.setDefaultCoefficients();
        t.setTrained(false);
        t.setActiveSet(null);
        t.setScaling(1.0);
        return t;
    }

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: TeacherData TEACHER.mtp OUT.cfg COUNT SEED [--template UNTRAINED.mtp]");
            System.exit(2);
        }
        Potential teacher = PotentialFiles.read(Path.of(args[0]));
        int count = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        List<Configuration> cfgs = generate(teacher, count, seed, Runtime.getRuntime().availableProcessors());
        CfgFiles.write(Path.of(args[1]), cfgs, CfgFiles.Precision.LOSSLESS);
        long atoms = cfgs.stream().mapToLong(Configuration::size).sum();
        System.out.printf(Locale.ROOT, "%d configurations (%d atoms) labelled by %s -> %s%n", count, atoms, args[0], args[1]);
        for (int i = 4; i + 1 < args.length; i++) {
            if (args[i].equals("--template")) {
                PotentialFiles.write(untrainedLike(teacher), Path.of(args[i + 1]));
                System.out.println("untrained template (same level, radial and magnetic basis as the teacher) -> " + args[i + 1]);
            }
        }
    }
}
