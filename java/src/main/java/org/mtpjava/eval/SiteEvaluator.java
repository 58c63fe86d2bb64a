package org.mtpjava.eval;

import org.mtpjava.model.MomentBasis;
import org.mtpjava.model.Potential;

/**
 * The fast MTP kernel: the site energy of one atom and its derivatives with respect to the neighbour vectors
 * (and, for a magnetic MTP, the moments), computed into caller-owned flat buffers (maths.md §5-6).
 *
 * <p>One instance is a per-thread workspace: not thread-safe, allocation-free after its buffers have grown
 * to the largest neighbourhood seen. It reads the potential's coefficient arrays on every call, so training
 * may update them in place.
 *
 * <p>Two passes per atom: forward (radial functions, basic moments, products, energy), then backward
 * (dV/dm through the product list in reverse, then dV/dr_ij per neighbour). Basic moments that share a
 * monomial x^a y^b z^c are grouped, so each monomial and its gradient is computed once per neighbour.
 */
public final class SiteEvaluator {
    private final Potential potential;
    private final RadialBasis radialBasis;
    private final int speciesCount, radialFuncs, radialSize, magSize, basisSize, coeffsPerPair;
    private final int basicCount, momentsCount, scalarCount;
    private final int[] basicMu, basicNu;
    private final int[] timesI, timesJ, timesK;
    private final double[] timesMult;
    private final int[] mapping;
    // monomial groups: distinct (a, b, c); members listed contiguously
    private final int groupCount;
    private final int[] groupA, groupB, groupC, groupNu, groupStart, memberBasic, memberMu;
    private final int[] basicGroup;
    private final int maxRank;
    private final double cutoffSquared;

    // workspace
    private final double[] moments, momentDerivatives;
    private final double[] q, dq, phiI, dphiI, phiJ, dphiJ, basis, dbasis;
    private final double[] px, py, pz;
    private final double[] mono, monoGx, monoGy, monoGz;
    private final double[] projection, projectionNu;
    private double[] dist, ux, uy, uz, f, df, dfdsi, dfdsj;
    private int[] skip;

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
        this.basicMu = new int[basicCount];
        this.basicNu = new int[basicCount];
        for (int k = 0; k < basicCount; k++) {
            basicMu[k] = b.basicMu(k);
            basicNu[k] = b.basicRank(k);
        }
        int nt = b.timesCount();
        int[] t = b.timesArray();
        timesI = new int[nt];
        timesJ = new int[nt];
        timesK = new int[nt];
        timesMult = new double[nt];
        for (int i = 0; i < nt; i++) {
            timesI[i] = t[4 * i];
            timesJ[i] = t[4 * i + 1];
            timesMult[i] = t[4 * i + 2];
            timesK[i] = t[4 * i + 3];
        }
        mapping = b.scalarMappingArray();
        maxRank = b.maxRank();

        // group basic moments by monomial
        int[] gA = new int[basicCount], gB = new int[basicCount], gC = new int[basicCount];
        basicGroup = new int[basicCount];
        int g = 0;
        for (int k = 0; k < basicCount; k++) {
            int found = -1;
            for (int h = 0; h < g; h++) {
                if (gA[h] == b.basicA(k) && gB[h] == b.basicB(k) && gC[h] == b.basicC(k)) { found = h; break; }
            }
            if (found < 0) {
                gA[g] = b.basicA(k);
                gB[g] = b.basicB(k);
                gC[g] = b.basicC(k);
                found = g++;
            }
            basicGroup[k] = found;
        }
        groupCount = g;
        groupA = java.util.Arrays.copyOf(gA, g);
        groupB = java.util.Arrays.copyOf(gB, g);
        groupC = java.util.Arrays.copyOf(gC, g);
        groupNu = new int[g];
        groupStart = new int[g + 1];
        memberBasic = new int[basicCount];
        memberMu = new int[basicCount];
        int pos = 0;
        for (int h = 0; h < g; h++) {
            groupNu[h] = groupA[h] + groupB[h] + groupC[h];
            groupStart[h] = pos;
            for (int k = 0; k < basicCount; k++) {
                if (basicGroup[k] == h) {
                    memberBasic[pos] = k;
                    memberMu[pos] = basicMu[k];
                    pos++;
                }
            }
        }
        groupStart[g] = pos;
        cutoffSquared = p.cutoff() * p.cutoff();

