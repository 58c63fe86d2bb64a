package org.mtpjava.neighbours;

import org.mtpjava.model.Configuration;

/**
 * A full neighbour list (every pair i-j with |r_ij| &lt; cutoff, in both directions, periodic images included)
 * built with a cell list in O(N). Pairs of atom i occupy entries {@code offset(i) .. offset(i+1)-1}; entry e
 * has the original atom index {@code neighbour(e)} and the vector {@code r_ij = x_j + shift - x_i} in
 * {@code vectors[3e..3e+2]}. Positions need not be wrapped; cells may be triclinic, partially periodic
 * (zero lattice rows) or absent, and smaller than the cutoff.
 */
public final class NeighbourList {
    private final int atoms;
    private final int[] offsets;
    private final int[] neighbours;
    private final double[] vectors;

    private NeighbourList(int atoms, int[] offsets, int[] neighbours, double[] vectors) {
        this.atoms = atoms;
        this.offsets = offsets;
        this.neighbours = neighbours;
        this.vectors = vectors;
    }

    public int atoms() { return atoms; }
    public int offset(int i) { return offsets[i]; }
    public int count(int i) { return offsets[i + 1] - offsets[i]; }
    public int pairs() { return offsets[atoms]; }
    public int neighbour(int e) { return neighbours[e]; }
    /** Flat r_ij vectors (live array). */
    public double[] vectors() { return vectors; }
    /** Original indices of all neighbour entries (live array). */
    public int[] neighbourArray() { return neighbours; }
    public int[] offsetArray() { return offsets; }
    public double averageNeighbours() { return atoms == 0 ? 0 : (double) pairs() / atoms; }

