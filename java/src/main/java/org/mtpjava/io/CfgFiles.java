package org.mtpjava.io;

import org.mtpjava.model.Configuration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads and writes MLIP {@code .cfg} text files: a sequence of {@code BEGIN_CFG ... END_CFG} blocks
 * (formats.md §4). Reading streams block by block; every error names the file and the line.
 */
public final class CfgFiles {
    private CfgFiles() {}

    /** Number formats of the two MLIP writers. */
    public enum Precision {
        /** MLIP's default writer: fixed decimals (positions 6, forces 6, energy 12, stress 5, grades 5). */
        MLIP,
        /** All reals with 17 significant digits ({@code %.16e}): exact round trip. */
        LOSSLESS
    }

    /** Reads every configuration of a file (gzip allowed). */
    public static List<Configuration> read(Path path) {
        List<Configuration> out = new ArrayList<>();
        forEach(path, out::add);
        return out;
    }

    /** Streams configurations of a file one at a time. */
    public static void forEach(Path path, Consumer<Configuration> sink) {
        try (BufferedReader r = open(path)) {
            Parser p = new Parser(new LineSource(r, path.toString()));
            Configuration c;
            while ((c = p.next()) != null) sink.accept(c);
        } catch (IOException e) {
            throw new InputFileException(path.toString(), 0, "cannot read: " + e.getMessage());
        }
    }

    /** Reads every configuration from a reader; {@code name} appears in error messages. */
    public static List<Configuration> read(BufferedReader reader, String name) {
        Parser p = new Parser(new LineSource(reader, name));
        List<Configuration> out = new ArrayList<>();
        Configuration c;
        while ((c = p.next()) != null) out.add(c);
        return out;
    }

    /** A lazily reading iterator; close the reader when done. */
    public static Iterator<Configuration> iterator(BufferedReader reader, String name) {
        Parser p = new Parser(new LineSource(reader, name));
        return new Iterator<>() {
            Configuration next = p.next();
            @Override public boolean hasNext() { return next != null; }
            @Override public Configuration next() {
                if (next == null) throw new NoSuchElementException();
                Configuration c = next;
                next = p.next();
                return c;
            }
        };
    }

