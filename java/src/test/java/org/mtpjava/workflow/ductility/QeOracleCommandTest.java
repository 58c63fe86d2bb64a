package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.cli.Main;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `mtpjava ductility qe-oracle` with a fake pw.x: the converged run is converted, the failed one reported. */
class QeOracleCommandTest {
    @Test void convertsAndReportsPerConfiguration(@TempDir Path dir) throws Exception {
        Configuration a = new Configuration(2), b;
        a.setLattice(new double[]{3.2, 0, 0, 0, 3.2, 0, 0, 0, 3.2});
        a.positions()[3] = a.positions()[4] = a.positions()[5] = 1.6;
        a.types()[0] = 0;
        a.types()[1] = 1;
        b = a.copy();
        b.types()[1] = 2; // contains Ta: the fake pw.x does not converge
        a.features().put("oracle_id", "x0");
        b.features().put("oracle_id", "x1");
        CfgFiles.write(dir.resolve("in.cfg"), List.of(a, b), CfgFiles.Precision.LOSSLESS);
        // the fake pw.x prints the hand-written output of QuantumEspressoTest (2 atoms), or a non-converged run
        Files.writeString(dir.resolve("out.txt"), QuantumEspressoTest.OUT);
        Files.writeString(dir.resolve("pw.sh"), "#!/usr/bin/env bash\n"
                + "if grep -q '^  Ta ' pw.in; then echo '     convergence NOT achieved after 100 iterations: stopping'; exit 0; fi\n"
                + "cat " + dir.resolve("out.txt") + "\n");
        Files.writeString(dir.resolve("t.in"), "&CONTROL\n tprnfor=.true., tstress=.true.\n/\n&SYSTEM\n nat={nat}, ntyp={ntyp}\n/\n");
        int code = Main.run("ductility", "qe-oracle", dir.resolve("in.cfg").toString(), dir.resolve("out.cfg").toString(),
                "--template", dir.resolve("t.in").toString(), "--species", "Nb Mo Ta", "--pseudo", "Nb=Nb.upf,Mo=Mo.upf,Ta=Ta.upf",
                "--pw", "bash " + dir.resolve("pw.sh"));
        assertEquals(0, code);
        List<Configuration> out = CfgFiles.read(dir.resolve("out.cfg"));
        assertEquals(2, out.size());
        assertEquals(-265.73191022 * QuantumEspresso.RY_EV, out.get(0).energy(), 1e-6);
        assertEquals("ok", out.get(0).features().get("oracle_status"));
        assertTrue(out.get(1).features().get("oracle_status").contains("NOT achieved"), out.get(1).features().toString());
        assertTrue(Files.readString(dir.resolve("qe/cfg-0000/pw.in")).contains("K_POINTS automatic"));
        // the driver's matching turns it into one labelled configuration and one failure with the reason
        Oracle.Outcome o = Oracle.match(List.of(a, b), out, null, 0, 0);
        assertEquals(1, o.labelled().size());
        assertEquals(1, o.failures().size());
        assertEquals("x1", o.failures().get(0).id());
        assertTrue(o.failures().get(0).reason().contains("SCF convergence NOT achieved"), o.failures().get(0).reason());
    }
}
