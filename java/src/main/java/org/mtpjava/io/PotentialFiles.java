package org.mtpjava.io;

import org.mtpjava.model.ActiveSetData;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.MagneticBasis;
import org.mtpjava.model.MomentBasis;
import org.mtpjava.model.Potential;
import org.mtpjava.model.RadialBasisType;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads and writes MLIP potentials: {@code .mtp} (MLIP-2/MLIP-3 text, trained or template, magnetic in the
 * MLIP-3 layout or motep's {@code .mmtp} layout) and {@code .almtp} (the same text followed by the
 * {@code #MVS_v1.1} active-set section with two binary n x n blocks). Gzipped files are read transparently.
 * Layout reference: {@code shared/docs/formats.md} §2-3.
 */
public final class PotentialFiles {
    private PotentialFiles() {}

    /** Reads a potential file; errors name the file and line. */
    public static Potential read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InputFileException(path.toString(), 0, "file not found");
        } catch (IOException e) {
            throw new InputFileException(path.toString(), 0, "cannot read: " + e.getMessage());
        }
        return read(bytes, path.toString());
    }

    /** Reads a potential from bytes; {@code name} is used in error messages. */
    public static Potential read(byte[] bytes, String name) {
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new InputFileException(name, 0, "corrupt gzip data: " + e.getMessage());
            }
        }
        // LAMMPS potential files may start with '#' comment lines (e.g. "# DATE: ... UNITS: metal")
        int start = 0, skippedLines = 0;
        while (start < bytes.length && (bytes[start] == '#' || bytes[start] == '\n' || bytes[start] == '\r')) {
            int eol = indexOf(bytes, (byte) '\n', start);
            start = eol < 0 ? bytes.length : eol + 1;
            skippedLines++;
        }
        int hash = indexOf(bytes, (byte) '#', start);
        int textEnd = hash < 0 ? bytes.length : hash;
        String text = new String(bytes, start, textEnd - start, StandardCharsets.ISO_8859_1);
        Potential p = new MtpTextParser(text, name, skippedLines).parse();
        if (hash >= 0) {
            int firstLine = skippedLines + 1 + (int) text.chars().filter(c -> c == '\n').count();
            p.setActiveSet(readActiveSet(bytes, hash, name, firstLine, org.mtpjava.al.RowMap.dimension(p)));
        }
        return p;
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == v) return i;
        return -1;
    }

    // ------------------------------------------------------------------------------------------------
    // .mtp text

    /** Parses the MTP text part; tracks line numbers for errors. */
    private static final class MtpTextParser {
        private final LineSource src;
        private final String name;

        private String potentialName = "MTP1m";
        private String tag = "";
        private double scaling = 1.0;
        private int speciesCount = -1;
        private RadialBasisType radialType;
        private double minDist = Double.NaN, maxDist = Double.NaN;
        private int radialSize = -1;
        private boolean inMagneticBlock;
        private String magneticType;
        private double magMin = Double.NaN, magMax = Double.NaN;
        private int magSize = -1;
        private int radialFuncs = -1;
        private List<double[]> radialRows; // rows as read, per block then per mu
        private List<int[]> radialLabels;
        private int radialCoeffsLine;
        private int momentsCount = -1, basicCount = -1, timesCount = -1, scalarCount = -1;
        private int[] basic, times, mapping;
        private double[] speciesCoeffs, momentCoeffs;
        private int speciesCoeffsLine, momentCoeffsLine, basicLine, timesLine, mappingLine;
        private org.mtpjava.compress.CompressedFormat.Reader compression; // compressed radial tensor (docs/compression.md)

        MtpTextParser(String text, String name, int skippedLines) {
            this.src = new LineSource(new BufferedReader(new StringReader(text)), name);
            this.name = name;
            for (int i = 0; i < skippedLines; i++) src.skipNumber();
        }

        Potential parse() {
            String first = src.next();
            if (first == null) throw src.error("empty file; expected an MTP potential starting with the line 'MTP'");
            if (!first.strip().equals("MTP")) {
                throw src.error("first line is '" + abbreviate(first) + "'; expected 'MTP' (is this an MTP potential file?)");
            }
            String version = src.next();
            if (version == null || !version.strip().replaceAll("\\s+", " ").equals("version = 1.1.0")) {
                throw src.error("expected 'version = 1.1.0', found '" + abbreviate(version) + "'");
            }
            String line;
            while ((line = src.next()) != null) {
                if (line.isBlank()) continue;
                int eq = line.indexOf('=');
                String key = (eq < 0 ? line : line.substring(0, eq)).strip();
                String value = eq < 0 ? null : line.substring(eq + 1).strip();
                handle(key, value, line);
            }
            return build();
        }

        private void handle(String key, String value, String line) {
            switch (key) {
                case "potential_name" -> potentialName = requireValue(key, value).isEmpty() ? "" : value.split("\\s+")[0];
                case "potential_tag" -> tag = value == null ? "" : value;
                case "scaling" -> {
                    double s = number(key, value);
                    // a scaling inside the basis block multiplies the global one (MLIP-3 semantics)
                    scaling = radialType == null ? s : scaling * s;
                }
                case "species_count" -> speciesCount = positiveInt(key, value);
                case "radial_basis_type" -> {
                    String t = requireValue(key, value);
                    radialType = RadialBasisType.fromFileName(t);
                    if (radialType == null) {
                        throw src.error("radial_basis_type '" + t + "' is not supported; expected RBChebyshev or RBChebyshev_repuls");
                    }
                }
                case "magnetic_basis_type" -> {
                    magneticType = requireValue(key, value);
                    if (!magneticType.equals("BChebyshev")) {
                        throw src.error("magnetic_basis_type '" + magneticType + "' is not supported; expected BChebyshev");
                    }
                    inMagneticBlock = true;
                }
                case "min_dist" -> minDist = number(key, value);
                case "max_dist" -> maxDist = number(key, value);
                case "radial_basis_size" -> radialSize = positiveInt(key, value);
                case "min_val" -> { if (inMagneticBlock) magMin = number(key, value); else minDist = number(key, value); }
                case "max_val" -> { if (inMagneticBlock) magMax = number(key, value); else maxDist = number(key, value); }
                case "basis_size" -> { if (inMagneticBlock) magSize = positiveInt(key, value); else radialSize = positiveInt(key, value); }
                case "min_mag" -> { magMin = number(key, value); magneticType = "BChebyshev"; }
                case "max_mag" -> { magMax = number(key, value); magneticType = "BChebyshev"; }
                case "mag_basis_size" -> { magSize = positiveInt(key, value); magneticType = "BChebyshev"; }
                case "radial_funcs_count" -> { radialFuncs = positiveInt(key, value); inMagneticBlock = false; }
                case "radial_coeffs" -> readRadialCoefficients();
                case "alpha_moments_count" -> momentsCount = positiveInt(key, value);
                case "alpha_index_basic_count" -> basicCount = nonNegativeInt(key, value);
                case "alpha_index_basic" -> { basicLine = src.lineNumber(); basic = integers(key, requireValue(key, value)); }
                case "alpha_index_times_count" -> timesCount = nonNegativeInt(key, value);
                case "alpha_index_times" -> { timesLine = src.lineNumber(); times = integers(key, requireValue(key, value)); }
                case "alpha_scalar_moments" -> scalarCount = positiveInt(key, value);
                case "alpha_moment_mapping" -> { mappingLine = src.lineNumber(); mapping = integers(key, requireValue(key, value)); }
                case "species_coeffs" -> { speciesCoeffsLine = src.lineNumber(); speciesCoeffs = numbers(key, requireValue(key, value)); }
                case "moment_coeffs" -> { momentCoeffsLine = src.lineNumber(); momentCoeffs = numbers(key, requireValue(key, value)); }
                default -> {
                    if (org.mtpjava.compress.CompressedFormat.isKey(key)) {
                        if (compression == null) compression = new org.mtpjava.compress.CompressedFormat.Reader(name);
                        compression.put(key, value, src.lineNumber());
                        return;
                    }
                    throw src.error("unknown key '" + abbreviate(key) + "' in line '" + abbreviate(line)
                        + "'; expected one of the MTP keys (potential_name, species_count, radial_basis_type, min_dist, "
                        + "max_dist, radial_basis_size, radial_funcs_count, radial_coeffs, alpha_*, species_coeffs, moment_coeffs)");
                }
            }
        }

        private void readRadialCoefficients() {
            radialCoeffsLine = src.lineNumber();
            if (radialFuncs < 1) throw src.error("radial_coeffs before radial_funcs_count; expected radial_funcs_count first");
            radialRows = new ArrayList<>();
            radialLabels = new ArrayList<>();
            int blocks = speciesCount > 0 ? speciesCount * speciesCount : Integer.MAX_VALUE;
            for (int b = 0; b < blocks; b++) {
                String label = src.nextNonBlank();
                if (label == null) {
                    if (speciesCount > 0) throw src.error("file ends inside radial_coeffs; expected " + blocks + " species-pair blocks, found " + b);
                    break;
                }
                String t = label.strip();
                int dash = t.indexOf('-', 1);
                if (!t.matches("\\d+\\s*-\\s*\\d+")) {
                    if (speciesCount > 0) {
                        throw src.error("expected a species-pair label like '0-1' (block " + (b + 1) + " of " + blocks + "), found '" + abbreviate(t) + "'");
                    }
                    src.pushBack(label);
                    break;
                }
                int a = src.parseInt(t.substring(0, dash).strip(), "the first species label of '" + t + "'");
                int c = src.parseInt(t.substring(dash + 1).strip(), "the second species label of '" + t + "'");
                radialLabels.add(new int[]{a, c});
                for (int mu = 0; mu < radialFuncs; mu++) {
                    String row = src.nextNonBlank();
                    if (row == null) throw src.error("file ends inside radial_coeffs block " + t + "; expected " + radialFuncs + " rows");
                    if (!row.strip().startsWith("{")) {
                        throw src.error("expected row " + (mu + 1) + " of " + radialFuncs + " of radial coefficients '{...}' in block " + t + ", found '" + abbreviate(row.strip()) + "'");
                    }
                    radialRows.add(numbers("radial coefficients", row));
                }
            }
        }

        private Potential build() {
            int line = src.lineNumber();
            if (radialType == null) throw new InputFileException(name, line, "missing radial_basis_type; expected e.g. 'radial_basis_type = RBChebyshev'");
            if (Double.isNaN(minDist)) throw new InputFileException(name, line, "missing min_dist");
            if (Double.isNaN(maxDist)) throw new InputFileException(name, line, "missing max_dist");
            if (!(maxDist > minDist)) throw new InputFileException(name, line, "max_dist " + maxDist + " must be larger than min_dist " + minDist);
            if (minDist < 0) throw new InputFileException(name, line, "min_dist " + minDist + " is negative");
            if (radialSize < 1) throw new InputFileException(name, line, "missing radial_basis_size");
            if (radialFuncs < 1) throw new InputFileException(name, line, "missing radial_funcs_count");
            if (momentsCount < 1) throw new InputFileException(name, line, "missing alpha_moments_count");
            if (basic == null) throw new InputFileException(name, line, "missing alpha_index_basic");
            if (times == null) {
                if (timesCount > 0) throw new InputFileException(name, line, "missing alpha_index_times");
                times = new int[0];
            }
            if (mapping == null) throw new InputFileException(name, line, "missing alpha_moment_mapping");
            checkQuadruples("alpha_index_basic", basic, basicCount, basicLine);
            checkQuadruples("alpha_index_times", times, timesCount, timesLine);
            int nb = basic.length / 4;
            if (nb > momentsCount) throw new InputFileException(name, basicLine, nb + " basic moments exceed alpha_moments_count = " + momentsCount);
            for (int k = 0; k < nb; k++) {
                int mu = basic[4 * k];
                if (mu < 0 || mu >= radialFuncs) {
                    throw new InputFileException(name, basicLine, "basic moment " + k + " uses radial function " + mu
                            + "; expected 0.." + (radialFuncs - 1) + " (radial_funcs_count = " + radialFuncs + ")");
                }
                for (int d = 1; d < 4; d++) if (basic[4 * k + d] < 0) {
                    throw new InputFileException(name, basicLine, "basic moment " + k + " has a negative exponent");
                }
            }
            for (int p = 0; p < times.length / 4; p++) {
                int i = times[4 * p], j = times[4 * p + 1], k = times[4 * p + 3];
                if (k < nb || k >= momentsCount || i < 0 || j < 0 || i >= k || j >= k) {
                    throw new InputFileException(name, timesLine, "alpha_index_times entry " + p + " {" + i + ", " + j + ", "
                            + times[4 * p + 2] + ", " + k + "} is out of order or range; expected factors computed before the target, "
                            + "and a target in " + nb + ".." + (momentsCount - 1));
                }
            }
            if (scalarCount >= 0 && mapping.length != scalarCount) {
                throw new InputFileException(name, mappingLine, "alpha_moment_mapping has " + mapping.length
                        + " entries but alpha_scalar_moments = " + scalarCount);
            }
            for (int m : mapping) {
                if (m < 0 || m >= momentsCount) {
                    throw new InputFileException(name, mappingLine, "alpha_moment_mapping entry " + m + " is outside 0.." + (momentsCount - 1));
                }
            }
            MomentBasis mb = new MomentBasis(momentsCount, basic, times, mapping);

            MagneticBasis magnetic = null;
            if (magneticType != null) {
                if (Double.isNaN(magMin) || Double.isNaN(magMax) || magSize < 1) {
                    throw new InputFileException(name, line, "incomplete magnetic basis; expected min_val, max_val and basis_size after magnetic_basis_type");
                }
                if (!(magMax > magMin)) throw new InputFileException(name, line, "magnetic basis max_val " + magMax + " must exceed min_val " + magMin);
                magnetic = new MagneticBasis(magMin, magMax, magSize);
            }

            int s = speciesCount;
            if (s < 0) s = radialLabels != null && !radialLabels.isEmpty() ? (int) Math.round(Math.sqrt(radialLabels.size())) : 1;
            Potential p = new Potential(radialType, minDist, maxDist, radialSize, magnetic, radialFuncs, mb, s);
            p.setName(potentialName);
            p.setTag(tag);
            p.setScaling(scaling);

            boolean hasRadial = radialRows != null;
            if (compression != null) {
                if (hasRadial) throw new InputFileException(name, radialCoeffsLine, "both radial_coeffs and radial_compression; expected one of them");
                if (speciesCoeffs == null || momentCoeffs == null) {
                    throw new InputFileException(name, line, "radial_compression present but " + (speciesCoeffs == null ? "species_coeffs" : "moment_coeffs") + " missing");
                }
                if (speciesCoeffs.length != s) {
                    throw new InputFileException(name, speciesCoeffsLine, "species_coeffs has " + speciesCoeffs.length + " values; expected species_count = " + s);
                }
                if (momentCoeffs.length != mapping.length) {
                    throw new InputFileException(name, momentCoeffsLine, "moment_coeffs has " + momentCoeffs.length + " values; expected alpha_scalar_moments = " + mapping.length);
                }
                p.setCoefficients(new double[s * s * p.radialCoefficientsPerPair()], speciesCoeffs, momentCoeffs);
                int[] labels = compression.labels(s);
                if (labels != null) p.setSpeciesLabels(labels);
                p.setRadialRepresentation(compression.build(org.mtpjava.compress.TensorLayout.of(p)));
            } else if (hasRadial) {
                int blocks = radialLabels.size();
                if (blocks != s * s) {
                    throw new InputFileException(name, radialCoeffsLine, "radial_coeffs has " + blocks + " blocks; expected species_count^2 = " + (s * s));
                }
                int m2 = p.magneticSize() * p.magneticSize();
                int rowLen = radialSize * m2;
                double[] radial = new double[s * s * radialFuncs * rowLen];
                for (int r = 0; r < radialRows.size(); r++) {
                    double[] row = radialRows.get(r);
                    if (row.length != rowLen) {
                        throw new InputFileException(name, radialCoeffsLine, "radial coefficient row " + (r % radialFuncs + 1) + " of block "
                                + labelText(radialLabels.get(r / radialFuncs)) + " has " + row.length + " numbers; expected radial_basis_size"
                                + (m2 > 1 ? " x magnetic basis_size^2 = " : " = ") + rowLen);
                    }
                    System.arraycopy(row, 0, radial, r * rowLen, rowLen);
                }
                p.setSpeciesLabels(speciesLabelsFrom(radialLabels, s));
                double[] species = speciesCoeffs;
                double[] moments = momentCoeffs;
                if (species == null || moments == null) {
                    throw new InputFileException(name, line, "radial_coeffs present but " + (species == null ? "species_coeffs" : "moment_coeffs") + " missing");
                }
                if (species.length != s) {
                    throw new InputFileException(name, speciesCoeffsLine, "species_coeffs has " + species.length + " values; expected species_count = " + s);
                }
                if (moments.length != mapping.length) {
                    throw new InputFileException(name, momentCoeffsLine, "moment_coeffs has " + moments.length + " values; expected alpha_scalar_moments = " + mapping.length);
                }
                p.setCoefficients(radial, species, moments);
            } else if (speciesCoeffs != null || momentCoeffs != null) {
                throw new InputFileException(name, line, "species_coeffs/moment_coeffs given without radial_coeffs; expected all three or none");
            }
            return p;
        }

        /** MLIP-3 builds the label list in order of first appearance (the central label of each block). */
        private int[] speciesLabelsFrom(List<int[]> labels, int s) {
            List<Integer> order = new ArrayList<>();
            for (int[] l : labels) {
                if (!order.contains(l[0])) order.add(l[0]);
                if (!order.contains(l[1])) order.add(l[1]);
            }
            if (order.size() != s) {
                throw new InputFileException(name, radialCoeffsLine, "radial_coeffs labels name " + order.size()
                        + " distinct species; expected species_count = " + s);
            }
            int[] out = new int[s];
            for (int i = 0; i < s; i++) out[i] = order.get(i);
            // blocks must be in s1-major order of the labels
            for (int b = 0; b < labels.size(); b++) {
                int[] l = labels.get(b);
                if (l[0] != out[b / s] || l[1] != out[b % s]) {
                    throw new InputFileException(name, radialCoeffsLine, "radial_coeffs block " + (b + 1) + " is labelled "
                            + labelText(l) + "; expected " + out[b / s] + "-" + out[b % s] + " (blocks in central-major order)");
                }
            }
            return out;
        }

        private static String labelText(int[] l) { return l[0] + "-" + l[1]; }

        private void checkQuadruples(String key, int[] values, int declared, int line) {
            if (values.length % 4 != 0) throw new InputFileException(name, line, key + " must hold quadruples {a, b, c, d}; found " + values.length + " integers");
            if (declared >= 0 && values.length / 4 != declared) {
                throw new InputFileException(name, line, key + " has " + values.length / 4 + " entries; expected " + key + "_count = " + declared);
            }
        }

        private String requireValue(String key, String value) {
            if (value == null) throw src.error("'" + key + "' needs a value; expected '" + key + " = ...'");
            return value;
        }

        private double number(String key, String value) {
            return src.parseDouble(requireValue(key, value).split("\\s+")[0], key);
        }

        private int positiveInt(String key, String value) {
            int v = src.parseInt(requireValue(key, value).split("\\s+")[0], key);
            if (v < 1) throw src.error(key + " = " + v + "; expected a positive integer");
            return v;
        }

        private int nonNegativeInt(String key, String value) {
            int v = src.parseInt(requireValue(key, value).split("\\s+")[0], key);
            if (v < 0) throw src.error(key + " = " + v + "; expected a non-negative integer");
            return v;
        }

        /** All integers in a brace list like {{0, 1, 2, 3}, ...}; fast for the 180k-entry level-28 line. */
        private int[] integers(String key, String s) {
            int[] out = new int[64];
            int n = 0, i = 0, len = s.length();
            checkBraces(key, s);
            while (i < len) {
                char c = s.charAt(i);
                if (c == '-' || (c >= '0' && c <= '9')) {
                    boolean neg = c == '-';
                    if (neg) i++;
                    long v = 0;
                    int start = i;
                    while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                        v = v * 10 + (s.charAt(i) - '0');
                        if (v > Integer.MAX_VALUE) throw src.error(key + ": integer too large");
                        i++;
                    }
                    if (i == start) throw src.error(key + ": '-' without digits");
                    if (i < len && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                        throw src.error(key + ": expected integers, found a real number");
                    }
                    if (n == out.length) out = java.util.Arrays.copyOf(out, n * 2);
                    out[n++] = (int) (neg ? -v : v);
                } else if (c == '{' || c == '}' || c == ',' || c == ' ' || c == '\t') {
                    i++;
                } else {
                    throw src.error(key + ": unexpected character '" + c + "'; expected integers in braces");
                }
            }
            return java.util.Arrays.copyOf(out, n);
        }

        private double[] numbers(String key, String s) {
            checkBraces(key, s);
            String inner = s.strip();
            inner = inner.substring(1, inner.length() - 1).strip();
            if (inner.isEmpty()) return new double[0];
            String[] parts = inner.split(",");
            double[] out = new double[parts.length];
            for (int i = 0; i < parts.length; i++) out[i] = src.parseDouble(parts[i].strip(), key + " value " + (i + 1));
            return out;
        }

        private void checkBraces(String key, String s) {
            String t = s.strip();
            if (!t.startsWith("{") || !t.endsWith("}")) {
                throw src.error(key + ": expected a list in braces {...}, found '" + abbreviate(t) + "' (truncated line?)");
            }
            int depth = 0;
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c == '{') depth++;
                else if (c == '}' && --depth < 0) break;
            }
            if (depth != 0) throw src.error(key + ": unbalanced braces (truncated line?)");
        }
    }

    static String abbreviate(String s) {
        if (s == null) return "<end of file>";
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    // ------------------------------------------------------------------------------------------------
    // .almtp active-set section

    private static ActiveSetData readActiveSet(byte[] b, int hash, String name, int line, int n) {
        int pos = hash + 1;
        int eol = indexOf(b, (byte) '\n', pos);
        if (eol < 0) throw new InputFileException(name, line, "truncated active-set section after '#'");
        String header = new String(b, pos, eol - pos, StandardCharsets.ISO_8859_1).strip();
        if (!header.equals("MVS_v1.1")) {
            throw new InputFileException(name, line, "active-set section starts with '#" + abbreviate(header) + "'; expected '#MVS_v1.1' (MLIP-3 .almtp)");
        }
        pos = eol + 1;
        line++;
        double[] w = new double[4];
        String[] keys = {"energy_weight", "force_weight", "stress_weight", "site_en_weight"};
        for (int i = 0; i < 4; i++) {
            eol = indexOf(b, (byte) '\n', pos);
            line++;
            if (eol < 0) throw new InputFileException(name, line, "truncated active-set header; expected '" + keys[i] + " <value>'");
            String[] t = new String(b, pos, eol - pos, StandardCharsets.ISO_8859_1).strip().split("\\s+");
            if (t.length != 2 || !t[0].equals(keys[i])) {
                throw new InputFileException(name, line, "expected '" + keys[i] + " <value>' in the active-set header");
            }
            try {
                w[i] = Double.parseDouble(t[1]);
            } catch (NumberFormatException e) {
                throw new InputFileException(name, line, "'" + t[1] + "' is not a number; expected the " + keys[i]);
            }
            pos = eol + 1;
        }
        eol = indexOf(b, (byte) '\n', pos);
        line++;
        if (eol < 0) throw new InputFileException(name, line, "truncated active-set header; expected 'weight_scaling <int>'");
        String[] t = new String(b, pos, eol - pos, StandardCharsets.ISO_8859_1).strip().split("\\s+");
        if (t.length != 2 || !t[0].equals("weight_scaling")) throw new InputFileException(name, line, "expected 'weight_scaling <int>'");
        int ws;
        try {
            ws = Integer.parseInt(t[1]);
        } catch (NumberFormatException e) {
            throw new InputFileException(name, line, "'" + t[1] + "' is not an integer; expected weight_scaling");
        }
        pos = eol + 1;
        line++;
        if (pos >= b.length || b[pos] != '#') throw new InputFileException(name, line, "expected '#' before the binary active-set matrices");
        pos++;
        long need = 2L * n * n * 8;
        if (pos + need > b.length) {
            throw new InputFileException(name, line, "binary active-set matrices truncated: need " + need + " bytes for two " + n + " x " + n
                    + " blocks (n = parameter count), file has " + (b.length - pos));
        }
        ByteBuffer bb = ByteBuffer.wrap(b, pos, (int) need).order(ByteOrder.LITTLE_ENDIAN);
        double[] a = new double[n * n];
        double[] inv = new double[n * n];
        bb.asDoubleBuffer().get(a);
        bb.position(pos + n * n * 8);
        bb.asDoubleBuffer().get(inv);
        pos += (int) need;
        int[] rc = new int[n];
        int[] re = new int[n];
        java.util.Arrays.fill(rc, -1);
        java.util.Arrays.fill(re, -1);
        List<Configuration> selected = new ArrayList<>();
        // optional: "\n#\n" + n index lines + "#\n" + cfgs (LAMMPS ML-MTP never reads these)
        String rest = new String(b, pos, b.length - pos, StandardCharsets.ISO_8859_1);
        if (!rest.isBlank()) {
            String[] lines = rest.split("\n", -1);
            int li = 0;
            while (li < lines.length && lines[li].isBlank()) li++;
            if (li < lines.length && lines[li].strip().equals("#")) {
                li++;
                for (int j = 0; j < n; j++, li++) {
                    if (li >= lines.length) throw new InputFileException(name, 0, "active-set row index list truncated; expected " + n + " lines 'cfg eqn'");
                    String[] p2 = lines[li].strip().split("\\s+");
                    if (p2.length != 2) throw new InputFileException(name, 0, "active-set row index line '" + abbreviate(lines[li]) + "'; expected two integers");
                    try {
                        rc[j] = Integer.parseInt(p2[0]);
                        re[j] = Integer.parseInt(p2[1]);
                    } catch (NumberFormatException e) {
                        throw new InputFileException(name, 0, "active-set row index line '" + abbreviate(lines[li]) + "'; expected two integers");
                    }
                }
                if (li < lines.length && lines[li].strip().equals("#")) li++;
                StringBuilder cfgText = new StringBuilder();
                for (; li < lines.length; li++) cfgText.append(lines[li]).append('\n');
                if (!cfgText.toString().isBlank()) {
                    selected = CfgFiles.read(new BufferedReader(new StringReader(cfgText.toString())), name + " (selected configurations)");
                }
            }
        }
        return new ActiveSetData(w[0], w[1], w[2], w[3], ws, n, a, inv, rc, re, selected);
    }

    // ------------------------------------------------------------------------------------------------
    // writing

    /** Writes a potential atomically; {@code .almtp} output includes the active-set section if present. */
    public static void write(Potential p, Path path) {
        boolean almtp = path.getFileName().toString().endsWith(".almtp");
        boolean motep = path.getFileName().toString().endsWith(".mmtp");
        AtomicFiles.write(path, out -> {
            out.write(mtpText(p, motep).getBytes(StandardCharsets.ISO_8859_1));
            if (almtp && p.activeSet() != null) writeActiveSet(p, out);
        });
    }

    /** The potential as MLIP text, without a final newline after moment_coeffs (as MLIP writes). */
    public static String mtpText(Potential p, boolean motepMagneticLayout) {
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("MTP\nversion = 1.1.0\n");
        sb.append("potential_name = ").append(p.name().isEmpty() ? "MTP1m" : p.name()).append('\n');
        if (p.scaling() != 1.0) sb.append("scaling = ").append(real(p.scaling())).append('\n');
        sb.append("species_count = ").append(p.speciesCount()).append('\n');
        sb.append("potential_tag = ").append(p.tag()).append('\n');
        sb.append("radial_basis_type = ").append(p.radialBasisType().fileName()).append('\n');
        if (p.isMagnetic() && motepMagneticLayout) {
            sb.append("\tmin_mag = ").append(real(p.magneticBasis().min())).append('\n');
            sb.append("\tmax_mag = ").append(real(p.magneticBasis().max())).append('\n');
            sb.append("\tmag_basis_size = ").append(p.magneticBasis().size()).append('\n');
        }
        sb.append("\tmin_dist = ").append(real(p.minDist())).append('\n');
        sb.append("\tmax_dist = ").append(real(p.maxDist())).append('\n');
        sb.append("\tradial_basis_size = ").append(p.radialBasisSize()).append('\n');
        if (p.isMagnetic() && !motepMagneticLayout) {
            sb.append("magnetic_basis_type = BChebyshev\n");
            sb.append("\tmin_val = ").append(real(p.magneticBasis().min())).append('\n');
            sb.append("\tmax_val = ").append(real(p.magneticBasis().max())).append('\n');
            sb.append("\tbasis_size = ").append(p.magneticBasis().size()).append('\n');
        }
        sb.append("\tradial_funcs_count = ").append(p.radialFunctionsCount()).append('\n');
        if (p.isTrained() && p.radialRepresentation() != null) {
            org.mtpjava.compress.CompressedFormat.append(sb, p, PotentialFiles::real);
        } else if (p.isTrained()) {
            sb.append("\tradial_coeffs\n");
            int s = p.speciesCount(), k = p.radialFunctionsCount();
            int rowLen = p.radialBasisSize() * p.magneticSize() * p.magneticSize();
            double[] c = p.radialCoefficients();
            int[] labels = p.speciesLabels();
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    sb.append("\t\t").append(labels[a]).append('-').append(labels[b]).append('\n');
                    for (int mu = 0; mu < k; mu++) {
                        sb.append("\t\t\t");
                        appendList(sb, c, ((a * s + b) * k + mu) * rowLen, rowLen);
                        sb.append('\n');
                    }
                }
            }
        }
        var basis = p.basis();
        sb.append("alpha_moments_count = ").append(basis.momentsCount()).append('\n');
        sb.append("alpha_index_basic_count = ").append(basis.basicCount()).append('\n');
        sb.append("alpha_index_basic = ");
        appendQuadruples(sb, basis.basicArray());
        sb.append("\nalpha_index_times_count = ").append(basis.timesCount()).append('\n');
        sb.append("alpha_index_times = ");
        appendQuadruples(sb, basis.timesArray());
        sb.append("\nalpha_scalar_moments = ").append(basis.scalarCount()).append('\n');
        sb.append("alpha_moment_mapping = {");
        int[] map = basis.scalarMappingArray();
        for (int i = 0; i < map.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(map[i]);
        }
        sb.append('}');
        if (p.isTrained()) {
            sb.append("\nspecies_coeffs = ");
            appendList(sb, p.speciesCoefficients(), 0, p.speciesCount());
            sb.append("\nmoment_coeffs = ");
            appendList(sb, p.momentCoefficients(), 0, p.momentCoefficients().length);
        }
        return sb.toString();
    }

    /**
     * 17 significant digits: read back bit for bit (MLIP writes 16 in .mtp text, which is not always exact).
     * Formatted exactly as C's {@code printf("%.16e")} (correctly rounded from the exact binary value), which is
     * what MLIP's lossless cfg writer produces: Java's own {@code %.16e} pads the shortest representation with
     * zeros instead (6.4636020000000000e+00 vs C's 6.4636019999999998e+00; both parse to the same double), so
     * with this the {@code #MVS} section of an .almtp written here is byte-identical to MLIP's.
     */
    static String real(double v) {
        if (!Double.isFinite(v)) return String.format(Locale.ROOT, "%.16e", v);
        if (v == 0) return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "0.0000000000000000e+00";
        java.math.BigDecimal bd = new java.math.BigDecimal(v).round(C_DIGITS);
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        StringBuilder sb = new StringBuilder(24);
        if (v < 0) sb.append('-');
        sb.append(digits.charAt(0)).append('.');
        for (int i = 1; i < 17; i++) sb.append(i < digits.length() ? digits.charAt(i) : '0');
        sb.append(exp < 0 ? "e-" : "e+");
        int ae = Math.abs(exp);
        if (ae < 10) sb.append('0');
        sb.append(ae);
        return sb.toString();
    }

    private static final java.math.MathContext C_DIGITS = new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN);

    private static void appendList(StringBuilder sb, double[] v, int off, int len) {
        sb.append('{');
        for (int i = 0; i < len; i++) {
            if (i > 0) sb.append(", ");
            sb.append(real(v[off + i]));
        }
        sb.append('}');
    }

    private static void appendQuadruples(StringBuilder sb, int[] q) {
        sb.append('{');
        for (int i = 0; i < q.length; i += 4) {
            if (i > 0) sb.append(", ");
            sb.append('{').append(q[i]).append(", ").append(q[i + 1]).append(", ").append(q[i + 2]).append(", ").append(q[i + 3]).append('}');
        }
        sb.append('}');
    }

    private static void writeActiveSet(Potential p, java.io.OutputStream out) throws IOException {
        ActiveSetData a = p.activeSet();
        if (a.n() != org.mtpjava.al.RowMap.dimension(p)) {
            throw new IllegalStateException("active set has dimension " + a.n() + " but the potential has " + org.mtpjava.al.RowMap.dimension(p)
                    + " parameters" + (p.radialRepresentation() != null ? " in compressed coordinates" : ""));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("\n#MVS_v1.1\n");
        sb.append("energy_weight ").append(real(a.energyWeight())).append('\n');
        sb.append("force_weight ").append(real(a.forceWeight())).append('\n');
        sb.append("stress_weight ").append(real(a.stressWeight())).append('\n');
        sb.append("site_en_weight ").append(real(a.siteEnergyWeight())).append('\n');
        sb.append("weight_scaling ").append(a.weightScaling()).append('\n');
        sb.append('#');
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        int n = a.n();
        ByteBuffer bb = ByteBuffer.allocate(2 * n * n * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asDoubleBuffer().put(a.a()).put(a.invAT());
        out.write(bb.array());
        sb.setLength(0);
        sb.append("\n#\n");
        for (int j = 0; j < n; j++) sb.append(a.rowConfiguration()[j]).append(' ').append(a.rowEquation()[j]).append('\n');
        sb.append("#\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        var w = new java.io.StringWriter();
        for (Configuration c : a.selected()) CfgFiles.writeOne(w, c, CfgFiles.Precision.LOSSLESS);
        out.write(w.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads a potential from classpath-free text (tests). */
    public static Potential fromText(String text, String name) {
        return read(text.getBytes(StandardCharsets.ISO_8859_1), name);
    }

}
