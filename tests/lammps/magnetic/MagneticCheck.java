// Checks of pair_style mtpjava with magnetic MTPs (scripts/lammps-test-magnetic.sh). Prints PASS/FAIL lines.
//   dump2cfg DUMP OUT.cfg "species-of-type-1 species-of-type-2 ..."   LAMMPS dump (id type x y z fx fy fz d_magmom d_dedm) -> .cfg
//   efs NAME DUMP RES REF.cfg TOL        LAMMPS energy, forces, dE/dm vs standalone calculate-efs (REF has en_der_mx)
//   same NAME DUMP1 RES1 DUMP2 RES2 TOL  two LAMMPS runs agree (energy, forces, moments, dE/dm), relative TOL
//   nve NAME LOG TOL [TOLDRIFT]          total energy: max |E - E0| / natoms <= TOL, |least-squares drift| / natoms <= TOLDRIFT (eV/atom)
//   nve-dt NAME LOG_DT LOG_HALF_DT MIN   max |E - E0| with dt over that with dt/2 >= MIN (second-order integrator: ~4)
//   relaxed NAME DUMP RES REF.cfg TOL    LAMMPS relaxed moments/energy vs mtpjava's relax of REF (moments only)
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;

public class MagneticCheck {
    record Atom(int id, int type, double[] x, double[] f, double m, double d) {}
    record Dump(double[] lattice, double[] origin, Map<Integer, Atom> atoms) {}

