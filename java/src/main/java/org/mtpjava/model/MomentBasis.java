package org.mtpjava.model;

import java.util.Arrays;

/**
 * The moment contraction plan of an MTP: basic moments (radial function mu, monomial exponents a, b, c),
 * the list of pairwise products that builds contracted moments, and which moment slots are the scalar basis
 * functions B_alpha. Layout and semantics follow the MLIP {@code .mtp} keys {@code alpha_index_basic},
 * {@code alpha_index_times}, {@code alpha_moment_mapping} (Shapeev 2016; MLIP-3).
 *
 * <p>Immutable; arrays are flat: basic entry k is {@code basic[4k..4k+3] = (mu, a, b, c)}, product entry p is
 * {@code times[4p..4p+3] = (i, j, mult, k)} meaning {@code m[k] += mult * m[i] * m[j]}, applied in order.
 */
public final class MomentBasis {
    private final int momentsCount;
    private final int[] basic;
    private final int[] times;
    private final int[] scalarMapping;

    public MomentBasis(int momentsCount, int[] basic, int[] times, int[] scalarMapping) {
        if (basic.length % 4 != 0 || times.length % 4 != 0) {
            throw new IllegalArgumentException("basic/times arrays must hold quadruples");
        }
        this.momentsCount = momentsCount;
        this.basic = basic.clone();
        this.times = times.clone();
        this.scalarMapping = scalarMapping.clone();
    }

    /** Total number of moment slots ({@code alpha_moments_count}). */
    public int momentsCount() { return momentsCount; }
    /** Number of basic moments ({@code alpha_index_basic_count}). */
    public int basicCount() { return basic.length / 4; }
    /** Number of product entries ({@code alpha_index_times_count}). */
    public int timesCount() { return times.length / 4; }
    /** Number of scalar basis functions ({@code alpha_scalar_moments}). */
    public int scalarCount() { return scalarMapping.length; }

    public int basicMu(int k) { return basic[4 * k]; }
    public int basicA(int k) { return basic[4 * k + 1]; }
    public int basicB(int k) { return basic[4 * k + 2]; }
    public int basicC(int k) { return basic[4 * k + 3]; }
    /** Tensor rank nu = a + b + c of basic moment k. */
    public int basicRank(int k) { return basic[4 * k + 1] + basic[4 * k + 2] + basic[4 * k + 3]; }

    /** A copy of the flat (mu, a, b, c) array. */
    public int[] basicArray() { return basic.clone(); }
    /** A copy of the flat (i, j, mult, k) array. */
    public int[] timesArray() { return times.clone(); }
    /** A copy of the scalar mapping. */
    public int[] scalarMappingArray() { return scalarMapping.clone(); }

    /** Number of radial functions the basis uses: 1 + max mu. */
    public int radialFunctionsUsed() {
        int max = -1;
        for (int k = 0; k < basicCount(); k++) max = Math.max(max, basicMu(k));
        return max + 1;
    }

    /** Largest tensor rank among basic moments. */
    public int maxRank() {
        int max = 0;
        for (int k = 0; k < basicCount(); k++) max = Math.max(max, basicRank(k));
        return max;
    }

    @Override public boolean equals(Object o) {
        return o instanceof MomentBasis m && m.momentsCount == momentsCount && Arrays.equals(m.basic, basic)
                && Arrays.equals(m.times, times) && Arrays.equals(m.scalarMapping, scalarMapping);
    }
    @Override public int hashCode() {
        return Arrays.hashCode(basic) * 31 + Arrays.hashCode(times) * 17 + Arrays.hashCode(scalarMapping);
    }
}
