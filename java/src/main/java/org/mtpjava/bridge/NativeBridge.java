package org.mtpjava.bridge;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.mtpjava.io.InputFileException;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Potential;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.mtpjava.bridge.FrameLayout.*;

/**
 * Entry points of the LAMMPS bridge. The C shim calls {@link #bootstrap} once per process through JNI; it
 * fills the shim's {@code mtpj_api} table with FFM upcall stubs for the static methods below, which LAMMPS
 * then calls directly (one {@link #compute} per LAMMPS {@code compute()}).
 *
 * <p>No exception ever leaves an upcall (it would end the process): each entry point catches
 * {@link Throwable}, keeps the message for {@code last_error} and returns non-zero, and the plugin turns that
 * into a LAMMPS error. Nothing here prints to {@code System.out}.
 */
public final class NativeBridge {
    private NativeBridge() {}

    private static final Map<Long, PairModel> MODELS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_HANDLE = new AtomicLong(1);
    private static volatile String orphanError = ""; // failures with no model to attach them to

    // created once per process and never freed (a stub per pair-style instance would leak)
    private static MemorySegment createStub, computeStub, lastErrorStub, releaseStub, appendCfgStub, configGradeStub,
            magneticComputeStub, javaVersion;

    /** Called by the shim through JNI with the address of its {@code mtpj_api}; 0 on success. */
    public static int bootstrap(long apiAddress) {
        MemorySegment api = MemorySegment.NULL;
        try {
            api = MemorySegment.ofAddress(apiAddress).reinterpret(API.byteSize());
            if (Runtime.version().feature() < 25) {
                throw new IllegalStateException("mtpjava needs Java 25 or newer, this JVM is " + Runtime.version());
            }
            long abi = api.get(JAVA_LONG, A_ABI);
            if (abi != ABI_VERSION) {
                throw new IllegalStateException("the native shim speaks ABI version " + abi + " but this jar speaks "
                        + ABI_VERSION + ": rebuild the plugin and the jar from the same sources");
            }
            Map<String, Long> table = readTable(api.get(ADDRESS, A_NAMES), api.get(ADDRESS, A_VALUES), api.get(JAVA_LONG, A_COUNT));
            String mismatch = mismatches(table);
            if (!mismatch.isEmpty()) throw new IllegalStateException("struct layouts of C and Java differ:" + mismatch);
            makeStubs();
            api.set(ADDRESS, A_CREATE, createStub);
            api.set(ADDRESS, A_COMPUTE, computeStub);
            api.set(ADDRESS, A_LAST_ERROR, lastErrorStub);
            api.set(ADDRESS, A_RELEASE, releaseStub);
            api.set(ADDRESS, A_APPEND_CFG, appendCfgStub);
            api.set(ADDRESS, A_CONFIG_GRADE, configGradeStub);
            api.set(ADDRESS, A_JAVA_VERSION, javaVersion);
            api.set(ADDRESS, A_MAGNETIC_COMPUTE, magneticComputeStub);
            return 0;
        } catch (Throwable t) {
            try {
                if (!api.equals(MemorySegment.NULL)) {
                    writeText(api.get(ADDRESS, A_MESSAGE), api.get(JAVA_LONG, A_MESSAGE_CAPACITY), describe(t));
                }
            } catch (Throwable ignored) {
                // nothing more can be reported; the shim prints a generic message
            }
            return 1;
        }
    }

