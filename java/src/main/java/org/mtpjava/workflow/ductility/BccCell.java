package org.mtpjava.workflow.ductility;

import org.mtpjava.model.Configuration;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A periodic, orthogonal bcc supercell in one of two crystal orientations, filled at random with Mo, Nb and Ta
 * at exact counts. Atomic (lattice) planes normal to z sit at z = (k + 1/2) d, so the periodic boundary along z
 * lies half-way between two planes: a vacuum gap or a stacking fault can be opened there without cutting a plane.
 *
 * <p>Types are 1 = Mo, 2 = Nb, 3 = Ta (LAMMPS); {@link #types()} holds 0-based indices into
 * {@link Composition#ELEMENTS}.
 */
public final class BccCell {
    /** Crystal orientation of the cell axes x, y, z (right-handed, as Miller indices of directions). */
    public enum Orientation {
        /** x = [100], y = [010], z = [001]: the cubic cell; z-planes are {100} (spacing a/2). */
        CUBIC(new int[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, new double[]{1, 1, 1}, 2, 2),
        /**
         * x = [1-11] (a ⟨111⟩ slip direction), y = [1-1-2], z = [110]: z-planes are {110} (spacing a/√2), the
         * bcc slip plane; shifting along x by b = a√3/2 is the {110}⟨111⟩ generalised stacking fault.
         */
        O110(new int[][]{{1, -1, 1}, {1, -1, -2}, {1, 1, 0}}, new double[]{Math.sqrt(3) / 2, Math.sqrt(6), Math.sqrt(2)}, 6, 2);

        final int[][] directions;
        /** Periodic repeat lengths of the orthogonal cell along x, y, z, in units of a. */
        final double[] repeat;
        final int atomsPerCell;
        /** Atomic planes normal to z per repeat cell. */
        final int planesPerCell;

        Orientation(int[][] directions, double[] repeat, int atomsPerCell, int planesPerCell) {
            this.directions = directions;
            this.repeat = repeat;
            this.atomsPerCell = atomsPerCell;
            this.planesPerCell = planesPerCell;
        }

        public int atomsPerCell() { return atomsPerCell; }
        public int planesPerCell() { return planesPerCell; }
        /** Spacing of the z-planes in units of a. */
        public double planeSpacing() { return repeat[2] / planesPerCell; }
        public String millerZ() {
            int[] d = directions[2];
            return "(" + d[0] + d[1] + d[2] + ")";
        }
    }

    private final Orientation orientation;
    private final int nx, ny, nz;
    private final double a;
    private final double[] box;      // Lx, Ly, Lz
    private final double[] positions; // 3N, in [0, L)
    private final int[] types;        // 0 Mo, 1 Nb, 2 Ta

    private BccCell(Orientation o, int nx, int ny, int nz, double a, double[] box, double[] positions, int[] types) {
        this.orientation = o;
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.a = a;
        this.box = box;
        this.positions = positions;
        this.types = types;
    }

    /**
     * Builds the cell: nx × ny × nz repeat cells of the orientation at lattice constant a, occupied at random with
     * the composition's exact counts ({@link Composition#counts}); the same seed gives the same cell.
     */
    public static BccCell random(Orientation o, int nx, int ny, int nz, double a, Composition c, long seed) {
        if (nx < 1 || ny < 1 || nz < 1) throw new IllegalArgumentException("cell repeats must be >= 1, got " + nx + "x" + ny + "x" + nz);
        if (!(a > 1 && a < 10)) throw new IllegalArgumentException("lattice constant " + a + " Å is not plausible");
        double[] box = {nx * o.repeat[0] * a, ny * o.repeat[1] * a, nz * o.repeat[2] * a};
        int n = o.atomsPerCell * nx * ny * nz;
        double[] pos = sites(o, box, a, n);
        int[] counts = c.counts(n);
        int[] types = new int[n];
        int k = 0;
        for (int e = 0; e < 3; e++) for (int i = 0; i < counts[e]; i++) types[k++] = e;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = types[i];
            types[i] = types[j];
            types[j] = t;
        }
        return new BccCell(o, nx, ny, nz, a, box, pos, types);
    }

    /** All bcc sites in the box (rotated crystal frame), shifted so that z-planes sit at (k + 1/2) d. */
    private static double[] sites(Orientation o, double[] box, double a, int expected) {
        double[][] rot = new double[3][3];
        for (int r = 0; r < 3; r++) {
            int[] d = o.directions[r];
            double len = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            for (int k = 0; k < 3; k++) rot[r][k] = d[k] / len;
        }
        // crystal-frame bounding box of the cell (rot is orthogonal: crystal = rot^T · cell)
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE}, hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int corner = 0; corner < 8; corner++) {
            double[] p = {(corner & 1) * box[0], ((corner >> 1) & 1) * box[1], ((corner >> 2) & 1) * box[2]};
            for (int k = 0; k < 3; k++) {
                double v = rot[0][k] * p[0] + rot[1][k] * p[1] + rot[2][k] * p[2];
                lo[k] = Math.min(lo[k], v);
                hi[k] = Math.max(hi[k], v);
            }
        }
        double dz = o.planeSpacing() * a;
        // a small offset keeps sites off the box faces; subtracting it afterwards puts the first plane at z = 0
        double[] off = {1e-3 * a, 2e-3 * a, 1e-3 * a};
        double[] pos = new double[3 * expected];
        int n = 0;
        int[] imin = new int[3], imax = new int[3];
        for (int k = 0; k < 3; k++) {
            imin[k] = (int) Math.floor(lo[k] / a) - 1;
            imax[k] = (int) Math.ceil(hi[k] / a) + 1;
        }
        for (int i = imin[0]; i <= imax[0]; i++)
            for (int j = imin[1]; j <= imax[1]; j++)
                for (int k = imin[2]; k <= imax[2]; k++)
                    for (int basis = 0; basis < 2; basis++) {
                        double h = basis * 0.5;
                        double cx = (i + h) * a, cy = (j + h) * a, cz = (k + h) * a;
                        double x = rot[0][0] * cx + rot[0][1] * cy + rot[0][2] * cz + off[0];
                        double y = rot[1][0] * cx + rot[1][1] * cy + rot[1][2] * cz + off[1];
                        double z = rot[2][0] * cx + rot[2][1] * cy + rot[2][2] * cz + off[2];
                        if (x < 0 || y < 0 || z < 0 || x >= box[0] || y >= box[1] || z >= box[2]) continue;
                        if (n == expected) throw new IllegalStateException("more bcc sites than expected in the " + o + " cell");
                        pos[3 * n] = x - off[0];
                        pos[3 * n + 1] = y - off[1];
                        pos[3 * n + 2] = (z - off[2]) + 0.5 * dz;
                        n++;
                    }
        if (n != expected) throw new IllegalStateException("found " + n + " bcc sites, expected " + expected + " in the " + o + " cell");
        return pos;
    }

    public Orientation orientation() { return orientation; }
    public int size() { return types.length; }
    public double latticeConstant() { return a; }
    public double[] box() { return box.clone(); }
    public double[] positions() { return positions; }
    public int[] types() { return types; }
    public int[] repeats() { return new int[]{nx, ny, nz}; }
    /** Number of atomic planes normal to z. */
    public int planes() { return nz * orientation.planesPerCell; }
    /** Spacing of the z-planes in Å. */
    public double planeSpacing() { return orientation.planeSpacing() * a; }

    /** The cell as a LAMMPS data file (atom_style atomic, triclinic header with zero tilt). */
    public String lammpsData(String comment) {
        StringBuilder sb = new StringBuilder(64 * size() + 512);
        sb.append("# ").append(comment.replace('\n', ' ')).append('\n').append('\n');
        sb.append(size()).append(" atoms\n3 atom types\n\n");
        sb.append(String.format(Locale.ROOT, "0 %.12f xlo xhi%n0 %.12f ylo yhi%n0 %.12f zlo zhi%n0 0 0 xy xz yz%n%n", box[0], box[1], box[2]));
        sb.append("Masses\n\n");
        for (int e = 0; e < 3; e++) sb.append(e + 1).append(' ').append(Composition.MASSES[e]).append("  # ").append(Composition.ELEMENTS[e]).append('\n');
        sb.append("\nAtoms # atomic\n\n");
        for (int i = 0; i < size(); i++)
            sb.append(String.format(Locale.ROOT, "%d %d %.10f %.10f %.10f%n", i + 1, types[i] + 1,
                    positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]));
        return sb.toString();
    }

    /**
     * The cell as an mtpjava configuration; cfg types are the potential's species indices of Mo, Nb, Ta
     * ({@code speciesOfElement[e]}).
     */
    public Configuration toConfiguration(int[] speciesOfElement) {
        Configuration c = new Configuration(size());
        c.setLattice(new double[]{box[0], 0, 0, 0, box[1], 0, 0, 0, box[2]});
        System.arraycopy(positions, 0, c.positions(), 0, positions.length);
        for (int i = 0; i < size(); i++) c.types()[i] = speciesOfElement[types[i]];
        return c;
    }

    /** Deterministic 64-bit seed from a base seed and labels (SplitMix64 finaliser over FNV-1a of the text). */
    public static long seed(long base, String... parts) {
        long h = 0xcbf29ce484222325L ^ base;
        for (String p : parts) {
            for (byte b : (p + "\u0000").getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
        }
        h += 0x9e3779b97f4a7c15L;
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
