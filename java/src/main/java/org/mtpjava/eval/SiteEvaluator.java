package org.mtpjava.eval;

import org.mtpjava.model.MomentBasis;
import org.mtpjava.model.Potential;

import java.util.Arrays;

/**
 * The fast MTP kernel: the site energy of one atom and its derivatives with respect to the neighbour vectors
 * (and, for a magnetic MTP, the moments), computed into caller-owned flat buffers (maths.md §5-6).
 *
 * <p>One instance is a per-thread workspace: not thread-safe, allocation-free after its buffers have grown
 * to the largest neighbourhood seen. It reads the potential's coefficient arrays on every call, so training
 * may update them in place.
 *
 * <p>Two passes per atom: forward (radial functions, basic moments, products, energy), then backward
 * (dV/dm through the product list in reverse, then dV/dr_ij per neighbour). Per neighbour, every monomial of
 * the unit vector that a basic moment or a gradient needs is computed once, by one multiplication from a
 * parent monomial, and kept for the backward pass. Basic moments sharing a monomial are grouped, so each
 * monomial gradient is used once per neighbour. With M = r_ij/r and f_mu(r):
 * d/dr_ij [f M(u)] = (f' M - nu f M / r) u + (f / r) grad_u M.
 */
public final class SiteEvaluator {
    private final Potential potential;
    private final RadialBasis radialBasis;
    private final int speciesCount, radialFuncs, radialSize, magSize, basisSize, coeffsPerPair;
    private final int basicCount, momentsCount, scalarCount;
    private final MomentTables tables;
    private final int[] basicMu, basicMono;
    private final int[] timesI, timesJ, timesK;
    private final double[] timesMult;
    private final int[] mapping;
    private final int tableSize;
    private final int[] monoParent, monoAxis;
    private final int groupCount;
    private final int[] groupMono, groupDx, groupDy, groupDz, groupStart, memberBasic, memberMu;
    private final double[] groupNu, groupA, groupB, groupC;
    private final double cutoffSquared;

    // workspace; per-neighbour data is stored row-wise ("structure of arrays"): row x of an array with
    // capacity cap occupies [x*cap, x*cap + cap), so the innermost loops run over neighbours
    private final double[] moments, momentDerivatives, memberDerivative;
    private final double[] q, dq, phiI, dphiI, phiJ, dphiJ, basis, dbasis;
    private int cap;
    private int valid;                 // neighbours inside the cutoff, compacted
    private int[] skip, index, pairBase;
    private double[] dist, invDist, ux, uy, uz;
    private double[] f, df, dfdsi, dfdsj; // [K rows]
    private double[] mono;                // [tableSize rows]; the last row stays 0
    private double[] sumF, sumDf, radialPart, gx, gy, gz, dsj, projections;
    // scaling * Q_beta(r_j) of the last forward pass (non-magnetic), [beta * cap + jj], for the AL rows
    private double[] radialValues;

    public SiteEvaluator(Potential p) {
        this.potential = p;
        this.radialBasis = new RadialBasis(p);
        this.speciesCount = p.speciesCount();
        this.radialFuncs = p.radialFunctionsCount();
        this.radialSize = p.radialBasisSize();
        this.magSize = p.magneticSize();
        this.basisSize = radialBasis.size();
        this.coeffsPerPair = p.radialCoefficientsPerPair();
        MomentBasis b = p.basis();
        this.basicCount = b.basicCount();
        this.momentsCount = b.momentsCount();
        this.scalarCount = b.scalarCount();
        tables = new MomentTables(b);
        timesI = tables.timesI;
        timesJ = tables.timesJ;
        timesK = tables.timesK;
        timesMult = tables.timesMult;
        mapping = tables.mapping;
        basicMu = tables.basicMu;
        basicMono = tables.basicMono;
        tableSize = tables.tableSize;
        monoParent = tables.monoParent;
        monoAxis = tables.monoAxis;
        groupCount = tables.groupCount;
        groupMono = tables.groupMono;
        groupDx = tables.groupDx;
        groupDy = tables.groupDy;
        groupDz = tables.groupDz;
        groupStart = tables.groupStart;
        memberBasic = tables.memberBasic;
        memberMu = tables.memberMu;
        groupNu = tables.groupNu;
        groupA = tables.groupA;
        groupB = tables.groupB;
        groupC = tables.groupC;
        cutoffSquared = p.cutoff() * p.cutoff();

        moments = new double[momentsCount];
        momentDerivatives = new double[momentsCount];
        memberDerivative = new double[basicCount];
        q = new double[radialSize];
        dq = new double[radialSize];
        phiI = new double[magSize];
        dphiI = new double[magSize];
        phiJ = new double[magSize];
        dphiJ = new double[magSize];
        basis = new double[basisSize];
        dbasis = new double[basisSize];
        ensureCapacity(64);
    }

