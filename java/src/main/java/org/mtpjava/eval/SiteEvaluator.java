package org.mtpjava.eval;

import org.mtpjava.model.MomentBasis;
import org.mtpjava.model.Potential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final int[] basicMu, basicMono;
    private final int[] timesI, timesJ, timesK;
    private final double[] timesMult;
    private final int[] mapping;
    // monomial table of the unit vector: entry 0 is 1, entry t > 0 = entry parent[t] * u[axis[t]];
    // entry tableSize-1 is a constant 0 used for the gradient of an exponent that is 0
    private final int tableSize;
    private final int[] monoParent, monoAxis;
    // groups of basic moments sharing a monomial; members listed contiguously
    private final int groupCount;
    private final int[] groupMono, groupDx, groupDy, groupDz, groupStart, memberBasic, memberMu;
    private final double[] groupNu, groupA, groupB, groupC;
    private final double cutoffSquared;

    // workspace
    private final double[] moments, momentDerivatives, memberDerivative;
    private final double[] q, dq, phiI, dphiI, phiJ, dphiJ, basis, dbasis;
    private final double[] projection, projectionNu;
    private final double[] unit = new double[3];
    private double[] dist, ux, uy, uz, f, df, dfdsi, dfdsj, mono;
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

        // distinct monomials of the basic moments (groups), then the table closed under parents and gradients
        Map<Long, Integer> groupOf = new HashMap<>();
        List<int[]> groupExp = new ArrayList<>();
        int[] basicGroup = new int[basicCount];
        basicMu = new int[basicCount];
        for (int k = 0; k < basicCount; k++) {
            basicMu[k] = b.basicMu(k);
            int[] e = {b.basicA(k), b.basicB(k), b.basicC(k)};
            Integer g = groupOf.get(key(e));
            if (g == null) {
                g = groupExp.size();
                groupOf.put(key(e), g);
                groupExp.add(e);
            }
            basicGroup[k] = g;
        }
        groupCount = groupExp.size();
        Map<Long, int[]> needed = new HashMap<>();
        for (int[] e : groupExp) {
            addWithAncestors(needed, e);
            for (int a = 0; a < 3; a++) {
                if (e[a] > 0) {
                    int[] d = e.clone();
                    d[a]--;
                    addWithAncestors(needed, d);
                }
            }
        }
        List<int[]> table = new ArrayList<>(needed.values());
        table.sort((x, y) -> {
            int dx = x[0] + x[1] + x[2], dy = y[0] + y[1] + y[2];
            if (dx != dy) return Integer.compare(dx, dy);
            return Long.compare(key(x), key(y));
        });
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < table.size(); i++) index.put(key(table.get(i)), i);
        tableSize = table.size() + 1;
        monoParent = new int[tableSize];
        monoAxis = new int[tableSize];
        for (int i = 1; i < table.size(); i++) {
            int[] e = table.get(i);
            int axis = e[0] > 0 ? 0 : e[1] > 0 ? 1 : 2;
            int[] par = e.clone();
            par[axis]--;
            monoParent[i] = index.get(key(par));
            monoAxis[i] = axis;
        }
        int zero = tableSize - 1;
        basicMono = new int[basicCount];
        for (int k = 0; k < basicCount; k++) basicMono[k] = index.get(key(groupExp.get(basicGroup[k])));
        groupMono = new int[groupCount];
        groupDx = new int[groupCount];
        groupDy = new int[groupCount];
        groupDz = new int[groupCount];
        groupNu = new double[groupCount];
        groupA = new double[groupCount];
        groupB = new double[groupCount];
        groupC = new double[groupCount];
        groupStart = new int[groupCount + 1];
        memberBasic = new int[basicCount];
        memberMu = new int[basicCount];
        int pos = 0;
        for (int g = 0; g < groupCount; g++) {
            int[] e = groupExp.get(g);
            groupMono[g] = index.get(key(e));
            groupDx[g] = e[0] > 0 ? index.get(key(new int[]{e[0] - 1, e[1], e[2]})) : zero;
            groupDy[g] = e[1] > 0 ? index.get(key(new int[]{e[0], e[1] - 1, e[2]})) : zero;
            groupDz[g] = e[2] > 0 ? index.get(key(new int[]{e[0], e[1], e[2] - 1})) : zero;
            groupA[g] = e[0];
            groupB[g] = e[1];
            groupC[g] = e[2];
            groupNu[g] = e[0] + e[1] + e[2];
            groupStart[g] = pos;
            for (int k = 0; k < basicCount; k++) {
                if (basicGroup[k] == g) {
                    memberBasic[pos] = k;
                    memberMu[pos] = basicMu[k];
                    pos++;
                }
            }
        }
        groupStart[groupCount] = pos;
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
        projection = new double[radialFuncs];
        projectionNu = new double[radialFuncs];
        ensureCapacity(64);
    }

    private static long key(int[] e) { return ((long) e[0] << 40) | ((long) e[1] << 20) | e[2]; }

    private static void addWithAncestors(Map<Long, int[]> set, int[] e) {
        int[] cur = e.clone();
        while (set.putIfAbsent(key(cur), cur.clone()) == null) {
            int axis = cur[0] > 0 ? 0 : cur[1] > 0 ? 1 : cur[2] > 0 ? 2 : -1;
            if (axis < 0) break;
            cur[axis]--;
        }
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
        mono = new double[cap * tableSize];
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
        if (radialBasis.isRepulsive()) for (int j = 0; j < n; j++) if (skip[j] == 0) energy += radialBasis.repulsion(dist[j]);
        if (dEdr != null) {
            if (dEds != null && magSize > 1) neighbourGradientsMagnetic(n, dEdr, dEds);
            else {
                neighbourGradients(n, dEdr);
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
        if (radialBasis.isRepulsive()) for (int j = 0; j < n; j++) if (skip[j] == 0) energy += radialBasis.repulsion(dist[j]);
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
        Arrays.fill(moments, 0.0);
        int S = speciesCount, K = radialFuncs, R = radialSize, T = tableSize;
        double[] u = unit, m = mono;
        for (int j = 0; j < n; j++) {
            double x = rij[3 * j], y = rij[3 * j + 1], z = rij[3 * j + 2];
            double r2 = x * x + y * y + z * z;
            if (r2 >= cutoffSquared || r2 == 0) { skip[j] = 1; continue; }
            skip[j] = 0;
            double r = Math.sqrt(r2);
            dist[j] = r;
            double inv = 1.0 / r;
            u[0] = ux[j] = x * inv;
            u[1] = uy[j] = y * inv;
            u[2] = uz[j] = z * inv;
            int pairBase = (ti * S + neighbourSpecies[j]) * coeffsPerPair;
            int fo = j * K;
            if (!magnetic) {
                radialBasis.radial(r, q, dq);
                for (int mu = 0; mu < K; mu++) {
                    int base = pairBase + mu * R;
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
                    f[fo + mu] = scaling * (v0 + v1);
                    df[fo + mu] = scaling * (d0 + d1);
                }
            } else {
                magneticRadialFunctions(c, pairBase, fo, r, withMoments, withMoments ? sj[j] : 0, scaling);
            }
            int mo = j * T;
            m[mo] = 1;
            for (int t = 1; t < T - 1; t++) m[mo + t] = m[mo + monoParent[t]] * u[monoAxis[t]];
            m[mo + T - 1] = 0;
            for (int k = 0; k < basicCount; k++) moments[k] += f[fo + basicMu[k]] * m[mo + basicMono[k]];
        }
        for (int p = 0; p < timesK.length; p++) {
            moments[timesK[p]] += timesMult[p] * moments[timesI[p]] * moments[timesJ[p]];
        }
    }

    private void magneticRadialFunctions(double[] c, int pairBase, int fo, double r, boolean withMoments, double sNeighbour, double scaling) {
        pairBasis(r, withMoments, sNeighbour, scaling);
        int R = radialSize;
        for (int mu = 0; mu < radialFuncs; mu++) {
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

    /**
     * For neighbour j: the projections P_mu = sum_{k in mu} dV/dm_k M_k and P^nu_mu = sum nu_k dV/dm_k M_k
     * (from the monomials kept by the forward pass).
     */
    private void neighbourProjections(int j) {
        int mo = j * tableSize;
        for (int mu = 0; mu < radialFuncs; mu++) {
            projection[mu] = 0;
            projectionNu[mu] = 0;
        }
        for (int g = 0; g < groupCount; g++) {
            double m = mono[mo + groupMono[g]];
            for (int s = groupStart[g]; s < groupStart[g + 1]; s++) {
                double t = memberDerivative[s] * m;
                projection[memberMu[s]] += t;
                projectionNu[memberMu[s]] += groupNu[g] * t;
            }
        }
    }

    private void neighbourGradients(int n, double[] dEdr) {
        int K = radialFuncs, T = tableSize;
        double[] m = mono;
        boolean repulsive = radialBasis.isRepulsive();
        for (int j = 0; j < n; j++) {
            if (skip[j] != 0) {
                dEdr[3 * j] = 0;
                dEdr[3 * j + 1] = 0;
                dEdr[3 * j + 2] = 0;
                continue;
            }
            double r = dist[j], invR = 1.0 / r;
            int fo = j * K, mo = j * T;
            double radialPart = 0, gx = 0, gy = 0, gz = 0;
            for (int g = 0; g < groupCount; g++) {
                double sumF = 0, sumDf = 0;
                for (int s = groupStart[g], e = groupStart[g + 1]; s < e; s++) {
                    double d = memberDerivative[s];
                    int mu = fo + memberMu[s];
                    sumF += d * f[mu];
                    sumDf += d * df[mu];
                }
                radialPart += (sumDf - groupNu[g] * sumF * invR) * m[mo + groupMono[g]];
                gx += sumF * groupA[g] * m[mo + groupDx[g]];
                gy += sumF * groupB[g] * m[mo + groupDy[g]];
                gz += sumF * groupC[g] * m[mo + groupDz[g]];
            }
            if (repulsive) radialPart += radialBasis.repulsionDerivative(r);
            dEdr[3 * j] = radialPart * ux[j] + gx * invR;
            dEdr[3 * j + 1] = radialPart * uy[j] + gy * invR;
            dEdr[3 * j + 2] = radialPart * uz[j] + gz * invR;
        }
    }

    private void neighbourGradientsMagnetic(int n, double[] dEdr, double[] dEds) {
        int K = radialFuncs, T = tableSize;
        double[] m = mono;
        double dsCentral = 0;
        for (int j = 0; j < n; j++) {
            if (skip[j] != 0) {
                dEdr[3 * j] = 0;
                dEdr[3 * j + 1] = 0;
                dEdr[3 * j + 2] = 0;
                dEds[1 + j] = 0;
                continue;
            }
            double r = dist[j], invR = 1.0 / r;
            int fo = j * K, mo = j * T;
            double radialPart = 0, gx = 0, gy = 0, gz = 0, dsi = 0, dsj = 0;
            for (int g = 0; g < groupCount; g++) {
                double sumF = 0, sumDf = 0, sumSi = 0, sumSj = 0;
                for (int s = groupStart[g], e = groupStart[g + 1]; s < e; s++) {
                    double d = memberDerivative[s];
                    int mu = fo + memberMu[s];
                    sumF += d * f[mu];
                    sumDf += d * df[mu];
                    sumSi += d * dfdsi[mu];
                    sumSj += d * dfdsj[mu];
                }
                double mg = m[mo + groupMono[g]];
                radialPart += (sumDf - groupNu[g] * sumF * invR) * mg;
                gx += sumF * groupA[g] * m[mo + groupDx[g]];
                gy += sumF * groupB[g] * m[mo + groupDy[g]];
                gz += sumF * groupC[g] * m[mo + groupDz[g]];
                dsi += sumSi * mg;
                dsj += sumSj * mg;
            }
            radialPart += radialBasis.repulsionDerivative(r);
            dEdr[3 * j] = radialPart * ux[j] + gx * invR;
            dEdr[3 * j + 1] = radialPart * uy[j] + gy * invR;
            dEdr[3 * j + 2] = radialPart * uz[j] + gz * invR;
            dsCentral += dsi;
            dEds[1 + j] = dsj;
        }
        dEds[0] = dsCentral;
    }
}
