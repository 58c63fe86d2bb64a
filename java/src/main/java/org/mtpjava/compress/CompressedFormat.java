package org.mtpjava.compress;

import org.mtpjava.io.InputFileException;
import org.mtpjava.model.Potential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * The {@code .mtp} keys of a compressed potential (docs/compression.md). They replace {@code radial_coeffs} after
 * {@code radial_funcs_count}; everything else in the file is the plain MTP format:
 * <pre>
 *   radial_compression = mf | rmf | tf
 *   radial_compression_parameters = 240          (independent radial parameters; informational, checked)
 *   radial_compression_species = {0, 1, 2, 3}    (species labels, as the a-b labels of radial_coeffs)
 *   radial_compression_rows = {mu, beta}         (mf, rmf: row modes of the matrix)
 *   radial_compression_order = {ti, mu, beta, tj} (tf: mode order of the train)
 *   radial_compression_ranks = {5}               (mf, rmf: r; tf: r_1, ..., r_{d-1})
 *   radial_factor_U = {...}  radial_factor_V = {...}            (mf: U m x r, V n x r, row-major)
 *   radial_factor_U, radial_factor_S, radial_factor_V            (rmf: X = U S V^T)
 *   radial_factor_G1 ... radial_factor_Gd                        (tf: core k, r_{k-1} x n_k x r_k, row-major)
 * </pre>
 * Modes are mu, beta, [zeta, gamma,] ti, tj; the dense tensor is c[mu, beta, ti, tj] (magnetic:
 * c[mu, beta, zeta, gamma, ti, tj]) in MLIP's order. {@code mtpjava expand} writes the equivalent plain file.
 */
public final class CompressedFormat {
    private CompressedFormat() {}

    /** True for the keys this class reads. */
    public static boolean isKey(String key) {
        return key.startsWith("radial_compression") || key.startsWith("radial_factor_");
    }

    /** Collects the compression keys of one file while it is parsed. */
    public static final class Reader {
        private final String file;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, Integer> lines = new LinkedHashMap<>();

        public Reader(String file) { this.file = file; }

        public boolean isEmpty() { return values.isEmpty(); }

        public void put(String key, String value, int line) {
            if (values.containsKey(key)) throw new InputFileException(file, line, "'" + key + "' appears twice");
            values.put(key, value == null ? "" : value.strip());
            lines.put(key, line);
        }

        private InputFileException error(String key, String msg) {
            return new InputFileException(file, lines.getOrDefault(key, 0), msg);
        }

        private String need(String key) {
            String v = values.get(key);
            if (v == null) {
                int line = lines.isEmpty() ? 0 : lines.values().iterator().next();
                throw new InputFileException(file, line, "compressed potential without '" + key + "'; expected it (docs/compression.md)");
            }
            return v;
        }

        private String[] list(String key) {
            String v = need(key);
            if (!v.startsWith("{") || !v.endsWith("}")) throw error(key, key + ": expected a list in braces {...}, found '" + abbreviate(v) + "'");
            String inner = v.substring(1, v.length() - 1).strip();
            return inner.isEmpty() ? new String[0] : inner.split("\\s*,\\s*");
        }

        private int[] ints(String key) {
            String[] p = list(key);
            int[] out = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                try {
                    out[i] = Integer.parseInt(p[i]);
                } catch (NumberFormatException e) {
                    throw error(key, key + " value " + (i + 1) + " '" + abbreviate(p[i]) + "' is not an integer");
                }
            }
            return out;
        }

