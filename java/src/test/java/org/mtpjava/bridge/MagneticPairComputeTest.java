package org.mtpjava.bridge;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.MagneticBasis;
import org.mtpjava.model.Potential;
import org.mtpjava.relax.MomentRelaxation;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Random;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;
import static org.mtpjava.bridge.FrameLayout.*;

/**
 * The magnetic compute() of the bridge on a frame laid out as the plugin does it (a free cluster, all atoms
 * local), with the plugin's callbacks as native stubs: fixed moments against EfsCalculator (energy, forces,
 * virial, dE/dm), relaxed moments against MomentRelaxation, and the error paths.
 */
class MagneticPairComputeTest {
    static final String MAG = "reference/mlip3_magnetic/al_fe_mag.mtpr";
    static int forwardCalls, reverseCalls, reduceCalls;

    static int forward(MemorySegment ctx) { forwardCalls++; return 0; }
    static int reverse(MemorySegment ctx) { reverseCalls++; return 0; }
    static int allreduce(MemorySegment ctx, MemorySegment values, int count, int op) { reduceCalls++; return 0; }

    static Configuration cluster(int species, double[] momentRange, long seed) {
        Random r = new Random(seed);
        Configuration c = new Configuration(16);
        double[] x = c.positions();
        int k = 0;
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int l = 0; l < 2; l++) for (int b = 0; b < 2; b++) {
            x[3 * k] = 2.87 * (i + 0.5 * b) + 0.08 * r.nextGaussian();
            x[3 * k + 1] = 2.87 * (j + 0.5 * b) + 0.08 * r.nextGaussian();
            x[3 * k + 2] = 2.87 * (l + 0.5 * b) + 0.08 * r.nextGaussian();
            c.types()[k] = r.nextInt(species);
            k++;
        }
        double[] m = new double[48];
        for (int i = 0; i < 16; i++) m[3 * i] = momentRange[0] + (momentRange[1] - momentRange[0]) * r.nextDouble();
        c.setMagneticMoments(m);
        return c;
    }

    /** A frame over a free cluster with a full list; magnetic struct with the test's callbacks. */
    static MemorySegment[] frames(Arena arena, Configuration c, int mode, double tol) throws ReflectiveOperationException {
        int n = c.size();
        MemorySegment f = arena.allocate(FRAME);
        f.set(JAVA_LONG, F_ABI, ABI_VERSION);
        f.set(JAVA_INT, F_NLOCAL, n);
        f.set(JAVA_INT, F_INUM, n);
        f.set(JAVA_INT, F_NTYPES, 2);
        f.set(JAVA_INT, F_NEIGHMASK, 0x3FFFFFFF);
        f.set(JAVA_INT, F_EFLAG_GLOBAL, 1);
        f.set(JAVA_INT, F_VFLAG_GLOBAL, 1);
        MemorySegment ilist = arena.allocate(JAVA_INT, n), numneigh = arena.allocate(JAVA_INT, n), first = arena.allocate(ADDRESS, n);
        for (int i = 0; i < n; i++) {
            ilist.setAtIndex(JAVA_INT, i, i);
            numneigh.setAtIndex(JAVA_INT, i, n - 1);
            MemorySegment row = arena.allocate(JAVA_INT, n - 1);
            for (int j = 0, k = 0; j < n; j++) if (j != i) row.setAtIndex(JAVA_INT, k++, j);
            first.setAtIndex(ADDRESS, i, row);
        }
        int[] type = new int[n];
        for (int i = 0; i < n; i++) type[i] = c.types()[i] + 1;
        f.set(ADDRESS, F_ILIST, ilist);
        f.set(ADDRESS, F_NUMNEIGH, numneigh);
        f.set(ADDRESS, F_FIRSTNEIGH, first);
        f.set(ADDRESS, F_X, arena.allocateFrom(JAVA_DOUBLE, c.positions()));
        f.set(ADDRESS, F_TYPE, arena.allocateFrom(JAVA_INT, type));
        f.set(ADDRESS, F_F, arena.allocate(JAVA_DOUBLE, 3L * n));
        MemorySegment m = arena.allocate(MAGNETIC);
        m.set(JAVA_LONG, M_ABI, ABI_VERSION);
        m.set(JAVA_INT, M_MODE, mode);
        m.set(JAVA_INT, M_MAX_ITERATIONS, 500);
        m.set(JAVA_INT, M_MEMORY, 10);
        m.set(JAVA_DOUBLE, M_TOLERANCE, tol);
        m.set(JAVA_DOUBLE, M_MAX_STEP, 0.5);
        double[] mom = new double[n];
        for (int i = 0; i < n; i++) mom[i] = c.magneticMoments()[3 * i];
        m.set(ADDRESS, M_MAGMOM, arena.allocateFrom(JAVA_DOUBLE, mom));
        m.set(ADDRESS, M_DEDM, arena.allocate(JAVA_DOUBLE, n));
        Linker linker = Linker.nativeLinker();
        MethodHandles.Lookup l = MethodHandles.lookup();
        m.set(ADDRESS, M_FORWARD_COMM, linker.upcallStub(l.findStatic(MagneticPairComputeTest.class, "forward",
                MethodType.methodType(int.class, MemorySegment.class)), FunctionDescriptor.of(JAVA_INT, ADDRESS), arena));
        m.set(ADDRESS, M_REVERSE_COMM, linker.upcallStub(l.findStatic(MagneticPairComputeTest.class, "reverse",
                MethodType.methodType(int.class, MemorySegment.class)), FunctionDescriptor.of(JAVA_INT, ADDRESS), arena));
        m.set(ADDRESS, M_ALLREDUCE, linker.upcallStub(l.findStatic(MagneticPairComputeTest.class, "allreduce",
                        MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, int.class, int.class)),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT), arena));
        return new MemorySegment[]{f, m};
    }

    static PairModel model(Potential p, String file) {
        return new PairModel(p, file, TypeSpecies.parse(p, file, null, "0 1", 2), false);
    }

    @Test
    void fixedMomentsEqualEfsCalculator() throws Exception {
        Potential p = PotentialFiles.read(TestData.data(MAG));
        Configuration c = cluster(2, new double[]{0.1, 2.5}, 4);
        PairModel model = model(p, MAG);
        try (Arena arena = Arena.ofConfined(); EfsCalculator calc = new EfsCalculator(p, 1)) {
            MemorySegment[] fm = frames(arena, c, MAGMOM_FIXED, 1e-6);
            MagneticPairCompute.compute(model, fm[0], fm[1]);
            EfsCalculator.Result r = calc.compute(c);
            int n = c.size();
            assertEquals(r.energy(), fm[0].get(JAVA_DOUBLE, F_ENERGY), 1e-10 * Math.max(1, Math.abs(r.energy())));
            MemorySegment fs = fm[0].get(ADDRESS, F_F).reinterpret(24L * n), ds = fm[1].get(ADDRESS, M_DEDM).reinterpret(8L * n);
            double scale = 0;
            for (double v : r.forces()) scale = Math.max(scale, Math.abs(v));
            for (int k = 0; k < 3 * n; k++) assertEquals(r.forces()[k], fs.getAtIndex(JAVA_DOUBLE, k), 1e-10 * scale, "force " + k);
            for (int i = 0; i < n; i++) assertEquals(r.magneticForces()[3 * i], ds.getAtIndex(JAVA_DOUBLE, i), 1e-10, "dE/dm " + i);
            assertEquals(1, fm[1].get(JAVA_INT, M_CONVERGED));
            // a moment outside [min_val, max_val] is an error with the atom and the interval
            fm[1].get(ADDRESS, M_MAGMOM).reinterpret(8L * n).setAtIndex(JAVA_DOUBLE, 3, 5.0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MagneticPairCompute.compute(model, fm[0], fm[1]));
            assertTrue(e.getMessage().contains("magnetic moment 5 muB, outside the potential's magnetic interval [-1.3, 3.1]"), e.getMessage());
        }
    }

    /** Level 8, M = 3, random coefficients plus a convex phi_2 well: moments with interior minima. */
    static Potential wellPotential() {
        Potential t = PotentialFiles.read(TestData.data("mlip_reference_kit/testvectors/L08_init_template.almtp"));
        Potential p = new Potential(t.radialBasisType(), 2.0, 5.0, 6, new MagneticBasis(-1.0, 4.0, 3), t.radialFunctionsCount(), t.basis(), 2);
        Random rnd = new Random(3);
        double[] rad = new double[p.radialCoefficients().length];
        for (int i = 0; i < rad.length; i++) rad[i] = 0.01 * (2 * rnd.nextDouble() - 1);
        double[] mo = new double[p.basis().scalarCount()];
        for (int i = 0; i < mo.length; i++) mo[i] = 0.05 * (2 * rnd.nextDouble() - 1);
        mo[0] = 1.0;
        int mu = p.basis().basicMu(p.basis().scalarMappingArray()[0]);
        for (int pair = 0; pair < 4; pair++) rad[pair * p.radialCoefficientsPerPair() + mu * 6 * 9 + 6] += 0.02;
        p.setCoefficients(rad, new double[]{-3, -2}, mo);
        return p;
    }

    @Test
    void relaxedMomentsEqualMomentRelaxation() throws Exception {
        Potential p = wellPotential();
        Configuration c = cluster(2, new double[]{0.5, 3.5}, 9);
        PairModel model = model(p, "well");
        try (Arena arena = Arena.ofConfined(); EfsCalculator calc = new EfsCalculator(p, 1)) {
            forwardCalls = reverseCalls = reduceCalls = 0;
            MemorySegment[] fm = frames(arena, c, MAGMOM_RELAX, 1e-9);
            MagneticPairCompute.compute(model, fm[0], fm[1]);
            assertEquals(1, fm[1].get(JAVA_INT, M_CONVERGED));
            int evals = fm[1].get(JAVA_INT, M_EVALUATIONS);
            assertTrue(evals > 3, "evaluations " + evals);
            assertEquals(evals + 1, forwardCalls, "one forward comm per evaluation plus the final one");
            assertEquals(evals, reverseCalls);
            assertTrue(reduceCalls > evals, "energies and inner products are reduced");
            assertTrue(fm[1].get(JAVA_DOUBLE, M_ENERGY_CHANGE) < 0);

            Configuration ref = c.copy();
            MomentRelaxation.Options o = new MomentRelaxation.Options();
            o.tolerance = 1e-9;
            MomentRelaxation.Result rr = MomentRelaxation.relax(calc, ref, o);
            assertTrue(rr.converged());
            int n = c.size();
            assertEquals(rr.energy(), fm[0].get(JAVA_DOUBLE, F_ENERGY), 1e-9 * Math.abs(rr.energy()));
            MemorySegment ms = fm[1].get(ADDRESS, M_MAGMOM).reinterpret(8L * n), ds = fm[1].get(ADDRESS, M_DEDM).reinterpret(8L * n);
            MemorySegment fs = fm[0].get(ADDRESS, F_F).reinterpret(24L * n);
            for (int i = 0; i < n; i++) {
                assertEquals(ref.magneticMoments()[3 * i], ms.getAtIndex(JAVA_DOUBLE, i), 1e-6, "moment " + i);
                double d = ds.getAtIndex(JAVA_DOUBLE, i), m = ms.getAtIndex(JAVA_DOUBLE, i);
                boolean held = m <= Double.MIN_VALUE || m >= p.magneticBasis().max();
                if (!held) assertEquals(0, d, 1e-9, "dE/dm " + i);
            }
            // forces at the relaxed moments are those of EfsCalculator at these moments
            Configuration at = c.copy();
            for (int i = 0; i < n; i++) at.magneticMoments()[3 * i] = ms.getAtIndex(JAVA_DOUBLE, i);
            EfsCalculator.Result r = calc.compute(at);
            for (int k = 0; k < 3 * n; k++) assertEquals(r.forces()[k], fs.getAtIndex(JAVA_DOUBLE, k), 1e-9, "force " + k);
        }
    }

    @Test
    void magneticPotentialThroughThePlainEntryPointIsAnError() throws Exception {
        Potential p = PotentialFiles.read(TestData.data(MAG));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment setup = arena.allocate(SETUP), message = arena.allocate(4096);
            setup.set(JAVA_LONG, S_ABI, ABI_VERSION);
            setup.set(ADDRESS, S_POTENTIAL, arena.allocateFrom(TestData.data(MAG).toString()));
            setup.set(ADDRESS, S_TYPE_SPECIES, arena.allocateFrom("0 1"));
            setup.set(JAVA_INT, S_NTYPES, 2);
            setup.set(ADDRESS, S_MESSAGE, message);
            setup.set(JAVA_LONG, S_MESSAGE_CAPACITY, 4096);
            assertEquals(0, NativeBridge.create(setup), message.getString(0));
            assertEquals(2, setup.get(JAVA_INT, S_MAGNETIC_SIZE));
            assertEquals(-1.3, setup.get(JAVA_DOUBLE, S_MAGNETIC_MIN));
            assertEquals(3.1, setup.get(JAVA_DOUBLE, S_MAGNETIC_MAX));
            long handle = setup.get(JAVA_LONG, S_HANDLE);
            MemorySegment[] fm = frames(arena, cluster(2, new double[]{0.1, 2.0}, 1), MAGMOM_FIXED, 1e-6);
            fm[0].set(JAVA_LONG, F_HANDLE, handle);
            assertEquals(1, NativeBridge.compute(fm[0]));
            MemorySegment err = arena.allocate(4096);
            NativeBridge.lastError(handle, err, 4096);
            assertTrue(err.getString(0).contains("needs the keyword magmom fixed or magmom relax"), err.getString(0));
            assertEquals(0, NativeBridge.magneticCompute(fm[0], fm[1]), "the magnetic entry point works");
            NativeBridge.release(handle);
        }
    }
}
