package org.mtpjava.train;

import org.mtpjava.eval.MomentTables;
import org.mtpjava.eval.RadialBasis;
import org.mtpjava.model.MomentBasis;
import org.mtpjava.model.Potential;

import java.util.Arrays;

/**
 * Forward-mode (tangent) pass through the parameter gradient of one site energy: for a neighbourhood of atom i
 * and a perturbation u_ij of its neighbour vectors it adds
 * <pre>
 *   grad += a * dV_i/dtheta + d/dt [ dV_i/dtheta (r_ij + t u_ij) ] at t = 0
 * </pre>
 * to a caller-owned gradient over theta = [radial | species | moment] (maths.md §7).
 *
 * <p>Why this is the training gradient: with g_ij = dV_i/dr_ij, forces F_k = sum_ij g_ij (delta_ik - delta_jk)
 * and virial W_ab = -sum_ij g_ij,a r_ij,b, any weighted contraction of force and virial residuals with the
 * parameter derivatives of F and W is
 * <pre>
 *   sum_k w_k dF_k . dF_k/dtheta + sum_ab w dW_ab dW_ab/dtheta = sum_i d/dtheta [ sum_j g_ij . u_ij ],
 *   u_ij = w_i dF_i - w_j dF_j - w dW r_ij,
 * </pre>
 * and sum_j g_ij . u_ij is the directional derivative of V_i along u. Its theta-gradient is the tangent of the
 * ordinary site-energy parameter gradient, so one forward-mode pass per atom (about three energy evaluations)
 * gives the exact force and stress part of the loss gradient; {@code a} carries the energy part.
 *
 * <p>One instance is a per-thread workspace: not thread-safe, allocation-free once its buffers have grown to
 * the largest neighbourhood seen. Coefficients and the scaling are read from the potential on every call (they
 * may change between calls); the species count, radial basis interval and moment basis are fixed at
 * construction. For a magnetic potential the tangent may also move the collinear moments (central moment by
 * {@code tsi}, neighbour moments by {@code tsj}); that gives the magnetic-force part of the loss gradient: with
 * D_k = dE/ds_k = sum_i dV_i/ds_k, sum_k c_k dD_k/dtheta = sum_i d/dtheta [ c_i dV_i/ds_i + sum_j c_j dV_i/ds_j ].
 */
public final class SiteTangentEvaluator {
    private final Potential potential;
    private final RadialBasis radialBasis;
    private final int speciesCount, radialFuncs, radialSize, magSize, nb, coeffsPerPair, radialCount;
    private final int basicCount, momentsCount, scalarCount;
    private final int[] basicMu, basicGroup;
    private final int[] timesI, timesJ;
    private final double[] timesMult;
    // the product list as runs of consecutive entries with the same target slot: entries runStart[r]..runStart[r+1]-1
    private final int[] runStart, runK;
    private final int[] mapping;
    private final int groupCount;
    private final int[] groupA, groupB, groupC, groupStart, memberBasic, memberMu;
    private final int maxRank;
    private final double cutoffSquared;

    // per-atom work arrays
    private final double[] m, tm, d, td;
    private final double[] q, dq, phiI, dphiI, phiJ, dphiJ;
    private final double[] px, py, pz;
    private final double[] f, tf, proj, tproj;
    // per-neighbour caches
    private double[] bv, tbv, mono, tmono;
    private boolean[] used;
    private int capacity;

    public SiteTangentEvaluator(Potential p) {
        this.potential = p;
        this.radialBasis = new RadialBasis(p);
        this.speciesCount = p.speciesCount();
        this.radialFuncs = p.radialFunctionsCount();
        this.radialSize = p.radialBasisSize();
        this.magSize = p.magneticSize();
        this.nb = radialSize * magSize * magSize;
        this.coeffsPerPair = p.radialCoefficientsPerPair();
        this.radialCount = speciesCount * speciesCount * coeffsPerPair;
        MomentBasis b = p.basis();
        basicCount = b.basicCount();
        momentsCount = b.momentsCount();
        scalarCount = b.scalarCount();
        MomentTables tables = new MomentTables(b);
        basicMu = tables.basicMu;
        basicGroup = tables.basicGroup;
        timesI = tables.timesI;
        timesJ = tables.timesJ;
        timesMult = tables.timesMult;
        runStart = tables.runStart;
        runK = tables.runTarget;
        mapping = tables.mapping;
        maxRank = tables.maxRank;
        groupCount = tables.groupCount;
        groupA = tables.groupExpA;
        groupB = tables.groupExpB;
        groupC = tables.groupExpC;
        groupStart = tables.groupStart;
        memberBasic = tables.memberBasic;
        memberMu = tables.memberMu;
        cutoffSquared = p.cutoff() * p.cutoff();

        m = new double[momentsCount];
        tm = new double[momentsCount];
        d = new double[momentsCount];
        td = new double[momentsCount];
        q = new double[radialSize];
        dq = new double[radialSize];
        phiI = new double[magSize];
        dphiI = new double[magSize];
        phiJ = new double[magSize];
        dphiJ = new double[magSize];
        px = new double[maxRank + 1];
        py = new double[maxRank + 1];
        pz = new double[maxRank + 1];
        f = new double[radialFuncs];
        tf = new double[radialFuncs];
        proj = new double[radialFuncs];
        tproj = new double[radialFuncs];
        ensureCapacity(64);
    }

