package org.mtpjava.workflow.ductility;

import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.AtomicFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The accuracy test of the active-learning loop: the learned potential's properties against the oracle's on
 * oracle-labelled {@link PropertyProbes}, per composition and in the terms of the study's tolerances:
 * <ul>
 *   <li>C11, C12, C44 at each probe strain: the central-difference stress slopes of the ± strain pairs
 *       ({@link ElasticConstants#fit}, the property calculation's own fit) from the learned and from the oracle's
 *       stresses, relative error against {@code accuracy_cij};</li>
 *   <li>γ(s) at each probe shift: (E_faulted − E_unfaulted) / fault area of the same atoms, relative error against
 *       {@code accuracy_gamma}.</li>
 * </ul>
 * Both sides are evaluated on the same unrelaxed cells, so the test measures the fit, not the relaxation. A
 * quantity whose probes the oracle did not label is left out (counted in {@link Result#skipped}).
 */
public final class AccuracyCheck {
    private AccuracyCheck() {}

    /** One compared quantity; {@code at} is "eps=…" or "s=…". */
    public record Row(String composition, String quantity, String at, double oracle, double learned, double relativeError, boolean within) {}

    /**
     * @param rows    every compared quantity, composition by composition
     * @param failing compositions with at least one quantity outside its tolerance (grid order)
     * @param probes  labelled probe configurations used
     * @param skipped quantities left out for lack of oracle labels
     */
    public record Result(List<Row> rows, List<String> failing, int probes, int skipped) {
        public boolean passed() { return failing.isEmpty(); }

        public int compositions() { return (int) rows.stream().map(Row::composition).distinct().count(); }

        /** The largest relative error of a quantity kind (prefix of its name, e.g. "C" or "gamma"), NaN if none. */
        public double worst(String prefix) {
            return rows.stream().filter(r -> r.quantity().startsWith(prefix)).mapToDouble(Row::relativeError).max().orElse(Double.NaN);
        }
    }

    static final String HEADER = "composition,quantity,at,oracle,learned,relative_error,within";

    /**
     * Compares the learned potential with the oracle's labels.
     *
     * @param labelled oracle-labelled probes (other configurations are ignored)
     * @param tolCij   relative tolerance of C11, C12, C44
     * @param tolGamma relative tolerance of the fault energies
     */
    public static Result evaluate(Potential learned, List<Configuration> labelled, double tolCij, double tolGamma, int threads) {
        Map<String, List<Configuration>> byComp = new LinkedHashMap<>();
        Map<Configuration, Configuration> predicted = new IdentityHashMap<>();
        int probes = 0;
        try (EfsCalculator calc = new EfsCalculator(learned, Math.max(1, threads))) {
            for (Configuration c : labelled) {
                PropertyProbes.Tag t = PropertyProbes.Tag.of(c);
                if (t == null || !c.hasEnergy()) continue;
                Configuration p = c.copy();
                p.clearComputed();
                calc.computeInto(p);
                predicted.put(c, p);
                byComp.computeIfAbsent(t.composition(), k -> new ArrayList<>()).add(c);
                probes++;
            }
        }
        List<Row> rows = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        int skipped = 0;
        for (var e : byComp.entrySet()) {
            String comp = e.getKey();
            List<Row> mine = new ArrayList<>();
            skipped += elastic(comp, e.getValue(), predicted, tolCij, mine);
            skipped += faults(comp, e.getValue(), predicted, tolGamma, mine);
            rows.addAll(mine);
            if (mine.stream().anyMatch(r -> !r.within())) failing.add(comp);
        }
        return new Result(rows, failing, probes, skipped);
    }

    /** C11, C12, C44 per strain magnitude; returns the number of quantities that lack a labelled ± pair. */
    private static int elastic(String comp, List<Configuration> cfgs, Map<Configuration, Configuration> predicted, double tol, List<Row> out) {
        // the probes' (mode, strain) keys; a pair enters the fit only if both signs were labelled
        Map<String, Configuration[]> pairs = new LinkedHashMap<>();
        for (Configuration c : cfgs) {
            PropertyProbes.Tag t = PropertyProbes.Tag.of(c);
            if (!t.kind().equals(PropertyProbes.BULK) || t.mode().equals("unstrained")) continue;
            String key = t.mode() + " " + Math.abs(t.value());
            pairs.computeIfAbsent(key, k -> new Configuration[2])[t.value() > 0 ? 0 : 1] = c;
        }
        List<ElasticConstants.Point> oracle = new ArrayList<>(), learned = new ArrayList<>();
        int skipped = 0;
        for (Configuration[] pm : pairs.values()) {
            if (pm[0] == null || pm[1] == null) {
                skipped++;
                continue;
            }
            for (Configuration c : pm) {
                PropertyProbes.Tag t = PropertyProbes.Tag.of(c);
                oracle.add(new ElasticConstants.Point(t.mode(), t.value(), stressGpa(c)));
                learned.add(new ElasticConstants.Point(t.mode(), t.value(), stressGpa(predicted.get(c))));
            }
        }
        if (oracle.isEmpty()) return skipped;
        List<ElasticConstants.Cubic> o = ElasticConstants.fit(oracle).byStrain(), l = ElasticConstants.fit(learned).byStrain();
        for (int k = 0; k < o.size(); k++) {
            String at = "eps=" + LammpsScripts.num(o.get(k).strain());
            double[] ov = {o.get(k).c11(), o.get(k).c12(), o.get(k).c44()}, lv = {l.get(k).c11(), l.get(k).c12(), l.get(k).c44()};
            String[] names = {"C11_GPa", "C12_GPa", "C44_GPa"};
            for (int q = 0; q < 3; q++) {
                if (Double.isNaN(ov[q])) continue; // its mode's pair was not labelled (already counted)
                double rel = relative(lv[q], ov[q]);
                out.add(new Row(comp, names[q], at, ov[q], lv[q], rel, rel <= tol));
            }
        }
        return skipped;
    }

    /** γ(s) per shift against the unfaulted cell; returns the number of shifts that could not be compared. */
    private static int faults(String comp, List<Configuration> cfgs, Map<Configuration, Configuration> predicted, double tol, List<Row> out) {
        Configuration ref = null;
        List<Configuration> shifted = new ArrayList<>();
        for (Configuration c : cfgs) {
            PropertyProbes.Tag t = PropertyProbes.Tag.of(c);
            if (!t.kind().equals(PropertyProbes.GSF)) continue;
            if (t.value() == 0) ref = c;
            else shifted.add(c);
        }
        if (ref == null) return shifted.size();
        double area = faultArea(ref);
        Configuration refLearned = predicted.get(ref);
        for (Configuration c : shifted) {
            double go = (c.energy() - ref.energy()) / area * Units.EV_PER_A2_TO_J_PER_M2;
            double gl = (predicted.get(c).energy() - refLearned.energy()) / area * Units.EV_PER_A2_TO_J_PER_M2;
            double rel = relative(gl, go);
            out.add(new Row(comp, "gamma_J_m2", "s=" + LammpsScripts.num(PropertyProbes.Tag.of(c).value()), go, gl, rel, rel <= tol));
        }
        return 0;
    }

    /** |learned − oracle| / |oracle|; infinite if the oracle's value is 0 and the learned one is not. */
    static double relative(double learned, double oracle) {
        double d = Math.abs(learned - oracle);
        return d == 0 ? 0 : d / Math.abs(oracle);
    }

    /** Cauchy stress in GPa, tension positive, Voigt order, from the cfg's PlusStress virial (eV). */
    static double[] stressGpa(Configuration c) {
        double[] w = c.stress();
        if (w == null) throw new IllegalArgumentException("probe " + c.features().get(PropertyProbes.FEATURE) + " has no stress");
        double v = c.volume();
        double[] s = new double[6];
        for (int k = 0; k < 6; k++) s[k] = -w[k] / v * Units.EV_PER_A3_TO_GPA;
        return s;
    }

    /** |a × b| of the first two lattice rows: the area of the fault plane (Å²). */
    static double faultArea(Configuration c) {
        double[] l = c.lattice();
        double x = l[1] * l[5] - l[2] * l[4], y = l[2] * l[3] - l[0] * l[5], z = l[0] * l[4] - l[1] * l[3];
        return Math.sqrt(x * x + y * y + z * z);
    }

    /** The table: one line per compared quantity. */
    public static void write(Path csv, Result r) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Row x : r.rows())
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%.8g,%.8g,%.6g,%s%n", x.composition(), x.quantity(), x.at(), x.oracle(), x.learned(),
                    x.relativeError(), x.within() ? "yes" : "no"));
        AtomicFiles.writeString(csv, sb.toString());
    }
}
