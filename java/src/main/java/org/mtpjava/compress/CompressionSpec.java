package org.mtpjava.compress;

import org.mtpjava.model.Potential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compression method with its settings, as given on the command line:
 * {@code mf:rank=5}, {@code tf:ranks=4,4,4}, {@code rmf:rank=5}, {@code mfra:rmin=1,rmax=8,every=50,step=1},
 * {@code tfra:rmin=1,rmax=4,8,4,every=50,step=1,budget=368}. Lists continue after commas
 * ({@code ranks=4,4,4,order=mu,beta,ti,tj}). Optional for MF-type methods: {@code rows=mu,beta} (row modes of the
 * matrix); for TF-type: {@code order=...} (mode order of the train).
 */
public final class CompressionSpec {
    /** The mode order used for TF unless {@code order=} is given; chosen by the measured comparison in docs/compression.md. */
    public static final String DEFAULT_TF_ORDER = "ti,tj,mu,beta";
    public static final String DEFAULT_TF_ORDER_MAGNETIC = "ti,tj,mu,beta,zeta,gamma";

    public enum Method { MF, TF, RMF, MFRA, TFRA }

    private final Method method;
    private final Map<String, int[]> ints = new LinkedHashMap<>();
    private final Map<String, String> modes = new LinkedHashMap<>();
    private final String text;

    private CompressionSpec(Method method, String text) {
        this.method = method;
        this.text = text;
    }

    public Method method() { return method; }
    public String text() { return text; }

    private static final Map<Method, List<String>> KEYS = Map.of(
            Method.MF, List.of("rank", "rows"),
            Method.RMF, List.of("rank", "rows"),
            Method.TF, List.of("ranks", "order"),
            Method.MFRA, List.of("rmin", "rmax", "every", "step", "rows"),
            Method.TFRA, List.of("rmin", "rmax", "every", "step", "budget", "order"));