        private double[] doubles(String key, int expected) {
            String[] p = list(key);
            if (p.length != expected) throw error(key, key + " has " + p.length + " numbers; expected " + expected + " for the stated ranks");
            double[] out = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                try {
                    out[i] = Double.parseDouble(p[i]);
                } catch (NumberFormatException e) {
                    throw error(key, key + " value " + (i + 1) + " '" + abbreviate(p[i]) + "' is not a number");
                }
                if (!Double.isFinite(out[i])) throw error(key, key + " value " + (i + 1) + " is not finite");
            }
            return out;
        }

        private int[] modes(String key, TensorLayout layout, boolean complete) {
            try {
                return layout.parseModes(String.join(",", list(key)), complete);
            } catch (IllegalArgumentException e) {
                throw error(key, key + ": " + e.getMessage());
            }
        }

        /** The factorisation described by the keys; species labels in {@link #labels}. */
        public Factorisation build(TensorLayout layout) {
            String method = need("radial_compression");
            Factorisation f;
            int[] ranks = ints("radial_compression_ranks");
            try {
                switch (method) {
                    case "mf", "rmf" -> {
                        if (ranks.length != 1) throw error("radial_compression_ranks", "radial_compression_ranks: " + method + " takes one rank, found " + ranks.length);
                        int[] rows = modes("radial_compression_rows", layout, false);
                        if (method.equals("mf")) {
                            MatrixFactorisation mf = new MatrixFactorisation(layout, rows, ranks[0]);
                            int r = ranks[0];
                            mf.setFactors(doubles("radial_factor_U", mf.rows() * r), doubles("radial_factor_V", mf.cols() * r), r);
                            f = mf;
                        } else {
                            FixedRankMatrix rm = new FixedRankMatrix(layout, rows, ranks[0]);
                            int r = ranks[0];
                            double[] x = new double[rm.storedCount()];
                            double[] u = doubles("radial_factor_U", rm.rows() * r), s = doubles("radial_factor_S", r * r),
                                    v = doubles("radial_factor_V", rm.cols() * r);
                            System.arraycopy(u, 0, x, 0, u.length);
                            System.arraycopy(s, 0, x, u.length, s.length);
                            System.arraycopy(v, 0, x, u.length + s.length, v.length);
                            rm.setFactors(x, 0);
                            f = rm;
                        }
                    }
                    case "tf" -> {
                        int[] order = modes("radial_compression_order", layout, true);
                        TensorTrain tt = new TensorTrain(layout, order, ranks);
                        for (int k = 0; k < tt.length(); k++) {
                            double[] core = doubles("radial_factor_G" + (k + 1), tt.core(k).length);
                            System.arraycopy(core, 0, tt.core(k), 0, core.length);
                        }
                        f = tt;
                    }
                    default -> throw error("radial_compression", "radial_compression = '" + abbreviate(method) + "'; expected mf, rmf or tf");
                }
            } catch (IllegalArgumentException e) {
                throw error("radial_compression_ranks", e.getMessage());
            }
            if (values.containsKey("radial_compression_parameters")) {
                String v = values.get("radial_compression_parameters");
                if (!v.equals(Integer.toString(f.parameterCount()))) {
                    throw error("radial_compression_parameters", "radial_compression_parameters = " + abbreviate(v) + " but the ranks give "
                            + f.parameterCount() + " (" + f.describe() + ")");
                }
            }
            List<String> known = new ArrayList<>(List.of("radial_compression", "radial_compression_parameters", "radial_compression_species",
                    "radial_compression_rows", "radial_compression_order", "radial_compression_ranks"));
            if (f instanceof TensorTrain tt) for (int k = 0; k < tt.length(); k++) known.add("radial_factor_G" + (k + 1));
            else known.addAll(f instanceof FixedRankMatrix ? List.of("radial_factor_U", "radial_factor_S", "radial_factor_V") : List.of("radial_factor_U", "radial_factor_V"));
            for (String k : values.keySet()) {
                if (!known.contains(k)) throw error(k, "unknown key '" + k + "' for radial_compression = " + method + "; expected " + String.join(", ", known));
            }
            return f;
        }

        /** Species labels (radial_compression_species), or null if absent (then 0..S-1). */
        public int[] labels(int speciesCount) {
            if (!values.containsKey("radial_compression_species")) return null;
            int[] l = ints("radial_compression_species");
            if (l.length != speciesCount) {
                throw error("radial_compression_species", "radial_compression_species has " + l.length + " labels; expected species_count = " + speciesCount);
            }
            return l;
        }
    }

    static String abbreviate(String s) { return s.length() > 60 ? s.substring(0, 57) + "..." : s; }

    /**
     * Appends the compression keys of {@code p} (one tab indent, like radial_coeffs). Throws IllegalStateException
     * if the potential's dense coefficients are not those of its factors (someone changed them afterwards).
     */
    public static void append(StringBuilder sb, Potential p, DoubleFunction<String> real) {
        Factorisation f = (Factorisation) p.radialRepresentation();
        double[] d = f.dense(), c = p.radialCoefficients();
        double err = 0, ref = 0;
        for (int i = 0; i < c.length; i++) {
            err = Math.max(err, Math.abs(d[i] - c[i]));
            ref = Math.max(ref, Math.abs(c[i]));
        }
        if (err > 1e-11 * Math.max(ref, 1e-300)) {
            throw new IllegalStateException("the radial coefficients differ from those of the stored factors (max deviation " + err
                    + "); they were changed after compression");
        }
        TensorLayout l = f.layout();
        sb.append("\tradial_compression = ").append(f.method()).append('\n');
        sb.append("\tradial_compression_parameters = ").append(f.parameterCount()).append('\n');
        sb.append("\tradial_compression_species = {");
        int[] labels = p.speciesLabels();
        for (int i = 0; i < labels.length; i++) sb.append(i > 0 ? ", " : "").append(labels[i]);
        sb.append("}\n");
        if (f instanceof MatrixFactorisation mf) {
            sb.append("\tradial_compression_rows = {").append(l.modeNames(mf.rowModes()).replace(",", ", ")).append("}\n");
            sb.append("\tradial_compression_ranks = {").append(mf.rank()).append("}\n");
            list(sb, "radial_factor_U", mf.u(), real);
            list(sb, "radial_factor_V", mf.v(), real);
        } else if (f instanceof FixedRankMatrix rm) {
            sb.append("\tradial_compression_rows = {").append(l.modeNames(rm.rowModes()).replace(",", ", ")).append("}\n");
            sb.append("\tradial_compression_ranks = {").append(rm.rank()).append("}\n");
            list(sb, "radial_factor_U", rm.u(), real);
            list(sb, "radial_factor_S", rm.s(), real);
            list(sb, "radial_factor_V", rm.v(), real);
        } else {
            TensorTrain tt = (TensorTrain) f;
            sb.append("\tradial_compression_order = {").append(l.modeNames(tt.order()).replace(",", ", ")).append("}\n");
            int[] r = tt.ranks();
            sb.append("\tradial_compression_ranks = {");
            for (int i = 0; i < r.length; i++) sb.append(i > 0 ? ", " : "").append(r[i]);
            sb.append("}\n");
            for (int k = 0; k < tt.length(); k++) list(sb, "radial_factor_G" + (k + 1), tt.core(k), real);
        }
    }

    private static void list(StringBuilder sb, String key, double[] v, DoubleFunction<String> real) {
        sb.append('\t').append(key).append(" = {");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(real.apply(v[i]));
        sb.append("}\n");
    }
}