    public Potential potential() { return potential; }

    private void ensureCapacity(int n) {
        if (cap >= n) return;
        cap = Math.max(n, cap == 0 ? 64 : cap * 2);
        int K = radialFuncs;
        skip = new int[cap];
        index = new int[cap];
        pairBase = new int[cap];
        dist = new double[cap];
        invDist = new double[cap];
        ux = new double[cap];
        uy = new double[cap];
        uz = new double[cap];
        f = new double[K * cap];
        df = new double[K * cap];
        dfdsi = new double[K * cap];
        dfdsj = new double[K * cap];
        mono = new double[tableSize * cap];
        sumF = new double[cap];
        sumDf = new double[cap];
        radialPart = new double[cap];
        gx = new double[cap];
        gy = new double[cap];
        gz = new double[cap];
        dsj = new double[cap];
        projections = new double[K * cap];
        radialValues = new double[radialSize * cap];
    }

    /**
     * Site energy V_i of a non-magnetic neighbourhood; dEdr[3j..3j+2] receives dV_i/dr_ij.
     *
     * @param ti               species index of the central atom
     * @param n                number of neighbour vectors
     * @param rij              flat [3n] vectors x_j - x_i (neighbours at or beyond the cutoff are ignored)
     * @param neighbourSpecies [n] species indices
     * @param dEdr             flat [3n] output, or null for energy only
     */
    public double siteEnergy(int ti, int n, double[] rij, int[] neighbourSpecies, double[] dEdr) {
        return siteEnergy(ti, 0, n, rij, neighbourSpecies, null, dEdr, null);
    }

    /**
     * Site energy of a (possibly magnetic) neighbourhood. For a magnetic potential, {@code si} is the central
     * moment and {@code sj[j]} the neighbours' (collinear, x component); if {@code sj} is null every magnetic
     * basis function is taken as 1 (MLIP-3's behaviour for data without moments). {@code dEds}, if not null,
     * receives dV_i/ds_i at index 0 and dV_i/ds_j at index 1 + j.
     */
    public double siteEnergy(int ti, double si, int n, double[] rij, int[] neighbourSpecies, double[] sj,
                             double[] dEdr, double[] dEds) {
        ensureCapacity(n);
        forward(ti, si, n, rij, neighbourSpecies, sj);
        double energy = energyAndBackward(ti);
        if (radialBasis.isRepulsive()) for (int jj = 0; jj < valid; jj++) energy += radialBasis.repulsion(dist[jj]);
        if (dEdr != null) {
            if (dEds != null && magSize > 1) neighbourGradients(n, dEdr, dEds);
            else {
                neighbourGradients(n, dEdr, null);
                if (dEds != null) Arrays.fill(dEds, 0, n + 1, 0.0);
            }
        }
        return energy;
    }

