package org.mtpjava.train;

import org.mtpjava.eval.SpeciesMap;
import org.mtpjava.io.InputFileException;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Configurations prepared for repeated evaluation with one potential: neighbour lists (cutoff = max_dist, which
 * training never changes), species indices of atoms and of every neighbour entry, collinear magnetic moments.
 * Positions never change during training, so all of this is built once.
 */
public final class TrainingSet {
    /** Atoms closer than this (Å) are reported as overlapping (duplicated atoms, broken input). */
    public static final double OVERLAP_DISTANCE = 0.1;

    private final String source;
    private final List<Configuration> configurations;
    private final NeighbourList[] lists;
    private final int[][] atomSpecies;
    private final int[][] pairSpecies;
    private final double[][] moments; // per atom (x component) or null
    private final double[][] pairMoments; // per neighbour entry: the neighbour's moment, or null
    private final long atoms, pairs;
    private int[] beginLines; // line of BEGIN_CFG of each configuration (lazily, for messages)
    private final Path file;

    private TrainingSet(String source, Path file, List<Configuration> cfgs, NeighbourList[] lists, int[][] atomSpecies,
                        int[][] pairSpecies, double[][] moments, double[][] pairMoments) {
        this.source = source;
        this.file = file;
        this.configurations = cfgs;
        this.lists = lists;
        this.atomSpecies = atomSpecies;
        this.pairSpecies = pairSpecies;
        this.moments = moments;
        this.pairMoments = pairMoments;
        long a = 0, p = 0;
        for (int k = 0; k < lists.length; k++) {
            a += cfgs.get(k).size();
            p += lists[k].pairs();
        }
        this.atoms = a;
        this.pairs = p;
    }

    /**
     * Builds the set for {@code potential} (its species labels and cutoff). Types unknown to the potential are an
     * error naming the file and the configuration.
     *
     * @param source name used in messages (usually the file name)
     * @param file   the file the configurations came from (for line numbers in messages), or null
     */
    public static TrainingSet of(String source, Path file, List<Configuration> cfgs, Potential potential) {
        SpeciesMap map = new SpeciesMap(potential);
        int n = cfgs.size();
        NeighbourList[] lists = new NeighbourList[n];
        int[][] atomSpecies = new int[n][];
        int[][] pairSpecies = new int[n][];
        double[][] moments = potential.isMagnetic() ? new double[n][] : null;
        double[][] pairMoments = potential.isMagnetic() ? new double[n][] : null;
        TrainingSet partial = new TrainingSet(source, file, cfgs, new NeighbourList[0], null, null, null, null);
        for (int k = 0; k < n; k++) {
            Configuration c = cfgs.get(k);
            int[] sp = new int[c.size()];
            int[] t = c.types();
            for (int i = 0; i < sp.length; i++) {
                sp[i] = map.speciesOf(t[i]);
                if (sp[i] < 0) {
                    throw partial.error(k, "atom " + (i + 1) + " has type " + t[i] + ", which the potential does not have (its species are "
                            + java.util.Arrays.toString(potential.speciesLabels()) + ")");
                }
            }
            NeighbourList nl;
            try {
                nl = NeighbourList.build(c, potential.cutoff());
            } catch (IllegalArgumentException e) {
                throw partial.error(k, e.getMessage());
            }
            int[] ps = new int[nl.pairs()];
            for (int e = 0; e < ps.length; e++) ps[e] = sp[nl.neighbour(e)];
            lists[k] = nl;
            atomSpecies[k] = sp;
            pairSpecies[k] = ps;
            if (moments != null && c.hasMagneticMoments()) {
                double[] mm = c.magneticMoments();
                double[] s = new double[c.size()];
                for (int i = 0; i < s.length; i++) s[i] = mm[3 * i];
                moments[k] = s;
                double[] pm = new double[nl.pairs()];
                for (int e = 0; e < pm.length; e++) pm[e] = s[nl.neighbour(e)];
                pairMoments[k] = pm;
            }
        }
        return new TrainingSet(source, file, cfgs, lists, atomSpecies, pairSpecies, moments, pairMoments);
    }

