package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.TestData;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.model.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OracleTest {
    static final String POT = "monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp";

    static List<Configuration> cells(int n) {
        return InitialSet.generate(n, 40, new int[]{1, 0, 2}, 11);
    }

    /** The stand-in oracle (calculate-efs with the published MTP) through the command template. */
    static String standIn() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return java + " -cp " + SlurmScripts.sh(System.getProperty("java.class.path")) + " org.mtpjava.cli.Main calculate-efs "
                + TestData.data(POT) + " {in} {out} --lossless --threads 1";
    }

    @Test void standInOracleLabelsEverything(@TempDir Path dir) {
        List<Configuration> in = cells(4);
        Oracle.Outcome o = new Oracle(standIn(), 5, List.of("Nb", "Mo", "Ta"), null).label(in, dir, "t");
        assertEquals(4, o.labelled().size(), "failures: " + o.failures());
        assertEquals(0, o.failures().size());
        for (int k = 0; k < 4; k++) {
            Configuration c = o.labelled().get(k);
            assertEquals("t" + k, c.features().get("oracle_id"));
            assertEquals(in.get(k).size(), c.size());
            assertTrue(c.hasEnergy() && c.hasForces());
            assertTrue(c.energy() / c.size() < -9 && c.energy() / c.size() > -13, "energy per atom " + c.energy() / c.size());
        }
        assertEquals("", read(dir.resolve("failures.txt")));
    }

    /** A failing oracle: exits non-zero after labelling only some; the rest is reported per configuration. */
    @Test void partialFailureKeepsLabelledData(@TempDir Path dir) throws Exception {
        List<Configuration> in = cells(5);
        // label everything, then drop configurations 1 and 3 from the output, mark 4 as not converged, exit 3
        Path script = dir.resolve("flaky.sh");
        Files.writeString(script, "set -e\n" + standIn().replace("{in}", "\"$1\"").replace("{out}", "full.cfg") + "\n"
                + "awk 'BEGIN{n=-1} /BEGIN_CFG/{n++} (n!=1 && n!=3){print} n==4 && /END_CFG/{}' full.cfg"
                + " | sed '/oracle_id\\tt4/a \\ Feature   oracle_status\\tSCF not converged after 60 steps' > \"$2\"\n"
                + "echo 'pw.x: convergence NOT achieved' >&2\nexit 3\n");
        Oracle.Outcome o = new Oracle("bash " + script + " {in} {out}", 5, List.of("Nb", "Mo", "Ta"), null).label(in, dir.resolve("b"), "t");
        assertEquals(2, o.labelled().size(), "labelled " + o.labelled().size() + ", failures " + o.failures());
        assertEquals(List.of("t0", "t2"), o.labelled().stream().map(c -> c.features().get("oracle_id")).toList());
        assertEquals(3, o.failures().size());
        assertEquals("t1", o.failures().get(0).id());
        assertTrue(o.failures().get(0).reason().contains("exited with status 3"), o.failures().get(0).reason());
        assertTrue(o.failures().get(2).reason().contains("SCF not converged"), o.failures().get(2).reason());
        assertEquals(3, o.exitCode());
        assertTrue(read(dir.resolve("b/failures.txt")).contains("t3\t"));
    }

    @Test void validationCatchesMovedAtomsAndMissingData() {
        Configuration in = cells(1).get(0);
        Configuration out = in.copy();
        assertEquals("no energy", Oracle.validate(in, out));
        out.setEnergy(-100);
        assertEquals("no forces", Oracle.validate(in, out));
        out.setForces(new double[3 * in.size()]);
        assertTrue(Oracle.validate(in, out).contains("no stress"));
        out.setStress(new double[6]);
        assertEquals(null, Oracle.validate(in, out));
        out.positions()[4] += 0.01;
        assertTrue(Oracle.validate(in, out).contains("moved"));
        out.positions()[4] -= 0.01;
        out.features().put("oracle_status", "failed: out of memory");
        assertTrue(Oracle.validate(in, out).contains("out of memory"));
    }

    @Test void initialSetIsSmallSeededAndCoversTheKinds() {
        List<Configuration> a = InitialSet.generate(30, 100, new int[]{1, 0, 2}, 5), b = InitialSet.generate(30, 100, new int[]{1, 0, 2}, 5);
        assertEquals(30, a.size());
        for (int k = 0; k < a.size(); k++) {
            assertTrue(a.get(k).size() <= 100 && a.get(k).size() >= 16, "size " + a.get(k).size());
            assertEquals(CfgFiles.format(a.get(k), CfgFiles.Precision.LOSSLESS), CfgFiles.format(b.get(k), CfgFiles.Precision.LOSSLESS));
        }
        var kinds = a.stream().map(c -> c.features().get("ductility_initial").split(" ")[0]).distinct().sorted().toList();
        assertEquals(List.of("bulk", "gsf110", "slab100", "slab110"), kinds);
        // the first three are the pure elements Mo, Nb, Ta (types 1, 0, 2)
        for (int k = 0; k < 3; k++) {
            int t = a.get(k).types()[0];
            for (int x : a.get(k).types()) assertEquals(t, x);
            assertEquals(new int[]{1, 0, 2}[k], t);
        }
    }

    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
