package org.mtpjava.bridge;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

/**
 * Adds one site's energy derivatives dV_i/dr_ij to LAMMPS's force array (+ on i, - on j), to the per-atom virials
 * (half to each atom) and to a global virial sum: LAMMPS's ev_tally_xyz with fij = dV_i/dr_ij and
 * del = x_i - x_j = -r_ij. One instance per pair-style call chain, reused: no allocation per atom.
 */
final class SiteForceScatter {
    /** Global virial xx, yy, zz, xy, xz, yz, summed pair by pair in call order. */
    final double[] virial = new double[6];

    void reset() { Arrays.fill(virial, 0.0); }

    /**
     * @param nbr      LAMMPS indices of the neighbours: neighbour k is atom nbr[offset + k]
     * @param rij      r_j - r_i of neighbour k at rij[3 (offset + k)]
     * @param dEdr     dV_i/dr_ij of neighbour k at dEdr[3 k]
     * @param vatom    per-atom virial array, or null
     */
    void add(MemorySegment f, MemorySegment vatom, boolean vflagGlobal, int i, int n, int[] nbr, double[] rij, int offset, double[] dEdr) {
        double fxi = 0, fyi = 0, fzi = 0;
        double[] v = virial;
        for (int k = 0; k < n; k++) {
            int j = nbr[offset + k];
            double fx = dEdr[3 * k], fy = dEdr[3 * k + 1], fz = dEdr[3 * k + 2];
            fxi += fx;
            fyi += fy;
            fzi += fz;
            long fj = 3L * j;
            f.setAtIndex(JAVA_DOUBLE, fj, f.getAtIndex(JAVA_DOUBLE, fj) - fx);
            f.setAtIndex(JAVA_DOUBLE, fj + 1, f.getAtIndex(JAVA_DOUBLE, fj + 1) - fy);
            f.setAtIndex(JAVA_DOUBLE, fj + 2, f.getAtIndex(JAVA_DOUBLE, fj + 2) - fz);
            if (vflagGlobal || vatom != null) {
                int p = 3 * (offset + k);
                double delx = -rij[p], dely = -rij[p + 1], delz = -rij[p + 2];
                double a0 = delx * fx, a1 = dely * fy, a2 = delz * fz, a3 = delx * fy, a4 = delx * fz, a5 = dely * fz;
                if (vflagGlobal) {
                    v[0] += a0;
                    v[1] += a1;
                    v[2] += a2;
                    v[3] += a3;
                    v[4] += a4;
                    v[5] += a5;
                }
                if (vatom != null) {
                    addHalf(vatom, 6L * i, a0, a1, a2, a3, a4, a5);
                    addHalf(vatom, 6L * j, a0, a1, a2, a3, a4, a5);
                }
            }
        }
        long fi = 3L * i;
        f.setAtIndex(JAVA_DOUBLE, fi, f.getAtIndex(JAVA_DOUBLE, fi) + fxi);
        f.setAtIndex(JAVA_DOUBLE, fi + 1, f.getAtIndex(JAVA_DOUBLE, fi + 1) + fyi);
        f.setAtIndex(JAVA_DOUBLE, fi + 2, f.getAtIndex(JAVA_DOUBLE, fi + 2) + fzi);
    }

    private static void addHalf(MemorySegment vatom, long base, double a0, double a1, double a2, double a3, double a4, double a5) {
        vatom.setAtIndex(JAVA_DOUBLE, base, vatom.getAtIndex(JAVA_DOUBLE, base) + 0.5 * a0);
        vatom.setAtIndex(JAVA_DOUBLE, base + 1, vatom.getAtIndex(JAVA_DOUBLE, base + 1) + 0.5 * a1);
        vatom.setAtIndex(JAVA_DOUBLE, base + 2, vatom.getAtIndex(JAVA_DOUBLE, base + 2) + 0.5 * a2);
        vatom.setAtIndex(JAVA_DOUBLE, base + 3, vatom.getAtIndex(JAVA_DOUBLE, base + 3) + 0.5 * a3);
        vatom.setAtIndex(JAVA_DOUBLE, base + 4, vatom.getAtIndex(JAVA_DOUBLE, base + 4) + 0.5 * a4);
        vatom.setAtIndex(JAVA_DOUBLE, base + 5, vatom.getAtIndex(JAVA_DOUBLE, base + 5) + 0.5 * a5);
    }
}