    static BufferedReader open(Path path) {
        try {
            InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path), 1 << 16);
            in.mark(2);
            int b0 = in.read(), b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) in = new GZIPInputStream(in, 1 << 16);
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new InputFileException(path.toString(), 0, "file not found");
        } catch (IOException e) {
            throw new InputFileException(path.toString(), 0, "cannot open: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------

    private static final class Parser {
        private final LineSource src;

        Parser(LineSource src) { this.src = src; }

        Configuration next() {
            String line = src.nextNonBlank();
            if (line == null) return null;
            String t = line.strip();
            if (t.startsWith("n") && !t.startsWith("BEGIN")) {
                throw src.error("this looks like a binary .cfg file; convert it to text first (binary cfg is not supported)");
            }
            if (!t.equals("BEGIN_CFG")) {
                if (t.equals("BEGIN")) throw src.error("old-style 'BEGIN' block; expected 'BEGIN_CFG' (convert the file with MLIP first)");
                throw src.error("expected 'BEGIN_CFG', found '" + PotentialFiles.abbreviate(t) + "'");
            }
            int beginLine = src.lineNumber();
            int size = -1;
            Configuration c = null;
            double[] lattice = new double[9];
            boolean sawLattice = false, directCoordinates = false;
            double[] direct = null;
            String[] stressNames = null;
            double[] stress = null;
            while (true) {
                line = src.nextNonBlank();
                if (line == null) throw src.error("file ends inside the configuration that begins at line " + beginLine + "; expected 'END_CFG'");
                String[] tok = tokens(line);
                String key = tok[0];
                switch (key) {
                    case "END_CFG" -> {
                        if (c == null) {
                            if (size == 0) c = new Configuration(0);
                            else throw src.error("configuration without " + (size < 0 ? "'Size'" : "'AtomData'") + "; expected it before END_CFG");
                        }
                        c.setLattice(lattice);
                        if (directCoordinates) convertDirect(c, direct);
                        if (stress != null) c.setStress(stress);
                        checkCell(c, sawLattice);
                        return c;
                    }
                    case "Size" -> {
                        String v = src.nextNonBlank();
                        if (v == null) throw src.error("file ends after 'Size'; expected the number of atoms");
                        size = src.parseInt(v.strip(), "the number of atoms after 'Size'");
                        if (size < 0) throw src.error("Size " + size + " is negative; expected the number of atoms");
                    }
                    case "Supercell", "SuperCell" -> {
                        sawLattice = true;
                        for (int row = 0; row < 3; row++) {
                            String v = src.nextNonBlank();
                            if (v == null) throw src.error("file ends inside 'Supercell'");
                            String[] nt = tokens(v);
                            if (nt.length != 3 || !isNumber(nt[0])) { src.pushBack(v); break; }
                            for (int k = 0; k < 3; k++) lattice[3 * row + k] = src.parseDouble(nt[k], "lattice vector " + (row + 1) + " component");
                        }
                    }
                    case "AtomData:", "Atomic_data:" -> {
                        if (size < 0) throw src.error("'AtomData' before 'Size'; expected 'Size' first");
                        c = new Configuration(size);
                        directCoordinates = readAtoms(c, tok);
                        if (directCoordinates) direct = c.positions().clone();
                    }
                    case "Energy" -> {
                        if (c == null && size != 0) throw src.error("'Energy' before 'AtomData'; expected the atoms first");
                        if (c == null) c = new Configuration(0);
                        String v = src.nextNonBlank();
                        if (v == null) throw src.error("file ends after 'Energy'; expected the energy value");
                        c.setEnergy(src.parseDouble(v.strip(), "the energy (eV)"));
                    }
                    case "PlusStress:", "Virial:" -> {
                        boolean virial = key.equals("Virial:");
                        stressNames = java.util.Arrays.copyOfRange(tok, 1, tok.length);
                        if (stressNames.length == 0) throw src.error("'" + key + "' without component names; expected e.g. 'PlusStress: xx yy zz yz xz xy'");
                        String v = src.nextNonBlank();
                        if (v == null) throw src.error("file ends after '" + key + "'; expected " + stressNames.length + " values");
                        String[] vt = tokens(v);
                        if (vt.length != stressNames.length) {
                            throw src.error(key + " line has " + vt.length + " values; expected " + stressNames.length + " (" + String.join(" ", stressNames) + ")");
                        }
                        stress = new double[6];
                        for (int i = 0; i < stressNames.length; i++) {
                            int idx = stressIndex(stressNames[i]);
                            if (idx < 0) throw src.error("unknown stress component '" + stressNames[i] + "'; expected xx yy zz yz xz xy");
                            stress[idx] = src.parseDouble(vt[i], "stress component " + stressNames[i]);
                        }
                        if (virial) {
                            // legacy: MLIP divides Virial by |det L|; keep that meaning
                            double vol = c == null ? 0 : volumeOf(lattice);
                            if (vol == 0) throw src.error("'Virial:' needs a 3D periodic cell before it");
                            for (int i = 0; i < 6; i++) stress[i] /= vol;
                        }
                    }
                    case "Stress:" -> throw src.error("'Stress:' is not accepted (negative stress, removed in MLIP-3); expected 'PlusStress:' (virial in eV)");
                    case "Feature" -> {
                        if (c == null) c = new Configuration(Math.max(size, 0));
                        readFeature(c, line);
                    }
                    case "Features:" -> {
                        if (c == null) c = new Configuration(Math.max(size, 0));
                        String v = src.next();
                        if (v == null) throw src.error("file ends after 'Features:'; expected a line of values");
                        String[] vt = tokens(v);
                        if (vt.length != tok.length - 1) throw src.error("'Features:' names " + (tok.length - 1) + " features but the next line has " + vt.length + " values");
                        for (int i = 1; i < tok.length; i++) c.features().merge(tok[i], vt[i - 1], (a, b) -> a + "\n" + b);
                    }
                    case "BEGIN_CFG" -> throw src.error("'BEGIN_CFG' inside the configuration that begins at line " + beginLine + "; expected 'END_CFG' first (truncated block?)");
                    default -> throw src.error("unknown keyword '" + PotentialFiles.abbreviate(key)
                            + "'; expected Size, Supercell, AtomData:, Energy, PlusStress:, Feature or END_CFG");
                }
            }
        }

        private void checkCell(Configuration c, boolean sawLattice) {
            double[] l = c.lattice();
            int periodic = 0;
            for (int a = 0; a < 3; a++) if (c.isPeriodic(a)) periodic++;
            if (periodic == 3 && c.volume() < 1e-9 * Math.pow(norm(l, 0) * norm(l, 1) * norm(l, 2), 1.0)) {
                throw new InputFileException(src.name(), src.lineNumber(), "the cell of the configuration ending here has zero volume (lattice vectors are linearly dependent); expected three independent vectors");
            }
            if (periodic > 0 && periodic < 3) {
                // partially periodic: the periodic vectors must be independent
                double[] a = null, b = null;
                for (int k = 0; k < 3; k++) if (c.isPeriodic(k)) { if (a == null) a = row(l, k); else b = row(l, k); }
                if (b != null) {
                    double[] x = cross(a, b);
                    if (Math.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]) < 1e-9 * norm3(a) * norm3(b)) {
                        throw new InputFileException(src.name(), src.lineNumber(), "the two periodic lattice vectors are parallel; expected independent vectors");
                    }
                }
            }
            if (!sawLattice) java.util.Arrays.fill(l, 0);
        }

        private void convertDirect(Configuration c, double[] f) {
            for (int a = 0; a < 3; a++) {
                if (!c.isPeriodic(a)) throw new InputFileException(src.name(), src.lineNumber(), "direct (fractional) coordinates need a full 3D cell; lattice vector " + (a + 1) + " is missing or zero");
            }
            double[] l = c.lattice();
            double[] x = c.positions();
            for (int i = 0; i < c.size(); i++) {
                for (int k = 0; k < 3; k++) {
                    x[3 * i + k] = f[3 * i] * l[k] + f[3 * i + 1] * l[3 + k] + f[3 * i + 2] * l[6 + k];
                }
            }
        }

        /** Reads the AtomData rows; returns true if positions are fractional (to be converted at END_CFG). */
        private boolean readAtoms(Configuration c, String[] header) {
            int n = c.size();
            int cols = header.length - 1;
            int[] role = new int[cols];
            boolean[] seen = new boolean[COLUMN_NAMES.length];
            for (int i = 0; i < cols; i++) {
                String name = header[i + 1];
                int r = columnIndex(name);
                if (r < 0) {
                    throw src.error("unknown AtomData column '" + name + "'; expected id, type, cartes_x/y/z or direct_x/y/z, fx fy fz, site_en, charge, magmom_x/y/z, en_der_mx/y/z, nbh_grades, ghost");
                }
                if (seen[r]) throw src.error("AtomData column '" + name + "' appears twice");
                seen[r] = true;
                role[i] = r;
            }
            boolean cart = seen[C_CX] || seen[C_CY] || seen[C_CZ];
            boolean direct = seen[C_DX] || seen[C_DY] || seen[C_DZ];
            if (cart && direct) throw src.error("AtomData has both cartes_* and direct_* columns; expected one kind");
            if (!cart && !direct) throw src.error("AtomData has no coordinates; expected cartes_x cartes_y cartes_z");
            requireTriple(seen, direct ? C_DX : C_CX, direct ? "direct" : "cartes");
            if (seen[C_FX] || seen[C_FY] || seen[C_FZ]) { requireTriple(seen, C_FX, "fx fy fz"); c.setForces(new double[3 * n]); }
            if (seen[C_MX] || seen[C_MY] || seen[C_MZ]) { requireTriple(seen, C_MX, "magmom"); c.setMagneticMoments(new double[3 * n]); }
            if (seen[C_EX] || seen[C_EY] || seen[C_EZ]) { requireTriple(seen, C_EX, "en_der_m"); c.setMagneticForces(new double[3 * n]); }
            if (seen[C_SITE]) c.setSiteEnergies(new double[n]);
            if (seen[C_CHARGE]) c.setCharges(new double[n]);
            if (seen[C_GRADE]) c.setNeighbourhoodGrades(new double[n]);
            if (seen[C_GHOST]) c.setGhost(new boolean[n]);
            double[] x = c.positions();
            int[] types = c.types();
            for (int i = 0; i < n; i++) {
                String line = src.next();
                if (line == null) throw src.error("file ends after " + i + " of " + n + " atoms; expected " + n + " AtomData rows (Size = " + n + ")");
                String[] t = tokens(line);
                if (t.length != cols) {
                    if (t.length > 0 && !isNumber(t[0])) {
                        throw src.error("found '" + PotentialFiles.abbreviate(line.strip()) + "' after " + i + " atoms; expected " + n + " AtomData rows (Size = " + n + ")");
                    }
                    throw src.error("atom row has " + t.length + " values; expected " + cols + " (" + String.join(" ", java.util.Arrays.copyOfRange(header, 1, header.length)) + ")");
                }
                for (int col = 0; col < cols; col++) {
                    String v = t[col];
                    switch (role[col]) {
                        case C_ID -> {
                            int id = src.parseInt(v, "atom id");
                            if (id != i + 1) throw src.error("atom id " + id + "; expected " + (i + 1) + " (ids must be 1..N in order)");
                        }
                        case C_TYPE -> {
                            int ty = src.parseInt(v, "atom type");
                            if (ty < 0) throw src.error("atom type " + ty + " is negative; expected a species index >= 0");
                            types[i] = ty;
                        }
                        case C_CX, C_DX -> x[3 * i] = src.parseDouble(v, "x coordinate");
                        case C_CY, C_DY -> x[3 * i + 1] = src.parseDouble(v, "y coordinate");
                        case C_CZ, C_DZ -> x[3 * i + 2] = src.parseDouble(v, "z coordinate");
                        case C_FX -> c.forces()[3 * i] = src.parseDouble(v, "fx");
                        case C_FY -> c.forces()[3 * i + 1] = src.parseDouble(v, "fy");
                        case C_FZ -> c.forces()[3 * i + 2] = src.parseDouble(v, "fz");
                        case C_SITE -> c.siteEnergies()[i] = src.parseDouble(v, "site_en");
                        case C_CHARGE -> c.charges()[i] = src.parseDouble(v, "charge");
                        case C_MX -> c.magneticMoments()[3 * i] = src.parseDouble(v, "magmom_x");
                        case C_MY -> c.magneticMoments()[3 * i + 1] = src.parseDouble(v, "magmom_y");
                        case C_MZ -> c.magneticMoments()[3 * i + 2] = src.parseDouble(v, "magmom_z");
                        case C_EX -> c.magneticForces()[3 * i] = src.parseDouble(v, "en_der_mx");
                        case C_EY -> c.magneticForces()[3 * i + 1] = src.parseDouble(v, "en_der_my");
                        case C_EZ -> c.magneticForces()[3 * i + 2] = src.parseDouble(v, "en_der_mz");
                        case C_GRADE -> c.neighbourhoodGrades()[i] = src.parseDouble(v, "nbh_grades");
                        case C_GHOST -> {
                            if (v.equals("true") || v.equals("1")) c.ghost()[i] = true;
                            else if (!v.equals("false") && !v.equals("0")) throw src.error("ghost value '" + v + "'; expected true or false");
                        }
                        default -> throw new IllegalStateException();
                    }
                }
            }
            return direct;
        }

        private void requireTriple(boolean[] seen, int first, String what) {
            if (!seen[first] || !seen[first + 1] || !seen[first + 2]) {
                throw src.error("AtomData has an incomplete " + what + " triple; expected all three x/y/z columns");
            }
        }

        private void readFeature(Configuration c, String line) {
            String s = line.stripLeading();
            s = s.substring("Feature".length());
            int i = 0;
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
            int ks = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) i++;
            if (ks == i) throw src.error("'Feature' without a name; expected 'Feature <name> <value>'");
            String key = s.substring(ks, i);
            String value = i < s.length() ? s.substring(i + 1) : "";
            c.features().merge(key, value, (a, b) -> a + "\n" + b);
        }
    }

    // column roles
    private static final int C_ID = 0, C_TYPE = 1, C_CX = 2, C_CY = 3, C_CZ = 4, C_DX = 5, C_DY = 6, C_DZ = 7,
            C_FX = 8, C_FY = 9, C_FZ = 10, C_SITE = 11, C_CHARGE = 12, C_MX = 13, C_MY = 14, C_MZ = 15,
            C_EX = 16, C_EY = 17, C_EZ = 18, C_GRADE = 19, C_GHOST = 20;
    private static final String[] COLUMN_NAMES = {"id", "type", "cartes_x", "cartes_y", "cartes_z", "direct_x", "direct_y",
            "direct_z", "fx", "fy", "fz", "site_en", "charge", "magmom_x", "magmom_y", "magmom_z", "en_der_mx", "en_der_my",
            "en_der_mz", "nbh_grades", "ghost"};

    private static int columnIndex(String name) {
        for (int i = 0; i < COLUMN_NAMES.length; i++) if (COLUMN_NAMES[i].equals(name)) return i;
        return -1;
    }

    static int stressIndex(String name) {
        for (int i = 0; i < 6; i++) if (Configuration.STRESS_NAMES[i].equals(name)) return i;
        return -1;
    }

    private static String[] tokens(String line) {
        // fast whitespace split without regex
        ArrayList<String> out = new ArrayList<>(16);
        int n = line.length(), i = 0;
        while (i < n) {
            while (i < n && line.charAt(i) <= ' ') i++;
            int s = i;
            while (i < n && line.charAt(i) > ' ') i++;
            if (i > s) out.add(line.substring(s, i));
        }
        return out.isEmpty() ? new String[]{""} : out.toArray(new String[0]);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        char c = s.charAt(0);
        return c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9');
    }

    private static double volumeOf(double[] l) {
        return Math.abs(l[0] * (l[4] * l[8] - l[5] * l[7]) - l[1] * (l[3] * l[8] - l[5] * l[6]) + l[2] * (l[3] * l[7] - l[4] * l[6]));
    }

    private static double norm(double[] l, int row) { return Math.sqrt(l[3 * row] * l[3 * row] + l[3 * row + 1] * l[3 * row + 1] + l[3 * row + 2] * l[3 * row + 2]); }
    private static double norm3(double[] a) { return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]); }
    private static double[] row(double[] l, int r) { return new double[]{l[3 * r], l[3 * r + 1], l[3 * r + 2]}; }
    private static double[] cross(double[] a, double[] b) {
        return new double[]{a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    // ------------------------------------------------------------------------------------------------
    // writing

    /** Writes configurations atomically (temp file + rename). */
    public static void write(Path path, Iterable<Configuration> cfgs, Precision precision) {
        AtomicFiles.write(path, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.ISO_8859_1);
            for (Configuration c : cfgs) writeOne(w, c, precision);
            w.flush();
        });
    }

    /** Appends one configuration to a writer. */
    public static void writeOne(Writer w, Configuration c, Precision precision) {
        try {
            w.write(format(c, precision));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One configuration as MLIP text (with a blank line after END_CFG, as MLIP writes). */
    public static String format(Configuration c, Precision precision) {
        boolean exact = precision == Precision.LOSSLESS;
        int n = c.size();
        StringBuilder sb = new StringBuilder(128 + n * (exact ? 200 : 110));
        sb.append("BEGIN_CFG\n Size\n    ").append(n).append('\n');
        int rows = c.latticeRowsToWrite();
        if (rows > 0) {
            sb.append(" Supercell\n");
            double[] l = c.lattice();
            for (int a = 0; a < rows; a++) {
                if (exact) sb.append("    ").append(e(l[3 * a])).append(' ').append(e(l[3 * a + 1])).append(' ').append(e(l[3 * a + 2])).append('\n');
                else cfmt(sb, "    %13.6f%14.6f%14.6f\n", l[3 * a], l[3 * a + 1], l[3 * a + 2]);
            }
        }
        sb.append(" AtomData:  id type       cartes_x      cartes_y      cartes_z");
        if (c.siteEnergies() != null) sb.append("            site_en");
        if (c.hasForces()) sb.append("           fx          fy          fz");
        if (c.charges() != null) sb.append("      charge");
        if (c.hasMagneticMoments()) sb.append("      magmom_x     magmom_y     magmom_z");
        if (c.magneticForces() != null) sb.append("      en_der_mx     en_der_my     en_der_mz");
        boolean ghosts = hasGhosts(c); // MLIP writes the column only if there are ghost atoms, before nbh_grades
        if (ghosts) sb.append("     ghost");
        if (c.neighbourhoodGrades() != null) sb.append("       nbh_grades");
        sb.append('\n');
        double[] x = c.positions();
        int[] ty = c.types();
        for (int i = 0; i < n; i++) {
            if (exact) {
                sb.append("    ").append(i + 1).append(' ').append(ty[i]).append("  ")
                        .append(e(x[3 * i])).append(' ').append(e(x[3 * i + 1])).append(' ').append(e(x[3 * i + 2]));
                if (c.siteEnergies() != null) sb.append("  ").append(e(c.siteEnergies()[i]));
                if (c.hasForces()) triple(sb, c.forces(), i);
                if (c.charges() != null) sb.append("    ").append(e(c.charges()[i]));
                if (c.hasMagneticMoments()) triple(sb, c.magneticMoments(), i);
                if (c.magneticForces() != null) triple(sb, c.magneticForces(), i);
                if (ghosts) sb.append(c.ghost()[i] ? "     true " : "     false");
                if (c.neighbourhoodGrades() != null) sb.append("  ").append(e(c.neighbourhoodGrades()[i]));
            } else {
                cfmt(sb, "%14d%5d%15.6f%14.6f%14.6f", i + 1, ty[i], x[3 * i], x[3 * i + 1], x[3 * i + 2]);
                if (c.siteEnergies() != null) cfmt(sb, "%19.12f", c.siteEnergies()[i]);
                if (c.hasForces()) cfmt(sb, "%13.6f%12.6f%12.6f", c.forces()[3 * i], c.forces()[3 * i + 1], c.forces()[3 * i + 2]);
                if (c.charges() != null) cfmt(sb, "%12.4f", c.charges()[i]);
                if (c.hasMagneticMoments()) {
                    double[] m = c.magneticMoments();
                    cfmt(sb, "%14.6f%13.6f%13.6f", m[3 * i], m[3 * i + 1], m[3 * i + 2]);
                }
                if (c.magneticForces() != null) {
                    double[] d = c.magneticForces();
                    cfmt(sb, "%15.5f%14.5f%14.5f", d[3 * i], d[3 * i + 1], d[3 * i + 2]);
                }
                if (ghosts) sb.append(c.ghost()[i] ? "     true " : "     false");
                if (c.neighbourhoodGrades() != null) cfmt(sb, "%17.5f", c.neighbourhoodGrades()[i]);
            }
            sb.append('\n');
        }
        if (c.hasEnergy()) {
            sb.append(" Energy\n");
            if (exact) sb.append("    ").append(e(c.energy())).append('\n');
            else cfmt(sb, "%24.12f\n", c.energy());
        }
        if (c.hasStress()) {
            sb.append(" PlusStress:  xx          yy          zz          yz          xz          xy\n");
            double[] s = c.stress();
            if (exact) {
                sb.append("    "); // MLIP's lossless writer puts a space before every value
                for (int i = 0; i < 6; i++) sb.append(' ').append(e(s[i]));
                sb.append('\n');
            } else {
                cfmt(sb, "%16.5f%12.5f%12.5f%12.5f%12.5f%12.5f\n", s[0], s[1], s[2], s[3], s[4], s[5]);
            }
        }
        for (Map.Entry<String, String> fe : new TreeMap<>(c.features()).entrySet()) {
            // as MLIP: one line per line of the value; an empty value (or an empty last line) is not written
            String v = fe.getValue();
            while (!v.isEmpty() && !fe.getKey().isEmpty()) {
                int cut = v.indexOf('\n');
                sb.append(" Feature   ").append(fe.getKey()).append('\t').append(cut < 0 ? v : v.substring(0, cut)).append('\n');
                if (cut < 0) break;
                v = v.substring(cut + 1);
            }
        }
        sb.append("END_CFG\n\n");
        return sb.toString();
    }

    /**
     * A small printf for the fixed-decimal writer: {@code %Nd} and {@code %N.Pf}, formatted as C's printf does
     * (the exact binary value rounded half-even), which is what MLIP's writer produces. Java's Formatter rounds
     * the shortest decimal representation half-up instead, so e.g. 3.2209895 (stored as 3.22098949999...) would
     * print as 3.220990 where MLIP prints 3.220989.
     */
    static void cfmt(StringBuilder sb, String fmt, Object... args) {
        int ai = 0, len = fmt.length();
        for (int i = 0; i < len; i++) {
            char ch = fmt.charAt(i);
            if (ch != '%') {
                sb.append(ch);
                continue;
            }
            int width = 0, prec = -1;
            i++;
            while (Character.isDigit(fmt.charAt(i))) width = width * 10 + (fmt.charAt(i++) - '0');
            if (fmt.charAt(i) == '.') {
                prec = 0;
                i++;
                while (Character.isDigit(fmt.charAt(i))) prec = prec * 10 + (fmt.charAt(i++) - '0');
            }
            char conv = fmt.charAt(i);
            String text;
            if (conv == 'd') {
                text = Long.toString(((Number) args[ai++]).longValue());
            } else if (conv == 'f') {
                text = fixed(((Number) args[ai++]).doubleValue(), prec < 0 ? 6 : prec);
            } else {
                throw new IllegalArgumentException("unsupported conversion %" + conv);
            }
            for (int k = text.length(); k < width; k++) sb.append(' ');
            sb.append(text);
        }
    }

    /** C's {@code %.Pf}: the exact binary value rounded half-even to P decimals; "-" kept for negative values. */
    static String fixed(double v, int prec) {
        if (!Double.isFinite(v)) return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        boolean negative = v < 0 || Double.doubleToRawLongBits(v) == Long.MIN_VALUE;
        String t = new java.math.BigDecimal(Math.abs(v)).setScale(prec, java.math.RoundingMode.HALF_EVEN).toPlainString();
        return negative ? "-" + t : t;
    }

    private static boolean hasGhosts(Configuration c) {
        if (c.ghost() == null) return false;
        for (boolean g : c.ghost()) if (g) return true;
        return false;
    }

    private static void triple(StringBuilder sb, double[] v, int i) {
        sb.append("  ").append(e(v[3 * i])).append(' ').append(e(v[3 * i + 1])).append(' ').append(e(v[3 * i + 2]));
    }

    private static String e(double v) { return PotentialFiles.real(v); }
}
