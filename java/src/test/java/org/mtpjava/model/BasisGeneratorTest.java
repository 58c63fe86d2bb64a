package org.mtpjava.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BasisGenerator against the MLIP templates, plus template-independent checks (rotation invariance, nesting). */
class BasisGeneratorTest {

    // ---------------------------------------------------------------- MLIP templates

    private static Path template(int level) {
        Path dir = org.mtpjava.TestData.root().resolve("data").resolve("mlip_reference_kit").resolve("templates");
        String name = level <= 4 ? String.format("depreciated-%02d.almtp", level) : String.format("%02d.almtp", level);
        Path plain = dir.resolve(name);
        return Files.exists(plain) ? plain : dir.resolve(name + ".gz");
    }

    /** The {@code key = value} lines of a template whose key starts with alpha_ or radial_funcs_count, as int lists. */
    private static Map<String, int[]> readTemplate(int level) throws IOException {
        Path f = template(level);
        assertTrue(Files.exists(f), "template missing: " + f);
        String text;
        try (InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, int[]> out = new HashMap<>();
        Pattern num = Pattern.compile("-?\\d+");
        for (String line : text.split("\n")) {
            String t = line.trim();
            int eq = t.indexOf('=');
            if (eq < 0 || !(t.startsWith("alpha_") || t.startsWith("radial_funcs_count"))) continue;
            Matcher m = num.matcher(t.substring(eq + 1));
            List<Integer> v = new ArrayList<>();
            while (m.find()) v.add(Integer.parseInt(m.group()));
            out.put(t.substring(0, eq).trim(), v.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28})
    void identicalToMlipTemplate(int level) throws IOException {
        Map<String, int[]> t = readTemplate(level);
        MomentBasis b = BasisGenerator.generate(level);
        int k = BasisGenerator.radialFunctionsCount(level);
        assertEquals(t.get("radial_funcs_count")[0], k, "radial_funcs_count");
        assertEquals(k, b.radialFunctionsUsed(), "radial functions used by the basis");
        assertEquals(t.get("alpha_moments_count")[0], b.momentsCount(), "alpha_moments_count");
        assertEquals(t.get("alpha_index_basic_count")[0], b.basicCount(), "alpha_index_basic_count");
        assertEquals(t.get("alpha_index_times_count")[0], b.timesCount(), "alpha_index_times_count");
        assertEquals(t.get("alpha_scalar_moments")[0], b.scalarCount(), "alpha_scalar_moments");
        assertArrayEquals(t.get("alpha_index_basic"), b.basicArray(), "alpha_index_basic");
        assertArrayEquals(t.get("alpha_index_times"), b.timesArray(), "alpha_index_times (same entries, same order)");
        assertArrayEquals(t.get("alpha_moment_mapping"), b.scalarMappingArray(), "alpha_moment_mapping");
    }

    /** The published sizes (docs/reference-numbers.md §4.2), independent of parsing the files. */
    @Test
    void countsEqualPublishedTable() {
        int[][] table = { // level, K, moments, basic, times, scalars
            {2, 1, 1, 1, 0, 1}, {4, 1, 2, 1, 1, 2},
            {6, 2, 8, 5, 5, 5}, {8, 2, 18, 11, 14, 9}, {10, 3, 41, 25, 42, 16}, {12, 3, 84, 46, 117, 29},
            {14, 4, 174, 81, 348, 52}, {16, 4, 350, 130, 969, 92}, {18, 5, 718, 201, 2634, 163},
            {20, 5, 1352, 295, 6349, 288}, {22, 6, 2621, 421, 15431, 500}, {24, 6, 4991, 581, 36170, 864},
            {26, 6, 9396, 706, 82520, 1464}, {28, 6, 17366, 866, 180069, 2445},
            // above the templates (K stays 6, rank cap 10): regression values of this generator
            {30, 6, 30944, 988, 375211, 3996}, {32, 6, 54206, 1142, 763532, 6402},
        };
        for (int[] row : table) {
            MomentBasis b = BasisGenerator.generate(row[0]);
            int[] got = {row[0], BasisGenerator.radialFunctionsCount(row[0]), b.momentsCount(), b.basicCount(),
                    b.timesCount(), b.scalarCount()};
            assertArrayEquals(row, got, "level " + row[0]);
        }
    }

    @Test
    void radialFunctionRule() {
        int[] expected = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6};   // levels 2, 4, ..., 40
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], BasisGenerator.radialFunctionsCount(2 + 2 * i), "level " + (2 + 2 * i));
        }
    }

    @Test
    void rejectsInvalidLevels() {
        for (int bad : new int[]{-2, 0, 1, 3, 7, 29}) {
            assertThrows(IllegalArgumentException.class, () -> BasisGenerator.generate(bad), "level " + bad);
            assertThrows(IllegalArgumentException.class, () -> BasisGenerator.radialFunctionsCount(bad), "level " + bad);
        }
        assertThrows(IllegalArgumentException.class, () -> BasisGenerator.generate(10, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> BasisGenerator.generate(10, 3, -1));
    }

    @Test
    void level28IsFast() {
        BasisGenerator.generate(28);   // warm-up
        long t0 = System.nanoTime();
        MomentBasis b = BasisGenerator.generate(28);
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals(2445, b.scalarCount());
        assertTrue(s < 10, "level 28 took " + s + " s");
    }

    // ---------------------------------------------------------------- template-independent checks

    /** Smooth test radial functions, different for each mu. */
    private static double radial(int mu, double r) {
        return Math.exp(-0.3 * r) * Math.cos(0.9 * (mu + 1) * r + 0.2 * mu);
    }

    /** All moment slots: basic moments m_k = sum_j f_mu(r_j) x^a y^b z^c / r^nu, then the products in order. */
    private static double[] evaluate(MomentBasis b, double[][] nbh, boolean absolute) {
        double[] m = new double[b.momentsCount()];
        for (int k = 0; k < b.basicCount(); k++) {
            double s = 0;
            for (double[] v : nbh) {
                double r = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
                double t = radial(b.basicMu(k), r) * Math.pow(v[0] / r, b.basicA(k)) * Math.pow(v[1] / r, b.basicB(k))
                        * Math.pow(v[2] / r, b.basicC(k));
                s += absolute ? Math.abs(t) : t;
            }
            m[k] = s;
        }
        int[] t = b.timesArray();
        for (int p = 0; p < t.length; p += 4) m[t[p + 3]] += t[p + 2] * m[t[p]] * m[t[p + 1]];
        return m;
    }

    private static double[][] randomNeighbourhood(Random rnd, int n) {
        double[][] out = new double[n][];
        for (int j = 0; j < n; j++) {
            double[] v = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            double len = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            double r = 1 + 3 * rnd.nextDouble();
            for (int a = 0; a < 3; a++) v[a] *= r / len;
            out[j] = v;
        }
        return out;
    }

    /** Uniform random rotation (from a random unit quaternion), row-major 3x3. */
    private static double[] randomRotation(Random rnd) {
        double w = rnd.nextGaussian(), x = rnd.nextGaussian(), y = rnd.nextGaussian(), z = rnd.nextGaussian();
        double n = Math.sqrt(w * w + x * x + y * y + z * z);
        w /= n; x /= n; y /= n; z /= n;
        return new double[]{
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)};
    }

    private static double[][] rotate(double[][] nbh, double[] q) {
        double[][] out = new double[nbh.length][];
        for (int j = 0; j < nbh.length; j++) {
            double[] v = nbh[j];
            out[j] = new double[]{q[0] * v[0] + q[1] * v[1] + q[2] * v[2], q[3] * v[0] + q[4] * v[1] + q[5] * v[2],
                q[6] * v[0] + q[7] * v[1] + q[8] * v[2]};
        }
        return out;
    }

    /**
     * Largest change of a scalar under rotation, relative to the scale of the scalar's terms (the same plan evaluated
     * with |f x^a y^b z^c| and positive products), and the same for non-scalar slots (which must change).
     */
    private static double[] rotationChange(MomentBasis b, Random rnd) {
        double[][] nbh = randomNeighbourhood(rnd, 6 + rnd.nextInt(10));
        double[] m = evaluate(b, nbh, false);
        double[] scale = evaluate(b, nbh, true);
        double[] mr = evaluate(b, rotate(nbh, randomRotation(rnd)), false);
        boolean[] isScalar = new boolean[b.momentsCount()];
        for (int s : b.scalarMappingArray()) isScalar[s] = true;
        double worstScalar = 0, largestTensor = 0, worstPlainRelative = 0;
        for (int k = 0; k < m.length; k++) {
            double d = Math.abs(m[k] - mr[k]) / scale[k];
            if (isScalar[k]) {
                worstScalar = Math.max(worstScalar, d);
                if (Math.abs(m[k]) > 1e-6 * scale[k]) worstPlainRelative = Math.max(worstPlainRelative, Math.abs(m[k] - mr[k]) / Math.abs(m[k]));
            } else {
                largestTensor = Math.max(largestTensor, d);
            }
        }
        return new double[]{worstScalar, largestTensor, worstPlainRelative};
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {4, 8, 12, 16, 20, 24, 28, 30})
    void everyScalarIsRotationInvariant(int level) {
        MomentBasis b = BasisGenerator.generate(level);
        Random rnd = new Random(1000 + level);
        for (int trial = 0; trial < 3; trial++) {
            double[] c = rotationChange(b, rnd);
            assertTrue(c[0] < 1e-10, "scalar changed by " + c[0] + " (relative to its term scale)");
            assertTrue(c[2] < 1e-10, "scalar changed by " + c[2] + " relative to its value");
            if (level > 4) assertTrue(c[1] > 1e-3, "rotation left the non-scalar tensors unchanged: " + c[1]);
        }
    }

    /** The invariance check has teeth: a wrong multiplicity in a full contraction breaks invariance. */
    @Test
    void wrongMultiplicityIsCaught() {
        MomentBasis b = BasisGenerator.generate(12);
        int[] t = b.timesArray();
        Set<Integer> scalars = new HashSet<>();
        for (int s : b.scalarMappingArray()) scalars.add(s);
        int p = 0;
        while (!(t[p + 2] == 2 && scalars.contains(t[p + 3]))) p += 4;   // e.g. the xy term of T:T
        t[p + 2] = 1;
        MomentBasis broken = new MomentBasis(b.momentsCount(), b.basicArray(), t, b.scalarMappingArray());
        double[] c = rotationChange(broken, new Random(3));
        assertTrue(c[0] > 1e-4, "corrupted plan still looked invariant: " + c[0]);
    }

    /** Scalars of level L come first-to-last in the same order inside the level L+2 basis (as in the templates). */
    @Test
    void basesAreNested() {
        Random rnd = new Random(7);
        double[][] nbh = randomNeighbourhood(rnd, 9);
        double[] prev = null;
        for (int level = 14; level <= 32; level += 2) {
            MomentBasis b = BasisGenerator.generate(level);
            double[] m = evaluate(b, nbh, false), scale = evaluate(b, nbh, true);
            int[] map = b.scalarMappingArray();
            double[] v = new double[map.length], sc = new double[map.length];
            for (int i = 0; i < map.length; i++) { v[i] = m[map[i]]; sc[i] = scale[map[i]]; }
            if (prev != null) {
                int i = 0;
                for (int k = 0; k < v.length && i < prev.length; k++) if (Math.abs(v[k] - prev[i]) <= 1e-12 * sc[k]) i++;
                assertEquals(prev.length, i, "level " + (level - 2) + " scalars not an ordered subsequence of level " + level);
            }
            prev = v;
        }
    }

    /**
     * The basis is complete by contraction graphs, not linearly independent as functions: up to level 14 the
     * scalars are independent, at level 16 the Cayley-Hamilton identity of the 3x3 matrix M_{0,2} (trace M_{0,0})
     * makes tr(M_{0,2}^4) a combination of M00^4, M00^2 M02:M02, M00 tr(M02^3), (M02:M02)^2 - one null direction,
     * on exactly these five scalars. MLIP's templates have the same property (the lists are identical).
     */
    @Test
    void onlyDependenceAtLevel16IsCayleyHamilton() {
        assertEquals(0, nullDirections(14).size());
        List<double[]> nul = nullDirections(16);
        assertEquals(1, nul.size());
        MomentBasis b = BasisGenerator.generate(16);
        List<Set<Integer>> factors = factorLabels(b);
        int support = 0;
        for (int i = 0; i < b.scalarCount(); i++) {
            if (Math.abs(nul.get(0)[i]) < 1e-6) continue;
            support++;
            Set<Integer> f = factors.get(b.scalarMappingArray()[i]);
            assertTrue(Set.of(0, 2).containsAll(f), "null direction uses a scalar with factors " + f);
        }
        assertEquals(5, support);
    }

    /** Right singular vectors with singular value < 1e-10 (columns normalised) over random neighbourhoods. */
    private static List<double[]> nullDirections(int level) {
        MomentBasis b = BasisGenerator.generate(level);
        int s = b.scalarCount(), samples = 4 * s + 50;
        Random rnd = new Random(17);
        DMatrixRMaj x = new DMatrixRMaj(samples, s);
        int[] map = b.scalarMappingArray();
        for (int r = 0; r < samples; r++) {
            double[] m = evaluate(b, randomNeighbourhood(rnd, 4 + rnd.nextInt(10)), false);
            for (int i = 0; i < s; i++) x.set(r, i, m[map[i]]);
        }
        for (int i = 0; i < s; i++) {
            double n = 0;
            for (int r = 0; r < samples; r++) n += x.get(r, i) * x.get(r, i);
            n = Math.sqrt(n);
            for (int r = 0; r < samples; r++) x.set(r, i, x.get(r, i) / n);
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(samples, s, false, true, true);
        assertTrue(svd.decompose(x));
        double[] sv = svd.getSingularValues();
        DMatrixRMaj vt = svd.getV(null, true);
        List<double[]> out = new ArrayList<>();
        double smallestKept = Double.MAX_VALUE;
        for (int i = 0; i < sv.length; i++) {
            if (sv[i] < 1e-10) {
                double[] v = new double[s];
                for (int j = 0; j < s; j++) v[j] = vt.get(i, j);
                out.add(v);
            } else {
                smallestKept = Math.min(smallestKept, sv[i]);
            }
        }
        assertTrue(smallestKept > 1e-5, "no clear gap in the singular values: " + smallestKept);
        return out;
    }

    /** For every slot: the ranks nu of its factors with mu = 0, and -1 for any factor with mu > 0. */
    private static List<Set<Integer>> factorLabels(MomentBasis b) {
        List<Set<Integer>> f = new ArrayList<>();
        for (int k = 0; k < b.momentsCount(); k++) f.add(new HashSet<>());
        for (int k = 0; k < b.basicCount(); k++) f.get(k).add(b.basicMu(k) == 0 ? b.basicRank(k) : -1);
        int[] t = b.timesArray();
        for (int p = 0; p < t.length; p += 4) {
            f.get(t[p + 3]).addAll(f.get(t[p]));
            f.get(t[p + 3]).addAll(f.get(t[p + 1]));
        }
        return f;
    }

    @Test
    void generatedListsAreWellFormed() {
        for (int level = 2; level <= 32; level += 2) {
            MomentBasis b = BasisGenerator.generate(level);
            int[] t = b.timesArray();
            for (int p = 0; p < t.length; p += 4) {
                // products only use earlier slots, written in slot order, with positive multiplicities
                assertTrue(t[p] < t[p + 3] && t[p + 1] < t[p + 3] && t[p + 2] > 0, "level " + level + " entry " + p / 4);
                if (p > 0) assertTrue(t[p + 3] >= t[p - 1]);
            }
            for (int k = 0; k < b.basicCount(); k++) {
                assertTrue(2 + 4 * b.basicMu(k) + b.basicRank(k) <= level);
                assertTrue(b.basicRank(k) <= BasisGenerator.MAX_RANK);
            }
            int[] map = b.scalarMappingArray();
            assertEquals(map.length, Arrays.stream(map).distinct().count(), "distinct scalar slots");
        }
    }
}