    /** Parses e.g. {@code mfra:rmin=1,rmax=8,every=50,step=1}; IllegalArgumentException with the expected form. */
    public static CompressionSpec parse(String s) {
        String t = s.trim();
        int colon = t.indexOf(':');
        String name = (colon < 0 ? t : t.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        Method m;
        try {
            m = Method.valueOf(name.toUpperCase(Locale.ROOT).replace("-", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--compress '" + s + "': unknown method '" + name + "'; expected mf, tf, rmf, mfra or tfra ("
                    + "e.g. mf:rank=5, tf:ranks=4,4,4, rmf:rank=5, mfra:rmin=1,rmax=8,every=50,step=1)");
        }
        CompressionSpec spec = new CompressionSpec(m, t);
        if (colon >= 0) {
            String key = null;
            List<String> values = new ArrayList<>();
            for (String tok : t.substring(colon + 1).split(",")) {
                tok = tok.trim();
                if (tok.isEmpty()) continue;
                int eq = tok.indexOf('=');
                if (eq >= 0) {
                    if (key != null) spec.put(key, values, s);
                    key = tok.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    values = new ArrayList<>();
                    values.add(tok.substring(eq + 1).trim());
                } else {
                    if (key == null) throw new IllegalArgumentException("--compress '" + s + "': '" + tok + "' has no key; expected key=value");
                    values.add(tok);
                }
            }
            if (key != null) spec.put(key, values, s);
        }
        spec.check(s);
        return spec;
    }

    private void put(String key, List<String> values, String s) {
        if (!KEYS.get(method).contains(key)) {
            throw new IllegalArgumentException("--compress '" + s + "': unknown key '" + key + "' for " + method.name().toLowerCase(Locale.ROOT)
                    + "; expected " + String.join(", ", KEYS.get(method)));
        }
        if (key.equals("rows") || key.equals("order")) {
            modes.put(key, String.join(",", values));
            return;
        }
        int[] v = new int[values.size()];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Integer.parseInt(values.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--compress '" + s + "': " + key + " value '" + values.get(i) + "' is not an integer");
            }
            if (v[i] < 1) throw new IllegalArgumentException("--compress '" + s + "': " + key + " must be >= 1, got " + v[i]);
        }
        ints.put(key, v);
    }

    private void check(String s) {
        switch (method) {
            case MF, RMF -> require("rank", 1, s);
            case TF -> require("ranks", -1, s);
            case MFRA -> {
                require("rmax", 1, s);
                if (ints.containsKey("rmin") && ints.get("rmin").length != 1) throw new IllegalArgumentException("--compress '" + s + "': rmin takes one value");
                if (rmin() > rmaxScalar()) throw new IllegalArgumentException("--compress '" + s + "': rmin " + rmin() + " exceeds rmax " + rmaxScalar());
            }
            case TFRA -> {
                if (!ints.containsKey("rmax") && !ints.containsKey("budget")) {
                    throw new IllegalArgumentException("--compress '" + s + "': tfra needs rmax=r1,r2,... (largest TT ranks) and/or budget=N (radial parameters)");
                }
            }
        }
        for (String k : List.of("every", "step", "budget")) {
            if (ints.containsKey(k) && ints.get(k).length != 1) throw new IllegalArgumentException("--compress '" + s + "': " + k + " takes one value");
        }
    }

    private void require(String key, int count, String s) {
        if (!ints.containsKey(key)) throw new IllegalArgumentException("--compress '" + s + "': " + method.name().toLowerCase(Locale.ROOT) + " needs " + key + "=...");
        if (count > 0 && ints.get(key).length != count) throw new IllegalArgumentException("--compress '" + s + "': " + key + " takes " + count + " value");
    }

    public int rank() { return ints.get("rank")[0]; }
    public int[] ranks() { return ints.get("ranks").clone(); }
    public int rmin() { return ints.containsKey("rmin") ? ints.get("rmin")[0] : 1; }
    private int rmaxScalar() { return ints.get("rmax")[0]; }
    public int rmax() { return rmaxScalar(); }
    public int every() { return ints.containsKey("every") ? ints.get("every")[0] : 50; }
    public int step() { return ints.containsKey("step") ? ints.get("step")[0] : 1; }
    public int budget() { return ints.containsKey("budget") ? ints.get("budget")[0] : Integer.MAX_VALUE; }

    /** TT-rank list of length d-1 from a key (one value = the same for every bond), or null if absent. */
    public int[] bondList(String key, int bonds) {
        int[] v = ints.get(key);
        if (v == null) return null;
        if (v.length == 1) {
            int[] out = new int[bonds];
            Arrays.fill(out, v[0]);
            return out;
        }
        if (v.length != bonds) throw new IllegalArgumentException("--compress '" + text + "': " + key + " needs 1 or " + bonds + " values, got " + v.length);
        return v.clone();
    }

    /** Row modes of the MF matrix (default mu, beta). */
    public int[] rows(TensorLayout layout) {
        String r = modes.get("rows");
        return r == null ? MatrixFactorisation.defaultRows(layout) : layout.parseModes(r, false);
    }

    /** Mode order of the tensor train (default {@link #DEFAULT_TF_ORDER}). */
    public int[] order(TensorLayout layout) {
        String o = modes.get("order");
        if (o == null) o = layout.isMagnetic() ? DEFAULT_TF_ORDER_MAGNETIC : DEFAULT_TF_ORDER;
        return layout.parseModes(o, true);
    }

    /** An empty representation of the spec's shape for this potential (ranks of the start for mfra/tfra). */
    public Factorisation shape(Potential p) {
        TensorLayout layout = TensorLayout.of(p);
        return switch (method) {
            case MF -> new MatrixFactorisation(layout, rows(layout), rank());
            case MFRA -> new MatrixFactorisation(layout, rows(layout), rmin());
            case RMF -> new FixedRankMatrix(layout, rows(layout), rank());
            case TF -> {
                int[] order = order(layout);
                yield new TensorTrain(layout, order, bondList("ranks", order.length - 1));
            }
            case TFRA -> {
                int[] order = order(layout);
                int[] rmin = bondList("rmin", order.length - 1);
                if (rmin == null) {
                    // default 2: rank-1 bonds next to mu make all radial functions proportional (degenerate)
                    rmin = new int[order.length - 1];
                    Arrays.fill(rmin, 2);
                    int[] mx = new TensorTrain(layout, order, ModeOrderStudy.ones(order.length - 1)).maxRanks();
                    for (int i = 0; i < rmin.length; i++) rmin[i] = Math.min(rmin[i], mx[i]);
                }
                yield new TensorTrain(layout, order, rmin);
            }
        };
    }

    /** Largest TT ranks for tfra (default: the largest useful ranks). */
    public int[] tfraMax(TensorTrain tt) {
        int[] mx = tt.maxRanks();
        int[] v = bondList("rmax", tt.length() - 1);
        if (v == null) return mx;
        for (int i = 0; i < v.length; i++) v[i] = Math.min(v[i], mx[i]);
        return v;
    }

    /** The fixed-rank spec that trains an existing factorisation as it is (mf, rmf or tf with its ranks and modes). */
    public static CompressionSpec of(Factorisation f) {
        TensorLayout l = f.layout();
        if (f instanceof MatrixFactorisation mf) return parse("mf:rank=" + mf.rank() + ",rows=" + l.modeNames(mf.rowModes()));
        if (f instanceof FixedRankMatrix rm) return parse("rmf:rank=" + rm.rank() + ",rows=" + l.modeNames(rm.rowModes()));
        TensorTrain tt = (TensorTrain) f;
        StringBuilder r = new StringBuilder();
        for (int v : tt.ranks()) r.append(r.length() > 0 ? "," : "").append(v);
        return parse("tf:ranks=" + r + ",order=" + l.modeNames(tt.order()));
    }

    /** The factorisation type a potential compressed by this method carries. */
    public String representationMethod() {
        return switch (method) {
            case MF, MFRA -> "mf";
            case TF, TFRA -> "tf";
            case RMF -> "rmf";
        };
    }

    /** --help text explaining every method (a compile-time constant, for picocli annotations; %n = new line). */
    public static final String HELP =
            "Compressed MTP (--compress METHOD:key=value,..., docs/compression.md): the%n"
            + "radial tensor c[mu,beta,ti,tj] (magnetic: c[mu,beta,zeta,gamma,ti,tj]) is%n"
            + "stored and trained as a product of small factors; the rest is unchanged.%n"
            + "  mf:rank=R       C = U V^T of the (N_mu N_beta) x N_t^2 reshape (rows=mu,beta;%n"
            + "                  magnetic columns zeta,gamma,ti,tj); (m+n)R parameters; BFGS on%n"
            + "                  U, V and the linear coefficients.%n"
            + "  tf:ranks=r1,..  tensor train over order=" + DEFAULT_TF_ORDER + " (default, chosen by%n"
            + "                  a measured comparison; magnetic: 5 ranks, order%n"
            + "                  " + DEFAULT_TF_ORDER_MAGNETIC + "); BFGS on the cores.%n"
            + "  rmf:rank=R      the rank-R matrix on the fixed-rank manifold: Riemannian BFGS%n"
            + "                  (tangent projection, QR+SVD retraction, transport by%n"
            + "                  projection, Wolfe line search); (m+n-R)R parameters.%n"
            + "  mfra:rmin=1,rmax=8,every=50,step=1%n"
            + "                  MF with rank augmentation: start at rank rmin (random); every%n"
            + "                  'every' BFGS iterations add the top 'step' singular triples%n"
            + "                  of dL/dC, weighted by a line search for h, up to rank rmax.%n"
            + "  tfra:rmin=2,rmax=4,8,6,every=25,step=1,budget=N%n"
            + "                  rank-adaptive TF (mtpjava's design): every 'every' iterations%n"
            + "                  raise the TT bond whose supercore gradient promises the most%n"
            + "                  per added parameter (line search for h), while ranks <= rmax%n"
            + "                  and radial parameters <= budget. Let the growth take about%n"
            + "                  the first half of the run: ranks reached early then train%n"
            + "                  like a fixed TF from a poor start (docs/compression.md).%n"
            + "Start: an untrained POT gets random factors (--seed); a trained plain POT is%n"
            + "compressed by truncated SVD / TT-SVD (as 'mtpjava compress') and fine-tuned; a%n"
            + "compressed POT is trained as it is (also without --compress).";
}