    public Potential potential() { return potential; }

    private void ensureCapacity(int n) {
        if (n <= capacity) return;
        int cap = Math.max(n, 2 * capacity);
        bv = new double[cap * nb];
        tbv = new double[cap * nb];
        mono = new double[cap * groupCount];
        tmono = new double[cap * groupCount];
        used = new boolean[cap];
        capacity = cap;
    }

    /**
     * Adds {@code a * dV_i/dtheta + D_u(dV_i/dtheta)} to {@code grad}.
     *
     * @param ti      species index of the central atom
     * @param si      its magnetic moment (ignored unless the potential is magnetic and {@code sj != null})
     * @param n       number of neighbours
     * @param rij     flat [3n] neighbour vectors starting at {@code off3}
     * @param off3    offset of neighbour 0 in {@code rij} and {@code u} (3 * first pair index)
     * @param species neighbour species, starting at {@code off3 / 3}
     * @param sj      neighbour moments starting at {@code off3 / 3}, or null (magnetic basis taken as 1)
     * @param u       flat [3n] tangent directions u_ij (same layout as {@code rij}), or null for u = 0
     * @param a       coefficient of the plain parameter gradient (the energy part)
     * @param grad    gradient accumulator, length = parameter count
     * @return the site energy V_i (without the repulsive wall of RBChebyshev_repuls)
     */
    public double accumulate(int ti, double si, int n, double[] rij, int off3, int[] species, double[] sj,
                             double[] u, double a, double[] grad) {
        return accumulate(ti, si, n, rij, off3, species, sj, u, 0.0, null, a, grad);
    }