    /**
     * The site energy and its gradient with respect to the parameter vector theta = [radial | species |
     * moment] (the neighbourhood-mode active-learning row). {@code dVdTheta} (length = parameter count) is
     * overwritten.
     */
    public double siteEnergyParameterGradient(int ti, double si, int n, double[] rij, int[] neighbourSpecies,
                                              double[] sj, double[] dVdTheta) {
        ensureCapacity(n);
        forward(ti, si, n, rij, neighbourSpecies, sj);
        double energy = energyAndBackward(ti);
        if (radialBasis.isRepulsive()) for (int jj = 0; jj < valid; jj++) energy += radialBasis.repulsion(dist[jj]);
        lastParameterGradient(ti, si, n, neighbourSpecies, sj, dVdTheta);
        return energy;
    }

    /**
     * dV_i/dtheta of the neighbourhood evaluated by the last call of {@link #siteEnergy} (or
     * {@link #siteEnergyParameterGradient}) on this instance, without repeating the forward pass: the arguments
     * must be the same as in that call. Used to get active-learning rows next to energy and forces at little
     * extra cost. {@code dVdTheta} (length = parameter count) is overwritten.
     */
    public void lastParameterGradient(int ti, double si, int n, int[] neighbourSpecies, double[] sj, double[] dVdTheta) {
        int radialCount = speciesCount * speciesCount * coeffsPerPair;
        Arrays.fill(dVdTheta, 0.0);
        double scaling = potential.scaling();
        boolean magnetic = sj != null && magSize > 1;
        if (magSize > 1) radialBasis.magnetic(si, phiI, dphiI);
        int nv = valid, C = cap;
        // P_mu(j) = sum_{k in mu} dV/dm_k M_k(j)
        Arrays.fill(projections, 0, radialFuncs * C, 0.0);
        for (int g = 0; g < groupCount; g++) {
            int mo = groupMono[g] * C;
            for (int s = groupStart[g]; s < groupStart[g + 1]; s++) {
                double d = memberDerivative[s];
                int po = memberMu[s] * C;
                for (int jj = 0; jj < nv; jj++) projections[po + jj] += d * mono[mo + jj];
            }
        }
        if (magSize == 1) {
            // the radial basis values are those of the forward pass
            for (int jj = 0; jj < nv; jj++) {
                for (int mu = 0; mu < radialFuncs; mu++) {
                    double pm = projections[mu * C + jj];
                    if (pm == 0) continue;
                    int base = pairBase[jj] + mu * basisSize;
                    for (int b = 0; b < basisSize; b++) dVdTheta[base + b] += pm * radialValues[b * C + jj];
                }
            }
        } else for (int jj = 0; jj < nv; jj++) {
            int j = index[jj];
            pairBasis(dist[jj], magnetic, magnetic ? sj[j] : 0, scaling);
            for (int mu = 0; mu < radialFuncs; mu++) {
                double pm = projections[mu * C + jj];
                if (pm == 0) continue;
                int base = pairBase[jj] + mu * basisSize;
                for (int b = 0; b < basisSize; b++) dVdTheta[base + b] += pm * basis[b];
            }
        }
        dVdTheta[radialCount + ti] = 1.0;
        for (int a = 0; a < scalarCount; a++) dVdTheta[radialCount + speciesCount + a] = moments[mapping[a]];
    }

    /** The scalar basis values B_alpha of the last evaluated neighbourhood (a copy into out[0..Ns)). */
    public void scalarBasis(double[] out) {
        for (int a = 0; a < scalarCount; a++) out[a] = moments[mapping[a]];
    }

    // ------------------------------------------------------------------------------------------------