    public String source() { return source; }
    public int size() { return configurations.size(); }
    public long atoms() { return atoms; }
    public long pairs() { return pairs; }
    public Configuration configuration(int k) { return configurations.get(k); }
    public List<Configuration> configurations() { return configurations; }
    public NeighbourList neighbours(int k) { return lists[k]; }
    public int[] atomSpecies(int k) { return atomSpecies[k]; }
    public int[] pairSpecies(int k) { return pairSpecies[k]; }
    /** Collinear moments (x component) of configuration k, or null. */
    public double[] moments(int k) { return moments == null ? null : moments[k]; }
    /** The neighbour's moment for every neighbour entry of configuration k, or null. */
    public double[] pairMoments(int k) { return pairMoments == null ? null : pairMoments[k]; }

    /** Number of configurations with at least one atom. */
    public int nonEmpty() {
        int c = 0;
        for (Configuration cfg : configurations) if (cfg.size() > 0) c++;
        return c;
    }

    /** Smallest interatomic distance (periodic images included, within the cutoff) and where it is. */
    public record MinDistance(double distance, int configuration, int atomI, int atomJ) {}

    /** The smallest distance over the whole set, or null if no pair lies within the cutoff. */
    public MinDistance minDistance() {
        MinDistance best = null;
        for (int k = 0; k < size(); k++) {
            MinDistance m = minDistance(k);
            if (m != null && (best == null || m.distance() < best.distance())) best = m;
        }
        return best;
    }

    /** The smallest distance within configuration k (null if no pair within the cutoff). */
    public MinDistance minDistance(int k) {
        NeighbourList nl = lists[k];
        double[] v = nl.vectors();
        double best2 = Double.POSITIVE_INFINITY;
        int bi = -1, bj = -1;
        for (int i = 0; i < nl.atoms(); i++) {
            int end = nl.offset(i) + nl.count(i);
            for (int e = nl.offset(i); e < end; e++) {
                double r2 = v[3 * e] * v[3 * e] + v[3 * e + 1] * v[3 * e + 1] + v[3 * e + 2] * v[3 * e + 2];
                if (r2 < best2) {
                    best2 = r2;
                    bi = i;
                    bj = nl.neighbour(e);
                }
            }
        }
        return bi < 0 ? null : new MinDistance(Math.sqrt(best2), k, bi, bj);
    }

    /** Number of configurations and of (ordered) pairs closer than {@code d}. */
    public long[] countCloserThan(double d) {
        long cfgs = 0, pairsBelow = 0;
        double d2 = d * d;
        for (int k = 0; k < size(); k++) {
            double[] v = lists[k].vectors();
            long here = 0;
            for (int e = 0; e < lists[k].pairs(); e++) {
                double r2 = v[3 * e] * v[3 * e] + v[3 * e + 1] * v[3 * e + 1] + v[3 * e + 2] * v[3 * e + 2];
                if (r2 < d2) here++;
            }
            if (here > 0) cfgs++;
            pairsBelow += here / 2;
        }
        return new long[]{cfgs, pairsBelow};
    }

    /** "file:line: configuration k (1-based): message" as an input error. */
    public InputFileException error(int k, String message) {
        return new InputFileException(source, beginLine(k), "configuration " + (k + 1) + ": " + message);
    }

    /** The line of the BEGIN_CFG of configuration k, or 0 if unknown. */
    public synchronized int beginLine(int k) {
        if (beginLines == null) beginLines = scanBeginLines(file);
        return k < beginLines.length ? beginLines[k] : 0;
    }

    /** Line numbers of the BEGIN_CFG lines of a cfg file (gzip allowed); empty if unreadable. */
    static int[] scanBeginLines(Path file) {
        if (file == null) return new int[0];
        List<Integer> out = new ArrayList<>();
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.strip().equals("BEGIN_CFG")) out.add(no);
            }
        } catch (IOException e) {
            return new int[0];
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
