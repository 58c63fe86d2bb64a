package org.mtpjava.al;

import org.mtpjava.model.Configuration;

import java.util.ArrayList;
import java.util.List;

/**
 * MLIP-3 {@code cut_extrapolative_nbh}: for each configuration whose largest {@code nbh_grades} value is at least
 * the threshold (1.1), a non-periodic cluster made of the worst atom (first maximum) at the origin and all its
 * neighbours within {@code cutoff} (7 A by default; independent of the potential's cutoff), so that the
 * extrapolative neighbourhood can be sent to DFT. Features {@code cfg#} (running counter of written clusters),
 * {@code nbh#} (0-based atom index) and {@code extrapolation_grade}.
 *
 * <p>The neighbours are listed in the order MLIP's {@code Configuration::InitNbhs} produces them (atoms first,
 * then periodic images shell by shell; pairs visited i &lt; j, each pair added to both atoms), so the clusters
 * are atom-for-atom identical to MLIP's.
 */
public final class ExtrapolativeNeighbourhoods {
    public static final double DEFAULT_CUTOFF = 7.0;
    public static final double DEFAULT_THRESHOLD = 1.1;

    private ExtrapolativeNeighbourhoods() {}

    /** Index of the first atom with the largest grade (MLIP: strict '>' from 0), or -1 if all grades are <= 0. */
    public static int worstAtom(double[] grades) {
        int best = -1;
        double max = 0;
        for (int j = 0; j < grades.length; j++) {
            if (grades[j] > max) {
                max = grades[j];
                best = j;
            }
        }
        return best;
    }

    /**
     * The cluster of one configuration, or null if its largest grade is below {@code threshold}.
     *
     * @param counter value of the {@code cfg#} feature (number of clusters written before)
     */
    public static Configuration cut(Configuration cfg, double cutoff, double threshold, int counter) {
        double[] g = cfg.neighbourhoodGrades();
        if (g == null) {
            throw new IllegalArgumentException("the configuration has no nbh_grades column; grade it first with "
                    + "calculate-grade and a neighbourhood-mode potential (site_en_weight 1)");
        }
        int worst = worstAtom(g);
        if (worst < 0 || g[worst] < threshold) return null;
        Neighbourhood nb = neighbourhood(cfg, worst, cutoff);
        Configuration c = new Configuration(nb.count + 1);
        c.types()[0] = cfg.types()[worst];
        double[] x = c.positions();
        for (int e = 0; e < nb.count; e++) {
            x[3 * (e + 1)] = nb.vectors[3 * e];
            x[3 * (e + 1) + 1] = nb.vectors[3 * e + 1];
            x[3 * (e + 1) + 2] = nb.vectors[3 * e + 2];
            c.types()[e + 1] = nb.types[e];
        }
        c.features().put("cfg#", Integer.toString(counter));
        c.features().put("nbh#", Integer.toString(worst));
        c.features().put("extrapolation_grade", ActiveLearning.formatGrade(g[worst]));
        return c;
    }

    /** Neighbours of one atom: flat vectors x_j - x_i and the neighbours' types, in MLIP's order. */
    public record Neighbourhood(double[] vectors, int[] types, int count) {}

    /** The neighbourhood of {@code atom} within {@code cutoff} (strict), ordered as MLIP-3 orders it. */
    public static Neighbourhood neighbourhood(Configuration cfg, int atom, double cutoff) {
        int n = cfg.size();
        if (atom < 0 || atom >= n) throw new IllegalArgumentException("atom index " + atom + " outside 0.." + (n - 1));
        Extended ext = extend(cfg, cutoff);
        double[] p = ext.pos;
        int total = ext.orig.length;
        List<double[]> vecs = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        int[] t = cfg.types();
        for (int i = 0; i <= atom; i++) {
            for (int j = i + 1; j < total; j++) {
                int oj = ext.orig[j];
                if (i < atom && oj != atom) continue;
                if (i == atom && oj < atom) continue;
                double vx = p[3 * j] - p[3 * i], vy = p[3 * j + 1] - p[3 * i + 1], vz = p[3 * j + 2] - p[3 * i + 2];
                double d = Math.sqrt(vx * vx + vy * vy + vz * vz);
                if (!(d < cutoff)) continue;
                if (i == atom) {
                    vecs.add(new double[]{vx, vy, vz});
                    types.add(t[oj]);
                } else {
                    // the pair (i, image of atom) seen from atom: -vect_ij, neighbour i
                    vecs.add(new double[]{-vx, -vy, -vz});
                    types.add(t[i]);
                }
            }
        }
        int cnt = vecs.size();
        double[] v = new double[3 * cnt];
        int[] ty = new int[cnt];
        for (int e = 0; e < cnt; e++) {
            System.arraycopy(vecs.get(e), 0, v, 3 * e, 3);
            ty[e] = types.get(e);
        }
        return new Neighbourhood(v, ty, cnt);
    }

    /** Atoms followed by MLIP's ghost images (InitNbhs_AddGhostAtoms). */
    private record Extended(double[] pos, int[] orig) {}

    private static Extended extend(Configuration cfg, double cutoff) {
        int n = cfg.size();
        double[] x = cfg.positions(), lat = cfg.lattice();
        List<double[]> pos = new ArrayList<>();
        List<Integer> orig = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pos.add(new double[]{x[3 * i], x[3 * i + 1], x[3 * i + 2]});
            orig.add(i);
        }
        double[] lo = {x[0], x[1], x[2]}, hi = {x[0], x[1], x[2]};
        for (int i = 1; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], x[3 * i + a]);
                hi[a] = Math.max(hi[a], x[3 * i + a]);
            }
        }
        boolean[] periodic = {cfg.isPeriodic(0), cfg.isPeriodic(1), cfg.isPeriodic(2)};
        boolean added = true;
        for (int l = 1; added; l++) {
            added = false;
            int l0 = periodic[0] ? l : 0, l1 = periodic[1] ? l : 0, l2 = periodic[2] ? l : 0;
            for (int i = -l0; i <= l0; i++) {
                for (int j = -l1; j <= l1; j++) {
                    for (int k = -l2; k <= l2; k++) {
                        if (Math.max(Math.max(Math.abs(i), Math.abs(j)), Math.abs(k)) != l) continue;
                        for (int ind = 0; ind < n; ind++) {
                            double[] c = new double[3];
                            for (int a = 0; a < 3; a++) c[a] = x[3 * ind + a] + (i * lat[a] + j * lat[3 + a] + k * lat[6 + a]);
                            if (c[0] < lo[0] - cutoff || c[1] < lo[1] - cutoff || c[2] < lo[2] - cutoff
                                    || c[0] > hi[0] + cutoff || c[1] > hi[1] + cutoff || c[2] > hi[2] + cutoff) continue;
                            boolean near = false;
                            for (int q = 0; q < n && !near; q++) {
                                double dx = c[0] - x[3 * q], dy = c[1] - x[3 * q + 1], dz = c[2] - x[3 * q + 2];
                                near = !(Math.sqrt(dx * dx + dy * dy + dz * dz) > cutoff);
                            }
                            if (near) {
                                pos.add(c);
                                orig.add(ind);
                                added = true;
                            }
                        }
                    }
                }
            }
        }
        double[] p = new double[3 * pos.size()];
        int[] o = new int[pos.size()];
        for (int e = 0; e < pos.size(); e++) {
            System.arraycopy(pos.get(e), 0, p, 3 * e, 3);
            o[e] = orig.get(e);
        }
        return new Extended(p, o);
    }
}
