package org.mtpjava.al;

import org.mtpjava.model.Configuration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The periodic alternative to MLIP-3's clusters ({@link ExtrapolativeNeighbourhoods#cut}): a small periodic cell
 * around the most extrapolative atom of a large periodic configuration, for oracles that want periodic cells
 * (plane-wave DFT) and for bulk-like environments that a cluster's open surface would distort.
 *
 * <p>The new cell has the parent's lattice directions; along each direction whose perpendicular width exceeds
 * {@code 2 h / 0.75} it is shortened to the perpendicular width {@code 2 h}, centred on the worst atom, and the other
 * directions are kept whole (a slab keeps its vacuum, a thin cell its own periodicity). No periodic image of the new
 * cell comes closer to the worst atom than {@code h}. Where the cut faces meet, atoms from opposite faces become
 * neighbours; an atom that would come closer to another across a face than the smallest distance between the kept
 * atoms in the parent (so closer than any real pair there) is removed, farthest from the centre first, but never
 * one within the keep radius {@code r} of the worst atom: so the worst atom's neighbourhood within {@code r} (the
 * potential's cutoff) is exactly the parent's, and its site energy and grade are too. Two atoms within {@code r}
 * cannot meet across a face when {@code h >= r + d/2} (d the smallest distance); a smaller {@code h} that lets them
 * is refused with an error. The parent's lattice must be periodic in all three directions.
 *
 * <p>Features: {@code cfg#}, {@code nbh#} and {@code extrapolation_grade} as for the clusters, plus
 * {@code cut = periodic} and {@code removed_at_faces} (the number of atoms removed at the faces).
 */
public final class PeriodicCut {
    /** Directions are shortened only when that removes at least a quarter of the parent cell along them. */
    static final double KEEP_WHOLE_ABOVE = 0.75;

    private PeriodicCut() {}

    /**
     * The periodic cell around the worst atom of one configuration, or null if its largest grade is below
     * {@code threshold}.
     *
     * @param halfWidth  distance in A from the worst atom to each cut face
     * @param keepRadius atoms within this distance of the worst atom are never removed (the potential's cutoff)
     * @param counter    value of the {@code cfg#} feature (number of cells written before)
     */
    public static Configuration cut(Configuration cfg, double halfWidth, double keepRadius, double threshold, int counter) {
        if (!(halfWidth > 0) || !Double.isFinite(halfWidth)) throw new IllegalArgumentException("the half-width of a periodic cut must be a positive number of A");
        if (!(keepRadius >= 0) || !(keepRadius < halfWidth)) {
            throw new IllegalArgumentException("the keep radius of a periodic cut (" + keepRadius + " A, the potential's cutoff) must be "
                    + "smaller than its half-width (" + halfWidth + " A)");
        }
        double[] g = cfg.neighbourhoodGrades();
        if (g == null) {
            throw new IllegalArgumentException("the configuration has no nbh_grades column; grade it first with "
                    + "calculate-grade and a neighbourhood-mode potential (site_en_weight 1)");
        }
        for (int a = 0; a < 3; a++) {
            if (!cfg.isPeriodic(a)) {
                throw new IllegalArgumentException("a periodic cut needs a configuration periodic in all three directions "
                        + "(this one has " + cfg.latticeRowsToWrite() + " lattice vectors); use the cluster cut");
            }
        }
        int worst = ExtrapolativeNeighbourhoods.worstAtom(g);
        if (worst < 0 || g[worst] < threshold) return null;
        Configuration c = cell(cfg, worst, halfWidth, keepRadius);
        c.features().put("cfg#", Integer.toString(counter));
        c.features().put("nbh#", Integer.toString(worst));
        c.features().put("extrapolation_grade", ActiveLearning.formatGrade(g[worst]));
        return c;
    }

    /** The periodic cell of half-width {@code h} around {@code centre} (atom index); the centre atom comes first. */
    static Configuration cell(Configuration cfg, int centre, double h, double keepRadius) {
        double[] lat = cfg.lattice();
        double[] inv = inverse(lat);
        double volume = Math.abs(det(lat));
        double[] f = new double[3];
        for (int k = 0; k < 3; k++) {
            double width = volume / norm(cross(lat, (k + 1) % 3, (k + 2) % 3));
            f[k] = 2 * h / width > KEEP_WHOLE_ABOVE ? 1 : 2 * h / width;
        }
        // fractional coordinates relative to the centre, wrapped to [-1/2, 1/2); keep those inside the cut faces
        double[] x = cfg.positions();
        int n = cfg.size();
        List<double[]> kept = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            int j = q == 0 ? centre : (q <= centre ? q - 1 : q);   // the centre first, then the others in order
            double[] s = new double[3];
            boolean inside = true;
            for (int k = 0; k < 3; k++) {
                double d = 0;
                for (int a = 0; a < 3; a++) d += (x[3 * j + a] - x[3 * centre + a]) * inv[3 * a + k];
                d -= Math.floor(d + 0.5);
                s[k] = d;
                if (f[k] < 1 && !(Math.abs(d) < f[k] / 2)) inside = false;
            }
            if (inside) {
                kept.add(s);
                from.add(j);
            }
        }
        boolean[] removed = removeFaceOverlaps(kept, lat, f, keepRadius, h);
        int m = 0;
        for (boolean r : removed) if (!r) m++;
        Configuration c = new Configuration(m);
        double[] nl = new double[9];
        for (int k = 0; k < 3; k++) for (int a = 0; a < 3; a++) nl[3 * k + a] = f[k] * lat[3 * k + a];
        c.setLattice(nl);
        double[] mag = cfg.hasMagneticMoments() ? new double[3 * m] : null;
        int e = 0;
        for (int q = 0; q < kept.size(); q++) {
            if (removed[q]) continue;
            double[] s = kept.get(q);
            for (int a = 0; a < 3; a++) {
                double r = 0;
                for (int k = 0; k < 3; k++) r += (s[k] + (f[k] < 1 ? f[k] / 2 : 0)) * lat[3 * k + a];
                c.positions()[3 * e + a] = r;
            }
            int j = from.get(q);
            c.types()[e] = cfg.types()[j];
            if (mag != null) System.arraycopy(cfg.magneticMoments(), 3 * j, mag, 3 * e, 3);
            e++;
        }
        if (mag != null) c.setMagneticMoments(mag);
        c.features().put("cut", "periodic");
        c.features().put("removed_at_faces", Integer.toString(kept.size() - m));
        return c;
    }

    /**
     * Marks the atoms to remove: those closer to another across a cut face (a periodic image of the new cell along
     * a shortened direction) than the smallest distance between kept atoms in the parent, farthest from the centre
     * first; atoms within {@code keepRadius} of atom 0 (the centre) are never removed.
     */
    static boolean[] removeFaceOverlaps(List<double[]> s, double[] lat, double[] f, double keepRadius, double h) {
        int m = s.size();
        boolean[] removed = new boolean[m];
        int[] cutDirs = IntStream.range(0, 3).filter(k -> f[k] < 1).toArray();
        if (cutDirs.length == 0) return removed;
        double parentMin = Double.POSITIVE_INFINITY;   // parent distances: images only along the whole directions
        for (int p = 0; p < m; p++) for (int q = p + 1; q < m; q++) parentMin = Math.min(parentMin, distance(s.get(p), s.get(q), lat, f, false));
        double[] r2 = new double[m];
        Integer[] order = new Integer[m];
        for (int p = 0; p < m; p++) {
            order[p] = p;
            double[] v = cartesian(s.get(p), lat);
            r2[p] = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
        }
        Arrays.sort(order, (a, b) -> Double.compare(r2[b], r2[a]));
        for (int p : order) {
            for (int q = 0; q < m && !removed[p]; q++) {
                if (q == p || removed[q] || !(distance(s.get(p), s.get(q), lat, f, true) < parentMin * (1 - 1e-9))) continue;
                boolean keepP = r2[p] < keepRadius * keepRadius, keepQ = r2[q] < keepRadius * keepRadius;
                if (keepP && keepQ) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "periodic cut: two atoms within the keep radius "
                            + "%.3f A meet across a face; use a half-width of at least %.3f A (now %.3f)", keepRadius, keepRadius + parentMin / 2, h));
                }
                if (keepP) removed[q] = true;
                else removed[p] = true;
            }
        }
        return removed;
    }

    /**
     * Smallest distance between two kept atoms over the images of the new cell that cross a cut face
     * ({@code acrossFaces}) or over those that do not (the distance in the parent).
     */
    private static double distance(double[] sp, double[] sq, double[] lat, double[] f, boolean acrossFaces) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = -1; i <= 1; i++) {
            for (int j = -1; j <= 1; j++) {
                for (int k = -1; k <= 1; k++) {
                    int[] t = {i, j, k};
                    boolean crosses = false;
                    for (int a = 0; a < 3; a++) if (t[a] != 0 && f[a] < 1) crosses = true;
                    if (crosses != acrossFaces) continue;
                    double[] d = new double[3];
                    for (int a = 0; a < 3; a++) d[a] = sq[a] - sp[a] + t[a] * f[a];
                    double[] v = cartesian(d, lat);
                    best = Math.min(best, Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
                }
            }
        }
        return best;
    }

    private static double[] cartesian(double[] s, double[] lat) {
        double[] v = new double[3];
        for (int a = 0; a < 3; a++) v[a] = s[0] * lat[a] + s[1] * lat[3 + a] + s[2] * lat[6 + a];
        return v;
    }

    private static double[] cross(double[] lat, int p, int q) {
        return new double[] {lat[3 * p + 1] * lat[3 * q + 2] - lat[3 * p + 2] * lat[3 * q + 1],
                lat[3 * p + 2] * lat[3 * q] - lat[3 * p] * lat[3 * q + 2],
                lat[3 * p] * lat[3 * q + 1] - lat[3 * p + 1] * lat[3 * q]};
    }

    private static double norm(double[] v) { return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]); }

    private static double det(double[] l) {
        return l[0] * (l[4] * l[8] - l[5] * l[7]) - l[1] * (l[3] * l[8] - l[5] * l[6]) + l[2] * (l[3] * l[7] - l[4] * l[6]);
    }

    /** Inverse of the row-vector lattice: fractional coordinate k of a vector v is sum_a v[a] * inv[3a + k]. */
    private static double[] inverse(double[] l) {
        double d = det(l);
        return new double[] {
                (l[4] * l[8] - l[5] * l[7]) / d, (l[2] * l[7] - l[1] * l[8]) / d, (l[1] * l[5] - l[2] * l[4]) / d,
                (l[5] * l[6] - l[3] * l[8]) / d, (l[0] * l[8] - l[2] * l[6]) / d, (l[2] * l[3] - l[0] * l[5]) / d,
                (l[3] * l[7] - l[4] * l[6]) / d, (l[1] * l[6] - l[0] * l[7]) / d, (l[0] * l[4] - l[1] * l[3]) / d};
    }
}