    /**
     * As {@link #accumulate(int, double, int, double[], int, int[], double[], double[], double, double[])}, with the
     * tangent also moving the moments: {@code tsi} for the central atom, {@code tsj} (per neighbour entry, same
     * offsets as {@code sj}, or null) for the neighbours. Moment tangents act only when the potential is magnetic
     * and {@code sj != null}.
     */
    public double accumulate(int ti, double si, int n, double[] rij, int off3, int[] species, double[] sj,
                             double[] u, double tsi, double[] tsj, double a, double[] grad) {
        ensureCapacity(n);
        final double[] c = potential.radialCoefficients();
        final double scaling = potential.scaling();
        final int K = radialFuncs, S = speciesCount, G = groupCount;
        final int off = off3 / 3;
        final boolean magnetic = magSize > 1;
        final boolean withMoments = magnetic && sj != null;
        if (withMoments) radialBasis.magnetic(si, phiI, dphiI);
        Arrays.fill(m, 0.0);
        Arrays.fill(tm, 0.0);

        // ---- forward: moments and their tangents
        for (int j = 0; j < n; j++) {
            int e3 = off3 + 3 * j;
            double x = rij[e3], y = rij[e3 + 1], z = rij[e3 + 2];
            double r2 = x * x + y * y + z * z;
            if (r2 >= cutoffSquared || r2 == 0) { used[j] = false; continue; }
            used[j] = true;
            double r = Math.sqrt(r2), inv = 1.0 / r;
            double ex = x * inv, ey = y * inv, ez = z * inv;
            double ux = 0, uy = 0, uz = 0, rdot = 0;
            if (u != null) {
                ux = u[e3];
                uy = u[e3 + 1];
                uz = u[e3 + 2];
                rdot = ex * ux + ey * uy + ez * uz;
            }
            // tangent of the unit vector: (u - e (e.u)) / r
            double vx = (ux - ex * rdot) * inv, vy = (uy - ey * rdot) * inv, vz = (uz - ez * rdot) * inv;

            // per-pair basis values scaling * Q_beta(r) * phi_p(s_i) * phi_q(s_j) and their tangents
            radialBasis.radial(r, q, dq);
            int bo = j * nb;
            if (!magnetic) {
                for (int b = 0; b < radialSize; b++) {
                    bv[bo + b] = scaling * q[b];
                    tbv[bo + b] = scaling * dq[b] * rdot;
                }
            } else {
                if (withMoments) {
                    radialBasis.magnetic(sj[off + j], phiJ, dphiJ);
                } else {
                    Arrays.fill(phiI, 1.0);
                    Arrays.fill(phiJ, 1.0);
                }
                int idx = bo;
                double tj = withMoments && tsj != null ? tsj[off + j] : 0.0;
                double ti0 = withMoments ? tsi : 0.0;
                for (int b = 0; b < radialSize; b++) {
                    for (int pp = 0; pp < magSize; pp++) {
                        double qp = scaling * q[b] * phiI[pp], dqp = scaling * dq[b] * phiI[pp] * rdot;
                        // tangent of phi_p(s_i) phi_q(s_j) along the moment directions
                        double qpi = scaling * q[b] * dphiI[pp] * ti0, qpj = qp * tj;
                        for (int qq = 0; qq < magSize; qq++) {
                            bv[idx] = qp * phiJ[qq];
                            tbv[idx] = dqp * phiJ[qq] + qpi * phiJ[qq] + qpj * dphiJ[qq];
                            idx++;
                        }
                    }
                }
            }
            int pairBase = (ti * S + species[off + j]) * coeffsPerPair;
            for (int mu = 0; mu < K; mu++) {
                int base = pairBase + mu * nb;
                double v = 0, tv = 0;
                for (int b = 0; b < nb; b++) {
                    double cb = c[base + b];
                    v += cb * bv[bo + b];
                    tv += cb * tbv[bo + b];
                }
                f[mu] = v;
                tf[mu] = tv;
            }
            // monomials of the unit vector and their tangents
            px[0] = 1;
            py[0] = 1;
            pz[0] = 1;
            for (int e = 1; e <= maxRank; e++) {
                px[e] = px[e - 1] * ex;
                py[e] = py[e - 1] * ey;
                pz[e] = pz[e - 1] * ez;
            }
            int mo = j * G;
            for (int h = 0; h < G; h++) {
                int ga = groupA[h], gb = groupB[h], gc = groupC[h];
                double pa = px[ga], pb = py[gb], pc = pz[gc];
                double val = pa * pb * pc;
                double t = 0;
                if (ga > 0) t += ga * px[ga - 1] * pb * pc * vx;
                if (gb > 0) t += gb * pa * py[gb - 1] * pc * vy;
                if (gc > 0) t += gc * pa * pb * pz[gc - 1] * vz;
                mono[mo + h] = val;
                tmono[mo + h] = t;
            }
            for (int k = 0; k < basicCount; k++) {
                int h = basicGroup[k], mu = basicMu[k];
                double mv = mono[mo + h];
                m[k] += f[mu] * mv;
                tm[k] += tf[mu] * mv + f[mu] * tmono[mo + h];
            }
        }
        for (int r = 0; r < runK.length; r++) {
            double sv = 0, st = 0;
            for (int p = runStart[r], end = runStart[r + 1]; p < end; p++) {
                int i = timesI[p], j = timesJ[p];
                double mult = timesMult[p], mi = m[i], mj = m[j];
                sv += mult * mi * mj;
                st += mult * (tm[i] * mj + mi * tm[j]);
            }
            int k = runK[r];
            m[k] += sv;
            tm[k] += st;
        }

        // ---- backward: d = dV/dm and its tangent
        final double[] xi = potential.momentCoefficients();
        double energy = potential.speciesCoefficients()[ti];
        Arrays.fill(d, 0.0);
        Arrays.fill(td, 0.0);
        for (int al = 0; al < scalarCount; al++) {
            energy += xi[al] * m[mapping[al]];
            d[mapping[al]] += xi[al];
        }
        for (int r = runK.length - 1; r >= 0; r--) {
            int k = runK[r];
            double dK = d[k], tdK = td[k];
            if (dK == 0 && tdK == 0) continue;
            for (int p = runStart[r + 1] - 1, start = runStart[r]; p >= start; p--) {
                double mult = timesMult[p];
                double dk = dK * mult, tdk = tdK * mult;
                int i = timesI[p], j = timesJ[p];
                double mi = m[i], mj = m[j], tmi = tm[i], tmj = tm[j];
                d[i] += dk * mj;
                td[i] += tdk * mj + dk * tmj;
                d[j] += dk * mi;
                td[j] += tdk * mi + dk * tmi;
            }
        }

        // ---- radial-coefficient gradient and its tangent, per neighbour
        for (int j = 0; j < n; j++) {
            if (!used[j]) continue;
            for (int mu = 0; mu < K; mu++) {
                proj[mu] = 0;
                tproj[mu] = 0;
            }
            int mo = j * G;
            for (int h = 0; h < G; h++) {
                double mv = mono[mo + h], tv = tmono[mo + h];
                for (int s = groupStart[h]; s < groupStart[h + 1]; s++) {
                    int k = memberBasic[s], mu = memberMu[s];
                    proj[mu] += d[k] * mv;
                    tproj[mu] += td[k] * mv + d[k] * tv;
                }
            }
            int pairBase = (ti * S + species[off + j]) * coeffsPerPair;
            int bo = j * nb;
            for (int mu = 0; mu < K; mu++) {
                double ca = a * proj[mu] + tproj[mu], cb = proj[mu];
                if (ca == 0 && cb == 0) continue;
                int base = pairBase + mu * nb;
                for (int b = 0; b < nb; b++) grad[base + b] += ca * bv[bo + b] + cb * tbv[bo + b];
            }
        }
        grad[radialCount + ti] += a;
        int mb = radialCount + S;
        for (int al = 0; al < scalarCount; al++) grad[mb + al] += a * m[mapping[al]] + tm[mapping[al]];
        return energy;
    }
}