    private void forward(int ti, double si, int n, double[] rij, int[] neighbourSpecies, double[] sj) {
        double[] c = potential.radialCoefficients();
        double scaling = potential.scaling();
        boolean magnetic = magSize > 1;
        boolean withMoments = magnetic && sj != null;
        if (magnetic) radialBasis.magnetic(si, phiI, dphiI);
        int S = speciesCount, K = radialFuncs, R = radialSize, T = tableSize, C = cap;
        // compact the neighbours inside the cutoff
        int nv = 0;
        for (int j = 0; j < n; j++) {
            double x = rij[3 * j], y = rij[3 * j + 1], z = rij[3 * j + 2];
            double r2 = x * x + y * y + z * z;
            if (r2 >= cutoffSquared || r2 == 0) { skip[j] = 1; continue; }
            skip[j] = 0;
            double r = Math.sqrt(r2);
            double inv = 1.0 / r;
            dist[nv] = r;
            invDist[nv] = inv;
            ux[nv] = x * inv;
            uy[nv] = y * inv;
            uz[nv] = z * inv;
            index[nv] = j;
            pairBase[nv] = (ti * S + neighbourSpecies[j]) * coeffsPerPair;
            nv++;
        }
        valid = nv;
        // radial functions f_mu(r_j) and derivatives
        for (int jj = 0; jj < nv; jj++) {
            double r = dist[jj];
            int pb = pairBase[jj];
            if (!magnetic) {
                radialBasis.radial(r, q, dq);
                for (int b = 0; b < R; b++) radialValues[b * C + jj] = scaling * q[b];
                for (int mu = 0; mu < K; mu++) {
                    int base = pb + mu * R;
                    // two accumulators halve the dependency chain
                    double v0 = 0, v1 = 0, d0 = 0, d1 = 0;
                    int b = 0;
                    for (; b + 1 < R; b += 2) {
                        double c0 = c[base + b], c1 = c[base + b + 1];
                        v0 += c0 * q[b];
                        v1 += c1 * q[b + 1];
                        d0 += c0 * dq[b];
                        d1 += c1 * dq[b + 1];
                    }
                    if (b < R) {
                        v0 += c[base + b] * q[b];
                        d0 += c[base + b] * dq[b];
                    }
                    f[mu * C + jj] = scaling * (v0 + v1);
                    df[mu * C + jj] = scaling * (d0 + d1);
                }
            } else {
                magneticRadialFunctions(c, pb, jj, r, withMoments, withMoments ? sj[index[jj]] : 0, scaling);
            }
        }
        // monomials of the unit vectors, row by row
        double[] m = mono;
        Arrays.fill(m, 0, nv, 1.0);
        for (int t = 1; t < T - 1; t++) {
            int to = t * C, po = monoParent[t] * C;
            double[] u = monoAxis[t] == 0 ? ux : monoAxis[t] == 1 ? uy : uz;
            for (int jj = 0; jj < nv; jj++) m[to + jj] = m[po + jj] * u[jj];
        }
        // basic moments: sums over neighbours
        for (int k = 0; k < basicCount; k++) {
            int fo = basicMu[k] * C, mo = basicMono[k] * C;
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            int jj = 0;
            for (; jj + 3 < nv; jj += 4) {
                a0 += f[fo + jj] * m[mo + jj];
                a1 += f[fo + jj + 1] * m[mo + jj + 1];
                a2 += f[fo + jj + 2] * m[mo + jj + 2];
                a3 += f[fo + jj + 3] * m[mo + jj + 3];
            }
            for (; jj < nv; jj++) a0 += f[fo + jj] * m[mo + jj];
            moments[k] = (a0 + a1) + (a2 + a3);
        }
        Arrays.fill(moments, basicCount, momentsCount, 0.0);
        for (int p = 0; p < timesK.length; p++) {
            moments[timesK[p]] += timesMult[p] * moments[timesI[p]] * moments[timesJ[p]];
        }
    }

