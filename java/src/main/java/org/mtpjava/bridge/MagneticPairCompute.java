package org.mtpjava.bridge;

import org.mtpjava.eval.SiteEvaluator;
import org.mtpjava.model.MagneticBasis;
import org.mtpjava.model.Potential;
import org.mtpjava.optim.Lbfgs;
import org.mtpjava.relax.MomentRelaxation;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.mtpjava.bridge.FrameLayout.*;

/**
 * {@code pair_style mtpjava ... magmom fixed|relax}: one LAMMPS compute() of a magnetic MTP on one rank (issue 9).
 *
 * <p>Moments (collinear, per atom, local and ghost) come from the plugin's {@code fix property/atom d_magmom}
 * array; dE/dm of every local site is added to the per-atom {@code dedm} array for the central atom and for every
 * neighbour (ghosts included), and the plugin reverse-communicates the ghost parts. With fixed moments forces and
 * virial are the exact derivatives of E at those moments.
 *
 * <p>With relaxed moments the moments of all local atoms are first moved to the minimum of E at fixed positions by
 * the shared L-BFGS ({@link Lbfgs}), warm-started from the current moments, signs kept (unless flips are allowed)
 * and inside the magnetic interval ({@link MomentRelaxation#bounds}). Each objective evaluation calls back into
 * the plugin: forward communication of the new moments to ghosts, reverse communication of dE/dm, and an
 * all-reduce of the energy and of every inner product, so all ranks take the same steps and the minimisation is
 * over all moments of the configuration. Forces are then evaluated at the relaxed moments (envelope theorem: they
 * are the derivatives of min_m E).
 */
final class MagneticPairCompute {
    private MagneticPairCompute() {}

    /** Per-model state: evaluator, neighbourhood cache (CSR over local atoms), callback handles. */
    private static final class State {
        final SiteEvaluator ev;
        int[] start = new int[1], nbr = new int[256], nsp = new int[256], ti = new int[0];
        double[] rij = new double[768], sj = new double[256], dEdr = new double[768], ds = new double[257];
        double[] x = new double[0], g = new double[0];
        // the kernel takes neighbour arrays starting at index 0: slices copied here (cheap next to the kernel)
        double[] sliceRij = new double[768];
        int[] sliceSp = new int[256];
        long forwardAddr, reverseAddr, allreduceAddr;
        MethodHandle forward, reverse, allreduce;
        final SiteForceScatter scatter = new SiteForceScatter();

        State(Potential p) { ev = new SiteEvaluator(p); }
    }

