package org.mtpjava.bridge;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Java mirror of the C structs in {@code cpp-shim/include/mtpjava_frame.h}. The offsets used by the bridge
 * are derived from these layouts; {@link #mismatches} compares them with what the C compiler produced (the
 * shim passes its {@code offsetof}/{@code sizeof} table at bootstrap, and a test compiles the header).
 */
public final class FrameLayout {
    private FrameLayout() {}

    /** Must equal MTPJ_ABI_VERSION in the header. */
    public static final long ABI_VERSION = 2;

    public static final int GRADE_NONE = 0, GRADE_NEIGHBOURHOOD = 1, GRADE_CONFIGURATION = 2;
    public static final int MAGMOM_FIXED = 1, MAGMOM_RELAX = 2;

    public static final StructLayout FRAME = MemoryLayout.structLayout(
            JAVA_LONG.withName("abi_version"),
            JAVA_LONG.withName("handle"),
            JAVA_INT.withName("nlocal"),
            JAVA_INT.withName("nghost"),
            JAVA_INT.withName("inum"),
            JAVA_INT.withName("ntypes"),
            JAVA_INT.withName("neighmask"),
            JAVA_INT.withName("eflag_global"),
            JAVA_INT.withName("eflag_atom"),
            JAVA_INT.withName("vflag_global"),
            JAVA_INT.withName("vflag_atom"),
            JAVA_INT.withName("grade_mode"),
            ADDRESS.withName("ilist"),
            ADDRESS.withName("numneigh"),
            ADDRESS.withName("firstneigh"),
            ADDRESS.withName("x"),
            ADDRESS.withName("type"),
            ADDRESS.withName("f"),
            ADDRESS.withName("eatom"),
            ADDRESS.withName("vatom"),
            ADDRESS.withName("grade"),
            ADDRESS.withName("dedtheta"),
            JAVA_DOUBLE.withName("energy"),
            MemoryLayout.sequenceLayout(6, JAVA_DOUBLE).withName("virial"),
            JAVA_DOUBLE.withName("max_grade"),
            JAVA_DOUBLE.withName("kernel_seconds"),
            JAVA_DOUBLE.withName("java_seconds")).withName("mtpj_frame");

    public static final StructLayout SETUP = MemoryLayout.structLayout(
            JAVA_LONG.withName("abi_version"),
            ADDRESS.withName("potential_file"),
            ADDRESS.withName("species_names"),
            ADDRESS.withName("type_species"),
            JAVA_INT.withName("ntypes"),
            JAVA_INT.withName("want_grades"),
            JAVA_INT.withName("comm_rank"),
            JAVA_INT.withName("comm_size"),
            JAVA_LONG.withName("handle"),
            JAVA_DOUBLE.withName("cutoff"),
            JAVA_INT.withName("nspecies"),
            JAVA_INT.withName("grade_kind"),
            JAVA_INT.withName("nparams"),
            JAVA_INT.withName("magnetic_size"),
            ADDRESS.withName("message"),
            JAVA_LONG.withName("message_capacity"),
            JAVA_DOUBLE.withName("magnetic_min"),
            JAVA_DOUBLE.withName("magnetic_max")).withName("mtpj_setup");

    public static final StructLayout MAGNETIC = MemoryLayout.structLayout(
            JAVA_LONG.withName("abi_version"),
            JAVA_INT.withName("mode"),
            JAVA_INT.withName("allow_flips"),
            JAVA_INT.withName("max_iterations"),
            JAVA_INT.withName("memory"),
            JAVA_DOUBLE.withName("tolerance"),
            JAVA_DOUBLE.withName("max_step"),
            ADDRESS.withName("magmom"),
            ADDRESS.withName("dedm"),
            ADDRESS.withName("context"),
            ADDRESS.withName("forward_comm"),
            ADDRESS.withName("reverse_comm"),
            ADDRESS.withName("allreduce"),
            JAVA_INT.withName("iterations"),
            JAVA_INT.withName("evaluations"),
            JAVA_INT.withName("converged"),
            JAVA_INT.withName("at_bounds"),
            JAVA_DOUBLE.withName("max_dedm"),
            JAVA_DOUBLE.withName("energy_change")).withName("mtpj_magnetic");