    private static synchronized void makeStubs() throws ReflectiveOperationException {
        if (computeStub != null) return;
        Linker linker = Linker.nativeLinker();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Arena global = Arena.global();
        createStub = linker.upcallStub(
                lookup.findStatic(NativeBridge.class, "create", MethodType.methodType(int.class, MemorySegment.class)),
                FunctionDescriptor.of(JAVA_INT, ADDRESS), global);
        computeStub = linker.upcallStub(
                lookup.findStatic(NativeBridge.class, "compute", MethodType.methodType(int.class, MemorySegment.class)),
                FunctionDescriptor.of(JAVA_INT, ADDRESS), global);
        lastErrorStub = linker.upcallStub(
                lookup.findStatic(NativeBridge.class, "lastError",
                        MethodType.methodType(int.class, long.class, MemorySegment.class, long.class)),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG), global);
        releaseStub = linker.upcallStub(
                lookup.findStatic(NativeBridge.class, "release", MethodType.methodType(int.class, long.class)),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG), global);
        appendCfgStub = linker.upcallStub(
                lookup.findStatic(NativeBridge.class, "appendCfg", MethodType.methodType(int.class, MemorySegment.class)),
                FunctionDescriptor.of(JAVA_INT, ADDRESS), global);
        configGradeStub = linker.upcallStub(
                lookup.findStatic(NativeBridge.class, "configGrade",
                        MethodType.methodType(int.class, long.class, MemorySegment.class, long.class, MemorySegment.class)),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS), global);
        magneticComputeStub = linker.upcallStub(
                lookup.findStatic(NativeBridge.class, "magneticCompute",
                        MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class)),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), global);
        javaVersion = global.allocateFrom(Runtime.version().toString());
    }

    // ---- upcalls -----------------------------------------------------------------------------------

    /** pair_coeff: loads the potential and maps types; writes handle, cutoff and a message into the setup. */
    static int create(MemorySegment setupAddress) {
        MemorySegment setup = MemorySegment.NULL;
        try {
            setup = setupAddress.reinterpret(SETUP.byteSize());
            PairModel model = newModel(setup);
            long handle = NEXT_HANDLE.getAndIncrement();
            MODELS.put(handle, model);
            setup.set(JAVA_LONG, S_HANDLE, handle);
            setup.set(JAVA_DOUBLE, S_CUTOFF, model.cutoff);
            setup.set(JAVA_INT, S_NSPECIES, model.potential.speciesCount());
            Grades g = model.grades;
            setup.set(JAVA_INT, S_GRADE_KIND, g == null ? GRADE_NONE : g.neighbourhoodMode() ? GRADE_NEIGHBOURHOOD : GRADE_CONFIGURATION);
            setup.set(JAVA_INT, S_NPARAMS, g == null ? 0 : g.parameterCount());
            Potential mp = model.potential;
            setup.set(JAVA_INT, S_MAGNETIC_SIZE, mp.isMagnetic() ? mp.magneticSize() : 0);
            setup.set(JAVA_DOUBLE, S_MAGNETIC_MIN, mp.isMagnetic() ? mp.magneticBasis().min() : 0.0);
            setup.set(JAVA_DOUBLE, S_MAGNETIC_MAX, mp.isMagnetic() ? mp.magneticBasis().max() : 0.0);
            writeText(setup.get(ADDRESS, S_MESSAGE), setup.get(JAVA_LONG, S_MESSAGE_CAPACITY), summary(model));
            return 0;
        } catch (Throwable t) {
            try {
                if (!setup.equals(MemorySegment.NULL)) {
                    setup.set(JAVA_LONG, S_HANDLE, 0L);
                    writeText(setup.get(ADDRESS, S_MESSAGE), setup.get(JAVA_LONG, S_MESSAGE_CAPACITY), describe(t));
                }
            } catch (Throwable ignored) {
                orphanError = describe(t);
            }
            return 1;
        }
    }

    private static PairModel newModel(MemorySegment setup) {
        long abi = setup.get(JAVA_LONG, S_ABI);
        if (abi != ABI_VERSION) throw new IllegalStateException("setup ABI version " + abi + ", expected " + ABI_VERSION);
        String file = cString(setup.get(ADDRESS, S_POTENTIAL));
        String speciesNames = cString(setup.get(ADDRESS, S_SPECIES_NAMES));
        String typeTokens = cString(setup.get(ADDRESS, S_TYPE_SPECIES));
        int ntypes = setup.get(JAVA_INT, S_NTYPES);
        boolean wantGrades = setup.get(JAVA_INT, S_WANT_GRADES) != 0;
        if (file == null || file.isEmpty()) throw new IllegalArgumentException("no potential file given");
        Potential p = PotentialFiles.read(Path.of(file));
        if (p.isMagnetic() && wantGrades) {
            throw new IllegalArgumentException(file + " is a magnetic MTP: extrapolation grades are not available with "
                    + "magnetic moments in pair_style mtpjava (leave out the extrapolation keyword)");
        }
        if (wantGrades && p.activeSet() == null) {
            throw new IllegalArgumentException("extrapolation needs an active set, but " + file + " has none (no "
                    + "#MVS_v1.1 section; use the .almtp written by active-learning training)");
        }
        TypeSpecies types = TypeSpecies.parse(p, file, speciesNames, typeTokens, ntypes);
        return new PairModel(p, file, types, wantGrades);
    }

    private static String summary(PairModel m) {
        Potential p = m.potential;
        String s = "potential " + m.file + ": " + p.speciesCount() + " species, cutoff " + p.cutoff() + " A, "
                + p.basis().scalarCount() + " basis functions, " + p.parameterCount() + " parameters; types "
                + m.types.describe();
        if (m.grades != null) {
            s += "; active set " + m.grades.parameterCount() + "x" + m.grades.parameterCount() + " ("
                    + (m.grades.neighbourhoodMode() ? "neighbourhood" : "configuration") + " mode)";
        }
        return s;
    }

    /** Every LAMMPS compute(). */
    static int compute(MemorySegment frameAddress) {
        PairModel model = null;
        try {
            MemorySegment frame = frameAddress.reinterpret(FRAME.byteSize());
            model = MODELS.get(frame.get(JAVA_LONG, F_HANDLE));
            if (model == null) {
                orphanError = "compute() for unknown model handle " + frame.get(JAVA_LONG, F_HANDLE);
                return 2;
            }
            if (model.potential.isMagnetic()) {
                throw new IllegalArgumentException(model.file + " is a magnetic MTP: pair_style mtpjava needs the keyword "
                        + "magmom fixed or magmom relax and the moments in a per-atom property (fix property/atom d_magmom)");
            }
            model.compute(frame);
            return 0;
        } catch (Throwable t) {
            fail(model, t);
            return 1;
        }
    }

    /** Every LAMMPS compute() of a magnetic MTP (pair_style ... magmom fixed|relax). */
    static int magneticCompute(MemorySegment frameAddress, MemorySegment magneticAddress) {
        PairModel model = null;
        try {
            MemorySegment frame = frameAddress.reinterpret(FRAME.byteSize());
            MemorySegment mag = magneticAddress.reinterpret(MAGNETIC.byteSize());
            model = MODELS.get(frame.get(JAVA_LONG, F_HANDLE));
            if (model == null) {
                orphanError = "magnetic compute() for unknown model handle " + frame.get(JAVA_LONG, F_HANDLE);
                return 2;
            }
            MagneticPairCompute.compute(model, frame, mag);
            return 0;
        } catch (Throwable t) {
            fail(model, t);
            return 1;
        }
    }

    /** Copies the message of the last failure (for this handle, or without one) into a C buffer. */
    static int lastError(long handle, MemorySegment buffer, long capacity) {
        try {
            PairModel m = MODELS.get(handle);
            String text = m != null && !m.lastError().isEmpty() ? m.lastError() : orphanError;
            writeText(buffer, capacity, text);
            return 0;
        } catch (Throwable t) {
            return 1;
        }
    }

    static int release(long handle) {
        try {
            MODELS.remove(handle);
            return 0;
        } catch (Throwable t) {
            return 1;
        }
    }

    /** Rank 0 appends an extrapolative configuration to the dump file. */
    static int appendCfg(MemorySegment snapshotAddress) {
        PairModel model = null;
        try {
            MemorySegment snap = snapshotAddress.reinterpret(SNAPSHOT.byteSize());
            model = MODELS.get(snap.get(JAVA_LONG, P_HANDLE));
            if (model == null) throw new IllegalStateException("unknown model handle " + snap.get(JAVA_LONG, P_HANDLE));
            ExtrapolativeConfigurations.append(model, snap);
            return 0;
        } catch (Throwable t) {
            fail(model, t);
            return 1;
        }
    }

    /** Configuration-mode grade from dE/dtheta summed over ranks. */
    static int configGrade(long handle, MemorySegment sumAddress, long atoms, MemorySegment gradeAddress) {
        PairModel model = null;
        try {
            model = MODELS.get(handle);
            if (model == null || model.grades == null) throw new IllegalStateException("no active set for handle " + handle);
            int n = model.grades.parameterCount();
            double[] sum = sumAddress.reinterpret(8L * n).toArray(JAVA_DOUBLE);
            double g = model.grades.configurationGrade(sum, atoms);
            gradeAddress.reinterpret(8).set(JAVA_DOUBLE, 0, g);
            return 0;
        } catch (Throwable t) {
            fail(model, t);
            return 1;
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static void fail(PairModel model, Throwable t) {
        String text = describe(t);
        if (model != null) model.setLastError(text);
        else orphanError = text;
    }

    /** User errors (bad files, bad input) by their message; anything else with its type and where it happened. */
    static String describe(Throwable t) {
        if (t instanceof InputFileException || t instanceof IllegalArgumentException) {
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }
        StringBuilder sb = new StringBuilder(t.toString());
        StackTraceElement[] st = t.getStackTrace();
        for (int k = 0; k < Math.min(4, st.length); k++) sb.append(k == 0 ? " at " : " < ").append(st[k]);
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) sb.append("; caused by ").append(c);
        return sb.toString();
    }

    static String cString(MemorySegment p) {
        if (p.equals(MemorySegment.NULL)) return null;
        return p.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
    }

    /** NUL-terminated UTF-8 into a C buffer of the given capacity (truncated if needed). */
    static void writeText(MemorySegment buffer, long capacity, String text) {
        if (buffer.equals(MemorySegment.NULL) || capacity <= 0) return;
        byte[] b = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, capacity - 1);
        MemorySegment out = buffer.reinterpret(capacity);
        MemorySegment.copy(b, 0, out, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, n);
        out.set(java.lang.foreign.ValueLayout.JAVA_BYTE, n, (byte) 0);
    }
}
