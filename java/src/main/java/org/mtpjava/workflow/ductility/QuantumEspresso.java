package org.mtpjava.workflow.ductility;

import org.mtpjava.model.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quantum ESPRESSO (pw.x) as the oracle: a pw.x input for one configuration from a user template, and the
 * energy, forces and stress parsed back from pw.x's standard output, in the units mtpjava's .cfg uses.
 *
 * <p>Template: the user's namelists (&CONTROL, &SYSTEM, &ELECTRONS with cut-offs, smearing, pseudopotential
 * folder, ...) containing the placeholders {@code {nat}} and {@code {ntyp}}; {@code calculation='scf'},
 * {@code tprnfor=.true.} and {@code tstress=.true.} must be set there (checked). The adapter appends
 * ATOMIC_SPECIES (element, mass, pseudopotential file), CELL_PARAMETERS angstrom, ATOMIC_POSITIONS angstrom and
 * K_POINTS automatic from a k-point spacing (2π/Å). A non-periodic cluster gets a box of its extent plus
 * vacuum and the Γ point.
 *
 * <p>Units (CODATA 2018): 1 Ry = 13.605693122994 eV, 1 bohr = 0.529177210903 Å; forces Ry/bohr → eV/Å; the
 * printed "total stress" matrix (Ry/bohr³, pressure-like: positive under compression, P = trace/3) times the
 * cell volume is the PlusStress virial (eV) of the .cfg format.
 */
public final class QuantumEspresso {
    private QuantumEspresso() {}

    public static final double RY_EV = 13.605693122994;
    public static final double BOHR_A = 0.529177210903;

    /** Per-element data for ATOMIC_SPECIES. */
    public record Species(String element, double mass, String pseudopotential) {}

    /** Parsed results in .cfg units. */
    public record Result(double energy, double[] forces, double[] virial) {}

    private static final Pattern ENERGY = Pattern.compile("^!\\s+total energy\\s+=\\s+([-0-9.eEdD+]+)\\s+Ry", Pattern.MULTILINE);
    private static final Pattern FORCE = Pattern.compile("^\\s*atom\\s+(\\d+)\\s+type\\s+\\d+\\s+force\\s+=\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)", Pattern.MULTILINE);

    /** The pw.x input of one configuration. */
    public static String input(String template, Configuration c, List<String> cfgSpecies, Map<String, Species> data, double kspacing,
                               double vacuum) {
        String low = template.toLowerCase(Locale.ROOT);
        for (String need : new String[]{"tprnfor", "tstress", "{nat}", "{ntyp}"})
            if (!low.contains(need)) throw new IllegalArgumentException("the pw.x template must contain " + need
                    + " (tprnfor = .true. and tstress = .true. in &CONTROL, nat = {nat} and ntyp = {ntyp} in &SYSTEM)");
        // species present, in cfg type order
        List<Integer> types = new ArrayList<>();
        for (int t : c.types()) if (!types.contains(t)) types.add(t);
        types.sort(Integer::compare);
        StringBuilder sb = new StringBuilder(template.replace("{nat}", Integer.toString(c.size()))
                .replace("{ntyp}", Integer.toString(types.size())).stripTrailing()).append("\n\nATOMIC_SPECIES\n");
        for (int t : types) {
            if (t < 0 || t >= cfgSpecies.size()) throw new IllegalArgumentException("cfg type " + t + " has no species name (" + cfgSpecies + ")");
            String el = cfgSpecies.get(t);
            Species sp = data.get(el);
            if (sp == null) throw new IllegalArgumentException("no mass/pseudopotential given for " + el);
            sb.append(String.format(Locale.ROOT, "  %s %.5f %s%n", el, sp.mass(), sp.pseudopotential()));
        }
        double[] cell = c.lattice().clone();
        double[] shift = new double[3];
        boolean[] periodic = new boolean[3];
        for (int a = 0; a < 3; a++) periodic[a] = c.isPeriodic(a);
        // non-periodic directions: a box of the atoms' extent + vacuum, atoms shifted inside
        for (int a = 0; a < 3; a++) {
            if (periodic[a]) continue;
            double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
            for (int i = 0; i < c.size(); i++) {
                lo = Math.min(lo, c.positions()[3 * i + a]);
                hi = Math.max(hi, c.positions()[3 * i + a]);
            }
            for (int k = 0; k < 3; k++) cell[3 * a + k] = 0;
            cell[3 * a + a] = hi - lo + vacuum;
            shift[a] = -lo + vacuum / 2;
        }
        sb.append("\nCELL_PARAMETERS angstrom\n");
        for (int a = 0; a < 3; a++) sb.append(String.format(Locale.ROOT, "  %.10f %.10f %.10f%n", cell[3 * a], cell[3 * a + 1], cell[3 * a + 2]));
        sb.append("\nATOMIC_POSITIONS angstrom\n");
        for (int i = 0; i < c.size(); i++)
            sb.append(String.format(Locale.ROOT, "  %s %.10f %.10f %.10f%n", cfgSpecies.get(c.types()[i]),
                    c.positions()[3 * i] + shift[0], c.positions()[3 * i + 1] + shift[1], c.positions()[3 * i + 2] + shift[2]));
        int[] k = kpoints(cell, periodic, kspacing);
        if (k[0] == 1 && k[1] == 1 && k[2] == 1 && !(periodic[0] && periodic[1] && periodic[2])) sb.append("\nK_POINTS gamma\n");
        else sb.append(String.format(Locale.ROOT, "%nK_POINTS automatic%n  %d %d %d 0 0 0%n", k[0], k[1], k[2]));
        return sb.toString();
    }