    public static final StructLayout SNAPSHOT = MemoryLayout.structLayout(
            JAVA_LONG.withName("handle"),
            JAVA_LONG.withName("natoms"),
            JAVA_LONG.withName("timestep"),
            ADDRESS.withName("ids"),
            ADDRESS.withName("types"),
            ADDRESS.withName("x"),
            ADDRESS.withName("grade"),
            ADDRESS.withName("path"),
            MemoryLayout.sequenceLayout(9, JAVA_DOUBLE).withName("cell"),
            MemoryLayout.sequenceLayout(3, JAVA_DOUBLE).withName("origin"),
            JAVA_DOUBLE.withName("max_grade")).withName("mtpj_snapshot");

    public static final StructLayout API = MemoryLayout.structLayout(
            JAVA_LONG.withName("abi_version"),
            ADDRESS.withName("layout_names"),
            ADDRESS.withName("layout_values"),
            JAVA_LONG.withName("layout_count"),
            ADDRESS.withName("message"),
            JAVA_LONG.withName("message_capacity"),
            ADDRESS.withName("create"),
            ADDRESS.withName("compute"),
            ADDRESS.withName("last_error"),
            ADDRESS.withName("release"),
            ADDRESS.withName("append_cfg"),
            ADDRESS.withName("config_grade"),
            ADDRESS.withName("java_version"),
            ADDRESS.withName("magnetic_compute")).withName("mtpj_api");

    static long offset(StructLayout s, String field) { return s.byteOffset(groupElement(field)); }

    // frame
    static final long F_ABI = offset(FRAME, "abi_version"), F_HANDLE = offset(FRAME, "handle"),
            F_NLOCAL = offset(FRAME, "nlocal"), F_NGHOST = offset(FRAME, "nghost"), F_INUM = offset(FRAME, "inum"),
            F_NTYPES = offset(FRAME, "ntypes"), F_NEIGHMASK = offset(FRAME, "neighmask"),
            F_EFLAG_GLOBAL = offset(FRAME, "eflag_global"), F_EFLAG_ATOM = offset(FRAME, "eflag_atom"),
            F_VFLAG_GLOBAL = offset(FRAME, "vflag_global"), F_VFLAG_ATOM = offset(FRAME, "vflag_atom"),
            F_GRADE_MODE = offset(FRAME, "grade_mode"), F_ILIST = offset(FRAME, "ilist"),
            F_NUMNEIGH = offset(FRAME, "numneigh"), F_FIRSTNEIGH = offset(FRAME, "firstneigh"),
            F_X = offset(FRAME, "x"), F_TYPE = offset(FRAME, "type"), F_F = offset(FRAME, "f"),
            F_EATOM = offset(FRAME, "eatom"), F_VATOM = offset(FRAME, "vatom"), F_GRADE = offset(FRAME, "grade"),
            F_DEDTHETA = offset(FRAME, "dedtheta"), F_ENERGY = offset(FRAME, "energy"),
            F_VIRIAL = offset(FRAME, "virial"), F_MAX_GRADE = offset(FRAME, "max_grade"),
            F_KERNEL_SECONDS = offset(FRAME, "kernel_seconds"), F_JAVA_SECONDS = offset(FRAME, "java_seconds");
    // setup
    static final long S_ABI = offset(SETUP, "abi_version"), S_POTENTIAL = offset(SETUP, "potential_file"),
            S_SPECIES_NAMES = offset(SETUP, "species_names"), S_TYPE_SPECIES = offset(SETUP, "type_species"),
            S_NTYPES = offset(SETUP, "ntypes"), S_WANT_GRADES = offset(SETUP, "want_grades"),
            S_RANK = offset(SETUP, "comm_rank"), S_SIZE = offset(SETUP, "comm_size"),
            S_HANDLE = offset(SETUP, "handle"), S_CUTOFF = offset(SETUP, "cutoff"),
            S_NSPECIES = offset(SETUP, "nspecies"), S_GRADE_KIND = offset(SETUP, "grade_kind"),
            S_NPARAMS = offset(SETUP, "nparams"), S_MESSAGE = offset(SETUP, "message"),
            S_MESSAGE_CAPACITY = offset(SETUP, "message_capacity"), S_MAGNETIC_SIZE = offset(SETUP, "magnetic_size"),
            S_MAGNETIC_MIN = offset(SETUP, "magnetic_min"), S_MAGNETIC_MAX = offset(SETUP, "magnetic_max");
    // magnetic
    static final long M_ABI = offset(MAGNETIC, "abi_version"), M_MODE = offset(MAGNETIC, "mode"),
            M_ALLOW_FLIPS = offset(MAGNETIC, "allow_flips"), M_MAX_ITERATIONS = offset(MAGNETIC, "max_iterations"),
            M_MEMORY = offset(MAGNETIC, "memory"), M_TOLERANCE = offset(MAGNETIC, "tolerance"),
            M_MAX_STEP = offset(MAGNETIC, "max_step"), M_MAGMOM = offset(MAGNETIC, "magmom"), M_DEDM = offset(MAGNETIC, "dedm"),
            M_CONTEXT = offset(MAGNETIC, "context"), M_FORWARD_COMM = offset(MAGNETIC, "forward_comm"),
            M_REVERSE_COMM = offset(MAGNETIC, "reverse_comm"), M_ALLREDUCE = offset(MAGNETIC, "allreduce"),
            M_ITERATIONS = offset(MAGNETIC, "iterations"), M_EVALUATIONS = offset(MAGNETIC, "evaluations"),
            M_CONVERGED = offset(MAGNETIC, "converged"), M_AT_BOUNDS = offset(MAGNETIC, "at_bounds"),
            M_MAX_DEDM = offset(MAGNETIC, "max_dedm"), M_ENERGY_CHANGE = offset(MAGNETIC, "energy_change");
    // snapshot
    static final long P_HANDLE = offset(SNAPSHOT, "handle"), P_NATOMS = offset(SNAPSHOT, "natoms"),
            P_TIMESTEP = offset(SNAPSHOT, "timestep"), P_IDS = offset(SNAPSHOT, "ids"),
            P_TYPES = offset(SNAPSHOT, "types"), P_X = offset(SNAPSHOT, "x"), P_GRADE = offset(SNAPSHOT, "grade"),
            P_PATH = offset(SNAPSHOT, "path"), P_CELL = offset(SNAPSHOT, "cell"),
            P_ORIGIN = offset(SNAPSHOT, "origin"), P_MAX_GRADE = offset(SNAPSHOT, "max_grade");
    // api
    static final long A_ABI = offset(API, "abi_version"), A_NAMES = offset(API, "layout_names"),
            A_VALUES = offset(API, "layout_values"), A_COUNT = offset(API, "layout_count"),
            A_MESSAGE = offset(API, "message"), A_MESSAGE_CAPACITY = offset(API, "message_capacity"),
            A_CREATE = offset(API, "create"), A_COMPUTE = offset(API, "compute"),
            A_LAST_ERROR = offset(API, "last_error"), A_RELEASE = offset(API, "release"),
            A_APPEND_CFG = offset(API, "append_cfg"), A_CONFIG_GRADE = offset(API, "config_grade"),
            A_JAVA_VERSION = offset(API, "java_version"), A_MAGNETIC_COMPUTE = offset(API, "magnetic_compute");

