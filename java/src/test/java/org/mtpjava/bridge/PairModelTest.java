package org.mtpjava.bridge;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.eval.SiteEvaluator;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Potential;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mtpjava.bridge.FrameLayout.*;

/**
 * The bridge's compute() on a frame laid out in native memory exactly as the plugin does it (a free cluster:
 * all atoms local, full neighbour list), against a direct SiteEvaluator loop; and the error path.
 */
class PairModelTest {
    private static final String SIO = "lammps_ml_mtp/SiO.mtp";

    /** A frame over a cluster of n atoms, types alternating 1, 2, with a full list of all other atoms. */
    private static MemorySegment frame(Arena arena, double[] pos, int[] type, long handle) {
        int n = type.length;
        MemorySegment f = arena.allocate(FRAME);
        f.set(JAVA_LONG, F_ABI, ABI_VERSION);
        f.set(JAVA_LONG, F_HANDLE, handle);
        f.set(JAVA_INT, F_NLOCAL, n);
        f.set(JAVA_INT, F_NGHOST, 0);
        f.set(JAVA_INT, F_INUM, n);
        f.set(JAVA_INT, F_NTYPES, 2);
        f.set(JAVA_INT, F_NEIGHMASK, 0x3FFFFFFF);
        f.set(JAVA_INT, F_EFLAG_GLOBAL, 1);
        f.set(JAVA_INT, F_EFLAG_ATOM, 1);
        f.set(JAVA_INT, F_VFLAG_GLOBAL, 1);
        f.set(JAVA_INT, F_VFLAG_ATOM, 1);
        MemorySegment ilist = arena.allocate(JAVA_INT, n), numneigh = arena.allocate(JAVA_INT, n);
        MemorySegment firstneigh = arena.allocate(ADDRESS, n);
        for (int i = 0; i < n; i++) {
            ilist.setAtIndex(JAVA_INT, i, i);
            numneigh.setAtIndex(JAVA_INT, i, n - 1);
            MemorySegment row = arena.allocate(JAVA_INT, n - 1);
            for (int j = 0, k = 0; j < n; j++) if (j != i) row.setAtIndex(JAVA_INT, k++, j | (1 << 30)); // special bits are masked
            firstneigh.setAtIndex(ADDRESS, i, row);
        }
        f.set(ADDRESS, F_ILIST, ilist);
        f.set(ADDRESS, F_NUMNEIGH, numneigh);
        f.set(ADDRESS, F_FIRSTNEIGH, firstneigh);
        f.set(ADDRESS, F_X, arena.allocateFrom(JAVA_DOUBLE, pos));
        f.set(ADDRESS, F_TYPE, arena.allocateFrom(JAVA_INT, type));
        f.set(ADDRESS, F_F, arena.allocate(JAVA_DOUBLE, 3L * n));
        f.set(ADDRESS, F_EATOM, arena.allocate(JAVA_DOUBLE, n));
        f.set(ADDRESS, F_VATOM, arena.allocate(JAVA_DOUBLE, 6L * n));
        return f;
    }

    private static double[] cluster(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[3 * n];
        for (int i = 0; i < n; i++) {
            // a 3x3x3 simple-cubic block with spacing 1.8 A, randomly displaced
            x[3 * i] = 1.8 * (i % 3) + 0.2 * r.nextGaussian();
            x[3 * i + 1] = 1.8 * ((i / 3) % 3) + 0.2 * r.nextGaussian();
            x[3 * i + 2] = 1.8 * (i / 9) + 0.2 * r.nextGaussian();
        }
        return x;
    }

