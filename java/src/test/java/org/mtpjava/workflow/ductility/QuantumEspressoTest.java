package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;
import org.mtpjava.model.Configuration;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pw.x input generation and output parsing on hand-written files in pw.x's documented output layout. */
class QuantumEspressoTest {
    // a pw.x 7.x scf run of a 2-atom bcc cell, abridged to the lines the parser reads (layout as printed by pw.x)
    static final String OUT = String.join("\n",
            "     Program PWSCF v.7.2 starts on  1Dec2026 at 12: 0:00 ",
            "     bravais-lattice index     =            0",
            "     unit-cell volume          =     220.5000 (a.u.)^3",
            "     number of atoms/cell      =            2",
            "     total energy              =    -265.73190834 Ry",
            "     estimated scf accuracy    <       0.00000061 Ry",
            "     End of self-consistent calculation",
            "     convergence has been achieved in   9 iterations",
            "!    total energy              =    -265.73191022 Ry",
            "     estimated scf accuracy    <       0.00000008 Ry",
            "     smearing contrib. (-TS)   =      -0.00112318 Ry",
            "     Forces acting on atoms (cartesian axes, Ry/au):",
            "",
            "     atom    1 type  1   force =     0.01000000   -0.00200000    0.00000000",
            "     atom    2 type  2   force =    -0.01000000    0.00200000    0.00000000",
            "     The non-local contrib.  to forces",
            "     atom    1 type  1   force =     0.00500000    0.00000000    0.00000000",
            "     atom    2 type  2   force =    -0.00500000    0.00000000    0.00000000",
            "     Total force =     0.014422     Total SCF correction =     0.000010",
            "",
            "     Computing stress (Cartesian axis) and pressure",
            "",
            "          total   stress  (Ry/bohr**3)                   (kbar)     P=      -25.04",
            "  -0.00017023   0.00000000   0.00000100          -25.04        0.00        0.15",
            "   0.00000000  -0.00017023   0.00000000            0.00      -25.04        0.00",
            "   0.00000100   0.00000000  -0.00017023            0.15        0.00      -25.04",
            "",
            "     JOB DONE.",
            "");

    @Test void parsesEnergyForcesStressInCfgUnits() {
        double volA3 = 220.5 * Math.pow(QuantumEspresso.BOHR_A, 3); // 32.675 A^3
        QuantumEspresso.Result r = QuantumEspresso.parse(OUT, 2, volA3, true);
        // -265.73191022 Ry x 13.605693122994 eV/Ry = -3615.4668... eV (the last '!' line)
        assertEquals(-265.73191022 * 13.605693122994, r.energy(), 1e-9);
        assertEquals(-3615.4668, r.energy(), 1e-3);
        // 0.01 Ry/bohr = 0.01 x 13.605693122994 / 0.529177210903 = 0.2571104 eV/A; the breakdown lines are ignored
        assertArrayEquals(new double[]{0.2571104, -0.0514221, 0, -0.2571104, 0.0514221, 0}, r.forces(), 2e-7);
        // stress x volume: -0.00017023 Ry/bohr^3 x 220.5 bohr^3 x 13.6057 eV/Ry = -0.510702 eV; cross-check with the kbar
        // column: -25.04 kbar = -2.504 GPa, x 32.675 A^3 / 160.2177 GPa A^3/eV = -0.51067 eV (kbar printed to 0.01)
        assertEquals(-0.00017023 * 220.5 * 13.605693122994, r.virial()[0], 1e-9);
        assertEquals(-2.504 * volA3 / 160.2176634, r.virial()[0], 2e-4);
        assertEquals(r.virial()[0], r.virial()[1], 0);
        assertEquals(0, r.virial()[3], 0);          // yz
        assertEquals(1e-6 * 220.5 * 13.605693122994, r.virial()[4], 1e-12); // xz
    }

