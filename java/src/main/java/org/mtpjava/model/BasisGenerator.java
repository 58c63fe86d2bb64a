package org.mtpjava.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates the MTP moment basis (contraction plan) of a given level, entry for entry identical to the MLIP-2/MLIP-3
 * templates {@code 02 … 28} (checked for every shipped level; see {@code docs/basis-generation.md}).
 *
 * <p><b>Which scalars</b> (Shapeev 2016, MLIP templates): a scalar basis function B_alpha is a full contraction of at
 * most 4 basic moments M_{mu,nu} (radial function mu, rank nu). It is described by a multigraph: one vertex per factor,
 * labelled (mu, nu), one edge per contracted index pair, no loops (a self-contraction of M_{mu,nu} is M_{mu,nu-2}
 * because the directions are unit vectors), every vertex of degree nu. The level is sum(2 + 4 mu + nu) and the
 * level-L basis holds every such graph with level <= L, mu < K and nu <= 10, each once. K = min(6, (L + 2) / 4)
 * (the MLIP templates stop growing K at 6 and the rank at 10; both caps are kept above level 28).
 *
 * <p><b>Order of the scalars</b> ({@code alpha_moment_mapping}): by the canonical key of the graph, the smallest
 * tuple (n, mu_0..mu_{n-1}, nu_0, e_01, …, e_0(n-1), nu_1, e_12, …, nu_{n-1}) over all vertex orders (ties between
 * orders go to the first permutation in lexicographic order).
 *
 * <p><b>How a scalar is computed</b> (pairwise contractions; intermediate tensors are shared between scalars).
 * 3 factors: the factor of smallest rank (in a non-scalar triple: fewest indices contracted inside it) times the
 * contraction of the other two. 4 factors: "pair x pair" if that keeps the largest intermediate rank strictly lower
 * than every "basic x (basic x pair)", else basic x triple with the outer factor of smallest rank and the middle
 * factor with the fewest indices contracted inside the triple. An intermediate tensor keeps its free indices as
 * symmetric blocks, one per factor, ordered by the factor's (mu, nu); only the block-swap symmetry of a pair of the
 * same basic moment is used to store fewer components. Slots: basic moments by (mu, nu, a desc, b desc), then the
 * products by (tree depth, factors, canonical key). Each product slot lists (i, j, mult) sorted by (i, j), mult =
 * number of explicit index assignments giving that pair of components (i <= j when both factors are one tensor).
 */
public final class BasisGenerator {
    /** Largest number of radial functions the MLIP templates use (levels 22-28); kept above 28. */
    public static final int MAX_RADIAL_FUNCTIONS = 6;
    /** Largest basic-moment rank the MLIP templates use (levels 24-28); kept above 28. */
    public static final int MAX_RANK = 10;
    /** A scalar contracts at most this many basic moments (all MLIP templates). */
    public static final int MAX_FACTORS = 4;

    private BasisGenerator() {}

    /** Number of radial functions of the level-{@code level} basis: min(6, (level + 2) / 4), as the MLIP templates. */
    public static int radialFunctionsCount(int level) {
        checkLevel(level);
        return Math.min(MAX_RADIAL_FUNCTIONS, (level + 2) / 4);
    }

    /** The level-{@code level} basis (even level >= 2), identical to the MLIP template for levels 2..28. */
    public static MomentBasis generate(int level) {
        return generate(level, radialFunctionsCount(level), MAX_RANK);
    }

    /**
     * The basis with the level rule but explicit caps: radial functions mu < {@code radialFunctions}, ranks
     * nu <= {@code maxRank}. {@code generate(L)} is {@code generate(L, radialFunctionsCount(L), MAX_RANK)}.
     */
    public static MomentBasis generate(int level, int radialFunctions, int maxRank) {
        checkLevel(level);
        if (radialFunctions < 1) throw new IllegalArgumentException("radialFunctions must be >= 1, got " + radialFunctions);
        if (maxRank < 0) throw new IllegalArgumentException("maxRank must be >= 0, got " + maxRank);
        return new Builder(level, radialFunctions, maxRank).build();
    }