    static Dump dump(Path p) throws Exception {
        List<String> l = Files.readAllLines(p);
        int i = -1; // the last snapshot of the file
        for (int k = 0; k < l.size(); k++) if (l.get(k).startsWith("ITEM: BOX BOUNDS")) i = k;
        if (i < 0) throw new IllegalArgumentException(p + ": no ITEM: BOX BOUNDS");
        boolean tri = l.get(i).contains("xy");
        double[][] b = new double[3][];
        for (int k = 0; k < 3; k++) b[k] = java.util.Arrays.stream(l.get(i + 1 + k).trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
        double xy = tri ? b[0][2] : 0, xz = tri ? b[1][2] : 0, yz = tri ? b[2][2] : 0;
        double xlo = b[0][0] - Math.min(0, Math.min(xy, Math.min(xz, xy + xz))), xhi = b[0][1] - Math.max(0, Math.max(xy, Math.max(xz, xy + xz)));
        double ylo = b[1][0] - Math.min(0, yz), yhi = b[1][1] - Math.max(0, yz);
        double[] lat = {xhi - xlo, 0, 0, xy, yhi - ylo, 0, xz, yz, b[2][1] - b[2][0]};
        i += 4;
        String[] cols = l.get(i).substring("ITEM: ATOMS ".length()).trim().split("\\s+");
        Map<String, Integer> c = new TreeMap<>();
        for (int k = 0; k < cols.length; k++) c.put(cols[k], k);
        Map<Integer, Atom> atoms = new TreeMap<>();
        for (int k = i + 1; k < l.size(); k++) {
            String[] v = l.get(k).trim().split("\\s+");
            if (v.length < cols.length) continue;
            double[] x = {d(v, c, "x"), d(v, c, "y"), d(v, c, "z")};
            double[] f = {d(v, c, "fx"), d(v, c, "fy"), d(v, c, "fz")};
            int id = Integer.parseInt(v[c.get("id")]);
            atoms.put(id, new Atom(id, Integer.parseInt(v[c.get("type")]), x, f, d(v, c, "d_magmom"), c.containsKey("d_dedm") ? d(v, c, "d_dedm") : 0));
        }
        return new Dump(lat, new double[]{xlo, ylo, b[2][0]}, atoms);
    }

    static double d(String[] v, Map<String, Integer> c, String k) { return Double.parseDouble(v[c.get(k)]); }

    static Map<String, double[]> res(Path p) throws Exception {
        Map<String, double[]> m = new TreeMap<>();
        for (String line : Files.readAllLines(p)) {
            String[] v = line.trim().split("\\s+");
            if (v.length < 2) continue;
            double[] a = new double[v.length - 1];
            for (int k = 1; k < v.length; k++) a[k - 1] = Double.parseDouble(v[k]);
            m.put(v[0], a);
        }
        return m;
    }

    static void report(String name, boolean ok, String what) {
        System.out.println((ok ? "PASS " : "FAIL ") + name + ": " + what);
    }

    static Configuration toCfg(Dump dp, int[] speciesOfType) {
        Configuration c = new Configuration(dp.atoms().size());
        c.setLattice(dp.lattice());
        double[] mm = new double[3 * c.size()];
        int k = 0;
        for (Atom a : dp.atoms().values()) {
            for (int q = 0; q < 3; q++) c.positions()[3 * k + q] = a.x()[q] - dp.origin()[q];
            c.types()[k] = speciesOfType[a.type() - 1];
            mm[3 * k] = a.m();
            k++;
        }
        c.setMagneticMoments(mm);
        return c;
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "dump2cfg" -> {
                String[] t = args[3].trim().split("\\s+");
                int[] sp = new int[t.length];
                for (int k = 0; k < t.length; k++) sp[k] = Integer.parseInt(t[k]);
                CfgFiles.write(Path.of(args[2]), List.of(toCfg(dump(Path.of(args[1])), sp)), CfgFiles.Precision.LOSSLESS);
            }
            case "efs" -> {
                String name = args[1];
                Dump dp = dump(Path.of(args[2]));
                double e = res(Path.of(args[3])).get("energy")[0];
                Configuration ref = CfgFiles.read(Path.of(args[4])).get(0);
                double tol = Double.parseDouble(args[5]);
                double fmax = 0, df = 0, dmax = 0, dd = 0;
                int k = 0;
                for (Atom a : dp.atoms().values()) {
                    for (int q = 0; q < 3; q++) {
                        fmax = Math.max(fmax, Math.abs(ref.forces()[3 * k + q]));
                        df = Math.max(df, Math.abs(a.f()[q] - ref.forces()[3 * k + q]));
                    }
                    dmax = Math.max(dmax, Math.abs(ref.magneticForces()[3 * k]));
                    dd = Math.max(dd, Math.abs(a.d() - ref.magneticForces()[3 * k]));
                    k++;
                }
                double de = Math.abs(e - ref.energy());
                report(name + "-energy", de <= tol * Math.max(1, Math.abs(ref.energy())), String.format(Locale.ROOT, "LAMMPS %.15g vs Java %.15g (diff %.2e)", e, ref.energy(), de));
                report(name + "-forces", df <= tol * Math.max(1, fmax), String.format(Locale.ROOT, "max |dF| %.2e (max |F| %.3g)", df, fmax));
                report(name + "-dEdm", dd <= tol * Math.max(1, dmax), String.format(Locale.ROOT, "max |d(dE/dm)| %.2e (max |dE/dm| %.3g)", dd, dmax));
            }
            case "same" -> {
                String name = args[1];
                Dump a = dump(Path.of(args[2])), b = dump(Path.of(args[4]));
                double ea = res(Path.of(args[3])).get("energy")[0], eb = res(Path.of(args[5])).get("energy")[0];
                double tol = Double.parseDouble(args[6]);
                double df = 0, dm = 0, dd = 0, fmax = 0;
                for (Atom x : a.atoms().values()) {
                    Atom y = b.atoms().get(x.id());
                    for (int q = 0; q < 3; q++) {
                        df = Math.max(df, Math.abs(x.f()[q] - y.f()[q]));
                        fmax = Math.max(fmax, Math.abs(x.f()[q]));
                    }
                    dm = Math.max(dm, Math.abs(x.m() - y.m()));
                    dd = Math.max(dd, Math.abs(x.d() - y.d()));
                }
                double de = Math.abs(ea - eb) / Math.max(1, Math.abs(ea));
                boolean ok = de <= tol && df <= tol * Math.max(1, fmax) && dm <= tol && dd <= tol;
                report(name, ok, String.format(Locale.ROOT, "energy rel %.2e, forces %.2e, moments %.2e, dE/dm %.2e (%d atoms)", de, df, dm, dd, a.atoms().size()));
            }
            case "nve" -> {
                // total energy of a thermo table: max |E - E0| (the Verlet fluctuation, ~dt^2) and the drift (slope
                // of a least-squares line through E(t), times the run length), both per atom
                String name = args[1];
                double[] st = nveStats(Path.of(args[2]));
                double tol = Double.parseDouble(args[3]), tolDrift = args.length > 4 ? Double.parseDouble(args[4]) : tol;
                report(name, st[1] <= tol && Math.abs(st[2]) <= tolDrift, String.format(Locale.ROOT,
                        "%d steps, %d atoms: max |E - E0| %.2e eV/atom, drift (least-squares slope x run) %.2e eV/atom, E(end) - E0 %.2e eV/atom",
                        (long) st[0], (long) st[4], st[1], st[2], st[3]));
            }
            case "nve-dt" -> {
                // the same run with dt and dt/2: with forces that are exact derivatives of the energy the fluctuation
                // of E shrinks ~4x (velocity Verlet is second order); inconsistent forces leave a dt-independent error
                String name = args[1];
                double[] a = nveStats(Path.of(args[2])), b = nveStats(Path.of(args[3]));
                double ratio = a[1] / b[1], min = Double.parseDouble(args[4]);
                report(name, ratio >= min, String.format(Locale.ROOT,
                        "max |E - E0| %.2e eV/atom (dt) vs %.2e eV/atom (dt/2): ratio %.2f (second order: 4; required >= %.1f)", a[1], b[1], ratio, min));
            }
            case "relaxed" -> {
                String name = args[1];
                Dump dp = dump(Path.of(args[2]));
                double e = res(Path.of(args[3])).get("energy")[0];
                Configuration ref = CfgFiles.read(Path.of(args[4])).get(0);
                double tol = Double.parseDouble(args[5]);
                double dm = 0;
                int k = 0;
                for (Atom a : dp.atoms().values()) dm = Math.max(dm, Math.abs(a.m() - ref.magneticMoments()[3 * k++]));
                double de = Math.abs(e - ref.energy());
                report(name, de <= 1e-8 * Math.max(1, Math.abs(e)) && dm <= tol, String.format(Locale.ROOT,
                        "relaxed energy LAMMPS %.12g vs mtpjava relax %.12g (diff %.2e), max moment difference %.2e", e, ref.energy(), de, dm));
            }
            default -> throw new IllegalArgumentException("unknown check " + args[0]);
        }
    }

