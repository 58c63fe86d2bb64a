package org.mtpjava.workflow.ductility;

import org.mtpjava.io.InputFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-composition result: every quantity as the mean over the random realisations with its error bar,
 * the sample standard deviation over the realisations (with a single realisation: the spread inside the cell,
 * i.e. over the equivalent C_ij components or over the fault planes, marked by {@code realisations == 1}).
 * D is evaluated per realisation and from the means.
 */
public record Summary(String composition, double mo, double nb, double ta, int realisations, int atoms,
                      double a0, double a0Err,
                      double c11, double c11Err, double c12, double c12Err, double c44, double c44Err,
                      double elasticStrain, double elasticConvergence,
                      double gammaS100, double gammaS100Err, double gammaS110, double gammaS110Err,
                      double gammaUsf, double gammaUsfErr, double gammaUsfShift,
                      double kIc, double kIe, double d, double dErr, double dOverDc, double dOverDcErr,
                      boolean ductile, double maxGrade, int extrapolative, String status, String message,
                      double wallSeconds, double pairSeconds, long evaluations, double loopSeconds, double kernelSeconds,
                      double d110, double d110OverDc) {

    /** CSV header, matching {@link #csvRow()}. */
    public static String csvHeader() {
        return "composition,Mo,Nb,Ta,realisations,atoms,a0_A,a0_err,C11_GPa,C11_err,C12_GPa,C12_err,C44_GPa,C44_err,"
                + "elastic_strain,elastic_strain_convergence,gamma_s100_Jm2,gamma_s100_err,gamma_s110_Jm2,gamma_s110_err,"
                + "gamma_usf_Jm2,gamma_usf_err,gamma_usf_shift_b,K_Ic_MPa_sqrtm,K_Ie_MPa_sqrtm,D,D_err,D_over_Dc,D_over_Dc_err,"
                + "ductile,max_grade,extrapolative_cfgs,status,wall_s,pair_s,force_evaluations,lammps_loop_s,java_kernel_s,"
                + "D_110crack,D_110crack_over_Dc,message";
    }

    public String csvRow() {
        List<String> f = new ArrayList<>();
        f.add(composition);
        f.add(n(mo)); f.add(n(nb)); f.add(n(ta));
        f.add(Integer.toString(realisations)); f.add(Integer.toString(atoms));
        f.add(n(a0)); f.add(n(a0Err));
        f.add(n(c11)); f.add(n(c11Err)); f.add(n(c12)); f.add(n(c12Err)); f.add(n(c44)); f.add(n(c44Err));
        f.add(n(elasticStrain)); f.add(n(elasticConvergence));
        f.add(n(gammaS100)); f.add(n(gammaS100Err)); f.add(n(gammaS110)); f.add(n(gammaS110Err));
        f.add(n(gammaUsf)); f.add(n(gammaUsfErr)); f.add(n(gammaUsfShift));
        f.add(n(kIc)); f.add(n(kIe)); f.add(n(d)); f.add(n(dErr)); f.add(n(dOverDc)); f.add(n(dOverDcErr));
        f.add(Boolean.toString(ductile)); f.add(n(maxGrade)); f.add(Integer.toString(extrapolative));
        f.add(status);
        f.add(String.format(Locale.ROOT, "%.1f", wallSeconds)); f.add(String.format(Locale.ROOT, "%.1f", pairSeconds));
        f.add(Long.toString(evaluations));
        f.add(String.format(Locale.ROOT, "%.1f", loopSeconds)); f.add(String.format(Locale.ROOT, "%.1f", kernelSeconds));
        f.add(n(d110)); f.add(n(d110OverDc));
        f.add("\"" + message.replace("\"", "'") + "\"");
        return String.join(",", f);
    }

    /**
     * Reads a table written by {@link #csvHeader()}/{@link #csvRow()} (a sweep's ductility.csv), by column name, so
     * tables of earlier versions with fewer columns load too (missing numbers are NaN). Empty cells are NaN.
     */
    public static List<Summary> readCsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ductility table " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("composition,"))
            throw new InputFileException(file.toString(), 1, "expected a ductility table header starting with 'composition,' (a sweep's ductility.csv)");
        String[] head = lines.get(0).split(",");
        Map<String, Integer> col = new HashMap<>();
        for (int k = 0; k < head.length; k++) col.put(head[k].trim(), k);
        for (String required : new String[]{"a0_A", "C11_GPa", "C12_GPa", "C44_GPa", "gamma_s100_Jm2", "gamma_usf_Jm2", "D_over_Dc"})
            if (!col.containsKey(required)) throw new InputFileException(file.toString(), 1, "the header has no column '" + required + "'");
        List<Summary> out = new ArrayList<>();
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank()) continue;
            // the message is the last column and the only quoted one: split the rest on commas
            String message = "";
            int q = line.indexOf('"');
            if (q >= 0) {
                message = line.substring(q + 1, Math.max(q + 1, line.lastIndexOf('"')));
                line = line.substring(0, q);
            }
            String[] f = line.split(",", -1);
            Row r = new Row(file.toString(), ln + 1, f, col);
            out.add(new Summary(r.text("composition"), r.num("Mo"), r.num("Nb"), r.num("Ta"), (int) r.num("realisations", 0),
                    (int) r.num("atoms", 0), r.num("a0_A"), r.num("a0_err"), r.num("C11_GPa"), r.num("C11_err"), r.num("C12_GPa"),
                    r.num("C12_err"), r.num("C44_GPa"), r.num("C44_err"), r.num("elastic_strain"), r.num("elastic_strain_convergence"),
                    r.num("gamma_s100_Jm2"), r.num("gamma_s100_err"), r.num("gamma_s110_Jm2"), r.num("gamma_s110_err"),
                    r.num("gamma_usf_Jm2"), r.num("gamma_usf_err"), r.num("gamma_usf_shift_b"), r.num("K_Ic_MPa_sqrtm"),
                    r.num("K_Ie_MPa_sqrtm"), r.num("D"), r.num("D_err"), r.num("D_over_Dc"), r.num("D_over_Dc_err"),
                    Boolean.parseBoolean(r.text("ductile")), r.num("max_grade", 0), (int) r.num("extrapolative_cfgs", 0), r.text("status"),
                    message, r.num("wall_s", 0), r.num("pair_s", 0), (long) r.num("force_evaluations", 0), r.num("lammps_loop_s", 0),
                    r.num("java_kernel_s", 0), r.num("D_110crack"), r.num("D_110crack_over_Dc")));
        }
        return out;
    }

    /** One data line of a ductility table, read by column name. */
    private record Row(String file, int line, String[] fields, Map<String, Integer> col) {
        String text(String name) {
            Integer k = col.get(name);
            return k == null || k >= fields.length ? "" : fields[k].trim();
        }

        double num(String name) { return num(name, Double.NaN); }

        double num(String name, double missing) {
            String t = text(name);
            if (t.isEmpty()) return missing;
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new InputFileException(file, line, "column '" + name + "': expected a number, found '" + t + "'");
            }
        }
    }

    private static String n(double x) {
        if (Double.isNaN(x)) return "";
        return String.format(Locale.ROOT, "%.8g", x);
    }

    /** Builds the summary from the task results of one composition (any of them may be missing or failed). */
    public static Summary of(Composition c, List<Results.Bulk> bulks, List<Results.Surface> s100, List<Results.Surface> s110,
                             List<Results.Gsf> gsfs, double criticalD, double ductileBelow, DuctilityIndex.CrackSystem system) {
        List<String> problems = new ArrayList<>();
        double maxGrade = 0, wall = 0, pair = 0, loop = 0, kernel = 0;
        long evals = 0;
        int extrap = 0;
        boolean broke = false;
        List<Results.RunInfo> runs = new ArrayList<>();
        bulks.forEach(b -> runs.add(b.run()));
        s100.forEach(b -> runs.add(b.run()));
        s110.forEach(b -> runs.add(b.run()));
        gsfs.forEach(b -> runs.add(b.run()));
        for (Results.RunInfo r : runs) {
            maxGrade = Math.max(maxGrade, r.maxGrade());
            wall += r.wallSeconds();
            pair += r.pairSeconds();
            evals += r.evaluations();
            loop += r.loopSeconds();
            kernel += r.kernelSeconds();
            extrap += r.extrapolative();
            if (r.status().equals("BREAK")) broke = true;
            if (!r.ok() && !r.message().isEmpty()) problems.add(r.message());
            else if (r.ok() && !r.message().isEmpty()) problems.add(r.message());
        }
        List<Results.Bulk> okB = bulks.stream().filter(b -> b.run().ok() && b.elastic() != null).toList();
        List<Results.Surface> ok100 = s100.stream().filter(s -> s.run().ok()).toList();
        List<Results.Surface> ok110 = s110.stream().filter(s -> s.run().ok()).toList();
        List<Results.Gsf> okG = gsfs.stream().filter(g -> g.run().ok()).toList();
        int nReal = okB.size();
        double[] a0 = okB.stream().mapToDouble(Results.Bulk::a0).toArray();
        double[] c11 = okB.stream().mapToDouble(b -> b.elastic().value().c11()).toArray();
        double[] c12 = okB.stream().mapToDouble(b -> b.elastic().value().c12()).toArray();
        double[] c44 = okB.stream().mapToDouble(b -> b.elastic().value().c44()).toArray();
        double[] g100 = ok100.stream().mapToDouble(Results.Surface::gamma).toArray();
        double[] g110 = ok110.stream().mapToDouble(Results.Surface::gamma).toArray();
        double[] gu = okG.stream().mapToDouble(Results.Gsf::gammaUsf).toArray();
        double strain = okB.isEmpty() ? Double.NaN : okB.get(0).elastic().value().strain();
        double conv = okB.stream().mapToDouble(b -> b.elastic().convergence()).max().orElse(Double.NaN);
        double shift = okG.stream().flatMap(g -> g.curves().stream()).mapToDouble(GsfCurve::shiftAtMax).average().orElse(Double.NaN);

        double c11e = err(c11), c12e = err(c12), c44e = err(c44), gue = err(gu);
        if (nReal == 1) { // spread inside the single cell
            ElasticConstants.Cubic v = okB.get(0).elastic().value();
            c11e = v.c11Spread() / Math.sqrt(3);
            c12e = v.c12Spread() / Math.sqrt(6);
            c44e = v.c44Spread() / Math.sqrt(3);
        }
        if (okG.size() == 1) gue = okG.get(0).spread();

        double kIc = Double.NaN, kIe = Double.NaN, d = Double.NaN, dErr = Double.NaN;
        String status;
        if (!okB.isEmpty() && g100.length > 0 && gu.length > 0) {
            try {
                DuctilityIndex.Result r = DuctilityIndex.compute(mean(c11), mean(c12), mean(c44), mean(g100), mean(gu), system);
                kIc = r.kIc();
                kIe = r.kIe();
                d = r.d();
                // per-realisation D for the error bar
                int n = Math.min(okB.size(), Math.min(ok100.size(), okG.size()));
                double[] ds = new double[n];
                for (int k = 0; k < n; k++) {
                    ElasticConstants.Cubic v = okB.get(k).elastic().value();
                    ds[k] = DuctilityIndex.compute(v.c11(), v.c12(), v.c44(), ok100.get(k).gamma(), okG.get(k).gammaUsf(), system).d();
                }
                dErr = err(ds);
            } catch (IllegalArgumentException e) {
                problems.add("ductility index: " + e.getMessage());
            }
        }
        double d110 = Double.NaN;
        if (!okB.isEmpty() && g110.length > 0 && gu.length > 0) {
            try {
                d110 = DuctilityIndex.compute(mean(c11), mean(c12), mean(c44), mean(g110), mean(gu), DuctilityIndex.CRACK_110).d();
            } catch (IllegalArgumentException e) {
                // reported with the main index
            }
        }
        boolean complete = okB.size() == bulks.size() && ok100.size() == s100.size() && ok110.size() == s110.size()
                && okG.size() == gsfs.size() && !bulks.isEmpty() && !Double.isNaN(d);
        status = broke ? "BREAK" : complete ? "OK" : "INCOMPLETE";
        int atoms = bulks.isEmpty() ? 0 : bulks.get(0).atoms();
        return new Summary(c.label(), c.mo(), c.nb(), c.ta(), nReal, atoms,
                mean(a0), err(a0), mean(c11), c11e, mean(c12), c12e, mean(c44), c44e, strain, conv,
                mean(g100), err(g100), mean(g110), err(g110), mean(gu), gue, shift,
                kIc, kIe, d, dErr, d / criticalD, dErr / criticalD, d / criticalD < ductileBelow,
                maxGrade, extrap, status, String.join("; ", problems), wall, pair, evals, loop, kernel, d110, d110 / criticalD);
    }

    static double mean(double[] v) { return v.length == 0 ? Double.NaN : ElasticConstants.mean(v); }

    static double err(double[] v) { return v.length < 2 ? Double.NaN : ElasticConstants.std(v); }
}