    private static final Map<PairModel, State> STATES = new WeakHashMap<>();
    private static final FunctionDescriptor COMM = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor REDUCE = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT);

    private static synchronized State state(PairModel m) {
        return STATES.computeIfAbsent(m, k -> new State(k.potential));
    }

    private static MemorySegment array(MemorySegment s, long field, long bytes, String name) {
        MemorySegment p = s.get(ADDRESS, field);
        if (p.equals(MemorySegment.NULL)) {
            if (bytes == 0) return MemorySegment.NULL;
            throw new IllegalStateException(name + " is NULL but " + bytes + " bytes are needed");
        }
        return p.reinterpret(bytes);
    }

    private static MethodHandle handle(MemorySegment fn, FunctionDescriptor d, String name) {
        if (fn.equals(MemorySegment.NULL)) throw new IllegalStateException("magnetic." + name + " callback is NULL");
        return Linker.nativeLinker().downcallHandle(fn, d);
    }

    /** Collective callbacks into the plugin. */
    private static final class Callbacks implements Lbfgs.Reduction {
        final State st;
        final MemorySegment context;
        final MemorySegment buffer;

        Callbacks(State st, MemorySegment context, Arena arena) {
            this.st = st;
            this.context = context;
            this.buffer = arena.allocate(JAVA_DOUBLE, 1);
        }

        void forward() { call(st.forward, "forward_comm"); }
        void reverse() { call(st.reverse, "reverse_comm"); }

        private void call(MethodHandle h, String name) {
            int rc;
            try {
                rc = (int) h.invokeExact(context);
            } catch (Throwable t) {
                throw new IllegalStateException(name + " callback failed: " + t, t);
            }
            if (rc != 0) throw new IllegalStateException(name + " callback returned " + rc);
        }

        private double reduce(double v, int op) {
            buffer.set(JAVA_DOUBLE, 0, v);
            int rc;
            try {
                rc = (int) st.allreduce.invokeExact(context, buffer, 1, op);
            } catch (Throwable t) {
                throw new IllegalStateException("allreduce callback failed: " + t, t);
            }
            if (rc != 0) throw new IllegalStateException("allreduce callback returned " + rc);
            return buffer.get(JAVA_DOUBLE, 0);
        }

        @Override public double sum(double local) { return reduce(local, 0); }
        @Override public double max(double local) { return reduce(local, 1); }
    }

    /** One magnetic compute() on this rank. */
    static void compute(PairModel model, MemorySegment frame, MemorySegment mag) {
        long t0 = System.nanoTime();
        Potential p = model.potential;
        if (!p.isMagnetic()) throw new IllegalArgumentException(model.file + " is not a magnetic MTP; remove the magmom keyword of pair_style mtpjava");
        if (mag.get(JAVA_LONG, M_ABI) != ABI_VERSION) throw new IllegalStateException("magnetic ABI version " + mag.get(JAVA_LONG, M_ABI));
        State st = state(model);
        int nlocal = frame.get(JAVA_INT, F_NLOCAL), nghost = frame.get(JAVA_INT, F_NGHOST);
        int inum = frame.get(JAVA_INT, F_INUM), ntypes = frame.get(JAVA_INT, F_NTYPES);
        int mask = frame.get(JAVA_INT, F_NEIGHMASK);
        boolean eflagAtom = frame.get(JAVA_INT, F_EFLAG_ATOM) != 0;
        boolean vflagGlobal = frame.get(JAVA_INT, F_VFLAG_GLOBAL) != 0;
        boolean vflagAtom = frame.get(JAVA_INT, F_VFLAG_ATOM) != 0;
        if (frame.get(JAVA_INT, F_GRADE_MODE) != GRADE_NONE) {
            throw new IllegalArgumentException("extrapolation grades are not available with a magnetic MTP in pair_style mtpjava");
        }
        if (ntypes != model.types.typeCount()) {
            throw new IllegalStateException("LAMMPS has " + ntypes + " atom types but pair_coeff mapped " + model.types.typeCount());
        }
        int nall = nlocal + nghost;
        int mode = mag.get(JAVA_INT, M_MODE);
        if (mode != MAGMOM_FIXED && mode != MAGMOM_RELAX) throw new IllegalStateException("magnetic mode " + mode);
        MemorySegment ilist = array(frame, F_ILIST, 4L * inum, "frame.ilist");
        MemorySegment numneigh = array(frame, F_NUMNEIGH, 4L * nlocal, "frame.numneigh");
        MemorySegment firstneigh = array(frame, F_FIRSTNEIGH, 8L * nlocal, "frame.firstneigh");
        MemorySegment x = array(frame, F_X, 24L * nall, "frame.x");
        MemorySegment type = array(frame, F_TYPE, 4L * nall, "frame.type");
        MemorySegment f = array(frame, F_F, 24L * nall, "frame.f");
        MemorySegment eatom = eflagAtom ? array(frame, F_EATOM, 8L * nall, "frame.eatom") : null;
        MemorySegment vatom = vflagAtom ? array(frame, F_VATOM, 48L * nall, "frame.vatom") : null;
        MemorySegment magmom = array(mag, M_MAGMOM, 8L * nall, "magnetic.magmom");
        MemorySegment dedm = array(mag, M_DEDM, 8L * nall, "magnetic.dedm");
        int[] speciesOfType = model.types.table();
        double cut2 = model.cutoff * model.cutoff;

        // neighbourhoods of the local atoms (positions are fixed during the relaxation)
        if (st.start.length < inum + 1) st.start = new int[inum + 1];
        if (st.ti.length < inum) st.ti = new int[inum];
        int total = 0, maxN = 0;
        int[] centre = new int[inum];
        for (int ii = 0; ii < inum; ii++) {
            int i = ilist.getAtIndex(JAVA_INT, ii);
            if (i < 0 || i >= nlocal) throw new IllegalStateException("ilist[" + ii + "] = " + i + " is not a local atom");
            centre[ii] = i;
            st.ti[ii] = speciesOfType[type.getAtIndex(JAVA_INT, i)];
            double xi = x.getAtIndex(JAVA_DOUBLE, 3L * i), yi = x.getAtIndex(JAVA_DOUBLE, 3L * i + 1), zi = x.getAtIndex(JAVA_DOUBLE, 3L * i + 2);
            int jnum = numneigh.getAtIndex(JAVA_INT, i);
            MemorySegment row = firstneigh.getAtIndex(ADDRESS, i).reinterpret(4L * jnum);
            st.start[ii] = total;
            if (st.nbr.length < total + jnum) grow(st, Math.max(2 * st.nbr.length, total + jnum));
            for (int jj = 0; jj < jnum; jj++) {
                int j = row.getAtIndex(JAVA_INT, jj) & mask;
                double dx = x.getAtIndex(JAVA_DOUBLE, 3L * j) - xi, dy = x.getAtIndex(JAVA_DOUBLE, 3L * j + 1) - yi,
                        dz = x.getAtIndex(JAVA_DOUBLE, 3L * j + 2) - zi;
                if (dx * dx + dy * dy + dz * dz >= cut2) continue;
                st.rij[3 * total] = dx;
                st.rij[3 * total + 1] = dy;
                st.rij[3 * total + 2] = dz;
                st.nbr[total] = j;
                st.nsp[total] = speciesOfType[type.getAtIndex(JAVA_INT, j)];
                total++;
            }
            maxN = Math.max(maxN, total - st.start[ii]);
        }
        st.start[inum] = total;
        if (st.ds.length < maxN + 1) st.ds = new double[maxN + 1];
        if (st.dEdr.length < 3 * maxN) st.dEdr = new double[3 * maxN];
        if (st.sj.length < maxN) st.sj = new double[maxN];

        long kernel = 0;
        int iterations = 0, evaluations = 0, atBounds = 0;
        boolean converged = true;
        double maxDedm = 0, energyChange = 0;
        if (mode == MAGMOM_RELAX) {
            long k0 = System.nanoTime();
            MemorySegment ctx = mag.get(ADDRESS, M_CONTEXT);
            bindCallbacks(st, mag);
            try (Arena arena = Arena.ofConfined()) {
                Callbacks cb = new Callbacks(st, ctx, arena);
                if (st.x.length < nlocal) {
                    st.x = new double[nlocal];
                    st.g = new double[nlocal];
                }
                double[] xv = Arrays.copyOf(st.x, nlocal);
                for (int i = 0; i < nlocal; i++) xv[i] = magmom.getAtIndex(JAVA_DOUBLE, i);
                MomentRelaxation.Options mo = new MomentRelaxation.Options();
                mo.allowFlips = mag.get(JAVA_INT, M_ALLOW_FLIPS) != 0;
                Lbfgs.Options lo = new Lbfgs.Options();
                lo.reduction = cb;
                lo.maxIterations = mag.get(JAVA_INT, M_MAX_ITERATIONS);
                lo.memory = Math.max(1, mag.get(JAVA_INT, M_MEMORY));
                lo.gradientTolerance = mag.get(JAVA_DOUBLE, M_TOLERANCE);
                lo.maxStep = mag.get(JAVA_DOUBLE, M_MAX_STEP);
                lo.lower = new double[nlocal];
                lo.upper = new double[nlocal];
                MomentRelaxation.bounds(p.magneticBasis(), MomentRelaxation.signs(xv, 1, nlocal), nlocal, mo, lo.lower, lo.upper);
                double[] first = {Double.NaN};
                Lbfgs.Objective obj = (m, g) -> {
                    for (int i = 0; i < nlocal; i++) magmom.setAtIndex(JAVA_DOUBLE, i, m[i]);
                    cb.forward();
                    double e = energyAndDedm(st, centre, inum, magmom, dedm, nall, false, null, null, null, false, false, null);
                    cb.reverse();
                    for (int i = 0; i < nlocal; i++) g[i] = dedm.getAtIndex(JAVA_DOUBLE, i);
                    double eg = cb.sum(e);
                    if (Double.isNaN(first[0])) first[0] = eg;
                    return eg;
                };
                Lbfgs.Result r = Lbfgs.minimize(obj, xv, lo, null);
                for (int i = 0; i < nlocal; i++) magmom.setAtIndex(JAVA_DOUBLE, i, xv[i]);
                cb.forward();
                iterations = r.iterations();
                evaluations = r.evaluations();
                converged = r.converged();
                atBounds = r.atBounds();
                maxDedm = r.maxProjectedGradient();
                energyChange = r.value() - first[0];
            }
            kernel += System.nanoTime() - k0;
        } else {
            // fixed moments must lie inside the interval (the plugin checks this with atom IDs first)
            MagneticBasis b = p.magneticBasis();
            double tol = org.mtpjava.magnetic.MomentChecks.SLACK * (b.max() - b.min());
            for (int i = 0; i < nall; i++) {
                double m = magmom.getAtIndex(JAVA_DOUBLE, i);
                if (!(m >= b.min() - tol && m <= b.max() + tol)) {
                    throw new IllegalArgumentException(org.mtpjava.magnetic.MomentChecks.outsideMessage(p, i, m,
                            "(LAMMPS local index " + i + ") moments must lie inside the potential's interval"));
                }
            }
        }
        // energy, forces, virial and dE/dm at the (relaxed) moments; dedm keeps the ghost parts for the plugin
        long k1 = System.nanoTime();
        double[] virial = new double[6];
        double energy = energyAndDedm(st, centre, inum, magmom, dedm, nall, true, f, eatom, vatom, vflagGlobal, vatom != null, virial);
        kernel += System.nanoTime() - k1;
        frame.set(JAVA_DOUBLE, F_ENERGY, energy);
        for (int k = 0; k < 6; k++) frame.set(JAVA_DOUBLE, F_VIRIAL + 8L * k, vflagGlobal ? virial[k] : 0.0);
        frame.set(JAVA_DOUBLE, F_MAX_GRADE, 0.0);
        frame.set(JAVA_DOUBLE, F_KERNEL_SECONDS, kernel * 1e-9);
        frame.set(JAVA_DOUBLE, F_JAVA_SECONDS, (System.nanoTime() - t0) * 1e-9);
        mag.set(JAVA_INT, M_ITERATIONS, iterations);
        mag.set(JAVA_INT, M_EVALUATIONS, evaluations);
        mag.set(JAVA_INT, M_CONVERGED, converged ? 1 : 0);
        mag.set(JAVA_INT, M_AT_BOUNDS, atBounds);
        mag.set(JAVA_DOUBLE, M_MAX_DEDM, maxDedm);
        mag.set(JAVA_DOUBLE, M_ENERGY_CHANGE, energyChange);
    }

    private static void bindCallbacks(State st, MemorySegment mag) {
        MemorySegment fw = mag.get(ADDRESS, M_FORWARD_COMM), rv = mag.get(ADDRESS, M_REVERSE_COMM), ar = mag.get(ADDRESS, M_ALLREDUCE);
        if (st.forward == null || st.forwardAddr != fw.address()) {
            st.forward = handle(fw, COMM, "forward_comm");
            st.forwardAddr = fw.address();
        }
        if (st.reverse == null || st.reverseAddr != rv.address()) {
            st.reverse = handle(rv, COMM, "reverse_comm");
            st.reverseAddr = rv.address();
        }
        if (st.allreduce == null || st.allreduceAddr != ar.address()) {
            st.allreduce = handle(ar, REDUCE, "allreduce");
            st.allreduceAddr = ar.address();
        }
    }

    private static void grow(State st, int cap) {
        st.nbr = Arrays.copyOf(st.nbr, cap);
        st.nsp = Arrays.copyOf(st.nsp, cap);
        st.rij = Arrays.copyOf(st.rij, 3 * cap);
    }

    /**
     * Sum of the site energies of the local atoms; dedm (all nall entries) overwritten with the per-atom sums of
     * dV_i/ds; with {@code forces}, also forces (+=), per-atom energies and virials, and the global virial.
     */
    private static double energyAndDedm(State st, int[] centre, int inum, MemorySegment magmom, MemorySegment dedm, int nall,
                                        boolean forces, MemorySegment f, MemorySegment eatom, MemorySegment vatom,
                                        boolean vflagGlobal, boolean vflagAtom, double[] virial) {
        for (int i = 0; i < nall; i++) dedm.setAtIndex(JAVA_DOUBLE, i, 0.0);
        double energy = 0;
        st.scatter.reset();
        double[] rij = st.rij, dEdr = st.dEdr, ds = st.ds, sj = st.sj;
        for (int ii = 0; ii < inum; ii++) {
            int i = centre[ii], s0 = st.start[ii], n = st.start[ii + 1] - s0;
            for (int k = 0; k < n; k++) sj[k] = magmom.getAtIndex(JAVA_DOUBLE, st.nbr[s0 + k]);
            double si = magmom.getAtIndex(JAVA_DOUBLE, i);
            double e = st.ev.siteEnergy(st.ti[ii], si, n, slice(st, s0, n), sliceSp(st, s0, n), sj, dEdr, ds);
            energy += e;
            dedm.setAtIndex(JAVA_DOUBLE, i, dedm.getAtIndex(JAVA_DOUBLE, i) + ds[0]);
            for (int k = 0; k < n; k++) {
                int j = st.nbr[s0 + k];
                dedm.setAtIndex(JAVA_DOUBLE, j, dedm.getAtIndex(JAVA_DOUBLE, j) + ds[1 + k]);
            }
            if (!forces) continue;
            if (eatom != null) eatom.setAtIndex(JAVA_DOUBLE, i, eatom.getAtIndex(JAVA_DOUBLE, i) + e);
            st.scatter.add(f, vflagAtom ? vatom : null, vflagGlobal, i, n, st.nbr, rij, s0, dEdr);
        }
        if (virial != null) System.arraycopy(st.scatter.virial, 0, virial, 0, 6);
        return energy;
    }

    private static double[] slice(State st, int s0, int n) {
        if (st.sliceRij.length < 3 * n) st.sliceRij = new double[Math.max(3 * n, 2 * st.sliceRij.length)];
        System.arraycopy(st.rij, 3 * s0, st.sliceRij, 0, 3 * n);
        return st.sliceRij;
    }

    private static int[] sliceSp(State st, int s0, int n) {
        if (st.sliceSp.length < n) st.sliceSp = new int[Math.max(n, 2 * st.sliceSp.length)];
        System.arraycopy(st.nsp, s0, st.sliceSp, 0, n);
        return st.sliceSp;
    }

}