    /** {last step, max |E - E0| / n, least-squares drift over the run / n, (E(end) - E0) / n, n} of a thermo table with TotEng. */
    static double[] nveStats(Path log) throws java.io.IOException {
        int col = -1, atomsCol = -1;
        List<double[]> rows = new ArrayList<>();
        for (String s : Files.readAllLines(log)) {
            String[] v = s.trim().split("\\s+");
            if (v.length > 1 && v[0].equals("Step")) {
                col = java.util.Arrays.asList(v).indexOf("TotEng");
                atomsCol = java.util.Arrays.asList(v).indexOf("Atoms");
                continue;
            }
            if (col >= 0 && v.length > col && v[0].matches("\\d+")) {
                try {
                    rows.add(new double[]{Double.parseDouble(v[0]), Double.parseDouble(v[col]), atomsCol >= 0 ? Double.parseDouble(v[atomsCol]) : 1});
                } catch (NumberFormatException ignored) {
                    col = -1;
                }
            } else if (col >= 0 && !v[0].matches("\\d+")) col = -1;
        }
        if (rows.size() < 3) throw new IllegalArgumentException(log + ": no thermo table with TotEng");
        double e0 = rows.get(0)[1], n = rows.get(0)[2], maxd = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] r : rows) {
            maxd = Math.max(maxd, Math.abs(r[1] - e0));
            sx += r[0];
            sy += r[1] - e0;
            sxx += r[0] * r[0];
            sxy += r[0] * (r[1] - e0);
        }
        int k = rows.size();
        double slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
        double[] last = rows.get(k - 1);
        return new double[]{last[0], maxd / n, slope * (last[0] - rows.get(0)[0]) / n, (last[1] - e0) / n, n};
    }
}