    /**
     * f_mu = scaling sum_beta Q_beta(r) sum_p phi_p(s_i) sum_q c[beta, p, q] phi_q(s_j) and its derivatives in r,
     * s_i and s_j, contracting the neighbour index q first: 2 R M^2 + 3 R M multiplications per radial function
     * instead of building the R M^2 products phi_p phi_q Q_beta (the central phi_p(s_i) is per atom).
     */
    private void magneticRadialFunctions(double[] c, int pb, int jj, double r, boolean withMoments, double sNeighbour, double scaling) {
        radialBasis.radial(r, q, dq);
        if (withMoments) {
            radialBasis.magnetic(sNeighbour, phiJ, dphiJ);
        } else {
            Arrays.fill(phiI, 1.0);
            Arrays.fill(phiJ, 1.0);
            Arrays.fill(dphiI, 0.0);
            Arrays.fill(dphiJ, 0.0);
        }
        int R = radialSize, M = magSize, M2 = M * M, C = cap;
        for (int mu = 0; mu < radialFuncs; mu++) {
            int base = pb + mu * basisSize;
            double v = 0, dv = 0, dsi = 0, dsjv = 0;
            for (int b = 0; b < R; b++) {
                int o = base + b * M2;
                double g = 0, gi = 0, gj = 0;
                for (int pp = 0; pp < M; pp++) {
                    int op = o + pp * M;
                    double a = 0, ad = 0;
                    for (int qq = 0; qq < M; qq++) {
                        double cc = c[op + qq];
                        a += cc * phiJ[qq];
                        ad += cc * dphiJ[qq];
                    }
                    g += phiI[pp] * a;
                    gi += dphiI[pp] * a;
                    gj += phiI[pp] * ad;
                }
                v += q[b] * g;
                dv += dq[b] * g;
                dsi += q[b] * gi;
                dsjv += q[b] * gj;
            }
            f[mu * C + jj] = scaling * v;
            df[mu * C + jj] = scaling * dv;
            dfdsi[mu * C + jj] = scaling * dsi;
            dfdsj[mu * C + jj] = scaling * dsjv;
        }
    }

    /** Per-pair magnetic basis values scaling*Q_beta*phi_p(s_i)*phi_q(s_j) and their r-derivatives. */
    private void pairBasis(double r, boolean withMoments, double sNeighbour, double scaling) {
        radialBasis.radial(r, q, dq);
        if (magSize == 1) {
            for (int b = 0; b < radialSize; b++) {
                basis[b] = scaling * q[b];
                dbasis[b] = scaling * dq[b];
            }
            return;
        }
        if (withMoments) {
            radialBasis.magnetic(sNeighbour, phiJ, dphiJ);
        } else {
            Arrays.fill(phiI, 1.0);
            Arrays.fill(phiJ, 1.0);
            Arrays.fill(dphiI, 0.0);
            Arrays.fill(dphiJ, 0.0);
        }
        int idx = 0;
        for (int b = 0; b < radialSize; b++) {
            for (int pp = 0; pp < magSize; pp++) {
                double qp = scaling * q[b] * phiI[pp], dqp = scaling * dq[b] * phiI[pp];
                for (int qq = 0; qq < magSize; qq++) {
                    basis[idx] = qp * phiJ[qq];
                    dbasis[idx] = dqp * phiJ[qq];
                    idx++;
                }
            }
        }
    }

    private double energyAndBackward(int ti) {
        double[] xi = potential.momentCoefficients();
        double energy = potential.speciesCoefficients()[ti];
        Arrays.fill(momentDerivatives, 0.0);
        for (int a = 0; a < scalarCount; a++) {
            energy += xi[a] * moments[mapping[a]];
            momentDerivatives[mapping[a]] += xi[a];
        }
        for (int p = timesK.length - 1; p >= 0; p--) {
            double d = momentDerivatives[timesK[p]] * timesMult[p];
            if (d == 0) continue;
            int i = timesI[p], j = timesJ[p];
            momentDerivatives[i] += d * moments[j];
            momentDerivatives[j] += d * moments[i];
        }
        for (int s = 0; s < basicCount; s++) memberDerivative[s] = momentDerivatives[memberBasic[s]];
        return energy;
    }