    private static void checkLevel(int level) {
        if (level < 2 || level % 2 != 0) {
            throw new IllegalArgumentException("MTP level must be even and >= 2, got " + level);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // small helpers

    /** Lexicographically comparable int tuple (canonical graph key); usable as a hash key. */
    private static final class Key implements Comparable<Key> {
        final int[] v;
        final int hash;
        Key(int[] v) { this.v = v; this.hash = Arrays.hashCode(v); }
        @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(k.v, v); }
        @Override public int hashCode() { return hash; }
        @Override public int compareTo(Key o) { return Arrays.compare(v, o.v); }
    }

    /** All permutations of 0..n-1 in lexicographic order (the tie-break order of the canonical form). */
    private static final int[][][] PERMS = new int[MAX_FACTORS + 1][][];
    static {
        for (int n = 1; n <= MAX_FACTORS; n++) {
            List<int[]> out = new ArrayList<>();
            permute(new int[n], new boolean[n], 0, out);
            PERMS[n] = out.toArray(new int[0][]);
        }
    }
    private static void permute(int[] cur, boolean[] used, int k, List<int[]> out) {
        if (k == cur.length) { out.add(cur.clone()); return; }
        for (int i = 0; i < cur.length; i++) {
            if (used[i]) continue;
            used[i] = true; cur[k] = i;
            permute(cur, used, k + 1, out);
            used[i] = false;
        }
    }

    /** Number of symmetric components of rank s: (s+1)(s+2)/2. */
    private static int symCount(int s) { return (s + 1) * (s + 2) / 2; }

    /** Position of x^a y^b z^c (a+b+c = s) in the MLIP order (a descending, then b descending). */
    private static int symIndex(int s, int a, int b) {
        int t = s - a;
        return t * (t + 1) / 2 + (t - b);
    }

    /** The multi-indices of rank s in MLIP order, as {a, b, c}. */
    private static int[][] multiIndices(int s) {
        int[][] out = new int[symCount(s)][];
        int k = 0;
        for (int a = s; a >= 0; a--) for (int b = s - a; b >= 0; b--) out[k++] = new int[]{a, b, s - a - b};
        return out;
    }

    private static long factorial(int n) { long f = 1; for (int i = 2; i <= n; i++) f *= i; return f; }

    /** A labelled multigraph: vertex labels (mu, nu) and symmetric edge multiplicities. */
    private record Graph(int[] mu, int[] nu, int[][] e) {
        int n() { return mu.length; }
    }

    /** Canonical key of the subgraph on {@code verts} and the (first) vertex order reaching it. */
    private record Canon(Key key, int[] order) {}

    /** Key for order p: (n, mu_p0.., nu_p0, e_p0p1, .., nu_p1, e_p1p2, ..). */
    private static Canon canon(Graph g, int[] verts) {
        int n = verts.length;
        int[] best = null, bestPerm = null;
        int[] cur = new int[1 + n + n * (n + 1) / 2];
        for (int[] p : PERMS[n]) {
            int k = 0;
            cur[k++] = n;
            for (int i = 0; i < n; i++) cur[k++] = g.mu[verts[p[i]]];
            for (int i = 0; i < n; i++) {
                cur[k++] = g.nu[verts[p[i]]];
                for (int j = i + 1; j < n; j++) cur[k++] = g.e[verts[p[i]]][verts[p[j]]];
            }
            if (best == null || Arrays.compare(cur, best) < 0) { best = cur.clone(); bestPerm = p; }
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = verts[bestPerm[i]];
        return new Canon(new Key(best), order);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // nodes of the contraction plan

    /**
     * A tensor of the plan: a basic moment or the contraction of two nodes. Its free indices form symmetric blocks,
     * one per factor (leaf) that still has free indices; a block pair marked in {@code symStart} is stored
     * swap-symmetric (only components with index(block p) <= index(block p+1)).
     */
    private static final class Node {
        final boolean basic;
        final int mu, nu;            // basic only
        Node a, b;                   // product only
        int[][] cm;                  // indices contracted between block i of a and block j of b
        int[] srcIsB, srcBlock;      // result block q comes from block srcBlock[q] of (srcIsB[q] == 1 ? b : a)
        int[] leafMu, leafNu;        // labels of the leaves (factors), a's leaves then b's
        int[] blockLeaf, blockSize;  // result blocks
        boolean[] symStart;          // symStart[p]: blocks p and p+1 are stored swap-symmetric
        int depth, leaves;
        Key key;                     // canonical key of the node's graph (products)
        int[] leafCanon;             // canonical vertex index of each leaf
        int[] leafVertsTmp;          // while building: graph vertex of each leaf
        int slot0 = -1, comps;
        int[] compTable;             // dense (per-block local index, mixed radix) -> component index
        int[] radix;                 // per-block component counts

        Node(int mu, int nu) {
            this.basic = true; this.mu = mu; this.nu = nu;
            leafMu = new int[]{mu}; leafNu = new int[]{nu};
            blockLeaf = nu > 0 ? new int[]{0} : new int[0];
            blockSize = nu > 0 ? new int[]{nu} : new int[0];
            symStart = new boolean[blockLeaf.length];
            depth = 0; leaves = 1;
        }
        Node() { this.basic = false; this.mu = -1; this.nu = -1; }

        int blocks() { return blockSize.length; }

        /** Sort key (depth, leaves, key); basic moments by label. */
        int compareTo(Node o) {
            if (depth != o.depth) return Integer.compare(depth, o.depth);
            if (leaves != o.leaves) return Integer.compare(leaves, o.leaves);
            if (basic) return mu != o.mu ? Integer.compare(mu, o.mu) : Integer.compare(nu, o.nu);
            return key.compareTo(o.key);
        }
    }

    /** A node placed in a particular graph: leaf l of the node is vertex {@code verts[l]} of that graph. */
    private record Embedded(Node node, int[] verts) {}

    // ---------------------------------------------------------------------------------------------------------------

    private static final class Builder {
        final int level, radialFunctions, maxRank;
        final Map<Long, Node> basics = new HashMap<>();
        final Map<Key, Node> products = new HashMap<>();

        Builder(int level, int radialFunctions, int maxRank) {
            this.level = level; this.radialFunctions = radialFunctions; this.maxRank = maxRank;
        }

        MomentBasis build() {
            TreeMap<Key, Graph> alphas = enumerateScalars();
            List<Node> scalars = new ArrayList<>(alphas.size());
            for (Graph g : alphas.values()) {
                int[] all = new int[g.n()];
                for (int i = 0; i < all.length; i++) all[i] = i;
                scalars.add(embed(g, all).node());
            }
            // slots: basic moments by (mu, nu, multi-index), then products by (depth, leaves, key)
            List<Node> basicList = new ArrayList<>(basics.values());
            basicList.sort(Node::compareTo);
            int slot = 0;
            List<int[]> basicRows = new ArrayList<>();
            for (Node nd : basicList) {
                nd.slot0 = slot;
                for (int[] m : multiIndices(nd.nu)) basicRows.add(new int[]{nd.mu, m[0], m[1], m[2]});
                slot += symCount(nd.nu);
            }
            List<Node> prodList = new ArrayList<>(products.values());
            prodList.sort(Node::compareTo);
            IntList times = new IntList(1 << 12);
            for (Node nd : prodList) {
                layout(nd);
                nd.slot0 = slot;
                slot += nd.comps;
                emitTerms(nd, times);
            }
            int[] basic = new int[4 * basicRows.size()];
            for (int k = 0; k < basicRows.size(); k++) System.arraycopy(basicRows.get(k), 0, basic, 4 * k, 4);
            int[] mapping = new int[scalars.size()];
            for (int k = 0; k < mapping.length; k++) mapping[k] = scalars.get(k).slot0;
            return new MomentBasis(slot, basic, times.toArray(), mapping);
        }

        // ----- which scalars -----

        /** Every graph with <= 4 vertices, labels (mu < K, nu <= maxRank), degree nu, level <= L; by canonical key. */
        TreeMap<Key, Graph> enumerateScalars() {
            List<int[]> labels = new ArrayList<>();   // sorted by (mu, nu)
            for (int mu = 0; mu < radialFunctions; mu++) {
                for (int nu = 0; nu <= maxRank; nu++) if (2 + 4 * mu + nu <= level) labels.add(new int[]{mu, nu});
            }
            TreeMap<Key, Graph> out = new TreeMap<>();
            int[] pick = new int[MAX_FACTORS];
            for (int n = 1; n <= MAX_FACTORS; n++) chooseLabels(labels, n, 0, 0, 0, pick, out);
            return out;
        }

        private void chooseLabels(List<int[]> labels, int n, int k, int from, int lev, int[] pick, TreeMap<Key, Graph> out) {
            if (k == n) {
                int[] mu = new int[n], nu = new int[n];
                for (int i = 0; i < n; i++) { mu[i] = labels.get(pick[i])[0]; nu[i] = labels.get(pick[i])[1]; }
                enumerateEdges(mu, nu, out);
                return;
            }
            for (int t = from; t < labels.size(); t++) {
                int[] l = labels.get(t);
                int lv = lev + 2 + 4 * l[0] + l[1];
                // remaining factors cost at least 2 each
                if (lv + 2 * (n - k - 1) > level) continue;
                pick[k] = t;
                chooseLabels(labels, n, k + 1, t, lv, pick, out);
            }
        }

        /** All loop-free edge multiplicities with vertex degrees nu (solved directly for n <= 4). */
        private static void enumerateEdges(int[] mu, int[] nu, TreeMap<Key, Graph> out) {
            int n = mu.length;
            int[][] e = new int[n][n];
            switch (n) {
                case 1 -> { if (nu[0] == 0) add(mu, nu, e, out); }
                case 2 -> { if (nu[0] == nu[1]) { e[0][1] = e[1][0] = nu[0]; add(mu, nu, e, out); } }
                case 3 -> {
                    int s = nu[0] + nu[1] + nu[2];
                    if (s % 2 != 0) return;
                    int e01 = s / 2 - nu[2], e02 = s / 2 - nu[1], e12 = s / 2 - nu[0];
                    if (e01 < 0 || e02 < 0 || e12 < 0) return;
                    e[0][1] = e[1][0] = e01; e[0][2] = e[2][0] = e02; e[1][2] = e[2][1] = e12;
                    add(mu, nu, e, out);
                }
                default -> {
                    for (int e01 = 0; e01 <= Math.min(nu[0], nu[1]); e01++) {
                        for (int e02 = 0; e01 + e02 <= nu[0] && e02 <= nu[2]; e02++) {
                            int e03 = nu[0] - e01 - e02;
                            if (e03 > nu[3]) continue;
                            for (int e12 = 0; e01 + e12 <= nu[1] && e02 + e12 <= nu[2]; e12++) {
                                int e13 = nu[1] - e01 - e12;
                                int e23 = nu[2] - e02 - e12;
                                if (e03 + e13 + e23 != nu[3]) continue;
                                int[][] f = {{0, e01, e02, e03}, {e01, 0, e12, e13}, {e02, e12, 0, e23}, {e03, e13, e23, 0}};
                                add(mu, nu, f, out);
                            }
                        }
                    }
                }
            }
        }

        /** Stores the graph in canonical vertex order (one representative per isomorphism class). */
        private static void add(int[] mu, int[] nu, int[][] e, TreeMap<Key, Graph> out) {
            int n = mu.length;
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            Graph g = new Graph(mu, nu, e);
            Canon c = canon(g, all);
            if (out.containsKey(c.key())) return;
            int[] cm = new int[n], cn = new int[n];
            int[][] ce = new int[n][n];
            for (int i = 0; i < n; i++) {
                cm[i] = mu[c.order()[i]]; cn[i] = nu[c.order()[i]];
                for (int j = 0; j < n; j++) ce[i][j] = e[c.order()[i]][c.order()[j]];
            }
            out.put(c.key(), new Graph(cm, cn, ce));
        }

        // ----- how a (sub)graph is computed -----

        Node basicNode(int mu, int nu) {
            return basics.computeIfAbsent(((long) mu << 32) | nu, k -> new Node(mu, nu));
        }

        /** The node computing the subgraph of g on {@code verts} (shared when the same subgraph recurs). */
        Embedded embed(Graph g, int[] verts) {
            if (verts.length == 1) return new Embedded(basicNode(g.mu[verts[0]], g.nu[verts[0]]), verts.clone());
            Canon c = canon(g, verts);
            int[] cv = c.order();
            Node cached = products.get(c.key());
            if (cached != null) {
                int[] m = new int[cached.leaves];
                for (int l = 0; l < m.length; l++) m[l] = cv[cached.leafCanon[l]];
                return new Embedded(cached, m);
            }
            int n = cv.length;
            int[] nu = new int[n], internal = new int[n];
            for (int i = 0; i < n; i++) {
                nu[i] = g.nu[cv[i]];
                for (int j = 0; j < n; j++) if (j != i) internal[i] += g.e[cv[i]][cv[j]];
            }
            int[] partA, partB;
            if (n == 2) {
                partA = new int[]{0}; partB = new int[]{1};
            } else if (n == 3) {
                // outer factor: fewest indices contracted inside this subgraph (for a scalar: smallest rank);
                // the other two are contracted first
                int a = 0;
                for (int i = 1; i < 3; i++) if (internal[i] < internal[a]) a = i;
                partA = new int[]{a};
                partB = a == 0 ? new int[]{1, 2} : a == 1 ? new int[]{0, 2} : new int[]{0, 1};
            } else {
                int[][] split = splitFour(g, cv, nu);
                partA = split[0]; partB = split[1];
            }
            Embedded ea = embed(g, pick(cv, partA));
            Embedded eb = embed(g, pick(cv, partB));
            Node nd = combine(ea, eb, g);
            nd.key = c.key();
            int[] verts2 = nd.leafVertsTmp;
            nd.leafCanon = new int[nd.leaves];
            for (int l = 0; l < nd.leaves; l++) {
                for (int i = 0; i < n; i++) if (cv[i] == verts2[l]) nd.leafCanon[l] = i;
            }
            nd.leafVertsTmp = null;
            products.put(c.key(), nd);
            return new Embedded(nd, verts2);
        }

        private static int[] pick(int[] cv, int[] idx) {
            int[] out = new int[idx.length];
            for (int i = 0; i < idx.length; i++) out[i] = cv[idx[i]];
            return out;
        }

        /**
         * Four factors (local canonical indices 0..3): pair x pair if that keeps the largest intermediate rank below
         * every basic x (basic x pair) option, else basic x triple with the outer factor of smallest rank and the
         * middle factor with the fewest indices inside the triple (ties: first in canonical order).
         */
        private static int[][] splitFour(Graph g, int[] cv, int[] nu) {
            int[][] e = new int[4][4];
            for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) e[i][j] = i == j ? 0 : g.e[cv[i]][cv[j]];
            int btMin = Integer.MAX_VALUE;
            int[] best = null;   // {rt, A, internal(w), w, x, y}
            for (int a = 0; a < 4; a++) {
                for (int w = 0; w < 4; w++) {
                    if (w == a) continue;
                    int x = -1, y = -1;
                    for (int v = 0; v < 4; v++) if (v != a && v != w) { if (x < 0) x = v; else y = v; }
                    // a contraction product always shares an index, except with a scalar factor
                    if (!(e[w][x] + e[w][y] > 0 || nu[w] == 0)) continue;
                    if (!(e[x][y] > 0 || nu[x] == 0 || nu[y] == 0)) continue;
                    int rp = nu[x] + nu[y] - 2 * e[x][y];
                    int rt = nu[a];
                    btMin = Math.min(btMin, Math.max(rp, rt));
                    int[] cand = {rt, a, nu[w] - e[w][a], w, x, y};
                    if (best == null || Arrays.compare(cand, best) < 0) best = cand;
                }
            }
            int[][] splits = {{0, 1, 2, 3}, {0, 2, 1, 3}, {0, 3, 1, 2}};
            int ppMin = Integer.MAX_VALUE;
            int[] ppBest = null;
            for (int[] s : splits) {
                if (e[s[0]][s[1]] == 0 || e[s[2]][s[3]] == 0) continue;
                int r1 = nu[s[0]] + nu[s[1]] - 2 * e[s[0]][s[1]];
                int r2 = nu[s[2]] + nu[s[3]] - 2 * e[s[2]][s[3]];
                int mx = Math.max(r1, r2);
                if (mx < ppMin) { ppMin = mx; ppBest = s; }
            }
            if (ppBest != null && ppMin < btMin) {
                return new int[][]{{ppBest[0], ppBest[1]}, {ppBest[2], ppBest[3]}};
            }
            if (best == null) throw new IllegalStateException("no contraction order for a 4-factor scalar");
            return new int[][]{{best[1]}, {best[3], best[4], best[5]}};
        }

        /** Contraction node of two embedded nodes; contraction counts come from the graph edges. */
        private Node combine(Embedded ea, Embedded eb, Graph g) {
            Node na = ea.node(), nb = eb.node();
            // the "smaller" factor first (basic before pair; pair x pair by their sort key)
            if ((na.leaves == nb.leaves && nb.compareTo(na) < 0) || na.leaves > nb.leaves) {
                Embedded t = ea; ea = eb; eb = t;
                na = ea.node(); nb = eb.node();
            }
            // equivalent leaf assignments under stored symmetries: take the lexicographically smallest contraction
            int[] bestFlat = null, bestA = null, bestB = null;
            int[][] bestCm = null;
            for (int[] ta : symVariants(na, ea.verts())) {
                for (int[] tb : symVariants(nb, eb.verts())) {
                    int[][] cm = new int[na.blocks()][nb.blocks()];
                    int[] flat = new int[na.blocks() * nb.blocks()];
                    for (int i = 0; i < na.blocks(); i++) {
                        for (int j = 0; j < nb.blocks(); j++) {
                            cm[i][j] = g.e[ta[na.blockLeaf[i]]][tb[nb.blockLeaf[j]]];
                            flat[i * nb.blocks() + j] = cm[i][j];
                        }
                    }
                    if (bestFlat == null || Arrays.compare(flat, bestFlat) < 0) {
                        bestFlat = flat; bestCm = cm; bestA = ta; bestB = tb;
                    }
                }
            }
            Node nd = new Node();
            nd.a = na; nd.b = nb; nd.cm = bestCm;
            nd.leaves = na.leaves + nb.leaves;
            nd.leafMu = concat(na.leafMu, nb.leafMu);
            nd.leafNu = concat(na.leafNu, nb.leafNu);
            nd.leafVertsTmp = concat(bestA, bestB);
            nd.depth = 1 + Math.max(na.depth, nb.depth);
            int[] ra = new int[na.blocks()], rb = new int[nb.blocks()];
            for (int i = 0; i < ra.length; i++) { ra[i] = na.blockSize[i]; for (int j = 0; j < rb.length; j++) ra[i] -= bestCm[i][j]; }
            for (int j = 0; j < rb.length; j++) { rb[j] = nb.blockSize[j]; for (int i = 0; i < ra.length; i++) rb[j] -= bestCm[i][j]; }
            // result blocks: a's then b's with free indices left, stable-sorted by the factor label (mu, nu)
            List<int[]> src = new ArrayList<>();   // {isB, block, leaf, size}
            for (int i = 0; i < ra.length; i++) {
                if (ra[i] < 0) throw new IllegalStateException("over-contracted block");
                if (ra[i] > 0) src.add(new int[]{0, i, na.blockLeaf[i], ra[i]});
            }
            for (int j = 0; j < rb.length; j++) {
                if (rb[j] < 0) throw new IllegalStateException("over-contracted block");
                if (rb[j] > 0) src.add(new int[]{1, j, na.leaves + nb.blockLeaf[j], rb[j]});
            }
            final Node fnd = nd;
            src.sort((p, q) -> fnd.leafMu[p[2]] != fnd.leafMu[q[2]] ? Integer.compare(fnd.leafMu[p[2]], fnd.leafMu[q[2]])
                    : Integer.compare(fnd.leafNu[p[2]], fnd.leafNu[q[2]]));
            int nbk = src.size();
            nd.srcIsB = new int[nbk]; nd.srcBlock = new int[nbk]; nd.blockLeaf = new int[nbk]; nd.blockSize = new int[nbk];
            for (int q = 0; q < nbk; q++) {
                int[] s = src.get(q);
                nd.srcIsB[q] = s[0]; nd.srcBlock[q] = s[1]; nd.blockLeaf[q] = s[2]; nd.blockSize[q] = s[3];
            }
            // stored symmetry: the two free blocks of a pair of the same basic moment; kept by a contraction that
            // treats both blocks alike
            nd.symStart = new boolean[nbk];
            if (na.basic && nb.basic && na == nb && nbk == 2) {
                nd.symStart[0] = true;
            } else {
                for (int p = 0; p + 1 < nb.blocks(); p++) {
                    if (!nb.symStart[p] || rb[p] == 0) continue;
                    boolean same = true;
                    for (int i = 0; i < na.blocks(); i++) same &= bestCm[i][p] == bestCm[i][p + 1];
                    if (!same) continue;
                    int q0 = position(nd, 1, p), q1 = position(nd, 1, p + 1);
                    if (q1 != q0 + 1) throw new IllegalStateException("symmetric blocks not adjacent");
                    nd.symStart[q0] = true;
                }
            }
            return nd;
        }

        private static int position(Node nd, int isB, int block) {
            for (int q = 0; q < nd.srcIsB.length; q++) if (nd.srcIsB[q] == isB && nd.srcBlock[q] == block) return q;
            throw new IllegalStateException("block not found");
        }

        /** Leaf-to-vertex maps equivalent under the node's stored block-swap symmetries (original first). */
        private static List<int[]> symVariants(Node nd, int[] verts) {
            List<int[]> out = new ArrayList<>();
            out.add(verts.clone());
            if (nd.basic) return out;
            for (int p = 0; p < nd.blocks(); p++) {
                if (!nd.symStart[p]) continue;
                int la = nd.blockLeaf[p], lb = nd.blockLeaf[p + 1];
                int size = out.size();
                for (int k = 0; k < size; k++) {
                    int[] x = out.get(k).clone();
                    int t = x[la]; x[la] = x[lb]; x[lb] = t;
                    out.add(x);
                }
            }
            return out;
        }

        // ----- components and products -----

        /** Enumerates the stored components (row-major over blocks, symmetric pairs ordered) and their lookup table. */
        private static void layout(Node nd) {
            int nbk = nd.blocks();
            nd.radix = new int[nbk];
            int full = 1;
            for (int q = 0; q < nbk; q++) { nd.radix[q] = symCount(nd.blockSize[q]); full *= nd.radix[q]; }
            nd.compTable = new int[full];
            int count = 0;
            int[] loc = new int[nbk];
            for (int f = 0; f < full; f++) {
                // decode f into per-block local indices, first block most significant
                int r = f;
                for (int q = nbk - 1; q >= 0; q--) { loc[q] = r % nd.radix[q]; r /= nd.radix[q]; }
                boolean canonical = true;
                for (int q = 0; q + 1 < nbk; q++) if (nd.symStart[q] && loc[q] > loc[q + 1]) canonical = false;
                nd.compTable[f] = canonical ? count++ : -1;
            }
            // non-canonical entries point at their swapped (canonical) component
            for (int f = 0; f < full; f++) {
                if (nd.compTable[f] >= 0) continue;
                int r = f;
                for (int q = nbk - 1; q >= 0; q--) { loc[q] = r % nd.radix[q]; r /= nd.radix[q]; }
                canonicalize(nd, loc);
                nd.compTable[f] = nd.compTable[flatten(nd, loc)];
            }
            nd.comps = count;
        }

        private static void canonicalize(Node nd, int[] loc) {
            for (int q = 0; q + 1 < loc.length; q++) {
                if (nd.symStart[q] && loc[q] > loc[q + 1]) { int t = loc[q]; loc[q] = loc[q + 1]; loc[q + 1] = t; }
            }
        }

        private static int flatten(Node nd, int[] loc) {
            int f = 0;
            for (int q = 0; q < loc.length; q++) f = f * nd.radix[q] + loc[q];
            return f;
        }

        /** Slot of the component of nd whose block q has the index counts cnt[q] = {x, y, z}. */
        private static int slotOf(Node nd, int[][] cnt) {
            if (nd.basic) return nd.slot0 + (nd.nu == 0 ? 0 : symIndex(nd.nu, cnt[0][0], cnt[0][1]));
            int[] loc = new int[nd.blocks()];
            for (int q = 0; q < loc.length; q++) loc[q] = symIndex(nd.blockSize[q], cnt[q][0], cnt[q][1]);
            canonicalize(nd, loc);
            return nd.slot0 + nd.compTable[flatten(nd, loc)];
        }

        /**
         * Writes the (i, j, mult, k) entries of every component k of nd: the sum over all explicit values of the
         * contracted indices, grouped by the pair of factor components; the indices contracted between block i of a
         * and block j of b with counts (gx, gy, gz) occur multinomial(c; gx, gy, gz) times.
         */
        private static void emitTerms(Node nd, IntList times) {
            Node a = nd.a, b = nd.b;
            int na = a.blocks(), nb = b.blocks();
            List<int[]> pairs = new ArrayList<>();   // {i, j, c}
            for (int i = 0; i < na; i++) for (int j = 0; j < nb; j++) if (nd.cm[i][j] > 0) pairs.add(new int[]{i, j, nd.cm[i][j]});
            List<List<int[]>> splits = new ArrayList<>();   // per pair: {gx, gy, gz, multinomial}
            for (int[] p : pairs) {
                List<int[]> s = new ArrayList<>();
                int c = p[2];
                for (int gx = c; gx >= 0; gx--) {
                    for (int gy = c - gx; gy >= 0; gy--) {
                        int gz = c - gx - gy;
                        s.add(new int[]{gx, gy, gz, (int) (factorial(c) / (factorial(gx) * factorial(gy) * factorial(gz)))});
                    }
                }
                splits.add(s);
            }
            int nbk = nd.blocks();
            int[][][] mis = new int[nbk][][];
            for (int q = 0; q < nbk; q++) mis[q] = multiIndices(nd.blockSize[q]);
            int[] loc = new int[nbk];
            int full = nd.compTable.length;
            int[][] ca = new int[na][3], cb = new int[nb][3];
            Map<Long, Integer> acc = new HashMap<>();
            for (int f = 0; f < full; f++) {
                int r = f;
                for (int q = nbk - 1; q >= 0; q--) { loc[q] = r % nd.radix[q]; r /= nd.radix[q]; }
                boolean canonical = true;
                for (int q = 0; q + 1 < nbk; q++) if (nd.symStart[q] && loc[q] > loc[q + 1]) canonical = false;
                if (!canonical) continue;
                int k = nd.slot0 + nd.compTable[f];
                for (int[] row : ca) Arrays.fill(row, 0);
                for (int[] row : cb) Arrays.fill(row, 0);
                for (int q = 0; q < nbk; q++) {
                    int[] m = mis[q][loc[q]];
                    int[] target = nd.srcIsB[q] == 1 ? cb[nd.srcBlock[q]] : ca[nd.srcBlock[q]];
                    for (int t = 0; t < 3; t++) target[t] += m[t];
                }
                acc.clear();
                accumulate(nd, pairs, splits, 0, 1, ca, cb, acc);
                long[] keys = new long[acc.size()];
                int n = 0;
                for (long key : acc.keySet()) keys[n++] = key;
                Arrays.sort(keys);
                for (long key : keys) {
                    times.add((int) (key >>> 32));
                    times.add((int) key);
                    times.add(acc.get(key));
                    times.add(k);
                }
            }
        }

        private static void accumulate(Node nd, List<int[]> pairs, List<List<int[]>> splits, int p, int weight,
                                       int[][] ca, int[][] cb, Map<Long, Integer> acc) {
            if (p == pairs.size()) {
                int si = slotOf(nd.a, ca), sj = slotOf(nd.b, cb);
                if (nd.a == nd.b && si > sj) { int t = si; si = sj; sj = t; }
                acc.merge(((long) si << 32) | sj, weight, Integer::sum);
                return;
            }
            int i = pairs.get(p)[0], j = pairs.get(p)[1];
            for (int[] s : splits.get(p)) {
                for (int t = 0; t < 3; t++) { ca[i][t] += s[t]; cb[j][t] += s[t]; }
                accumulate(nd, pairs, splits, p + 1, weight * s[3], ca, cb, acc);
                for (int t = 0; t < 3; t++) { ca[i][t] -= s[t]; cb[j][t] -= s[t]; }
            }
        }
    }

    private static int[] concat(int[] x, int[] y) {
        int[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    /** Growable int array. */
    private static final class IntList {
        int[] data; int size;
        IntList(int cap) { data = new int[cap]; }
        void add(int v) { if (size == data.length) data = Arrays.copyOf(data, 2 * size); data[size++] = v; }
        int[] toArray() { return Arrays.copyOf(data, size); }
    }
}