        moments = new double[momentsCount];
        momentDerivatives = new double[momentsCount];
        q = new double[radialSize];
        dq = new double[radialSize];
        phiI = new double[magSize];
        dphiI = new double[magSize];
        phiJ = new double[magSize];
        dphiJ = new double[magSize];
        basis = new double[basisSize];
        dbasis = new double[basisSize];
        px = new double[maxRank + 1];
        py = new double[maxRank + 1];
        pz = new double[maxRank + 1];
        mono = new double[groupCount];
        monoGx = new double[groupCount];
        monoGy = new double[groupCount];
        monoGz = new double[groupCount];
        projection = new double[radialFuncs];
        projectionNu = new double[radialFuncs];
        ensureCapacity(64);
    }

    public Potential potential() { return potential; }

    private void ensureCapacity(int n) {
        if (dist != null && dist.length >= n) return;
        int cap = Math.max(n, dist == null ? 64 : dist.length * 2);
        dist = new double[cap];
        ux = new double[cap];
        uy = new double[cap];
        uz = new double[cap];
        skip = new int[cap];
        f = new double[cap * radialFuncs];
        df = new double[cap * radialFuncs];
        dfdsi = new double[cap * radialFuncs];
        dfdsj = new double[cap * radialFuncs];
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
        for (int j = 0; j < n; j++) if (skip[j] == 0) energy += radialBasis.repulsion(dist[j]);
        if (dEdr != null) neighbourGradients(n, dEdr, dEds);
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
        for (int j = 0; j < n; j++) if (skip[j] == 0) energy += radialBasis.repulsion(dist[j]);
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
        java.util.Arrays.fill(dVdTheta, 0.0);
        double scaling = potential.scaling();
        boolean magnetic = sj != null && magSize > 1;
        if (magSize > 1) radialBasis.magnetic(si, phiI, dphiI);
        for (int j = 0; j < n; j++) {
            if (skip[j] != 0) continue;
            neighbourProjections(j);
            int pairBase = (ti * speciesCount + neighbourSpecies[j]) * coeffsPerPair;
            pairBasis(dist[j], magnetic, magnetic ? sj[j] : 0, scaling);
            for (int mu = 0; mu < radialFuncs; mu++) {
                double pm = projection[mu];
                if (pm == 0) continue;
                int base = pairBase + mu * basisSize;
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
        java.util.Arrays.fill(moments, 0.0);
        int S = speciesCount, K = radialFuncs, R = radialSize;
        for (int j = 0; j < n; j++) {
            double x = rij[3 * j], y = rij[3 * j + 1], z = rij[3 * j + 2];
            double r2 = x * x + y * y + z * z;
            if (r2 >= cutoffSquared || r2 == 0) { skip[j] = 1; continue; }
            skip[j] = 0;
            double r = Math.sqrt(r2);
            dist[j] = r;
            double inv = 1.0 / r;
            ux[j] = x * inv;
            uy[j] = y * inv;
            uz[j] = z * inv;
            int tj = neighbourSpecies[j];
            int pairBase = (ti * S + tj) * coeffsPerPair;
            int fo = j * K;
            if (!magnetic) {
                radialBasis.radial(r, q, dq);
                for (int mu = 0; mu < K; mu++) {
                    int base = pairBase + mu * R;
                    double v = 0, dv = 0;
                    for (int b = 0; b < R; b++) {
                        double cb = c[base + b];
                        v += cb * q[b];
                        dv += cb * dq[b];
                    }
                    f[fo + mu] = scaling * v;
                    df[fo + mu] = scaling * dv;
                }
            } else {
                pairBasis(r, withMoments, withMoments ? sj[j] : 0, scaling);
                for (int mu = 0; mu < K; mu++) {
                    int base = pairBase + mu * basisSize;
                    double v = 0, dv = 0, dsi = 0, dsj = 0;
                    for (int b = 0; b < basisSize; b++) {
                        double cb = c[base + b];
                        v += cb * basis[b];
                        dv += cb * dbasis[b];
                    }
                    if (withMoments) {
                        for (int bq = 0; bq < R; bq++) {
                            for (int pp = 0; pp < magSize; pp++) {
                                for (int qq = 0; qq < magSize; qq++) {
                                    double cb = c[base + (bq * magSize + pp) * magSize + qq] * scaling * q[bq];
                                    dsi += cb * dphiI[pp] * phiJ[qq];
                                    dsj += cb * phiI[pp] * dphiJ[qq];
                                }
                            }
                        }
                    }
                    f[fo + mu] = v;
                    df[fo + mu] = dv;
                    dfdsi[fo + mu] = dsi;
                    dfdsj[fo + mu] = dsj;
                }
            }
            powers(ux[j], uy[j], uz[j]);
            for (int g = 0; g < groupCount; g++) mono[g] = px[groupA[g]] * py[groupB[g]] * pz[groupC[g]];
            for (int k = 0; k < basicCount; k++) moments[k] += f[fo + basicMu[k]] * mono[basicGroup[k]];
        }
        for (int p = 0; p < timesK.length; p++) {
            moments[timesK[p]] += timesMult[p] * moments[timesI[p]] * moments[timesJ[p]];
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
            java.util.Arrays.fill(phiI, 1.0);
            java.util.Arrays.fill(phiJ, 1.0);
            java.util.Arrays.fill(dphiI, 0.0);
            java.util.Arrays.fill(dphiJ, 0.0);
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

    private void powers(double x, double y, double z) {
        px[0] = 1;
        py[0] = 1;
        pz[0] = 1;
        for (int e = 1; e <= maxRank; e++) {
            px[e] = px[e - 1] * x;
            py[e] = py[e - 1] * y;
            pz[e] = pz[e - 1] * z;
        }
    }

    private double energyAndBackward(int ti) {
        double[] xi = potential.momentCoefficients();
        double energy = potential.speciesCoefficients()[ti];
        java.util.Arrays.fill(momentDerivatives, 0.0);
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
        return energy;
    }

    /**
     * For neighbour j: monomials, their gradients, and the projections P_mu = sum_{k in mu} dV/dm_k M_k and
     * P^nu_mu = sum nu_k dV/dm_k M_k.
     */
    private void neighbourProjections(int j) {
        powers(ux[j], uy[j], uz[j]);
        for (int mu = 0; mu < radialFuncs; mu++) {
            projection[mu] = 0;
            projectionNu[mu] = 0;
        }
        for (int g = 0; g < groupCount; g++) {
            double m = px[groupA[g]] * py[groupB[g]] * pz[groupC[g]];
            mono[g] = m;
            for (int s = groupStart[g]; s < groupStart[g + 1]; s++) {
                double t = momentDerivatives[memberBasic[s]] * m;
                projection[memberMu[s]] += t;
                projectionNu[memberMu[s]] += groupNu[g] * t;
            }
        }
    }

    private void neighbourGradients(int n, double[] dEdr, double[] dEds) {
        int K = radialFuncs;
        double dsCentral = 0;
        for (int j = 0; j < n; j++) {
            if (skip[j] != 0) {
                dEdr[3 * j] = 0;
                dEdr[3 * j + 1] = 0;
                dEdr[3 * j + 2] = 0;
                if (dEds != null) dEds[1 + j] = 0;
                continue;
            }
            double r = dist[j], invR = 1.0 / r;
            powers(ux[j], uy[j], uz[j]);
            int fo = j * K;
            double radialPart = 0, gx = 0, gy = 0, gz = 0;
            double dsi = 0, dsj = 0;
            for (int g = 0; g < groupCount; g++) {
                int a = groupA[g], b = groupB[g], c = groupC[g];
                double pa = px[a], pb = py[b], pc = pz[c];
                double m = pa * pb * pc;
                double sumF = 0, sumDf = 0, sumSi = 0, sumSj = 0;
                for (int s = groupStart[g]; s < groupStart[g + 1]; s++) {
                    double d = momentDerivatives[memberBasic[s]];
                    int mu = fo + memberMu[s];
                    sumF += d * f[mu];
                    sumDf += d * df[mu];
                    if (dEds != null) {
                        sumSi += d * dfdsi[mu];
                        sumSj += d * dfdsj[mu];
                    }
                }
                radialPart += (sumDf - groupNu[g] * sumF * invR) * m;
                if (a > 0) gx += sumF * a * px[a - 1] * pb * pc;
                if (b > 0) gy += sumF * b * pa * py[b - 1] * pc;
                if (c > 0) gz += sumF * c * pa * pb * pz[c - 1];
                dsi += sumSi * m;
                dsj += sumSj * m;
            }
            radialPart += radialBasis.repulsionDerivative(r);
            dEdr[3 * j] = radialPart * ux[j] + gx * invR;
            dEdr[3 * j + 1] = radialPart * uy[j] + gy * invR;
            dEdr[3 * j + 2] = radialPart * uz[j] + gz * invR;
            if (dEds != null) {
                dsCentral += dsi;
                dEds[1 + j] = dsj;
            }
        }
        if (dEds != null) dEds[0] = dsCentral;
    }
}
