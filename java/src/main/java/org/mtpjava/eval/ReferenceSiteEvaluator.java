package org.mtpjava.eval;

import org.mtpjava.model.MomentBasis;
import org.mtpjava.model.Potential;

/**
 * The reference MTP kernel: the site energy and its neighbour gradients written as plainly as the equations
 * (maths.md §5-6), with no grouping, caching or reuse. It allocates freely and is slow; it exists to be
 * obviously right and to test {@link SiteEvaluator} against. It uses MLIP's raw-coordinate form
 * m_k = sum_j f_mu(r) x^a y^b z^c / r^nu, differentiated as g(r) x^a y^b z^c with g = f_mu / r^nu, while the
 * fast kernel works with unit vectors - two derivations that must agree.
 */
public final class ReferenceSiteEvaluator {
    private final Potential p;
    private final RadialBasis rb;

    public ReferenceSiteEvaluator(Potential p) {
        this.p = p;
        this.rb = new RadialBasis(p);
    }

    /** Radial function mu for the pair (ti, tj) at distance r and its r-derivative; magnetic moments optional. */
    private double[] radialFunction(int ti, int tj, int mu, double r, double si, double sj, boolean magnetic) {
        int R = p.radialBasisSize(), M = p.magneticSize(), S = p.speciesCount(), K = p.radialFunctionsCount();
        double[] q = new double[R], dq = new double[R];
        rb.radial(r, q, dq);
        double[] phiI = new double[M], dphiI = new double[M], phiJ = new double[M], dphiJ = new double[M];
        if (magnetic) {
            rb.magnetic(si, phiI, dphiI);
            rb.magnetic(sj, phiJ, dphiJ);
        } else {
            java.util.Arrays.fill(phiI, 1);
            java.util.Arrays.fill(phiJ, 1);
        }
        double[] c = p.radialCoefficients();
        double v = 0, dv = 0, dsi = 0, dsj = 0;
        for (int b = 0; b < R; b++) {
            for (int a = 0; a < M; a++) {
                for (int d = 0; d < M; d++) {
                    double coef = c[(((ti * S + tj) * K + mu) * R + b) * M * M + a * M + d] * p.scaling();
                    v += coef * q[b] * phiI[a] * phiJ[d];
                    dv += coef * dq[b] * phiI[a] * phiJ[d];
                    dsi += coef * q[b] * dphiI[a] * phiJ[d];
                    dsj += coef * q[b] * phiI[a] * dphiJ[d];
                }
            }
        }
        return new double[]{v, dv, dsi, dsj};
    }

    /**
     * Site energy; dEdr (flat 3n) receives dV/dr_ij; dEds (n+1, central first) dV/ds if not null. For a
     * magnetic potential {@code sj == null} means "no moments" (magnetic basis taken as 1).
     */
    public double siteEnergy(int ti, double si, int n, double[] rij, int[] species, double[] sj, double[] dEdr, double[] dEds) {
        MomentBasis b = p.basis();
        int nb = b.basicCount();
        double rc = p.cutoff();
        boolean magnetic = p.isMagnetic() && sj != null;
        double[] m = new double[b.momentsCount()];
        double energy = p.speciesCoefficients()[ti];
        for (int j = 0; j < n; j++) {
            double x = rij[3 * j], y = rij[3 * j + 1], z = rij[3 * j + 2];
            double r = Math.sqrt(x * x + y * y + z * z);
            if (r >= rc || r == 0) continue;
            energy += rb.repulsion(r);
            for (int k = 0; k < nb; k++) {
                double f = radialFunction(ti, species[j], b.basicMu(k), r, si, magnetic ? sj[j] : 0, magnetic)[0];
                int nu = b.basicRank(k);
                m[k] += f * Math.pow(x, b.basicA(k)) * Math.pow(y, b.basicB(k)) * Math.pow(z, b.basicC(k)) / Math.pow(r, nu);
            }
        }
        int[] t = b.timesArray();
        for (int e = 0; e < t.length; e += 4) m[t[e + 3]] += t[e + 2] * m[t[e]] * m[t[e + 1]];
        int[] map = b.scalarMappingArray();
        double[] xi = p.momentCoefficients();
        for (int a = 0; a < map.length; a++) energy += xi[a] * m[map[a]];
        if (dEdr == null && dEds == null) return energy;

        double[] dm = new double[m.length];
        for (int a = 0; a < map.length; a++) dm[map[a]] += xi[a];
        for (int e = t.length - 4; e >= 0; e -= 4) {
            dm[t[e]] += dm[t[e + 3]] * t[e + 2] * m[t[e + 1]];
            dm[t[e + 1]] += dm[t[e + 3]] * t[e + 2] * m[t[e]];
        }
        if (dEds != null) java.util.Arrays.fill(dEds, 0, n + 1, 0.0);
        for (int j = 0; j < n; j++) {
            double x = rij[3 * j], y = rij[3 * j + 1], z = rij[3 * j + 2];
            double r = Math.sqrt(x * x + y * y + z * z);
            double gx = 0, gy = 0, gz = 0;
            if (r < rc && r > 0) {
                double rep = rb.repulsionDerivative(r);
                gx += rep * x / r;
                gy += rep * y / r;
                gz += rep * z / r;
                for (int k = 0; k < nb; k++) {
                    double[] fr = radialFunction(ti, species[j], b.basicMu(k), r, si, magnetic ? sj[j] : 0, magnetic);
                    int a = b.basicA(k), bb = b.basicB(k), c = b.basicC(k), nu = a + bb + c;
                    double g = fr[0] / Math.pow(r, nu);
                    double dg = fr[1] / Math.pow(r, nu) - nu * fr[0] / Math.pow(r, nu + 1);
                    double mono = Math.pow(x, a) * Math.pow(y, bb) * Math.pow(z, c);
                    double ddx = a == 0 ? 0 : a * Math.pow(x, a - 1) * Math.pow(y, bb) * Math.pow(z, c);
                    double ddy = bb == 0 ? 0 : bb * Math.pow(x, a) * Math.pow(y, bb - 1) * Math.pow(z, c);
                    double ddz = c == 0 ? 0 : c * Math.pow(x, a) * Math.pow(y, bb) * Math.pow(z, c - 1);
                    gx += dm[k] * (dg / r * x * mono + g * ddx);
                    gy += dm[k] * (dg / r * y * mono + g * ddy);
                    gz += dm[k] * (dg / r * z * mono + g * ddz);
                    if (dEds != null && magnetic) {
                        double w = dm[k] * mono / Math.pow(r, nu);
                        dEds[0] += w * fr[2];
                        dEds[1 + j] += w * fr[3];
                    }
                }
            }
            if (dEdr != null) {
                dEdr[3 * j] = gx;
                dEdr[3 * j + 1] = gy;
                dEdr[3 * j + 2] = gz;
            }
        }
        return energy;
    }
}