    @Test
    void frameComputeEqualsDirectEvaluation() {
        Potential p = PotentialFiles.read(TestData.data(SIO));
        int n = 27;
        double[] x = cluster(n, 7);
        int[] type = new int[n];
        for (int i = 0; i < n; i++) type[i] = 1 + (i % 3 == 0 ? 0 : 1);
        PairModel model = new PairModel(p, SIO, TypeSpecies.parse(p, SIO, null, "0 1", 2), false);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment f = frame(arena, x, type, 0);
            model.compute(f);

            SiteEvaluator ev = new SiteEvaluator(p);
            double[] force = new double[3 * n], virial = new double[6], vatom = new double[6 * n], eatom = new double[n];
            double energy = 0;
            for (int i = 0; i < n; i++) {
                double[] rij = new double[3 * n], dEdr = new double[3 * n];
                int[] sp = new int[n], idx = new int[n];
                int m = 0;
                for (int j = 0; j < n; j++) {
                    if (j == i) continue;
                    double d2 = 0;
                    for (int k = 0; k < 3; k++) {
                        rij[3 * m + k] = x[3 * j + k] - x[3 * i + k];
                        d2 += rij[3 * m + k] * rij[3 * m + k];
                    }
                    if (d2 >= p.cutoff() * p.cutoff()) continue;
                    sp[m] = type[j] - 1;
                    idx[m++] = j;
                }
                double e = ev.siteEnergy(type[i] - 1, m, rij, sp, dEdr);
                energy += e;
                eatom[i] = e;
                for (int k = 0; k < m; k++) {
                    int j = idx[k];
                    double[] fij = {dEdr[3 * k], dEdr[3 * k + 1], dEdr[3 * k + 2]};
                    double[] del = {-rij[3 * k], -rij[3 * k + 1], -rij[3 * k + 2]};
                    double[] v = {del[0] * fij[0], del[1] * fij[1], del[2] * fij[2], del[0] * fij[1], del[0] * fij[2], del[1] * fij[2]};
                    for (int c = 0; c < 3; c++) {
                        force[3 * i + c] += fij[c];
                        force[3 * j + c] -= fij[c];
                    }
                    for (int c = 0; c < 6; c++) {
                        virial[c] += v[c];
                        vatom[6 * i + c] += 0.5 * v[c];
                        vatom[6 * j + c] += 0.5 * v[c];
                    }
                }
            }
            assertEquals(energy, f.get(JAVA_DOUBLE, F_ENERGY), 1e-9 * Math.abs(energy));
            MemorySegment fs = f.get(ADDRESS, F_F).reinterpret(24L * n), es = f.get(ADDRESS, F_EATOM).reinterpret(8L * n);
            MemorySegment vs = f.get(ADDRESS, F_VATOM).reinterpret(48L * n);
            for (int k = 0; k < 3 * n; k++) assertEquals(force[k], fs.getAtIndex(JAVA_DOUBLE, k), 1e-10, "force " + k);
            for (int k = 0; k < n; k++) assertEquals(eatom[k], es.getAtIndex(JAVA_DOUBLE, k), 1e-10, "eatom " + k);
            for (int k = 0; k < 6 * n; k++) assertEquals(vatom[k], vs.getAtIndex(JAVA_DOUBLE, k), 1e-10, "vatom " + k);
            for (int c = 0; c < 6; c++) assertEquals(virial[c], f.get(JAVA_DOUBLE, F_VIRIAL + 8L * c), 1e-9, "virial " + c);
            // Newton's third law: a free cluster has no net force
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += fs.getAtIndex(JAVA_DOUBLE, 3L * i + c);
                assertEquals(0, sum, 1e-10);
            }
        }
    }

    @Test
    void createAndErrorsThroughTheUpcallEntryPoints() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment setup = arena.allocate(SETUP);
            MemorySegment message = arena.allocate(4096);
            setup.set(JAVA_LONG, S_ABI, ABI_VERSION);
            setup.set(ADDRESS, S_POTENTIAL, arena.allocateFrom(TestData.data(SIO).toString()));
            setup.set(ADDRESS, S_SPECIES_NAMES, arena.allocateFrom("Si O"));
            setup.set(ADDRESS, S_TYPE_SPECIES, arena.allocateFrom("Si O"));
            setup.set(JAVA_INT, S_NTYPES, 2);
            setup.set(ADDRESS, S_MESSAGE, message);
            setup.set(JAVA_LONG, S_MESSAGE_CAPACITY, 4096);
            assertEquals(0, NativeBridge.create(setup), message.getString(0));
            long handle = setup.get(JAVA_LONG, S_HANDLE);
            assertTrue(handle > 0);
            assertEquals(5.7, setup.get(JAVA_DOUBLE, S_CUTOFF), 1e-12);
            assertTrue(message.getString(0).contains("types 1->Si(0) 2->O(1)"), message.getString(0));

            // an index error inside compute() comes back as a return code and a message, not an exception
            double[] x = cluster(4, 3);
            MemorySegment f = frame(arena, x, new int[] {1, 2, 2, 2}, handle);
            f.get(ADDRESS, F_ILIST).reinterpret(16).setAtIndex(JAVA_INT, 3, 99);
            assertEquals(1, NativeBridge.compute(f));
            MemorySegment err = arena.allocate(4096);
            assertEquals(0, NativeBridge.lastError(handle, err, 4096));
            assertTrue(err.getString(0).contains("ilist[3] = 99 is not a local atom"), err.getString(0));
            // an unknown handle
            f.set(JAVA_LONG, F_HANDLE, 123456789L);
            assertEquals(2, NativeBridge.compute(f));
            assertEquals(0, NativeBridge.release(handle));

            // a missing file: create fails with the reader's message
            setup.set(ADDRESS, S_POTENTIAL, arena.allocateFrom("/nonexistent/pot.mtp"));
            assertEquals(1, NativeBridge.create(setup));
            assertTrue(message.getString(0).contains("/nonexistent/pot.mtp: file not found"), message.getString(0));
        }
    }
}
