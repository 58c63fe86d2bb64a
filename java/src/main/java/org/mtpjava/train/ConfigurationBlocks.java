package org.mtpjava.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a training set into contiguous blocks of configurations with roughly equal work. The boundaries
 * depend on the data alone, so per-block partial sums combined in block order give the same result for any
 * thread count.
 */
final class ConfigurationBlocks {
    private ConfigurationBlocks() {}

    /**
     * Contiguous blocks of configurations with roughly equal work (atoms + neighbour pairs), at most
     * {@code maxBlocks}; returns block starts plus the end (length blocks + 1).
     */
    static int[] partition(TrainingSet set, int maxBlocks) {
        int n = set.size();
        if (n == 0) return new int[]{0, 0};
        double[] work = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            work[k] = set.configuration(k).size() + set.neighbours(k).pairs() + 1;
            total += work[k];
        }
        int blocks = Math.min(n, maxBlocks);
        double target = total / blocks;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        double acc = 0;
        for (int k = 0; k < n; k++) {
            acc += work[k];
            if (acc >= target && k + 1 < n && starts.size() < blocks) {
                starts.add(k + 1);
                acc = 0;
            }
        }
        starts.add(n);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }
}