    /** Builds the list for a configuration and a cutoff (strict: r &lt; cutoff). */
    public static NeighbourList build(Configuration cfg, double cutoff) {
        if (!(cutoff > 0)) throw new IllegalArgumentException("cutoff must be positive");
        int n = cfg.size();
        double[] x = cfg.positions();
        double[] lat = cfg.lattice();
        boolean[] periodic = new boolean[3];
        for (int a = 0; a < 3; a++) periodic[a] = cfg.isPeriodic(a);

        // A full-rank basis: lattice rows where periodic, unit vectors orthogonal to them elsewhere.
        double[] basis = completeBasis(lat, periodic);
        double[] inv = inverse3(basis);
        if (inv == null) throw new IllegalArgumentException("the cell is degenerate (zero volume)");
        // margins in basis coordinates: |r| < rc implies |delta frac_a| <= rc * |row a of inv^T| = rc / d_a
        double[] margin = new double[3];
        for (int a = 0; a < 3; a++) {
            double s = 0;
            for (int k = 0; k < 3; k++) s += inv[3 * k + a] * inv[3 * k + a];
            margin[a] = cutoff * Math.sqrt(s);
        }
        // fractional coordinates; wrap periodic ones into [0, 1), remembering the lattice shift
        double[] frac = new double[3 * n];
        int[] wrap = new int[3 * n];
        double[] lo = {0, 0, 0}, hi = {1, 1, 1};
        for (int a = 0; a < 3; a++) if (!periodic[a]) { lo[a] = Double.POSITIVE_INFINITY; hi[a] = Double.NEGATIVE_INFINITY; }
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                double fa = x[3 * i] * inv[a] + x[3 * i + 1] * inv[3 + a] + x[3 * i + 2] * inv[6 + a];
                if (periodic[a]) {
                    double fl = Math.floor(fa);
                    wrap[3 * i + a] = (int) fl;
                    fa -= fl;
                    if (fa >= 1) { fa -= 1; wrap[3 * i + a]++; }
                } else {
                    lo[a] = Math.min(lo[a], fa);
                    hi[a] = Math.max(hi[a], fa);
                }
                frac[3 * i + a] = fa;
            }
        }
        if (n == 0) return new NeighbourList(0, new int[1], new int[0], new double[0]);
        for (int a = 0; a < 3; a++) if (!periodic[a] && hi[a] - lo[a] < 1e-12) hi[a] = lo[a] + 1e-12;

        // images: every (atom, shift) whose shifted fractional coordinate lies within the margin of the cell
        int[] range = new int[3];
        for (int a = 0; a < 3; a++) range[a] = periodic[a] ? (int) Math.ceil(margin[a]) + 1 : 0;
        IntList imgAtom = new IntList(n * 2);
        IntList imgShift = new IntList(n * 6);
        DoubleList imgFrac = new DoubleList(n * 6);
        for (int i = 0; i < n; i++) {
            for (int s0 = -range[0]; s0 <= range[0]; s0++) {
                double f0 = frac[3 * i] + s0;
                if (periodic[0] && (f0 < -margin[0] || f0 >= 1 + margin[0])) continue;
                for (int s1 = -range[1]; s1 <= range[1]; s1++) {
                    double f1 = frac[3 * i + 1] + s1;
                    if (periodic[1] && (f1 < -margin[1] || f1 >= 1 + margin[1])) continue;
                    for (int s2 = -range[2]; s2 <= range[2]; s2++) {
                        double f2 = frac[3 * i + 2] + s2;
                        if (periodic[2] && (f2 < -margin[2] || f2 >= 1 + margin[2])) continue;
                        imgAtom.add(i);
                        // shift relative to the raw (unwrapped) position of atom i
                        imgShift.add(s0 - wrap[3 * i]);
                        imgShift.add(s1 - wrap[3 * i + 1]);
                        imgShift.add(s2 - wrap[3 * i + 2]);
                        imgFrac.add(f0);
                        imgFrac.add(f1);
                        imgFrac.add(f2);
                    }
                }
            }
        }
        int m = imgAtom.size();
        // bins of width >= margin in each direction, capped so that sparse clusters do not explode
        double[] origin = new double[3], width = new double[3];
        int[] nb = new int[3];
        for (int a = 0; a < 3; a++) {
            double start = periodic[a] ? -margin[a] : lo[a];
            double extent = periodic[a] ? 1 + 2 * margin[a] : hi[a] - lo[a];
            int bins = Math.max(1, (int) Math.floor(extent / margin[a]));
            bins = Math.min(bins, 1 + (int) Math.cbrt(8.0 * m));
            nb[a] = bins;
            origin[a] = start;
            width[a] = extent / bins;
        }
        int totalBins = nb[0] * nb[1] * nb[2];
        int[] binHead = new int[totalBins];
        java.util.Arrays.fill(binHead, -1);
        int[] next = new int[m];
        int[] imgBin = new int[m];
        for (int e = m - 1; e >= 0; e--) {
            int bin = binOf(imgFrac, e, origin, width, nb);
            imgBin[e] = bin;
            next[e] = binHead[bin];
            binHead[bin] = e;
        }
        // primary images (zero shift relative to the wrapped cell) of each atom
        int[] primary = new int[n];
        for (int e = 0; e < m; e++) {
            int i = imgAtom.get(e);
            if (imgShift.get(3 * e) == -wrap[3 * i] && imgShift.get(3 * e + 1) == -wrap[3 * i + 1] && imgShift.get(3 * e + 2) == -wrap[3 * i + 2]) {
                primary[i] = e;
            }
        }
        double rc2 = cutoff * cutoff;
        int[] offsets = new int[n + 1];
        IntList nbr = new IntList(n * 32);
        DoubleList vec = new DoubleList(n * 96);
        double[] l = lat;
        for (int i = 0; i < n; i++) {
            offsets[i] = nbr.size();
            int bin = imgBin[primary[i]];
            int bz = bin % nb[2], by = (bin / nb[2]) % nb[1], bx = bin / (nb[1] * nb[2]);
            double xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
            int wi0 = wrap[3 * i], wi1 = wrap[3 * i + 1], wi2 = wrap[3 * i + 2];
            for (int dx = -1; dx <= 1; dx++) {
                int cx = bx + dx;
                if (cx < 0 || cx >= nb[0]) continue;
                for (int dy = -1; dy <= 1; dy++) {
                    int cy = by + dy;
                    if (cy < 0 || cy >= nb[1]) continue;
                    for (int dz = -1; dz <= 1; dz++) {
                        int cz = bz + dz;
                        if (cz < 0 || cz >= nb[2]) continue;
                        for (int e = binHead[(cx * nb[1] + cy) * nb[2] + cz]; e >= 0; e = next[e]) {
                            int j = imgAtom.get(e);
                            if (e == primary[i]) continue;
                            // image position relative to atom i's wrapped position, from raw coordinates
                            int s0 = imgShift.get(3 * e) + wi0, s1 = imgShift.get(3 * e + 1) + wi1, s2 = imgShift.get(3 * e + 2) + wi2;
                            double rx = x[3 * j] + s0 * l[0] + s1 * l[3] + s2 * l[6] - xi;
                            double ry = x[3 * j + 1] + s0 * l[1] + s1 * l[4] + s2 * l[7] - yi;
                            double rz = x[3 * j + 2] + s0 * l[2] + s1 * l[5] + s2 * l[8] - zi;
                            double r2 = rx * rx + ry * ry + rz * rz;
                            if (r2 < rc2) {
                                nbr.add(j);
                                vec.add(rx);
                                vec.add(ry);
                                vec.add(rz);
                            }
                        }
                    }
                }
            }
        }
        offsets[n] = nbr.size();
        int[] neighbours = nbr.toArray();
        double[] vectors = vec.toArray();
        return new NeighbourList(n, offsets, neighbours, vectors);
    }

    private static int binOf(DoubleList f, int e, double[] origin, double[] width, int[] nb) {
        int idx = 0;
        for (int a = 0; a < 3; a++) {
            int c = (int) Math.floor((f.get(3 * e + a) - origin[a]) / width[a]);
            if (c < 0) c = 0;
            if (c >= nb[a]) c = nb[a] - 1;
            idx = idx * nb[a] + c;
        }
        return idx;
    }

    private static double[] completeBasis(double[] lat, boolean[] periodic) {
        double[] b = lat.clone();
        int count = 0;
        for (boolean p : periodic) if (p) count++;
        if (count == 3) return b;
        double[][] have = new double[3][];
        int h = 0;
        for (int a = 0; a < 3; a++) if (periodic[a]) have[h++] = new double[]{lat[3 * a], lat[3 * a + 1], lat[3 * a + 2]};
        for (int a = 0; a < 3; a++) {
            if (periodic[a]) continue;
            double[] u = orthogonalUnit(have, h);
            have[h++] = u;
            b[3 * a] = u[0];
            b[3 * a + 1] = u[1];
            b[3 * a + 2] = u[2];
        }
        return b;
    }

    /** A unit vector orthogonal to the first h given vectors (Gram-Schmidt on the Cartesian axes). */
    private static double[] orthogonalUnit(double[][] have, int h) {
        double[] best = null;
        double bestNorm = -1;
        for (int axis = 0; axis < 3; axis++) {
            double[] u = new double[3];
            u[axis] = 1;
            for (int k = 0; k < h; k++) {
                double[] w = normalise(have[k]);
                double d = u[0] * w[0] + u[1] * w[1] + u[2] * w[2];
                for (int c = 0; c < 3; c++) u[c] -= d * w[c];
                // re-orthogonalise against earlier ones for stability
            }
            for (int k = 0; k < h; k++) {
                double[] w = normalise(have[k]);
                double d = u[0] * w[0] + u[1] * w[1] + u[2] * w[2];
                for (int c = 0; c < 3; c++) u[c] -= d * w[c];
            }
            double nn = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
            if (nn > bestNorm) { bestNorm = nn; best = u; }
        }
        return normalise(best);
    }

    private static double[] normalise(double[] v) {
        double nn = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[]{v[0] / nn, v[1] / nn, v[2] / nn};
    }

    /** Inverse of a row-major 3x3 matrix, or null if singular. */
    static double[] inverse3(double[] m) {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], k = m[8];
        double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
        double scale = Math.abs(a) + Math.abs(b) + Math.abs(c) + Math.abs(d) + Math.abs(e) + Math.abs(f) + Math.abs(g) + Math.abs(h) + Math.abs(k);
        if (Math.abs(det) <= 1e-14 * scale * scale * scale) return null;
        double id = 1.0 / det;
        return new double[]{
                (e * k - f * h) * id, (c * h - b * k) * id, (b * f - c * e) * id,
                (f * g - d * k) * id, (a * k - c * g) * id, (c * d - a * f) * id,
                (d * h - e * g) * id, (b * g - a * h) * id, (a * e - b * d) * id};
    }

    /** Growable int array. */
    static final class IntList {
        int[] a;
        int n;
        IntList(int cap) { a = new int[Math.max(cap, 16)]; }
        void add(int v) { if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2); a[n++] = v; }
        int get(int i) { return a[i]; }
        int size() { return n; }
        int[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }

    /** Growable double array. */
    static final class DoubleList {
        double[] a;
        int n;
        DoubleList(int cap) { a = new double[Math.max(cap, 16)]; }
        void add(double v) { if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2); a[n++] = v; }
        double get(int i) { return a[i]; }
        int size() { return n; }
        double[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }
}
