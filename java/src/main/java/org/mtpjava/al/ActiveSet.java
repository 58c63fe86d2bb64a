package org.mtpjava.al;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.mtpjava.model.ActiveSetData;
import org.mtpjava.model.Configuration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * MLIP-3's MaxVol active set (maths.md §9, MLIP-3 {@code MaxVol} + {@code CfgSelection}): an n x n matrix A whose
 * rows are selected equation rows (n = the potential's parameter count), its inverse, which configuration and
 * equation produced every row, and the selected configurations.
 *
 * <p><b>Grade</b> of a row b: {@code max_j |(b A^-1)_j|} ({@link #grade(double[], double[])}). A grade above 1
 * means the row lies outside the parallelotope spanned by the active set (extrapolation).
 *
 * <p><b>Selection</b> (MLIP semantics, reproduced step by step): candidate rows are collected in a batch
 * ({@link #addCandidate}); {@link #select(double, int)} computes C = B A^-1 and, while the largest |C_ij| (first
 * in row-major order on ties) exceeds the threshold, swaps candidate row i into row j of A, updating A^-1 by
 * Sherman-Morrison and C by the matching rank-one update; the swapped-out row of A goes back into the batch and
 * may return. Then configurations that lost all their rows leave the set and candidates that gained rows join it
 * (in candidate order). The batch is then cleared.
 *
 * <p>Storage as in {@code .almtp}: A row-major, and {@code invAT} = (A^-1)^T row-major (row j of invAT = column j
 * of A^-1). A copy of A^-1 as row arrays ({@link #inverseRows()}) is kept for fast grades: {@code b A^-1} is a sum
 * of axpys over the non-zero entries of b (a site row touches only the central species' radial block), in the
 * same summation order as MLIP's dense product.
 *
 * <p>Not thread-safe for updates; {@link #grade} may be called from many threads while no update runs.
 */
public final class ActiveSet {
    /** MLIP's selection threshold ({@code threshold}, select_add's training-set threshold). */
    public static final double DEFAULT_THRESHOLD = 1.001;
    /** Diagonal of A for unfilled rows (MLIP {@code init_value}). */
    public static final double INIT_VALUE = 1e-6;

    /** A configuration taking part in selection and the equations (rows) it currently holds in A. */
    public static final class Member {
        private final Configuration configuration;
        private final TreeSet<Integer> equations = new TreeSet<>();
        private final boolean isNew;
        private final int sourceIndex;

        Member(Configuration configuration, boolean isNew, int sourceIndex) {
            this.configuration = configuration;
            this.isNew = isNew;
            this.sourceIndex = sourceIndex;
        }

        public Configuration configuration() { return configuration; }
        /** Equation indices of this configuration's rows in A (sorted; MLIP {@code fitting_items}). */
        public TreeSet<Integer> equations() { return equations; }
        /** True for candidates marked new (select-add's "is_new"). */
        public boolean isNew() { return isNew; }
        /** Caller's index of the configuration (e.g. its position in the input file), or -1. */
        public int sourceIndex() { return sourceIndex; }

        /** MLIP's {@code selected_eqn_inds} feature value. */
        public String equationList() {
            StringJoiner j = new StringJoiner(",");
            for (int e : equations) j.add(Integer.toString(e));
            return j.toString();
        }
    }

    /** Row origin: member null for an initial (unfilled) row. */
    private record Link(Member member, int equation) {
        static final Link INITIAL = new Link(null, -1);
    }

    private final int n;
    private final SelectionWeights weights;
    private final double[][] a;    // A, row j = a[j]
    private final double[][] inv;  // A^-1, row k = inv[k]: every update and product is an index-aligned axpy (auto-vectorised)
    private final Link[] links;
    private final List<Member> selected = new ArrayList<>();
    private final List<Member> outsorted = new ArrayList<>();

    // candidate batch
    private final List<Member> queue = new ArrayList<>();
    private double[][] b = new double[0][];
    private Link[] bLinks = new Link[0];
    private int m;

    // statistics of the last select()
    private int lastSwaps;
    private RowMap rowMap; // compressed MTP: dense rows are mapped to the compressed coordinates (null: used as they are)
    private double lastMaxGrade;

    private ActiveSet(int n, SelectionWeights weights, double[][] a, double[][] inv, Link[] links) {
        this.n = n;
        this.weights = weights;
        this.a = a;
        this.inv = inv;
        this.links = links;
    }

    /**
     * The initial state for a potential: dimension = its parameter count, or for a compressed MTP the compressed
     * coordinates ({@link RowMap}); rows given to this set are always the evaluator's dV/dtheta.
     */
    public static ActiveSet empty(org.mtpjava.model.Potential p, SelectionWeights weights) {
        return empty(RowMap.dimension(p), weights).withRowMap(RowMap.of(p));
    }

    /** The potential's stored state ({@link #fromData(ActiveSetData, String)}) with its row map. */
    public static ActiveSet fromData(org.mtpjava.model.Potential p, String source) {
        return fromData(p.activeSet(), source).withRowMap(RowMap.of(p));
    }

    /** Maps every row given to this set (grades, candidates) by {@code m} first (null: no map). Returns this. */
    public ActiveSet withRowMap(RowMap m) {
        if (m != null && m.outputLength() != n) {
            throw new IllegalArgumentException("the active set has dimension " + n + " but the compressed potential's coordinates have " + m.outputLength());
        }
        rowMap = m;
        return this;
    }

    /** Length of the rows this set takes: {@link #dimension()}, or the dense parameter count with a row map. */
    public int rowLength() { return rowMap == null ? n : rowMap.inputLength(); }

    /** MLIP's initial state: A = 1e-6 I, A^-1 = 1e6 I, no rows filled. */
    public static ActiveSet empty(int n, SelectionWeights weights) {
        if (n < 1) throw new IllegalArgumentException("active set dimension must be positive");
        double[][] a = new double[n][n];
        double[][] inv = new double[n][n];
        Link[] links = new Link[n];
        for (int j = 0; j < n; j++) {
            a[j][j] = INIT_VALUE;
            inv[j][j] = 1.0 / INIT_VALUE;
            links[j] = Link.INITIAL;
        }
        return new ActiveSet(n, weights, a, inv, links);
    }

    /**
     * The state stored in an {@code .almtp} file. The matrices are copied; the selected configurations become
     * members holding the rows that name them.
     *
     * @param source name used in error messages (the file)
     */
    public static ActiveSet fromData(ActiveSetData d, String source) {
        int n = d.n();
        if (d.a().length != n * n || d.invAT().length != n * n) {
            throw new IllegalArgumentException(source + ": active-set matrices are not " + n + " x " + n);
        }
        List<Configuration> cfgs = d.selected();
        List<Member> members = new ArrayList<>(cfgs.size());
        for (int i = 0; i < cfgs.size(); i++) members.add(new Member(cfgs.get(i), false, i));
        Link[] links = new Link[n];
        for (int j = 0; j < n; j++) {
            int c = d.rowConfiguration()[j], e = d.rowEquation()[j];
            if (e == -1) {
                links[j] = Link.INITIAL;
            } else if (c < 0 || c >= members.size()) {
                // rows whose configuration was not stored (MLIP would fail here); keep them as anonymous rows
                links[j] = new Link(null, e);
            } else {
                Member mem = members.get(c);
                mem.equations.add(e);
                links[j] = new Link(mem, e);
            }
        }
        double[][] a = new double[n][n], inv = new double[n][n];
        double[] fa = d.a(), fi = d.invAT();
        for (int j = 0; j < n; j++) {
            System.arraycopy(fa, j * n, a[j], 0, n);
            for (int k = 0; k < n; k++) inv[k][j] = fi[j * n + k];
        }
        ActiveSet s = new ActiveSet(n, SelectionWeights.of(d), a, inv, links);
        s.selected.addAll(members);
        return s;
    }

    /** The state to store in an {@code .almtp} file (selected configurations carry {@code selected_eqn_inds}). */
    public ActiveSetData toData() {
        Map<Member, Integer> index = new IdentityHashMap<>();
        List<Configuration> cfgs = new ArrayList<>();
        for (Member mem : selected) {
            if (mem.configuration.size() == 0) continue;
            index.put(mem, cfgs.size());
            Configuration c = mem.configuration.copy();
            c.features().remove("selected_eqn_inds");
            if (!mem.equations.isEmpty()) c.features().put("selected_eqn_inds", mem.equationList());
            cfgs.add(c);
        }
        int[] rc = new int[n], re = new int[n];
        for (int j = 0; j < n; j++) {
            Link l = links[j];
            Integer idx = l.member == null ? null : index.get(l.member);
            // rows without a stored configuration are written as unfilled (-1 -1), as MLIP can read back
            rc[j] = idx == null ? -1 : idx;
            re[j] = idx == null ? -1 : l.equation;
        }
        return new ActiveSetData(weights.energyWeight(), weights.forceWeight(), weights.stressWeight(),
                weights.siteEnergyWeight(), weights.weightScaling(), n, matrix(), inverseTransposed(), rc, re,
                Collections.unmodifiableList(cfgs));
    }

    public int dimension() { return n; }
    public SelectionWeights weights() { return weights; }

    /** A, row-major (a copy). */
    public double[] matrix() {
        double[] f = new double[n * n];
        for (int j = 0; j < n; j++) System.arraycopy(a[j], 0, f, j * n, n);
        return f;
    }

    /** (A^-1)^T row-major as MLIP stores it (a copy). */
    public double[] inverseTransposed() {
        double[] f = new double[n * n];
        for (int k = 0; k < n; k++) {
            double[] r = inv[k];
            for (int j = 0; j < n; j++) f[j * n + k] = r[j];
        }
        return f;
    }

    /** A^-1 as row arrays, row k = {@code inverseRows()[k]} (live; do not modify). */
    public double[][] inverseRows() { return inv; }

    /** The selected configurations, in MLIP's order (live view). */
    public List<Member> selected() { return Collections.unmodifiableList(selected); }

    /** Configurations that left the set in the last {@link #select} call. */
    public List<Member> outsorted() { return Collections.unmodifiableList(outsorted); }

    /** Number of rows of A that hold a real equation (not the initial 1e-6 e_j). */
    public int filledRows() {
        int c = 0;
        for (Link l : links) if (l.equation != -1) c++;
        return c;
    }

    /** Configuration index (among {@link #selected()}) of row j, or -1. */
    public int rowConfiguration(int j) {
        Member mem = links[j].member;
        return mem == null ? -1 : selected.indexOf(mem);
    }

    /** The member that produced row j, or null for an unfilled row. */
    public Member rowMember(int j) { return links[j].member; }

    /** Equation index of row j, or -1. */
    public int rowEquation(int j) { return links[j].equation; }

    public int lastSwapCount() { return lastSwaps; }
    /** Largest grade in the batch before the last selection's swaps. */
    public double lastMaxGrade() { return lastMaxGrade; }

    // ------------------------------------------------------------------------------------------------
    // grades

    /**
     * Grade of a row: max_j |(row A^-1)_j|. {@code scratch} (length n) receives row A^-1. Allocation-free;
     * zero entries of the row are skipped (a site row touches only the central species' radial block, the
     * species entry and the moment entries), so a site row costs about a third of a dense product.
     */
    public double grade(double[] row, double[] scratch) {
        if (rowMap != null) row = rowMap.apply(row);
        double[][] inv = inverseRows();
        Arrays.fill(scratch, 0, n, 0.0);
        for (int k = 0; k < n; k++) {
            double bk = row[k];
            if (bk != 0) axpy(bk, inv[k], scratch, n);
        }
        return maxAbs(scratch, n);
    }

    /**
     * Grade of a row whose non-zero entries can only be at the listed positions (ascending), e.g. a site row of
     * one central species: the other entries are not read.
     */
    public double grade(double[] row, int[] positions, double[] scratch) {
        if (rowMap != null) return grade(row, scratch);
        double[][] inv = inverseRows();
        Arrays.fill(scratch, 0, n, 0.0);
        for (int k : positions) {
            double bk = row[k];
            if (bk != 0) axpy(bk, inv[k], scratch, n);
        }
        return maxAbs(scratch, n);
    }

    /**
     * Grades of four rows at once (each A^-1 row is loaded once for four products): rows {@code r0..r3}, whose
     * non-zero entries can only be at {@code positions}; results in {@code out[0..3]}; {@code c0..c3} are scratch
     * vectors of length n. The same numbers as four {@link #grade(double[], int[], double[])} calls.
     */
    public void grade4(double[] r0, double[] r1, double[] r2, double[] r3, int[] positions,
                       double[] c0, double[] c1, double[] c2, double[] c3, double[] out) {
        if (rowMap != null) {
            out[0] = grade(r0, c0);
            out[1] = grade(r1, c1);
            out[2] = grade(r2, c2);
            out[3] = grade(r3, c3);
            return;
        }
        double[][] inv = inverseRows();
        Arrays.fill(c0, 0, n, 0.0);
        Arrays.fill(c1, 0, n, 0.0);
        Arrays.fill(c2, 0, n, 0.0);
        Arrays.fill(c3, 0, n, 0.0);
        for (int k : positions) {
            double b0 = r0[k], b1 = r1[k], b2 = r2[k], b3 = r3[k];
            if (b0 == 0 && b1 == 0 && b2 == 0 && b3 == 0) continue;
            axpy4(b0, b1, b2, b3, inv[k], c0, c1, c2, c3, n);
        }
        out[0] = maxAbs(c0, n);
        out[1] = maxAbs(c1, n);
        out[2] = maxAbs(c2, n);
        out[3] = maxAbs(c3, n);
    }

    private static void axpy4(double b0, double b1, double b2, double b3, double[] x,
                              double[] c0, double[] c1, double[] c2, double[] c3, int n) {
        for (int j = 0; j < n; j++) {
            double v = x[j];
            c0[j] += b0 * v;
            c1[j] += b1 * v;
            c2[j] += b2 * v;
            c3[j] += b3 * v;
        }
    }

    /** c += b x (kept separate and index-aligned so that C2 vectorises it). */
    private static void axpy(double b, double[] x, double[] c, int n) {
        for (int j = 0; j < n; j++) c[j] += b * x[j];
    }

    private static double maxAbs(double[] c, int n) {
        double g = 0;
        for (int j = 0; j < n; j++) {
            double v = Math.abs(c[j]);
            if (v > g) g = v;
        }
        return g;
    }

    // ------------------------------------------------------------------------------------------------
    // selection

    /** Creates a member for a configuration (not yet in the batch). */
    public static Member member(Configuration cfg, boolean isNew, int sourceIndex) {
        return new Member(cfg, isNew, sourceIndex);
    }

    /** Number of candidate rows in the batch. */
    public int batchRows() { return m; }

    /** Number of candidate configurations in the batch. */
    public int batchConfigurations() { return queue.size(); }

    /**
     * Adds a configuration's rows to the candidate batch (MLIP {@code AddForSelection}); the rows are copied.
     *
     * @param rows      count x n values, row-major
     * @param equations the equation index of each row
     */
    public void addCandidate(Member member, double[] rows, int[] equations, int count) {
        if (count == 0) return;
        if (rowMap != null) {
            int len = rowMap.inputLength();
            if (rows.length < count * len) throw new IllegalArgumentException("rows array too short");
            double[] mapped = new double[count * n];
            for (int r = 0; r < count; r++) rowMap.apply(rows, r * len, mapped, r * n);
            rows = mapped;
        }
        if (rows.length < count * n) throw new IllegalArgumentException("rows array too short");
        ensureBatch(m + count);
        for (int r = 0; r < count; r++) {
            b[m + r] = Arrays.copyOfRange(rows, r * n, (r + 1) * n);
            bLinks[m + r] = new Link(member, equations[r]);
        }
        m += count;
        queue.add(member);
    }

    private void ensureBatch(int rows) {
        if (bLinks.length >= rows) return;
        int cap = Math.max(rows, Math.max(16, bLinks.length * 2));
        b = Arrays.copyOf(b, cap);
        bLinks = Arrays.copyOf(bLinks, cap);
    }

    /** Drops the batch without selecting. */
    public void clearBatch() {
        queue.clear();
        Arrays.fill(bLinks, 0, m, null);
        Arrays.fill(b, 0, m, null);
        m = 0;
    }

    /**
     * MaxVol selection from the batch (MLIP {@code CfgSelection::Select(swap_limit)}), then clears the batch.
     *
     * @param threshold swap while the largest |B A^-1| entry exceeds this (MLIP uses {@code >}); must be &gt; 1
     * @param swapLimit maximal number of swaps ({@code Integer.MAX_VALUE} for unlimited)
     * @return the number of swaps
     */
    public int select(double threshold, int swapLimit) {
        if (!(threshold > 1.0)) throw new IllegalArgumentException("selection threshold must exceed 1, got " + threshold);
        outsorted.clear();
        lastSwaps = 0;
        lastMaxGrade = 0;
        if (queue.isEmpty()) return 0;
        if (m == 0) {
            clearBatch();
            return 0;
        }
        // C = B A^-1, row by row
        double[][] c = new double[m][];
        for (int i = 0; i < m; i++) {
            double[] ci = new double[n], bi = b[i];
            for (int k = 0; k < n; k++) {
                double bk = bi[k];
                if (bk != 0) axpy(bk, inv[k], ci, n);
            }
            c[i] = ci;
        }
        int[] ij = new int[2];
        double grade = findMax(c, ij);
        lastMaxGrade = grade;
        int swaps = 0;
        if (grade > threshold) {
            double[] v = new double[n], w = new double[n], col = new double[n], r = new double[n];
            while (grade > threshold && swaps < swapLimit) {
                swap(c, ij[0], ij[1], v, w, col, r);
                swaps++;
                grade = findMax(c, ij);
            }
            updateMembers();
        }
        lastSwaps = swaps;
        clearBatch();
        return swaps;
    }

    /** First maximal |c| in row-major order (MLIP BLAS_find_max: strict '>'). */
    private double findMax(double[][] c, int[] ij) {
        int bi = 0, bj = 0;
        double max = -1;
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            for (int j = 0; j < n; j++) {
                double v = Math.abs(ci[j]);
                if (v > max) {
                    max = v;
                    bi = i;
                    bj = j;
                }
            }
        }
        ij[0] = bi;
        ij[1] = bj;
        return max;
    }

    /**
     * One MaxVol swap: candidate row i0 into row j0 of A (A' = A + e_j0 v^T, v = B_i0 - A_j0), Sherman-Morrison
     * A'^-1 = A^-1 - (A^-1 e_j0)(v^T A^-1)/beta with beta = 1 + v^T A^-1 e_j0 = C[i0][j0], and the matching rank-one
     * update C -= u r^T (u_i = C[i][j0]/beta + [i = i0]/beta, r = C[i0] - e_j0).
     */
    private void swap(double[][] c, int i0, int j0, double[] v, double[] w, double[] col, double[] r) {
        double[] bi = b[i0], aj = a[j0];
        for (int k = 0; k < n; k++) v[k] = bi[k] - aj[k];
        double tmp = 1.0 / c[i0][j0];
        for (int l = 0; l < n; l++) col[l] = inv[l][j0]; // column j0 of A^-1
        // w = tmp * v^T A^-1 (summed over l in order, as the dense product)
        Arrays.fill(w, 0.0);
        for (int l = 0; l < n; l++) {
            double vl = v[l];
            if (vl != 0) axpy(vl, inv[l], w, n);
        }
        for (int k = 0; k < n; k++) w[k] *= tmp;
        for (int l = 0; l < n; l++) {
            double cl = col[l];
            if (cl != 0) axpyMinus(cl, w, inv[l], n);
        }
        // C update
        System.arraycopy(c[i0], 0, r, 0, n);
        r[j0] -= 1.0;
        for (int i = 0; i < m; i++) {
            double ui = c[i][j0] * tmp;
            if (i == i0) ui += tmp;
            if (ui != 0) axpyMinus(ui, r, c[i], n);
        }
        // swap rows A[j0] <-> B[i0] and their origins
        a[j0] = bi;
        b[i0] = aj;
        Link leaving = links[j0], entering = bLinks[i0];
        if (leaving.member != null) leaving.member.equations.remove(leaving.equation);
        if (entering.member != null) entering.member.equations.add(entering.equation);
        links[j0] = entering;
        bLinks[i0] = leaving;
    }

    /** y -= s x (index-aligned, auto-vectorised). */
    private static void axpyMinus(double s, double[] x, double[] y, int n) {
        for (int j = 0; j < n; j++) y[j] -= s * x[j];
    }

    /** MLIP UpateSelected: members without rows leave; candidates with rows join, in candidate order. */
    private void updateMembers() {
        for (var it = selected.iterator(); it.hasNext(); ) {
            Member mem = it.next();
            if (mem.equations.isEmpty()) {
                outsorted.add(mem);
                it.remove();
            }
        }
        for (Member mem : queue) if (!mem.equations.isEmpty()) selected.add(mem);
    }

    // ------------------------------------------------------------------------------------------------
    // diagnostics (EJML)

    /** max |A A^-1 - I| — how far the updated inverse has drifted from A's inverse. */
    public double inverseResidual() {
        DMatrixRMaj am = DMatrixRMaj.wrap(n, n, matrix());
        DMatrixRMaj im = new DMatrixRMaj(n, n);
        for (int k = 0; k < n; k++) System.arraycopy(inv[k], 0, im.data, k * n, n);
        DMatrixRMaj p = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(am, im, p);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) worst = Math.max(worst, Math.abs(p.get(i, j) - (i == j ? 1 : 0)));
        }
        return worst;
    }

    /** log|det A| (LU, EJML): the volume MaxVol maximises. */
    public double logAbsDeterminant() {
        DMatrixRMaj lu = DMatrixRMaj.wrap(n, n, matrix());
        var dec = org.ejml.dense.row.factory.DecompositionFactory_DDRM.lu(n, n);
        if (!dec.decompose(lu)) return Double.NEGATIVE_INFINITY;
        DMatrixRMaj u = dec.getUpper(null);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.log(Math.abs(u.get(i, i)));
        return s;
    }

    /** Recomputes A^-1 from A with an LU factorisation (EJML); returns false if A is singular. */
    public boolean reinvert() {
        DMatrixRMaj am = DMatrixRMaj.wrap(n, n, matrix());
        DMatrixRMaj im = new DMatrixRMaj(n, n);
        if (!CommonOps_DDRM.invert(am, im)) return false;
        for (int k = 0; k < n; k++) System.arraycopy(im.data, k * n, inv[k], 0, n);
        return true;
    }
}
