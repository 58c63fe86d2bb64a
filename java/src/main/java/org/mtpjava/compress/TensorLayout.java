package org.mtpjava.compress;

import org.mtpjava.model.Potential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The radial coefficients of an MTP as a tensor with named modes, mapped onto the dense MLIP array
 * (index ((t_i S + t_j) K + mu) R M^2 + beta M^2 + p M + q):
 * <ul>
 *   <li>plain MTP: c[mu, beta, ti, tj] with sizes (K, R, S, S);</li>
 *   <li>magnetic MTP: c[mu, beta, zeta, gamma, ti, tj] with sizes (K, R, M, M, S, S); zeta indexes the central
 *       atom's moment basis phi_p(s_i), gamma the neighbour's phi_q(s_j).</li>
 * </ul>
 * A mode order (a permutation of the modes) defines a row-major view of the tensor; {@link #gather} and
 * {@link #scatter} move between that view and the dense array.
 */
public final class TensorLayout {
    public static final String MU = "mu", BETA = "beta", ZETA = "zeta", GAMMA = "gamma", TI = "ti", TJ = "tj";

    private final String[] names;
    private final int[] sizes;
    private final int[] strides;
    private final int total;
    private final int species, radialFuncs, radialSize, magneticSize;

    public TensorLayout(int species, int radialFuncs, int radialSize, int magneticSize) {
        if (species < 1 || radialFuncs < 1 || radialSize < 1 || magneticSize < 1) throw new IllegalArgumentException("tensor sizes must be >= 1");
        this.species = species;
        this.radialFuncs = radialFuncs;
        this.radialSize = radialSize;
        this.magneticSize = magneticSize;
        int m2 = magneticSize * magneticSize;
        int pair = radialFuncs * radialSize * m2;
        if (magneticSize > 1) {
            names = new String[]{MU, BETA, ZETA, GAMMA, TI, TJ};
            sizes = new int[]{radialFuncs, radialSize, magneticSize, magneticSize, species, species};
            strides = new int[]{radialSize * m2, m2, magneticSize, 1, species * pair, pair};
        } else {
            names = new String[]{MU, BETA, TI, TJ};
            sizes = new int[]{radialFuncs, radialSize, species, species};
            strides = new int[]{radialSize, 1, species * pair, pair};
        }
        total = species * species * pair;
    }

    public static TensorLayout of(Potential p) {
        return new TensorLayout(p.speciesCount(), p.radialFunctionsCount(), p.radialBasisSize(), p.magneticSize());
    }

    public boolean isMagnetic() { return magneticSize > 1; }
    public int species() { return species; }
    public int radialFuncs() { return radialFuncs; }
    public int radialSize() { return radialSize; }
    public int magneticSize() { return magneticSize; }
    /** Number of modes (4, or 6 for a magnetic MTP). */
    public int order() { return names.length; }
    public String name(int mode) { return names[mode]; }
    public int size(int mode) { return sizes[mode]; }
    /** Number of dense coefficients. */
    public int total() { return total; }

    /** The mode with this name; IllegalArgumentException naming the valid ones otherwise. */
    public int mode(String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        throw new IllegalArgumentException("unknown tensor mode '" + name + "'; expected one of " + String.join(", ", names));
    }

    /** The natural order 0..d-1 (mu, beta, [zeta, gamma,] ti, tj). */
    public int[] naturalOrder() {
        int[] o = new int[names.length];
        for (int i = 0; i < o.length; i++) o[i] = i;
        return o;
    }

    /** Parses a comma/space separated list of mode names; with {@code complete} it must be a permutation of all modes. */
    public int[] parseModes(String list, boolean complete) {
        String[] parts = list.trim().split("[,\\s]+");
        int[] o = new int[parts.length];
        boolean[] seen = new boolean[names.length];
        for (int i = 0; i < parts.length; i++) {
            o[i] = mode(parts[i]);
            if (seen[o[i]]) throw new IllegalArgumentException("mode '" + parts[i] + "' appears twice in '" + list + "'");
            seen[o[i]] = true;
        }
        if (complete && o.length != names.length) {
            throw new IllegalArgumentException("mode order '" + list + "' must list all " + names.length + " modes (" + String.join(", ", names) + ")");
        }
        return o;
    }

    public String modeNames(int[] modes) {
        List<String> l = new ArrayList<>();
        for (int m : modes) l.add(names[m]);
        return String.join(",", l);
    }

    /** Product of the sizes of the given modes. */
    public int size(int[] modes) {
        int n = 1;
        for (int m : modes) n *= sizes[m];
        return n;
    }

    /** The modes not in {@code modes}, in natural order. */
    public int[] complement(int[] modes) {
        boolean[] in = new boolean[names.length];
        for (int m : modes) in[m] = true;
        int[] out = new int[names.length - modes.length];
        int k = 0;
        for (int i = 0; i < names.length; i++) if (!in[i]) out[k++] = i;
        return out;
    }

    /** dense offset of each element of the row-major view in the given mode order (a permutation of all modes). */
    public int[] offsets(int[] order) {
        if (order.length != names.length) throw new IllegalArgumentException("order must list all modes");
        int[] map = new int[total];
        int d = order.length;
        int[] idx = new int[d];
        for (int lin = 0; lin < total; lin++) {
            int off = 0;
            for (int k = 0; k < d; k++) off += idx[k] * strides[order[k]];
            map[lin] = off;
            for (int k = d - 1; k >= 0; k--) {
                if (++idx[k] < sizes[order[k]]) break;
                idx[k] = 0;
            }
        }
        return map;
    }

    /** The tensor in the row-major view of {@code offsets}. */
    static double[] gather(double[] dense, int[] offsets) {
        double[] out = new double[offsets.length];
        for (int i = 0; i < offsets.length; i++) out[i] = dense[offsets[i]];
        return out;
    }

    /** Writes a row-major view back into the dense array. */
    static void scatter(double[] view, int[] offsets, double[] dense) {
        for (int i = 0; i < offsets.length; i++) dense[offsets[i]] = view[i];
    }

    static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("c[");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(names[i]).append('=').append(sizes[i]);
        }
        return sb.append(']').toString();
    }
}
