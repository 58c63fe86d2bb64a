package org.mtpjava.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.mtpjava.bridge.FrameLayout.*;

/**
 * Appends the configurations whose grade exceeded {@code select} to the dump file in MLIP {@code .cfg} format:
 * atoms in LAMMPS ID order, types as the potential's species labels, positions relative to the box origin,
 * per-atom {@code nbh_grades} (neighbourhood mode) and the features {@code MV_grade} and {@code lammps_step}.
 * Each configuration is one write to a file opened for appending, flushed to disk before returning, so a run
 * stopped right after (break threshold) leaves complete blocks only.
 */
final class ExtrapolativeConfigurations {
    private ExtrapolativeConfigurations() {}

    static void append(PairModel model, MemorySegment snap) {
        int n = Math.toIntExact(snap.get(JAVA_LONG, P_NATOMS));
        long step = snap.get(JAVA_LONG, P_TIMESTEP);
        long[] ids = snap.get(ADDRESS, P_IDS).reinterpret(8L * n).toArray(JAVA_LONG);
        int[] lammpsTypes = snap.get(ADDRESS, P_TYPES).reinterpret(4L * n).toArray(JAVA_INT);
        double[] x = snap.get(ADDRESS, P_X).reinterpret(24L * n).toArray(JAVA_DOUBLE);
        MemorySegment gradePtr = snap.get(ADDRESS, P_GRADE);
        double[] grades = gradePtr.equals(MemorySegment.NULL) ? null : gradePtr.reinterpret(8L * n).toArray(JAVA_DOUBLE);
        String path = NativeBridge.cString(snap.get(ADDRESS, P_PATH));
        double[] cell = new double[9], origin = new double[3];
        for (int k = 0; k < 9; k++) cell[k] = snap.get(JAVA_DOUBLE, P_CELL + 8L * k);
        for (int k = 0; k < 3; k++) origin[k] = snap.get(JAVA_DOUBLE, P_ORIGIN + 8L * k);
        double maxGrade = snap.get(JAVA_DOUBLE, P_MAX_GRADE);

        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingLong(i -> ids[i]));
        int[] labels = model.potential.speciesLabels();
        Configuration c = new Configuration(n);
        c.setLattice(cell);
        double[] pos = c.positions();
        int[] types = c.types();
        double[] g = grades == null ? null : new double[n];
        for (int k = 0; k < n; k++) {
            int i = order[k];
            types[k] = labels[model.types.species(lammpsTypes[i])];
            for (int d = 0; d < 3; d++) pos[3 * k + d] = x[3 * i + d] - origin[d];
            if (g != null) g[k] = grades[i];
        }
        if (g != null) c.setNeighbourhoodGrades(g);
        c.features().put("MV_grade", String.format(Locale.ROOT, "%.6f", maxGrade));
        c.features().put("lammps_step", Long.toString(step));

        byte[] text = CfgFiles.format(c, CfgFiles.Precision.LOSSLESS).getBytes(StandardCharsets.ISO_8859_1);
        try (FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(text);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + path + ": " + e.getMessage(), e);
        }
    }
}
