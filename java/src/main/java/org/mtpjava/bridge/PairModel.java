package org.mtpjava.bridge;

import java.lang.foreign.MemorySegment;

import org.mtpjava.eval.SiteEvaluator;
import org.mtpjava.model.Potential;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.mtpjava.bridge.FrameLayout.*;

/**
 * One {@code pair_style mtpjava} instance on one MPI rank: the potential, the type -> species map, a
 * per-thread {@link SiteEvaluator} and work buffers sized by the largest neighbourhood seen. {@link #compute}
 * reads LAMMPS's arrays through bounds-checked segments over the frame's pointers and accumulates forces,
 * per-atom energies/virials and grades in place (maths.md §6; LAMMPS {@code ev_tally_xyz} conventions).
 */
final class PairModel {
    final Potential potential;
    final String file;
    final TypeSpecies types;
    final double cutoff;
    private final double cutoffSquared;
    private final SiteEvaluator evaluator;
    final Grades grades; // null without extrapolation
    private String lastError = "";

    // neighbourhood work buffers, grown rarely
    private double[] rij = new double[3 * 128], dEdr = new double[3 * 128];
    private int[] neighbourIndex = new int[128], neighbourSpecies = new int[128];
    private final SiteForceScatter scatter = new SiteForceScatter();
    private double[] gradientSum;
    private double[] gradeBuffer = new double[0]; // per local atom, filled by the batched grader

    PairModel(Potential potential, String file, TypeSpecies types, boolean withGrades) {
        this.potential = potential;
        this.file = file;
        this.types = types;
        this.cutoff = potential.cutoff();
        this.cutoffSquared = cutoff * cutoff;
        this.evaluator = new SiteEvaluator(potential);
        this.grades = withGrades ? new Grades(potential, file) : null;
        if (grades != null && !grades.neighbourhoodMode()) gradientSum = new double[grades.parameterCount()];
    }

    String lastError() { return lastError; }
    void setLastError(String message) { lastError = message == null ? "" : message; }

    private static MemorySegment array(MemorySegment frame, long field, long bytes, String name) {
        MemorySegment p = frame.get(ADDRESS, field);
        if (p.equals(MemorySegment.NULL)) {
            if (bytes == 0) return MemorySegment.NULL;
            throw new IllegalStateException("frame." + name + " is NULL but " + bytes + " bytes are needed");
        }
        return p.reinterpret(bytes);
    }

    private void grow(int n) {
        if (n <= neighbourIndex.length) return;
        int cap = Math.max(n, 2 * neighbourIndex.length);
        rij = new double[3 * cap];
        dEdr = new double[3 * cap];
        neighbourIndex = new int[cap];
        neighbourSpecies = new int[cap];
    }