    @Test void failuresAreReasons() {
        var e = assertThrows(IllegalArgumentException.class, () -> QuantumEspresso.parse(OUT.replace("convergence has been achieved in   9 iterations",
                "     convergence NOT achieved after 100 iterations: stopping"), 2, 30, true));
        assertTrue(e.getMessage().contains("NOT achieved"));
        e = assertThrows(IllegalArgumentException.class, () -> QuantumEspresso.parse(OUT.replace("JOB DONE.", ""), 2, 30, true));
        assertTrue(e.getMessage().contains("JOB DONE"));
        e = assertThrows(IllegalArgumentException.class, () -> QuantumEspresso.parse(OUT, 3, 30, true));
        assertTrue(e.getMessage().contains("expected 3"));
        String noStress = OUT.substring(0, OUT.indexOf("     Computing stress")) + "     JOB DONE.\n";
        e = assertThrows(IllegalArgumentException.class, () -> QuantumEspresso.parse(noStress, 2, 30, true));
        assertTrue(e.getMessage().contains("tstress"));
        assertEquals(null, QuantumEspresso.parse(noStress, 2, 30, false).virial());
    }

    @Test void writesTheInputCards() {
        Configuration c = new Configuration(2);
        c.setLattice(new double[]{3.2, 0, 0, 0, 3.2, 0, 0, 0, 3.2});
        c.positions()[3] = c.positions()[4] = c.positions()[5] = 1.6;
        c.types()[0] = 1;
        c.types()[1] = 0;
        String tpl = "&CONTROL\n calculation='scf', tprnfor=.true., tstress=.true., pseudo_dir='pp'\n/\n&SYSTEM\n ibrav=0, nat={nat}, ntyp={ntyp}, ecutwfc=45\n/\n&ELECTRONS\n/\n";
        String in = QuantumEspresso.input(tpl, c, List.of("Nb", "Mo", "Ta"), Map.of("Nb", new QuantumEspresso.Species("Nb", 92.906, "Nb.upf"),
                "Mo", new QuantumEspresso.Species("Mo", 95.95, "Mo.upf")), 0.25, 8);
        assertTrue(in.contains("nat=2, ntyp=2"), in);
        assertTrue(in.contains("ATOMIC_SPECIES\n  Nb 92.90600 Nb.upf\n  Mo 95.95000 Mo.upf\n"), in);
        assertTrue(in.contains("CELL_PARAMETERS angstrom\n  3.2000000000 0.0000000000 0.0000000000\n"), in);
        assertTrue(in.contains("ATOMIC_POSITIONS angstrom\n  Mo 0.0000000000 0.0000000000 0.0000000000\n  Nb 1.6000000000 1.6000000000 1.6000000000\n"), in);
        // |b| = 2 pi / 3.2 = 1.9635 1/A, spacing 0.25 -> ceil(7.854) = 8
        assertTrue(in.contains("K_POINTS automatic\n  8 8 8 0 0 0\n"), in);
        // a cluster: box of extent + vacuum, Gamma point
        Configuration cl = c.copy();
        cl.setLattice(new double[9]);
        String ci = QuantumEspresso.input(tpl, cl, List.of("Nb", "Mo", "Ta"), Map.of("Nb", new QuantumEspresso.Species("Nb", 92.906, "Nb.upf"),
                "Mo", new QuantumEspresso.Species("Mo", 95.95, "Mo.upf")), 0.25, 8);
        assertTrue(ci.contains("CELL_PARAMETERS angstrom\n  9.6000000000 0.0000000000 0.0000000000\n"), ci);
        assertTrue(ci.contains("  Mo 4.0000000000 4.0000000000 4.0000000000\n") && ci.contains("K_POINTS gamma"), ci);
        assertThrows(IllegalArgumentException.class, () -> QuantumEspresso.input("&SYSTEM nat={nat} /", c, List.of("Nb", "Mo"), Map.of(), 0.25, 8));
    }
}
