package org.mtpjava.train;

import org.mtpjava.parallel.BlockPool;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.mtpjava.eval.RadialBasis;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.MomentBasis;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * MLIP-3's linear steps (maths.md §8.3): with the radial coefficients fixed the model is linear in
 * theta_lin = [species | moment] coefficients, so the loss restricted to them is a weighted linear least-squares
 * problem. {@link #linOptimize} orthonormalises the radial functions (as MLIP does, changing the radial
 * coefficients), assembles the normal equations over energies, all force components and all nine virial
 * components, regularises them as MLIP does (reg_i = 1e-10 max(1, A_ii)/K, added K times to the diagonal) and
 * solves them (EJML Cholesky). {@link #rescale} is MLIP's search for the global {@code scaling}.
 *
 * <p>Every scalar basis function is a homogeneous polynomial of the radial functions, hence B_alpha scales as
 * scaling^deg_alpha. The normal equations of one scaling therefore give those of any other by a diagonal
 * transform, and one assembly serves a whole rescale search (MLIP re-assembles for each of its trial scalings).
 * Energies, forces and virials of the repulsive wall of RBChebyshev_repuls (not linear in theta) are
 * subtracted from the targets. With a magnetic-force weight w_m &gt; 0 (magnetic potentials, data with
 * {@code en_der_mx}) the rows dE/ds_k = sum_i dV_i/ds_k enter as well, so the linear step minimises the same
 * loss as the BFGS steps.
 */
public final class LinearFit implements AutoCloseable {
    /** MLIP's regularisation parameter. */
    public static final double REG_PARAM = 1e-10;

    private final Potential potential;
    private final TrainingSet set;
    private final LossWeights weights;
    private final int s, ns, nlin;
    private final int[] degree; // per linear coefficient
    private final int[][] degreeMu; // per linear coefficient, per radial function
    private final boolean homogeneous;
    private NormalEquations cached; // last assembled equations
    private double[] cachedRadial; // radial coefficients they were assembled with
    private long assemblies;
    private final BlockPool pool;
    private final Assembler[] assemblers;
    private final int[] blockStart;
    private double[] regVector;
    private boolean regInit = true;
    private Consumer<String> log = m -> {};

    public LinearFit(Potential potential, TrainingSet set, LossWeights weights, int threads) {
        this.potential = potential;
        this.set = set;
        this.weights = weights;
        this.s = potential.speciesCount();
        this.ns = potential.basis().scalarCount();
        this.nlin = s + ns;
        MomentBasis b = potential.basis();
        int kf = potential.radialFunctionsCount();
        int[][] deg = new int[b.momentsCount()][kf];
        boolean homo = true;
        for (int k = 0; k < b.basicCount(); k++) deg[k][b.basicMu(k)] = 1;
        int[] t = b.timesArray();
        boolean[] set0 = new boolean[b.momentsCount()];
        for (int p = 0; p < t.length; p += 4) {
            int i = t[p], j = t[p + 1], k = t[p + 3];
            int[] d = new int[kf];
            for (int mu = 0; mu < kf; mu++) d[mu] = deg[i][mu] + deg[j][mu];
            if (set0[k] && !Arrays.equals(deg[k], d)) homo = false;
            deg[k] = d;
            set0[k] = true;
        }
        degree = new int[nlin];
        degreeMu = new int[nlin][kf];
        int[] map = b.scalarMappingArray();
        for (int a = 0; a < ns; a++) {
            degreeMu[s + a] = deg[map[a]].clone();
            for (int mu = 0; mu < kf; mu++) degree[s + a] += deg[map[a]][mu];
        }
        homogeneous = homo;
        this.regVector = new double[nlin];
        Arrays.fill(regVector, REG_PARAM);
        this.pool = new BlockPool(threads, "mtpjava-linfit");
        this.assemblers = new Assembler[pool.threads()];
        for (int i = 0; i < assemblers.length; i++) assemblers[i] = new Assembler();
        // fixed number of blocks (from the data and the matrix size only): deterministic sums, bounded memory
        long bytesPerBlock = 8L * nlin * nlin;
        int maxBlocks = (int) Math.max(1, Math.min(32, (256L << 20) / Math.max(1, bytesPerBlock)));
        this.blockStart = ConfigurationBlocks.partition(set, maxBlocks);
    }

    /** Where progress messages go (MLIP's rescaling log). */
    public void setLog(Consumer<String> log) { this.log = log; }

    /** MLIP's reg_vector (per linear coefficient); it also enters the loss as sum reg_i theta_i^2. */
    public double[] regularisation() { return regVector.clone(); }
    public void setRegularisation(double[] reg, boolean regInitFlag) {
        regVector = reg.clone();
        regInit = regInitFlag;
    }

    /** MLIP's reg_init flag: true when the regularisation will be (or was just) rebuilt. */
    public boolean regInit() { return regInit; }
    public void setRegInit(boolean v) { regInit = v; }

    /** Polynomial degree of each linear coefficient's basis function in the radial functions (species: 0). */
    int[] degrees() { return degree.clone(); }

    // ------------------------------------------------------------------------------------------------

    /**
     * MLIP's Orthogonalize: Gram-Schmidt over radial functions mu (each a vector over all species pairs and basis
     * indices), then normalisation. Reproduces MLIP-3's arithmetic, including the projection coefficient
     * c_k.c_k2 / |c_k|^2 (not / |c_k2|^2) and the 1e-10 added per element to the squared norm.
     */
    public static void orthonormaliseRadial(Potential p) {
        double[] c = p.radialCoefficients();
        int kf = p.radialFunctionsCount(), s2 = p.speciesCount() * p.speciesCount();
        int nb = p.radialBasisSize() * p.magneticSize() * p.magneticSize();
        for (int k = 0; k < kf; k++) {
            for (int k2 = 0; k2 < k; k2++) {
                double norm = 0, scal = 0;
                for (int pair = 0; pair < s2; pair++) {
                    int b1 = (pair * kf + k) * nb, b2 = (pair * kf + k2) * nb;
                    for (int b = 0; b < nb; b++) {
                        norm += c[b1 + b] * c[b1 + b];
                        scal += c[b1 + b] * c[b2 + b];
                    }
                }
                double f = scal / norm;
                for (int pair = 0; pair < s2; pair++) {
                    int b1 = (pair * kf + k) * nb, b2 = (pair * kf + k2) * nb;
                    for (int b = 0; b < nb; b++) c[b1 + b] -= c[b2 + b] * f;
                }
            }
            double norm = 0;
            for (int pair = 0; pair < s2; pair++) {
                int b1 = (pair * kf + k) * nb;
                for (int b = 0; b < nb; b++) norm += c[b1 + b] * c[b1 + b] + 1e-10;
            }
            norm = Math.sqrt(norm);
            for (int pair = 0; pair < s2; pair++) {
                int b1 = (pair * kf + k) * nb;
                for (int b = 0; b < nb; b++) c[b1 + b] /= norm;
            }
        }
    }

    /** Normal equations A theta = b of the linear problem (A without regularisation), at a given scaling. */
    public record NormalEquations(double scaling, double[] a, double[] b, int n) {}

    /** MLIP's LinOptimize: orthonormalise the radial functions, then solve for the linear coefficients. */
    public void linOptimize() {
        invalidate();
        orthonormaliseRadial(potential);
        solveInto(equations(), true);
    }

    /** Forgets the last assembled equations (the next solve assembles). */
    public void invalidate() {
        cached = null;
        cachedRadial = null;
    }

    /** Number of normal-equation assemblies so far (each is a pass over the training set). */
    public long assemblies() { return assemblies; }

    /**
     * MLIP's Rescale: try scaling x {1/1.2, 1/1.1, 1, 1.1, 1.2}, solve the linear problem for each, keep the one
     * with the smallest ||theta_lin||_2 / median|theta_lin|, repeat while the best is not the current one.
     */
    public void rescale() {
        invalidate();
        double minScaling = potential.scaling(), maxScaling = potential.scaling();
        int ind;
        int rounds = 0;
        do {
            double sc = potential.scaling();
            double[] trial = {sc / 1.2, sc / 1.1, sc, sc * 1.1, sc * 1.2};
            double[] cond = new double[5];
            StringBuilder msg = new StringBuilder("Rescaling...\n");
            for (int j = 0; j < 5; j++) {
                // MLIP's LinOptimize for each trial: orthonormalise, then solve at that scaling
                potential.setScaling(trial[j]);
                orthonormaliseRadial(potential);
                double[] x = solve(equations(), true);
                cond[j] = conditionNumber(x);
                msg.append(String.format(java.util.Locale.ROOT, "   scaling = %s, condition number = %s%n", g8(trial[j]), g8(cond[j])));
            }
            ind = 2;
            for (int j = 0; j < 5; j++) if (cond[j] < cond[ind]) ind = j;
            potential.setScaling(trial[ind]);
            msg.append("Rescaling to ").append(g8(trial[ind])).append("... done");
            orthonormaliseRadial(potential);
            solveInto(equations(), true);
            log.accept(msg.toString());
            if (minScaling < potential.scaling() && potential.scaling() < maxScaling) {
                ind = 2;
            } else {
                minScaling = Math.min(minScaling, potential.scaling());
                maxScaling = Math.max(maxScaling, potential.scaling());
            }
            if (++rounds >= 200) {
                log.accept("Rescaling stopped after " + rounds + " rounds");
                break;
            }
        } while (ind != 2);
    }

    /** ||x||_2 / median |x| (median = element n/2 of the sorted absolute values, as MLIP). */
    static double conditionNumber(double[] x) {
        double[] a = new double[x.length];
        double rms = 0;
        for (int i = 0; i < x.length; i++) {
            a[i] = Math.abs(x[i]);
            rms += a[i] * a[i];
        }
        Arrays.sort(a);
        return Math.sqrt(rms) / a[a.length / 2];
    }

    /** C++ ostream with precision 8 (as MLIP's log). */
    static String g8(double v) {
        if (v == 0) return "0";
        String str = String.format(java.util.Locale.ROOT, "%.8g", v);
        String mant = str, exp = "";
        int e = str.indexOf('e');
        if (e >= 0) { mant = str.substring(0, e); exp = str.substring(e); }
        if (mant.contains(".")) {
            mant = mant.replaceAll("0+$", "");
            if (mant.endsWith(".")) mant = mant.substring(0, mant.length() - 1);
        }
        return mant + exp;
    }

    /**
     * The normal equations at the potential's current radial coefficients and scaling. Reuses the last assembly
     * when each radial function differs from the one assembled with only by a scale factor lambda_mu (to 1e-13):
     * then B_alpha scales as prod_mu (rho lambda_mu)^deg_mu(alpha), rho the scaling ratio, and the equations
     * transform diagonally. Otherwise assembles.
     */
    NormalEquations equations() {
        double[] c = potential.radialCoefficients();
        double[] lambda = cached == null || !homogeneous ? null : proportionality(cachedRadial, c);
        if (lambda == null) {
            cached = assemble();
            cachedRadial = c.clone();
            return cached;
        }
        double rho = potential.scaling() / cached.scaling();
        int n = nlin, kf = lambda.length;
        double[] pw = new double[n];
        boolean identity = true;
        for (int i = 0; i < n; i++) {
            double v = 1;
            for (int mu = 0; mu < kf; mu++) {
                int d = degreeMu[i][mu];
                if (d != 0) v *= Math.pow(rho * lambda[mu], d);
            }
            pw[i] = v;
            if (v != 1) identity = false;
        }
        if (identity) return cached;
        double[] a = new double[n * n], b = new double[n];
        double[] ca = cached.a(), cb = cached.b();
        for (int i = 0; i < n; i++) {
            b[i] = cb[i] * pw[i];
            for (int j = 0; j < n; j++) a[i * n + j] = ca[i * n + j] * pw[i] * pw[j];
        }
        return new NormalEquations(potential.scaling(), a, b, n);
    }

    /** Per radial function, lambda with c = lambda c0 (to 1e-13 relative), or null if not proportional. */
    private double[] proportionality(double[] c0, double[] c) {
        int kf = potential.radialFunctionsCount(), s2 = potential.speciesCount() * potential.speciesCount();
        int nb = potential.radialBasisSize() * potential.magneticSize() * potential.magneticSize();
        double[] lambda = new double[kf];
        for (int mu = 0; mu < kf; mu++) {
            double dot = 0, n0 = 0, n1 = 0;
            for (int pair = 0; pair < s2; pair++) {
                int base = (pair * kf + mu) * nb;
                for (int b = 0; b < nb; b++) {
                    dot += c[base + b] * c0[base + b];
                    n0 += c0[base + b] * c0[base + b];
                    n1 += c[base + b] * c[base + b];
                }
            }
            if (n0 == 0 || n1 == 0) return null;
            double l = dot / n0, err = 0;
            for (int pair = 0; pair < s2; pair++) {
                int base = (pair * kf + mu) * nb;
                for (int b = 0; b < nb; b++) {
                    double d = c[base + b] - l * c0[base + b];
                    err += d * d;
                }
            }
            if (err > 1e-26 * n1) return null;
            lambda[mu] = l;
        }
        return lambda;
    }

    private void solveInto(NormalEquations ne, boolean updateReg) {
        double[] x = solve(ne, updateReg);
        double[] sp = potential.speciesCoefficients(), xi = potential.momentCoefficients();
        for (int i = 0; i < s; i++) sp[i] = x[i];
        for (int i = 0; i < ns; i++) xi[i] = x[s + i];
        potential.setTrained(true);
    }

    /** MLIP's SolveSLAE: regularisation update rule, then the solve. */
    double[] solve(NormalEquations ne, boolean updateReg) {
        int n = ne.n();
        int k = Math.max(1, set.size());
        double[] a = ne.a().clone();
        if (updateReg) {
            if (!regInit) {
                for (int i = 0; i < n; i++) {
                    double target = REG_PARAM * Math.max(1, a[i * n + i]) / k;
                    if (regVector[i] < 1e-2 * target || regVector[i] > 1e2 * target) {
                        regInit = true;
                        log.accept("Regularization parameters updated. Hessian in BFGS is reset");
                        break;
                    }
                }
            }
            if (regInit) for (int i = 0; i < n; i++) regVector[i] = REG_PARAM * Math.max(1, a[i * n + i]) / k;
        }
        for (int i = 0; i < n; i++) a[i * n + i] += regVector[i] * k;
        DMatrixRMaj am = DMatrixRMaj.wrap(n, n, a);
        DMatrixRMaj bm = new DMatrixRMaj(n, 1, true, ne.b());
        DMatrixRMaj xm = new DMatrixRMaj(n, 1);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(n);
        if (!solver.setA(am.copy())) {
            solver = LinearSolverFactory_DDRM.lu(n);
            if (!solver.setA(am.copy())) {
                solver = LinearSolverFactory_DDRM.pseudoInverse(true);
                solver.setA(am.copy());
            }
        }
        solver.solve(bm, xm);
        double[] x = xm.getData().clone();
        for (double v : x) {
            if (!Double.isFinite(v)) throw new IllegalStateException("the linear least-squares step produced non-finite coefficients");
        }
        return x;
    }

    /** Assembles the normal equations at the potential's current coefficients and scaling. */
    public NormalEquations assemble() {
        assemblies++;
        int blocks = blockStart.length - 1;
        double[][] ab = new double[blocks][];
        double[][] bb = new double[blocks][];
        pool.run(blocks, (t, blk) -> {
            Assembler as = assemblers[t];
            DMatrixRMaj a = new DMatrixRMaj(nlin, nlin);
            double[] b = new double[nlin];
            for (int c = blockStart[blk]; c < blockStart[blk + 1]; c++) as.add(c, a, b);
            ab[blk] = a.getData();
            bb[blk] = b;
        });
        double[] a = new double[nlin * nlin], b = new double[nlin];
        for (int blk = 0; blk < blocks; blk++) {
            for (int i = 0; i < a.length; i++) a[i] += ab[blk][i];
            for (int i = 0; i < nlin; i++) b[i] += bb[blk][i];
        }
        // symmetrise (EJML's rank updates fill the full matrix; keep exact symmetry)
        for (int i = 0; i < nlin; i++) {
            for (int j = i + 1; j < nlin; j++) {
                double v = 0.5 * (a[i * nlin + j] + a[j * nlin + i]);
                a[i * nlin + j] = v;
                a[j * nlin + i] = v;
            }
        }
        return new NormalEquations(potential.scaling(), a, b, nlin);
    }

    @Override public void close() { pool.close(); }

    // ------------------------------------------------------------------------------------------------

    /** Per-thread: the Jacobian of the scalar basis w.r.t. neighbour vectors, and the per-configuration rows. */
    private final class Assembler {
        final RadialBasis radialBasis = new RadialBasis(potential);
        final MomentBasis mb = potential.basis();
        final int K = potential.radialFunctionsCount(), R = potential.radialBasisSize(), M = potential.magneticSize();
        final int nb = R * M * M, S = potential.speciesCount(), cpp = potential.radialCoefficientsPerPair();
        final int nBasic = mb.basicCount(), nMom = mb.momentsCount();
        final int[] bMu = new int[nBasic], bA = new int[nBasic], bB = new int[nBasic], bC = new int[nBasic];
        final int[] tI, tJ, tK;
        final double[] tMult;
        final int[] map = mb.scalarMappingArray();
        final int maxRank = mb.maxRank();
        final double[] m = new double[nMom];
        final double[] q = new double[R], dq = new double[R], phiI = new double[M], dphiI = new double[M], phiJ = new double[M], dphiJ = new double[M];
        final double[] bv = new double[nb], dbv = new double[nb], f = new double[K], df = new double[K];
        final double[] px = new double[maxRank + 1], py = new double[maxRank + 1], pz = new double[maxRank + 1];
        double[] jac = new double[0];
        // magnetic rows: d(basis)/ds of the central atom (column 0) and of each neighbour (1 + j), per moment
        double[] jacS = new double[0];
        final double[] bsi = new double[nb], bsj = new double[nb], fsi = new double[K], fsj = new double[K];
        final DMatrixRMaj mrm = new DMatrixRMaj(1, 1);
        final DMatrixRMaj frm = new DMatrixRMaj(1, 1);
        double[] fr = frm.data;
        final double[] e = new double[nlin], wr = new double[9 * nlin];

        Assembler() {
            for (int k = 0; k < nBasic; k++) {
                bMu[k] = mb.basicMu(k);
                bA[k] = mb.basicA(k);
                bB[k] = mb.basicB(k);
                bC[k] = mb.basicC(k);
            }
            int[] t = mb.timesArray();
            int nt = t.length / 4;
            tI = new int[nt];
            tJ = new int[nt];
            tK = new int[nt];
            tMult = new double[nt];
            for (int p = 0; p < nt; p++) {
                tI[p] = t[4 * p];
                tJ[p] = t[4 * p + 1];
                tMult[p] = t[4 * p + 2];
                tK[p] = t[4 * p + 3];
            }
        }

        /** Adds configuration k's weighted rows to A (full) and b. */
        void add(int k, DMatrixRMaj a, double[] b) {
            Configuration cfg = set.configuration(k);
            int n = cfg.size();
            if (n == 0) return;
            boolean useE = cfg.hasEnergy();
            boolean useF = weights.forceWeight() > 0 && cfg.hasForces();
            boolean useS = weights.stressWeight() > 0 && cfg.hasStress();
            NeighbourList nl = set.neighbours(k);
            int[] asp = set.atomSpecies(k), psp = set.pairSpecies(k);
            double[] mom = set.moments(k), pmom = set.pairMoments(k);
            boolean useM = weights.magneticForceWeight() > 0 && M > 1 && pmom != null && cfg.magneticForces() != null;
            if (!useE && !useF && !useS && !useM) return;
            double[] mr = null;
            if (useM) {
                mrm.reshape(n, nlin, false);
                mr = mrm.data;
                Arrays.fill(mr, 0, n * nlin, 0.0);
            }
            double[] v = nl.vectors();
            Arrays.fill(e, 0.0);
            Arrays.fill(wr, 0.0);
            if (useF) {
                frm.reshape(3 * n, nlin, false);
                fr = frm.data;
                Arrays.fill(fr, 0, 3 * n * nlin, 0.0);
            }
            double eRep = 0;
            double[] fRep = new double[3 * n];
            double[] wRep = new double[9];
            double scaling = potential.scaling();
            double[] c = potential.radialCoefficients();
            double cut2 = potential.cutoff() * potential.cutoff();
            for (int i = 0; i < n; i++) {
                int off = nl.offset(i), cnt = nl.count(i);
                int stride = 3 * cnt;
                if (jac.length < nMom * stride) jac = new double[Math.max(nMom * stride, 2 * jac.length)];
                Arrays.fill(m, 0.0);
                Arrays.fill(jac, 0, nMom * stride, 0.0);
                int sstride = cnt + 1;
                if (useM) {
                    if (jacS.length < nMom * sstride) jacS = new double[Math.max(nMom * sstride, 2 * jacS.length)];
                    Arrays.fill(jacS, 0, nMom * sstride, 0.0);
                }
                int ti = asp[i];
                boolean withMoments = M > 1 && pmom != null;
                if (withMoments) radialBasis.magnetic(mom[i], phiI, dphiI);
                for (int j = 0; j < cnt; j++) {
                    int e3 = 3 * (off + j);
                    double x = v[e3], y = v[e3 + 1], z = v[e3 + 2];
                    double r2 = x * x + y * y + z * z;
                    if (r2 >= cut2 || r2 == 0) continue;
                    double r = Math.sqrt(r2), inv = 1 / r;
                    double ex = x * inv, ey = y * inv, ez = z * inv;
                    // repulsive wall (not linear in theta): moved to the targets
                    double rep = radialBasis.repulsion(r);
                    if (rep != 0) {
                        eRep += rep;
                        double dr = radialBasis.repulsionDerivative(r);
                        double gx = dr * ex, gy = dr * ey, gz = dr * ez;
                        int jj = nl.neighbour(off + j);
                        fRep[3 * i] += gx; fRep[3 * i + 1] += gy; fRep[3 * i + 2] += gz;
                        fRep[3 * jj] -= gx; fRep[3 * jj + 1] -= gy; fRep[3 * jj + 2] -= gz;
                        wRep[0] -= gx * x; wRep[1] -= gx * y; wRep[2] -= gx * z;
                        wRep[3] -= gy * x; wRep[4] -= gy * y; wRep[5] -= gy * z;
                        wRep[6] -= gz * x; wRep[7] -= gz * y; wRep[8] -= gz * z;
                    }
                    radialBasis.radial(r, q, dq);
                    if (M == 1) {
                        for (int bb2 = 0; bb2 < R; bb2++) {
                            bv[bb2] = scaling * q[bb2];
                            dbv[bb2] = scaling * dq[bb2];
                        }
                    } else {
                        if (withMoments) radialBasis.magnetic(pmom[off + j], phiJ, dphiJ);
                        else {
                            Arrays.fill(phiI, 1.0);
                            Arrays.fill(phiJ, 1.0);
                        }
                        int idx = 0;
                        for (int bb2 = 0; bb2 < R; bb2++) {
                            for (int pp = 0; pp < M; pp++) {
                                for (int qq = 0; qq < M; qq++) {
                                    bv[idx] = scaling * q[bb2] * phiI[pp] * phiJ[qq];
                                    dbv[idx] = scaling * dq[bb2] * phiI[pp] * phiJ[qq];
                                    if (useM) {
                                        bsi[idx] = scaling * q[bb2] * dphiI[pp] * phiJ[qq];
                                        bsj[idx] = scaling * q[bb2] * phiI[pp] * dphiJ[qq];
                                    }
                                    idx++;
                                }
                            }
                        }
                    }
                    int pairBase = (ti * S + psp[off + j]) * cpp;
                    for (int mu = 0; mu < K; mu++) {
                        double fv = 0, dv = 0;
                        int base = pairBase + mu * nb;
                        for (int bb2 = 0; bb2 < nb; bb2++) {
                            fv += c[base + bb2] * bv[bb2];
                            dv += c[base + bb2] * dbv[bb2];
                        }
                        f[mu] = fv;
                        df[mu] = dv;
                        if (useM) {
                            double a1 = 0, a2 = 0;
                            for (int bb2 = 0; bb2 < nb; bb2++) {
                                a1 += c[base + bb2] * bsi[bb2];
                                a2 += c[base + bb2] * bsj[bb2];
                            }
                            fsi[mu] = a1;
                            fsj[mu] = a2;
                        }
                    }
                    px[0] = 1; py[0] = 1; pz[0] = 1;
                    for (int p = 1; p <= maxRank; p++) {
                        px[p] = px[p - 1] * ex;
                        py[p] = py[p - 1] * ey;
                        pz[p] = pz[p - 1] * ez;
                    }
                    for (int kb = 0; kb < nBasic; kb++) {
                        int ea = bA[kb], eb = bB[kb], ec = bC[kb], nu = ea + eb + ec, mu = bMu[kb];
                        double pa = px[ea], pb = py[eb], pc = pz[ec];
                        double mono = pa * pb * pc;
                        double fv = f[mu];
                        m[kb] += fv * mono;
                        double radial = (df[mu] - nu * fv * inv) * mono;
                        double gx = radial * ex, gy = radial * ey, gz = radial * ez;
                        double fr2 = fv * inv;
                        if (ea > 0) gx += fr2 * ea * px[ea - 1] * pb * pc;
                        if (eb > 0) gy += fr2 * eb * pa * py[eb - 1] * pc;
                        if (ec > 0) gz += fr2 * ec * pa * pb * pz[ec - 1];
                        int o = kb * stride + 3 * j;
                        jac[o] = gx;
                        jac[o + 1] = gy;
                        jac[o + 2] = gz;
                        if (useM) {
                            jacS[kb * sstride] += fsi[mu] * mono;
                            jacS[kb * sstride + 1 + j] = fsj[mu] * mono;
                        }
                    }
                }
                for (int p = 0; p < tK.length; p++) {
                    int ii = tI[p], jj = tJ[p], kk = tK[p];
                    double mult = tMult[p], mi = m[ii], mj = m[jj];
                    m[kk] += mult * mi * mj;
                    int oi = ii * stride, oj = jj * stride, ok = kk * stride;
                    double ai = mult * mj, aj = mult * mi;
                    for (int col = 0; col < stride; col++) jac[ok + col] += ai * jac[oi + col] + aj * jac[oj + col];
                    if (useM) {
                        int si0 = ii * sstride, sj0 = jj * sstride, sk0 = kk * sstride;
                        for (int col = 0; col < sstride; col++) jacS[sk0 + col] += ai * jacS[si0 + col] + aj * jacS[sj0 + col];
                    }
                }
                if (useM) {
                    for (int al = 0; al < ns; al++) {
                        int o = map[al] * sstride, col = s + al;
                        mr[i * nlin + col] += jacS[o];
                        for (int j = 0; j < cnt; j++) {
                            double d = jacS[o + 1 + j];
                            if (d != 0) mr[nl.neighbour(off + j) * nlin + col] += d;
                        }
                    }
                }
                // rows
                e[ti] += 1;
                for (int al = 0; al < ns; al++) e[s + al] += m[map[al]];
                if (useF || useS) {
                    for (int j = 0; j < cnt; j++) {
                        int jj = nl.neighbour(off + j);
                        int e3 = 3 * (off + j);
                        double rx = v[e3], ry = v[e3 + 1], rz = v[e3 + 2];
                        for (int al = 0; al < ns; al++) {
                            int o = map[al] * stride + 3 * j;
                            double gx = jac[o], gy = jac[o + 1], gz = jac[o + 2];
                            if (gx == 0 && gy == 0 && gz == 0) continue;
                            int col = s + al;
                            if (useF) {
                                fr[(3 * i) * nlin + col] += gx;
                                fr[(3 * i + 1) * nlin + col] += gy;
                                fr[(3 * i + 2) * nlin + col] += gz;
                                fr[(3 * jj) * nlin + col] -= gx;
                                fr[(3 * jj + 1) * nlin + col] -= gy;
                                fr[(3 * jj + 2) * nlin + col] -= gz;
                            }
                            if (useS) {
                                wr[col] -= gx * rx; wr[nlin + col] -= gx * ry; wr[2 * nlin + col] -= gx * rz;
                                wr[3 * nlin + col] -= gy * rx; wr[4 * nlin + col] -= gy * ry; wr[5 * nlin + col] -= gy * rz;
                                wr[6 * nlin + col] -= gz * rx; wr[7 * nlin + col] -= gz * ry; wr[8 * nlin + col] -= gz * rz;
                            }
                        }
                    }
                }
            }
            double[] ad = a.getData();
            if (useE) {
                double we = weights.energy(n);
                double target = cfg.energy() - eRep;
                for (int i = 0; i < nlin; i++) {
                    double wi = we * e[i];
                    if (wi == 0) continue;
                    b[i] += wi * target;
                    for (int j = 0; j < nlin; j++) ad[i * nlin + j] += wi * e[j];
                }
            }
            if (useF) {
                double[] fref = cfg.forces();
                double wf = weights.force(n);
                double[] rhs = new double[3 * n];
                for (int at = 0; at < n; at++) {
                    double fx = fref[3 * at], fy = fref[3 * at + 1], fz = fref[3 * at + 2];
                    double sw = Math.sqrt(wf * weights.forceFactor(fx * fx + fy * fy + fz * fz));
                    for (int comp = 0; comp < 3; comp++) {
                        int row = 3 * at + comp;
                        rhs[row] = sw * (fref[row] - fRep[row]);
                        for (int col = 0; col < nlin; col++) fr[row * nlin + col] *= sw;
                    }
                }
                CommonOps_DDRM.multAddTransA(frm, frm, a);
                for (int row = 0; row < 3 * n; row++) {
                    double t = rhs[row];
                    if (t == 0) continue;
                    int o = row * nlin;
                    for (int col = 0; col < nlin; col++) b[col] += frm.data[o + col] * t;
                }
            }
            if (useM) {
                double[] mref = cfg.magneticForces();
                double sw = Math.sqrt(weights.magneticForce(n));
                for (int i = 0; i < n * nlin; i++) mr[i] *= sw;
                CommonOps_DDRM.multAddTransA(mrm, mrm, a);
                for (int at = 0; at < n; at++) {
                    double t = sw * mref[3 * at];
                    if (t == 0) continue;
                    int o = at * nlin;
                    for (int col = 0; col < nlin; col++) b[col] += mr[o + col] * t;
                }
            }
            if (useS) {
                double[] st = cfg.stress();
                double[] ref = {st[0], st[5], st[4], st[5], st[1], st[3], st[4], st[3], st[2]};
                double ws = weights.stress(n);
                for (int qq = 0; qq < 9; qq++) {
                    double target = ref[qq] - wRep[qq];
                    int o = qq * nlin;
                    for (int i = 0; i < nlin; i++) {
                        double wi = ws * wr[o + i];
                        if (wi == 0) continue;
                        b[i] += wi * target;
                        for (int j = 0; j < nlin; j++) ad[i * nlin + j] += wi * wr[o + j];
                    }
                }
            }
        }
    }
}