    /** One LAMMPS compute() on this rank. */
    void compute(MemorySegment frame) {
        long start = System.nanoTime();
        int nlocal = frame.get(JAVA_INT, F_NLOCAL), nghost = frame.get(JAVA_INT, F_NGHOST);
        int inum = frame.get(JAVA_INT, F_INUM), ntypes = frame.get(JAVA_INT, F_NTYPES);
        int mask = frame.get(JAVA_INT, F_NEIGHMASK);
        boolean eflagAtom = frame.get(JAVA_INT, F_EFLAG_ATOM) != 0;
        boolean vflagGlobal = frame.get(JAVA_INT, F_VFLAG_GLOBAL) != 0;
        boolean vflagAtom = frame.get(JAVA_INT, F_VFLAG_ATOM) != 0;
        int gradeMode = frame.get(JAVA_INT, F_GRADE_MODE);
        if (ntypes != types.typeCount()) {
            throw new IllegalStateException("LAMMPS has " + ntypes + " atom types but pair_coeff mapped " + types.typeCount());
        }
        if (gradeMode != GRADE_NONE && grades == null) throw new IllegalStateException("grades requested without an active set");
        int nall = nlocal + nghost;

        MemorySegment ilist = array(frame, F_ILIST, 4L * inum, "ilist");
        MemorySegment numneigh = array(frame, F_NUMNEIGH, 4L * nlocal, "numneigh");
        MemorySegment firstneigh = array(frame, F_FIRSTNEIGH, 8L * nlocal, "firstneigh");
        MemorySegment x = array(frame, F_X, 24L * nall, "x");
        MemorySegment type = array(frame, F_TYPE, 4L * nall, "type");
        MemorySegment f = array(frame, F_F, 24L * nall, "f");
        MemorySegment eatom = eflagAtom ? array(frame, F_EATOM, 8L * nall, "eatom") : null;
        MemorySegment vatom = vflagAtom ? array(frame, F_VATOM, 48L * nall, "vatom") : null;
        MemorySegment grade = gradeMode == GRADE_NEIGHBOURHOOD ? array(frame, F_GRADE, 8L * nlocal, "grade") : null;
        boolean configurationGrades = gradeMode == GRADE_CONFIGURATION;
        if (grade != null && gradeBuffer.length < nlocal) gradeBuffer = new double[Math.max(nlocal, 2 * gradeBuffer.length)];
        if (configurationGrades) java.util.Arrays.fill(gradientSum, 0.0);
        int[] speciesOfType = types.table();

        double energy = 0, maxGrade = 0;
        scatter.reset();
        long kernelNanos = 0;
        for (int ii = 0; ii < inum; ii++) {
            int i = ilist.getAtIndex(JAVA_INT, ii);
            if (i < 0 || i >= nlocal) throw new IllegalStateException("ilist[" + ii + "] = " + i + " is not a local atom (nlocal " + nlocal + ")");
            int ti = speciesOfType[type.getAtIndex(JAVA_INT, i)];
            double xi = x.getAtIndex(JAVA_DOUBLE, 3L * i), yi = x.getAtIndex(JAVA_DOUBLE, 3L * i + 1),
                    zi = x.getAtIndex(JAVA_DOUBLE, 3L * i + 2);
            int jnum = numneigh.getAtIndex(JAVA_INT, i);
            MemorySegment row = firstneigh.getAtIndex(ADDRESS, i).reinterpret(4L * jnum);
            grow(jnum);
            int n = 0;
            for (int jj = 0; jj < jnum; jj++) {
                int j = row.getAtIndex(JAVA_INT, jj) & mask;
                double dx = x.getAtIndex(JAVA_DOUBLE, 3L * j) - xi;
                double dy = x.getAtIndex(JAVA_DOUBLE, 3L * j + 1) - yi;
                double dz = x.getAtIndex(JAVA_DOUBLE, 3L * j + 2) - zi;
                // the list includes the skin; the kernel sees only neighbours inside the cutoff
                if (dx * dx + dy * dy + dz * dz >= cutoffSquared) continue;
                rij[3 * n] = dx;
                rij[3 * n + 1] = dy;
                rij[3 * n + 2] = dz;
                neighbourIndex[n] = j;
                neighbourSpecies[n] = speciesOfType[type.getAtIndex(JAVA_INT, j)];
                n++;
            }

            long k0 = System.nanoTime();
            double e = evaluator.siteEnergy(ti, n, rij, neighbourSpecies, dEdr);
            if (grade != null) {
                grades.queueLastSite(evaluator, ti, n, neighbourSpecies, i, gradeBuffer);
            } else if (configurationGrades) {
                grades.addLastSiteGradient(evaluator, ti, n, neighbourSpecies, gradientSum);
            }
            kernelNanos += System.nanoTime() - k0;

            energy += e;
            if (eatom != null) eatom.setAtIndex(JAVA_DOUBLE, i, eatom.getAtIndex(JAVA_DOUBLE, i) + e);
            scatter.add(f, vatom, vflagGlobal, i, n, neighbourIndex, rij, 0, dEdr);
        }

        if (grade != null) {
            long k0 = System.nanoTime();
            grades.flush(gradeBuffer);
            kernelNanos += System.nanoTime() - k0;
            for (int ii = 0; ii < inum; ii++) {
                int i = ilist.getAtIndex(JAVA_INT, ii);
                double g = gradeBuffer[i];
                grade.setAtIndex(JAVA_DOUBLE, i, g);
                if (g > maxGrade) maxGrade = g;
            }
        }
        if (configurationGrades) {
            MemorySegment out = array(frame, F_DEDTHETA, 8L * gradientSum.length, "dedtheta");
            MemorySegment.copy(gradientSum, 0, out, JAVA_DOUBLE, 0, gradientSum.length);
        }
        frame.set(JAVA_DOUBLE, F_ENERGY, energy);
        for (int k = 0; k < 6; k++) frame.set(JAVA_DOUBLE, F_VIRIAL + 8L * k, vflagGlobal ? scatter.virial[k] : 0.0);
        frame.set(JAVA_DOUBLE, F_MAX_GRADE, maxGrade);
        frame.set(JAVA_DOUBLE, F_KERNEL_SECONDS, kernelNanos * 1e-9);
        frame.set(JAVA_DOUBLE, F_JAVA_SECONDS, (System.nanoTime() - start) * 1e-9);
    }

}
