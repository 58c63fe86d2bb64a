package org.mtpjava.workflow.ductility;

import org.mtpjava.io.AtomicFiles;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The end-to-end check without DFT: properties from the actively learned MTP against those of the stand-in
 * oracle (the published NbMoTaW MTP) computed by the same workflow on the same random cells. Tolerances of
 * issue 11: a₀ 0.2 %, C_ij 5 %, γ_s and γ_usf 5 %, D/D_c 0.02 (absolute).
 */
public final class Comparison {
    private Comparison() {}

    record Quantity(String name, ToDoubleFunction<Summary> value, double tolerance, boolean relative) {}

    static final List<Quantity> QUANTITIES = List.of(
            new Quantity("a0", Summary::a0, 0.002, true),
            new Quantity("C11", Summary::c11, 0.05, true),
            new Quantity("C12", Summary::c12, 0.05, true),
            new Quantity("C44", Summary::c44, 0.05, true),
            new Quantity("gamma_s100", Summary::gammaS100, 0.05, true),
            new Quantity("gamma_s110", Summary::gammaS110, 0.05, true),
            new Quantity("gamma_usf", Summary::gammaUsf, 0.05, true),
            new Quantity("D/Dc", Summary::dOverDc, 0.02, false));

    /** One composition: deviation per quantity (relative or absolute) and whether all are within tolerance. */
    public record Row(String composition, double[] oracle, double[] learned, double[] deviation, boolean pass) {}

    public static List<Row> compare(List<Summary> oracle, List<Summary> learned) {
        Map<String, Summary> byLabel = new HashMap<>();
        for (Summary s : learned) byLabel.put(s.composition(), s);
        List<Row> out = new ArrayList<>();
        for (Summary o : oracle) {
            Summary l = byLabel.get(o.composition());
            int n = QUANTITIES.size();
            double[] ov = new double[n], lv = new double[n], dev = new double[n];
            boolean pass = l != null;
            for (int k = 0; k < n; k++) {
                Quantity q = QUANTITIES.get(k);
                ov[k] = q.value().applyAsDouble(o);
                lv[k] = l == null ? Double.NaN : q.value().applyAsDouble(l);
                dev[k] = q.relative() ? (lv[k] - ov[k]) / ov[k] : lv[k] - ov[k];
                if (!(Math.abs(dev[k]) <= q.tolerance())) pass = false;
            }
            out.add(new Row(o.composition(), ov, lv, dev, pass));
        }
        return out;
    }

    /** Writes comparison.csv and comparison.md (a Markdown table for the README) and prints a verdict. */
    public static List<Row> write(Path prefix, List<Summary> oracle, List<Summary> learned, List<ActiveLearningLoop.Round> rounds, PrintStream log) {
        return write(prefix, oracle, learned, rounds, null, log);
    }

    /** @param note a line written above the Markdown table (null: none), e.g. that the loop did not converge */
    public static List<Row> write(Path prefix, List<Summary> oracle, List<Summary> learned, List<ActiveLearningLoop.Round> rounds, String note,
                                  PrintStream log) {
        List<Row> rows = compare(oracle, learned);
        StringBuilder csv = new StringBuilder("composition");
        for (Quantity q : QUANTITIES) csv.append(',').append(q.name()).append("_oracle,").append(q.name()).append("_learned,")
                .append(q.name()).append(q.relative() ? "_rel_dev" : "_abs_dev");
        csv.append(",within_tolerance\n");
        for (Row r : rows) {
            csv.append(r.composition());
            for (int k = 0; k < QUANTITIES.size(); k++)
                csv.append(String.format(Locale.ROOT, ",%.6g,%.6g,%.4g", r.oracle()[k], r.learned()[k], r.deviation()[k]));
            csv.append(',').append(r.pass()).append('\n');
        }
        AtomicFiles.writeString(prefix.resolveSibling(prefix.getFileName() + ".csv"), csv.toString());

        StringBuilder md = new StringBuilder();
        if (note != null) md.append("**").append(note).append("**\n\n");
        md.append("| composition | a₀ (Å) oracle / learned | C11 | C12 | C44 (GPa) | γ_s{100} | γ_s{110} | γ_usf (J/m²) | D/D_c | within tolerance |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.composition());
            for (int k = 0; k < QUANTITIES.size(); k++) {
                Quantity q = QUANTITIES.get(k);
                String f = k == 0 ? "%.4f / %.4f (%+.2f%%)" : q.relative() ? (k <= 3 ? "%.1f / %.1f (%+.1f%%)" : "%.3f / %.3f (%+.1f%%)")
                        : "%.3f / %.3f (%+.3f)";
                double dev = q.relative() ? 100 * r.deviation()[k] : r.deviation()[k];
                if (Double.isNaN(r.learned()[k])) {
                    // a task stopped at break or failed: say so instead of printing NaN
                    String of = f.substring(0, f.indexOf(" /"));
                    md.append(" | ").append(String.format(Locale.ROOT, of, r.oracle()[k])).append(" / – (not computed)");
                } else md.append(" | ").append(String.format(Locale.ROOT, f, r.oracle()[k], r.learned()[k], dev));
            }
            md.append(" | ").append(r.pass() ? "yes" : "**no**").append(" |\n");
        }
        md.append("\nTolerances: a₀ 0.2 %, C_ij 5 %, γ_s and γ_usf 5 % (relative), D/D_c 0.02 (absolute).\n");
        if (rounds != null && !rounds.isEmpty()) {
            // the accuracy columns only when a round ran the check, so tables of runs without it stay as they were
            boolean acc = rounds.stream().anyMatch(ActiveLearningLoop.Round::accuracyChecked);
            md.append("\n| round | training configurations | LAMMPS runs | stopped at break | max grade | extrapolative cfgs | cut | selected | labelled | oracle failures |")
                    .append(acc ? " accuracy probes | compositions failing |\n" : "\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|").append(acc ? "---|---|\n" : "\n");
            for (ActiveLearningLoop.Round r : rounds) {
                md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %.3g | %d | %d | %d | %d | %d |", r.round(), r.trainingSet(), r.tasks(),
                        r.tasksBroken(), r.maxGrade(), r.extrapolative(), r.candidates(), r.selected(), r.labelled(), r.failed()));
                if (acc) md.append(r.accuracyChecked() ? " " + r.accuracyProbes() + " | " + r.accuracyFailing() + " |" : " – | – |");
                md.append('\n');
            }
        }
        AtomicFiles.writeString(prefix.resolveSibling(prefix.getFileName() + ".md"), md.toString());
        long ok = rows.stream().filter(Row::pass).count();
        log.println("[al] comparison with the stand-in oracle: " + ok + " of " + rows.size() + " compositions within all tolerances; "
                + prefix.resolveSibling(prefix.getFileName() + ".md"));
        return rows;
    }
}