    /** dV/dr_ij (and, if magnetic, dV/ds) for every neighbour, loops over neighbours innermost. */
    private void neighbourGradients(int n, double[] dEdr, double[] dEds) {
        int nv = valid, C = cap;
        boolean mag = dEds != null;
        double[] m = mono;
        Arrays.fill(radialPart, 0, nv, 0.0);
        Arrays.fill(gx, 0, nv, 0.0);
        Arrays.fill(gy, 0, nv, 0.0);
        Arrays.fill(gz, 0, nv, 0.0);
        double dsCentral = 0;
        // magnetic: dV/ds = sum_mu (df_mu/ds) P_mu(j), P_mu(j) = sum_{k in mu} dV/dm_k M_k(u_j) (one pass per member)
        if (mag) Arrays.fill(projections, 0, radialFuncs * C, 0.0);
        for (int g = 0; g < groupCount; g++) {
            // sums over the basic moments sharing this monomial: sum_s dV/dm_s f_mu(s)(r_j), and f'
            int s0 = groupStart[g], s1 = groupStart[g + 1];
            {
                double d = memberDerivative[s0];
                int fo = memberMu[s0] * C;
                for (int jj = 0; jj < nv; jj++) {
                    sumF[jj] = d * f[fo + jj];
                    sumDf[jj] = d * df[fo + jj];
                }
            }
            for (int s = s0 + 1; s < s1; s++) {
                double d = memberDerivative[s];
                int fo = memberMu[s] * C;
                for (int jj = 0; jj < nv; jj++) {
                    sumF[jj] += d * f[fo + jj];
                    sumDf[jj] += d * df[fo + jj];
                }
            }
            int mo = groupMono[g] * C;
            if (mag) {
                for (int s = s0; s < s1; s++) {
                    double d = memberDerivative[s];
                    int po = memberMu[s] * C;
                    for (int jj = 0; jj < nv; jj++) projections[po + jj] += d * m[mo + jj];
                }
            }
            double nu = groupNu[g];
            for (int jj = 0; jj < nv; jj++) radialPart[jj] += (sumDf[jj] - nu * sumF[jj] * invDist[jj]) * m[mo + jj];
            if (groupA[g] != 0) {
                double a = groupA[g];
                int xo = groupDx[g] * C;
                for (int jj = 0; jj < nv; jj++) gx[jj] += a * sumF[jj] * m[xo + jj];
            }
            if (groupB[g] != 0) {
                double b = groupB[g];
                int yo = groupDy[g] * C;
                for (int jj = 0; jj < nv; jj++) gy[jj] += b * sumF[jj] * m[yo + jj];
            }
            if (groupC[g] != 0) {
                double cc = groupC[g];
                int zo = groupDz[g] * C;
                for (int jj = 0; jj < nv; jj++) gz[jj] += cc * sumF[jj] * m[zo + jj];
            }
        }
        if (mag) {
            Arrays.fill(dsj, 0, nv, 0.0);
            for (int mu = 0; mu < radialFuncs; mu++) {
                int po = mu * C;
                for (int jj = 0; jj < nv; jj++) {
                    double pm = projections[po + jj];
                    dsCentral += dfdsi[po + jj] * pm;
                    dsj[jj] += dfdsj[po + jj] * pm;
                }
            }
        }
        if (radialBasis.isRepulsive()) for (int jj = 0; jj < nv; jj++) radialPart[jj] += radialBasis.repulsionDerivative(dist[jj]);
        for (int j = 0; j < n; j++) if (skip[j] != 0) {
            dEdr[3 * j] = 0;
            dEdr[3 * j + 1] = 0;
            dEdr[3 * j + 2] = 0;
            if (mag) dEds[1 + j] = 0;
        }
        for (int jj = 0; jj < nv; jj++) {
            int j = index[jj];
            double inv = invDist[jj], rp = radialPart[jj];
            dEdr[3 * j] = rp * ux[jj] + gx[jj] * inv;
            dEdr[3 * j + 1] = rp * uy[jj] + gy[jj] * inv;
            dEdr[3 * j + 2] = rp * uz[jj] + gz[jj] * inv;
            if (mag) dEds[1 + j] = dsj[jj];
        }
        if (mag) dEds[0] = dsCentral;
    }
}