    /** "struct.field" -> byte offset and "struct" -> size, in the naming of the C layout table. */
    public static Map<String, Long> expected() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (StructLayout s : new StructLayout[] {FRAME, SETUP, SNAPSHOT, API, MAGNETIC}) {
            String struct = s.name().orElseThrow();
            for (MemoryLayout member : s.memberLayouts()) {
                String field = member.name().orElseThrow();
                m.put(struct + "." + field, s.byteOffset(groupElement(field)));
            }
            m.put(struct, s.byteSize());
        }
        return m;
    }

    /**
     * Differences between the C table and {@link #expected()}: every C entry must match, and every Java field
     * except padding must be present in C. Empty when the layouts agree.
     */
    public static String mismatches(Map<String, Long> fromC) {
        StringBuilder sb = new StringBuilder();
        Map<String, Long> java = expected();
        for (Map.Entry<String, Long> e : fromC.entrySet()) {
            Long mine = java.get(e.getKey());
            if (mine == null) sb.append(' ').append(e.getKey()).append(" unknown to Java;");
            else if (!mine.equals(e.getValue()))
                sb.append(' ').append(e.getKey()).append(": C ").append(e.getValue()).append(", Java ").append(mine).append(';');
        }
        for (String k : java.keySet()) {
            if (!fromC.containsKey(k) && !k.endsWith(".pad0")) sb.append(' ').append(k).append(" missing in C;");
        }
        return sb.toString().trim();
    }

    /** Reads the C table of a bootstrap call. */
    static Map<String, Long> readTable(MemorySegment names, MemorySegment values, long count) {
        Map<String, Long> m = new LinkedHashMap<>();
        MemorySegment n = names.reinterpret(count * ADDRESS.byteSize());
        MemorySegment v = values.reinterpret(count * JAVA_LONG.byteSize());
        for (long k = 0; k < count; k++) {
            String name = n.getAtIndex(ADDRESS, k).reinterpret(256).getString(0);
            m.put(name, v.getAtIndex(JAVA_LONG, k));
        }
        return m;
    }
}
