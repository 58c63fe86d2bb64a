package org.mtpjava.compress;

import org.mtpjava.model.Potential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The measured comparison behind the default TF mode order: for every order of the modes, the smallest TT-SVD error
 * of a trained potential's radial tensor over all TT ranks with at most a given number of radial parameters.
 */
public final class ModeOrderStudy {
    private ModeOrderStudy() {}

    /** Best result of one order. */
    public record Row(int[] order, int[] ranks, int parameters, double error) {}

    public static List<Row> study(Potential p, int budget) {
        TensorLayout l = TensorLayout.of(p);
        double[] c = p.radialCoefficients().clone();
        List<Row> rows = new ArrayList<>();
        for (int[] order : candidateOrders(l)) {
            TensorTrain probe = new TensorTrain(l, order, ones(l.order() - 1));
            int[] mx = probe.maxRanks();
            int[] dims = probe.dims();
            Row best = null;
            for (int[] r : rankTuples(mx)) {
                int n = TensorTrain.count(dims, r);
                if (n > budget) continue;
                double e = new TensorTrain(l, order, r).fitError(c);
                if (best == null || e < best.error() - 1e-15 || (Math.abs(e - best.error()) <= 1e-15 && n < best.parameters())) {
                    best = new Row(order, r, n, e);
                }
            }
            if (best != null) rows.add(best);
        }
        rows.sort(Comparator.comparingDouble(Row::error));
        return rows;
    }

    /** A text table (best first), with the MF truncation error at the same budget for reference. */
    public static String table(Potential p, int budget) {
        TensorLayout l = TensorLayout.of(p);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "TT-SVD of the radial tensor %s (%d coefficients), all ranks with <= %d parameters%n", l, l.total(), budget));
        sb.append(String.format(Locale.ROOT, "%-28s %-14s %8s %14s%n", "mode order", "best ranks", "params", "rel. error"));
        for (Row r : study(p, budget)) {
            sb.append(String.format(Locale.ROOT, "%-28s %-14s %8d %14.6e%n", l.modeNames(r.order()), Arrays.toString(r.ranks()).replace(" ", ""),
                    r.parameters(), r.error()));
        }
        int[] rows = MatrixFactorisation.defaultRows(l);
        MatrixFactorisation probe = new MatrixFactorisation(l, rows, 1);
        int rank = Math.max(1, Math.min(budget / (probe.rows() + probe.cols()), Math.min(probe.rows(), probe.cols())));
        MatrixFactorisation mf = new MatrixFactorisation(l, rows, rank);
        double[] c = p.radialCoefficients().clone();
        mf.fit(c);
        sb.append(String.format(Locale.ROOT, "for reference: MF rank %d (%d params) truncated SVD error %.6e%n", rank, mf.parameterCount(),
                CompressedTraining.relativeError(c, mf.dense())));
        return sb.toString();
    }

    /**
     * All orders of the 4 modes of a plain MTP; for the 6-way magnetic tensor (720 orders) the orders that keep the
     * pairs (ti, tj), (mu, beta) and (zeta, gamma) adjacent, in either inner order (48).
     */
    static List<int[]> candidateOrders(TensorLayout l) {
        if (!l.isMagnetic()) return permutations(l.order());
        int[][] pairs = {{l.mode(TensorLayout.TI), l.mode(TensorLayout.TJ)}, {l.mode(TensorLayout.MU), l.mode(TensorLayout.BETA)},
                {l.mode(TensorLayout.ZETA), l.mode(TensorLayout.GAMMA)}};
        List<int[]> out = new ArrayList<>();
        for (int[] po : permutations(3)) {
            for (int flip = 0; flip < 8; flip++) {
                int[] o = new int[6];
                for (int k = 0; k < 3; k++) {
                    int[] pr = pairs[po[k]];
                    boolean f = ((flip >> k) & 1) == 1;
                    o[2 * k] = f ? pr[1] : pr[0];
                    o[2 * k + 1] = f ? pr[0] : pr[1];
                }
                out.add(o);
            }
        }
        return out;
    }

    static int[] ones(int n) {
        int[] o = new int[n];
        Arrays.fill(o, 1);
        return o;
    }

    static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] cur, boolean[] used, int k, List<int[]> out) {
        if (k == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < cur.length; i++) {
            if (used[i]) continue;
            used[i] = true;
            cur[k] = i;
            permute(cur, used, k + 1, out);
            used[i] = false;
        }
    }

    static List<int[]> rankTuples(int[] max) {
        List<int[]> out = new ArrayList<>();
        int[] r = ones(max.length);
        while (true) {
            out.add(r.clone());
            int k = max.length - 1;
            while (k >= 0 && r[k] == max[k]) r[k--] = 1;
            if (k < 0) break;
            r[k]++;
        }
        return out;
    }
}
