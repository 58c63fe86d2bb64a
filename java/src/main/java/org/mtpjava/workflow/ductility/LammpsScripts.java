package org.mtpjava.workflow.ductility;

import java.util.List;
import java.util.Locale;

/**
 * The LAMMPS inputs of the property calculations, written into each task folder next to the data file so that a
 * run can be repeated by hand ({@code lmp_mtpjava -in in.lmp}). Every input reads {@code setup.lmp} (plugin,
 * potential, extrapolation control, thermo) after each {@code clear}, and appends one line per result to
 * {@code results.txt}: a tag followed by key=value pairs (full precision).
 *
 * <p>Sign conventions: LAMMPS' pressure tensor (bar) is minus the stress; a positive {@code yz} tilt shifts atoms
 * along +y in proportion to z (engineering shear strain yz/lz).
 */
public final class LammpsScripts {
    private LammpsScripts() {}

    /** File names used inside a task folder. */
    public static final String SETUP = "setup.lmp", INPUT = "in.lmp", RESULTS = "results.txt", LOG = "log.lammps",
            OUTPUT = "lammps.out", DUMP = "extrapolative.cfg";

    static String num(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return Long.toString((long) x);
        return String.format(Locale.ROOT, "%.12g", x).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e");
    }

    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./+\\-=:@%,]+")) return s;
        if (s.contains("\"")) throw new IllegalArgumentException("path contains a double quote: " + s);
        return "\"" + s + "\"";
    }

    /** The common part: read {@code ${data}}, pair style, grade compute, thermo every step. */
    public static String setup(LammpsSetup s) {
        return String.join("\n",
                "# mtpjava ductility workflow: common setup (read after every clear)",
                "plugin          load " + quote(s.plugin().toString()),
                "units           metal",
                "atom_style      atomic",
                "atom_modify     map array",
                "box             tilt large",
                "read_data       ${data}",
                s.pairStyle(DUMP),
                s.pairCoeff(),
                "neighbor        1.0 bin",
                "neigh_modify    every 1 delay 0 check yes",
                "compute         cp all pair mtpjava",
                "variable        grade equal c_cp[1]",
                "thermo_style    custom step pe pxx pyy pzz pyz pxz pxy lx ly lz c_cp[1]",
                "thermo_modify   format float %.12g",
                "thermo          1",
                "min_style       cg",
                "min_modify      norm max",
                "");
    }

    private static final String PRESS = "pxx=$(pxx:%.12g) pyy=$(pyy:%.12g) pzz=$(pzz:%.12g) pyz=$(pyz:%.12g) pxz=$(pxz:%.12g) pxy=$(pxy:%.12g)";
    private static final String BOX = "lx=$(lx:%.15g) ly=$(ly:%.15g) lz=$(lz:%.15g) xy=$(xy:%.15g) xz=$(xz:%.15g) yz=$(yz:%.15g)";

    private static String record(String tag, String fields) {
        return "print           \"" + tag + " " + fields + "\" append " + RESULTS + " screen no\n";
    }

    /** Cumulative seconds of the pair style since its creation: compute(), the Java call, the Java kernel. */
    private static final String TIMES = " pinst=${pinst} tpair=$(c_cp[2]:%.6g) tjava=$(c_cp[3]:%.6g) tkern=$(c_cp[4]:%.6g)";

    /** Reads a data file through setup.lmp; pinst counts the pair-style instances (their timers restart after clear). */
    private static String read(String data) {
        return "variable        data string " + data + "\ninclude         " + SETUP + "\n"
                + "variable        pinst equal $(v_pinst+1)\n";
    }

    private static String header(String title) {
        return "# mtpjava ductility workflow: " + title + "\nvariable        pinst equal 0\n";
    }

    /** One uniaxial or shear strain case of the elastic-constant calculation. */
    public record Strain(String component, double eps) {
        public Strain {
            if (!List.of("xx", "yy", "zz", "yz", "xz", "xy").contains(component))
                throw new IllegalArgumentException("strain component " + component);
        }

        String changeBox() {
            return switch (component) {
                case "xx" -> "change_box      all x scale " + num(1 + eps) + " remap units box";
                case "yy" -> "change_box      all y scale " + num(1 + eps) + " remap units box";
                case "zz" -> "change_box      all z scale " + num(1 + eps) + " remap units box";
                case "yz" -> "change_box      all yz final $(" + num(eps) + "*lz) remap units box";
                case "xz" -> "change_box      all xz final $(" + num(eps) + "*lz) remap units box";
                case "xy" -> "change_box      all xy final $(" + num(eps) + "*ly) remap units box";
                default -> throw new IllegalStateException(component);
            };
        }
    }

    /**
     * Bulk: zero-stress box by quasi-Newton rounds (atoms relaxed at fixed box, then the box corrected by the
     * strain that cancels the measured pressure, from a cubic compliance whose bulk modulus is updated by the
     * secant of the mean pressure), until every diagonal pressure component is below the tolerance; then, for
     * each strain, a fresh start from the relaxed reference, the strain applied affinely and the internal
     * coordinates relaxed at fixed box.
     *
     * @param bulkModulusGuess initial bulk modulus, GPa
     * @param shearGuess       initial C11 − C12, GPa
     */
    public static String bulk(LammpsSetup s, String data, List<Strain> strains, int boxRounds, double bulkModulusGuess,
                              double shearGuess) {
        LammpsSetup.Minimizer m = s.minimizer();
        String tol = num(m.pressureTol());
        StringBuilder sb = new StringBuilder(header("bulk lattice constant and elastic constants"));
        sb.append(read(data));
        sb.append(record("START", "task=bulk natoms=$(atoms)"));
        // moduli in bar
        sb.append("variable        B0 equal ").append(num(bulkModulusGuess * 1e4)).append('\n');
        sb.append("variable        B equal ${B0}\n");
        sb.append("variable        G equal ").append(num(shearGuess * 1e4)).append('\n');
        sb.append("variable        round loop ").append(boxRounds).append('\n');
        sb.append("label           boxloop\n");
        sb.append(m.command()).append('\n');
        sb.append(record("BOXRELAX", "round=${round} B=${B} pe=$(pe:%.15g) " + PRESS + " " + BOX + TIMES));
        sb.append("if              \"$(abs(pxx)) < ").append(tol).append(" && $(abs(pyy)) < ").append(tol)
                .append(" && $(abs(pzz)) < ").append(tol).append("\" then \"jump SELF boxdone\"\n");
        sb.append("variable        pm equal $((pxx+pyy+pzz)/3)\n");
        // secant update of B from the previous round's hydrostatic step (kept within [B0/4, 4 B0])
        sb.append("if              \"${round} > 1\" then \"variable Bs equal $((v_pmold-v_pm)/(3*v_dh))\" "
                + "\"if '${Bs} > $(v_B0/4) && ${Bs} < $(4*v_B0)' then 'variable B equal ${Bs}'\"\n");
        sb.append("variable        dh equal $(v_pm/(3*v_B))\n");
        sb.append("variable        ex equal $(v_dh+(pxx-v_pm)/v_G)\n");
        sb.append("variable        ey equal $(v_dh+(pyy-v_pm)/v_G)\n");
        sb.append("variable        ez equal $(v_dh+(pzz-v_pm)/v_G)\n");
        sb.append("variable        pmold equal ${pm}\n");
        sb.append("change_box      all x scale $(1+v_ex) y scale $(1+v_ey) z scale $(1+v_ez) remap units box\n");
        sb.append("next            round\n");
        sb.append("jump            SELF boxloop\n");
        sb.append("label           boxdone\n");
        sb.append(record("REF", "pe=$(pe:%.15g) natoms=$(atoms) vol=$(vol:%.15g) " + PRESS + " " + BOX + TIMES));
        sb.append("write_data      ref.data\n");
        for (Strain st : strains) {
            sb.append("\n# strain ").append(st.component()).append(' ').append(num(st.eps())).append('\n');
            sb.append("clear\n").append(read("ref.data"));
            sb.append(st.changeBox()).append('\n');
            sb.append(m.command()).append('\n');
            sb.append(record("STRAIN", "comp=" + st.component() + " eps=" + num(st.eps()) + " pe=$(pe:%.15g) vol=$(vol:%.15g) " + PRESS + " " + BOX + TIMES));
        }
        sb.append(record("END", "task=bulk"));
        return sb.toString();
    }

    /**
     * Surface: relax the periodic cell at fixed box (bulk energy of exactly these atoms), open a vacuum gap of
     * the given width at the z boundary (between two atomic planes), relax all atoms again (slab energy).
     */
    public static String surface(LammpsSetup s, String data, double vacuum) {
        LammpsSetup.Minimizer m = s.minimizer();
        StringBuilder sb = new StringBuilder(header("surface energy from a relaxed slab"));
        sb.append(read(data));
        sb.append(record("START", "task=surface natoms=$(atoms)"));
        sb.append(m.command()).append('\n');
        sb.append(record("BULK", "pe=$(pe:%.15g) zmin=$(bound(all,zmin):%.10g) zmax=$(bound(all,zmax):%.10g) " + PRESS + " " + BOX + TIMES));
        sb.append("change_box      all z final $(zlo) $(zhi+").append(num(vacuum)).append(") units box\n");
        sb.append(m.command()).append('\n');
        sb.append(record("SLAB", "pe=$(pe:%.15g) zmin=$(bound(all,zmin):%.10g) zmax=$(bound(all,zmax):%.10g) " + BOX + TIMES));
        sb.append(record("END", "task=surface"));
        return sb.toString();
    }

    /**
     * Generalised stacking fault on the z-plane at the periodic boundary: for each chosen plane the atoms are
     * moved by a whole number of plane spacings (so a different pair of planes faces the boundary), then the
     * tilt xz is set to each shift (a rigid shift of everything above the boundary along x) and only the z
     * coordinates relax (in-plane forces are zeroed), together with the cell height: relaxation at fixed box,
     * then lz rescaled by p_zz / C'33 (atoms remapped affinely in z, x and y untouched), repeated until
     * |p_zz| is below the pressure tolerance.
     *
     * @param planeOffsets z displacement of the atoms per plane choice, Å
     * @param shifts       tilts xz, Å, ascending, the first 0
     * @param normalModulus C'33 normal to the fault plane (GPa), for the height update
     * @param heightRounds  limit of height-update rounds per shift
     */
    public static String gsf(LammpsSetup s, String data, double[] planeOffsets, double[] shifts, double normalModulus,
                             int heightRounds) {
        LammpsSetup.Minimizer m = s.minimizer();
        String tol = num(m.pressureTol());
        String mod = num(normalModulus * 1e4);
        StringBuilder sb = new StringBuilder(header("{110}<111> generalised stacking fault"));
        for (int p = 0; p < planeOffsets.length; p++) {
            if (p > 0) sb.append("\nclear\n");
            sb.append(read(data));
            if (p == 0) sb.append(record("START", "task=gsf natoms=$(atoms)"));
            sb.append("displace_atoms  all move 0 0 ").append(num(planeOffsets[p])).append(" units box\n");
            sb.append("fix             normal all setforce 0.0 0.0 NULL\n");
            for (int k = 0; k < shifts.length; k++) {
                String id = "p" + p + "s" + k;
                if (k > 0 || shifts[k] != 0) sb.append("change_box      all xz final ").append(num(shifts[k])).append(" units box\n");
                sb.append("variable        r").append(id).append(" loop ").append(heightRounds).append('\n');
                sb.append("label           l").append(id).append('\n');
                sb.append(m.command()).append('\n');
                sb.append("if              \"$(abs(pzz)) < ").append(tol).append("\" then \"jump SELF d").append(id).append("\"\n");
                sb.append("change_box      all z scale $(1+pzz/").append(mod).append(") remap units box\n");
                sb.append("next            r").append(id).append('\n');
                sb.append("jump            SELF l").append(id).append('\n');
                sb.append(m.command()).append('\n'); // rounds exhausted: relax at the last height
                sb.append("label           d").append(id).append('\n');
                sb.append("variable        r").append(id).append(" delete\n");
                sb.append(record("GSF", "plane=" + p + " shift=" + num(shifts[k]) + " pe=$(pe:%.15g) pzz=$(pzz:%.10g) " + BOX + TIMES));
            }
        }
        sb.append(record("END", "task=gsf"));
        return sb.toString();
    }
}