    /** Monkhorst-Pack divisions n_a = max(1, ceil(|b_a| / spacing)), |b_a| = 2π |a_b × a_c| / V; 1 along non-periodic axes. */
    static int[] kpoints(double[] cell, boolean[] periodic, double spacing) {
        double[] a1 = {cell[0], cell[1], cell[2]}, a2 = {cell[3], cell[4], cell[5]}, a3 = {cell[6], cell[7], cell[8]};
        double vol = Math.abs(DuctilityIndex.dot(a1, DuctilityIndex.cross(a2, a3)));
        double[][] rows = {a1, a2, a3};
        int[] n = new int[3];
        for (int a = 0; a < 3; a++) {
            double[] x = DuctilityIndex.cross(rows[(a + 1) % 3], rows[(a + 2) % 3]);
            double b = 2 * Math.PI * Math.sqrt(DuctilityIndex.dot(x, x)) / vol;
            n[a] = periodic[a] && spacing > 0 ? Math.max(1, (int) Math.ceil(b / spacing - 1e-9)) : 1;
        }
        return n;
    }

    /**
     * Parses pw.x output. Throws IllegalArgumentException with the reason when the run did not converge, did not
     * finish, or lacks forces (or the stress of a periodic cell).
     */
    public static Result parse(String out, int atoms, double volumeA3, boolean periodic) {
        if (out.contains("convergence NOT achieved")) throw new IllegalArgumentException("SCF convergence NOT achieved");
        if (!out.contains("JOB DONE")) throw new IllegalArgumentException("pw.x did not finish (no JOB DONE)");
        Matcher em = ENERGY.matcher(out);
        double ery = Double.NaN;
        while (em.find()) ery = num(em.group(1));
        if (Double.isNaN(ery)) throw new IllegalArgumentException("no '!    total energy' line");
        int fi = out.lastIndexOf("Forces acting on atoms");
        if (fi < 0) throw new IllegalArgumentException("no forces (set tprnfor = .true.)");
        double[] f = new double[3 * atoms];
        boolean[] seen = new boolean[atoms];
        Matcher fm = FORCE.matcher(out);
        fm.region(fi, out.length());
        int found = 0;
        double conv = RY_EV / BOHR_A;
        while (fm.find() && found < atoms) {
            int i = Integer.parseInt(fm.group(1)) - 1;
            if (i < 0 || i >= atoms || seen[i]) break; // the per-term breakdown repeats the atoms: stop at the first block
            seen[i] = true;
            for (int k = 0; k < 3; k++) f[3 * i + k] = num(fm.group(2 + k)) * conv;
            found++;
        }
        if (found != atoms) throw new IllegalArgumentException("forces of " + found + " atoms found, expected " + atoms);
        double[] virial = null;
        int si = out.lastIndexOf("total   stress");
        if (si >= 0) {
            String[] lines = out.substring(si).split("\n");
            if (lines.length < 4) throw new IllegalArgumentException("truncated stress block");
            double[][] s = new double[3][3];
            for (int r = 0; r < 3; r++) {
                String[] t = lines[r + 1].trim().split("\\s+");
                for (int k = 0; k < 3; k++) s[r][k] = num(t[k]);
            }
            double volBohr = volumeA3 / (BOHR_A * BOHR_A * BOHR_A);
            double k = volBohr * RY_EV;
            virial = new double[]{s[0][0] * k, s[1][1] * k, s[2][2] * k, s[1][2] * k, s[0][2] * k, s[0][1] * k};
        } else if (periodic) {
            throw new IllegalArgumentException("no stress (set tstress = .true.)");
        }
        return new Result(ery * RY_EV, f, virial);
    }

    private static double num(String s) { return Double.parseDouble(s.replace('d', 'e').replace('D', 'e')); }
}
