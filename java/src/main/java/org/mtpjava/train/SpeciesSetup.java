package org.mtpjava.train;

import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * MLIP-3's AddSpecies (maths.md §8.3 step 1): the species of the potential are made to match the training data.
 * An untrained potential is rebuilt with exactly the species of the data, sorted by type label; a trained one
 * keeps its coefficients and gets new species appended. New radial coefficients are 1e-6, except entry
 * beta = min(mu, R-1) of radial function mu, which is 1e-3 * (pair + 1) ("all species interact the same way");
 * with {@code initRandom} (untrained potentials only) they are 5e-7 U(-1, 1) and 1e-7 (1 + U(-1, 1)) instead.
 * New species coefficients are 0.
 */
public final class SpeciesSetup {
    private SpeciesSetup() {}

    /** What changed, for the log. */
    public record Result(int[] addedLabels, boolean rebuilt) {}

    /** Sorted distinct types of the data. */
    public static int[] typesOf(List<Configuration> data) {
        TreeSet<Integer> t = new TreeSet<>();
        for (Configuration c : data) for (int x : c.types()) t.add(x);
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Adapts the species of {@code p} in place.
     *
     * @throws IllegalArgumentException if a trained potential has a species that the data lack (MLIP-3: "You are
     *                                  doing something wrong!")
     */
    public static Result apply(Potential p, List<Configuration> data, String dataName, boolean initRandom, Random rnd) {
        int[] types = typesOf(data);
        for (int t : types) {
            if (t < 0) throw new IllegalArgumentException(dataName + ": atom type " + t + " is negative; types must be >= 0");
        }
        boolean trained = p.isTrained();
        int[] oldLabels = trained ? p.speciesLabels().clone() : new int[0];
        for (int l : oldLabels) {
            if (Arrays.binarySearch(types, l) < 0) {
                throw new IllegalArgumentException("species " + l + " of the potential does not occur in " + dataName
                        + " (types there: " + Arrays.toString(types) + "); MLIP-3 refuses this too. Train on data that contain "
                        + "every species of the potential, or start from an untrained template");
            }
        }
        List<Integer> labels = new ArrayList<>();
        for (int l : oldLabels) labels.add(l);
        List<Integer> added = new ArrayList<>();
        for (int t : types) {
            if (!labels.contains(t)) {
                labels.add(t);
                added.add(t);
            }
        }
        int oldS = oldLabels.length, newS = labels.size();
        int k = p.radialFunctionsCount(), r = p.radialBasisSize(), m2 = p.magneticSize() * p.magneticSize();
        int cpp = k * r * m2;
        if (!added.isEmpty() || !trained) {
            double[] oldRadial = trained ? p.radialCoefficients().clone() : new double[0];
            double[] oldSpecies = trained ? p.speciesCoefficients().clone() : new double[0];
            double[] oldMoments = trained ? p.momentCoefficients().clone() : null;
            double oldScaling = p.scaling();
            p.resetSpecies(newS);
            p.setScaling(oldScaling);
            double[] radial = new double[newS * newS * cpp];
            int pair = 0;
            for (int a = 0; a < newS; a++) {
                for (int b = 0; b < newS; b++, pair++) {
                    int base = pair * cpp;
                    if (a < oldS && b < oldS) {
                        System.arraycopy(oldRadial, (a * oldS + b) * cpp, radial, base, cpp);
                        continue;
                    }
                    for (int mu = 0; mu < k; mu++) {
                        int rowBase = base + mu * r * m2;
                        int diag = Math.min(mu, r - 1);
                        for (int beta = 0; beta < r; beta++) {
                            for (int pq = 0; pq < m2; pq++) {
                                double v;
                                if (initRandom && !trained) v = 5e-7 * uniform(rnd);
                                else v = 1e-6;
                                radial[rowBase + beta * m2 + pq] = v;
                            }
                        }
                        for (int pq = 0; pq < m2; pq++) {
                            radial[rowBase + diag * m2 + pq] = initRandom && !trained ? 1e-7 * (1 + uniform(rnd)) : 1e-3 * (pair + 1);
                        }
                    }
                }
            }
            double[] species = new double[newS];
            System.arraycopy(oldSpecies, 0, species, 0, oldS);
            double[] moments = oldMoments != null ? oldMoments : p.momentCoefficients().clone();
            p.setCoefficients(radial, species, moments);
            p.setTrained(trained);
            int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
            p.setSpeciesLabels(l);
        }
        return new Result(added.stream().mapToInt(Integer::intValue).toArray(), !trained);
    }

    private static double uniform(Random rnd) { return 2 * rnd.nextDouble() - 1; }
}
