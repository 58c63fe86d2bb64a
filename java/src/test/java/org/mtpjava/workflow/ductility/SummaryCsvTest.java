package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtpjava.io.InputFileException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryCsvTest {
    @Test void tablesReadBackAsWritten(@TempDir Path tmp) throws Exception {
        List<Summary> rows = new java.util.ArrayList<>(TernaryMapsTest.linear());
        Summary s = rows.get(0);
        // a message with a comma and a NaN field, as failed tasks produce
        rows.set(0, new Summary(s.composition(), s.mo(), s.nb(), s.ta(), 3, 2000, 3.21, Double.NaN, s.c11(), 1.5, s.c12(), 0.5, s.c44(), 0.25,
                0.002, 1e-3, s.gammaS100(), 0.01, s.gammaS110(), 0.02, s.gammaUsf(), 0.03, 0.5, 0.9, 1.4, s.d(), 0.01, s.dOverDc(), 0.008,
                s.ductile(), 4.5, 7, "BREAK", "grade 12 > break, then stopped", 12.5, 10.25, 1234, 9.5, 8.5, s.d110(), s.d110OverDc()));
        StringBuilder sb = new StringBuilder(Summary.csvHeader()).append('\n');
        for (Summary x : rows) sb.append(x.csvRow()).append('\n');
        Path f = tmp.resolve("ductility.csv");
        Files.writeString(f, sb.toString());
        List<Summary> back = Summary.readCsv(f);
        assertEquals(rows.size(), back.size());
        for (int k = 0; k < rows.size(); k++) assertEquals(rows.get(k).csvRow(), back.get(k).csvRow(), "row " + k);
        assertEquals("grade 12 > break, then stopped", back.get(0).message());
        assertTrue(Double.isNaN(back.get(0).a0Err()));
        assertEquals(1234, back.get(0).evaluations());
    }

    @Test void olderTablesWithoutTheLaterColumnsLoad(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("old.csv");
        Files.writeString(f, "composition,a0_A,C11_GPa,C12_GPa,C44_GPa,gamma_s100_Jm2,gamma_s110_Jm2,gamma_usf_Jm2,D_over_Dc,status\n"
                + "Mo100Nb0Ta0,3.16,470,160,110,3.0,2.8,1.4,1.9,OK\n");
        Summary s = Summary.readCsv(f).get(0);
        assertEquals("Mo100Nb0Ta0", s.composition());
        assertEquals(110, s.c44());
        assertEquals(1.9, s.dOverDc());
        assertTrue(Double.isNaN(s.d110()));
    }

    @Test void badTablesNameFileLineAndColumn(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, "composition,a0_A,C11_GPa,C12_GPa,C44_GPa,gamma_s100_Jm2,gamma_usf_Jm2,D_over_Dc\nMo100Nb0Ta0,3.16,x,160,110,3,1.4,1.9\n");
        var e = assertThrows(InputFileException.class, () -> Summary.readCsv(f));
        assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("2") && e.getMessage().contains("C11_GPa"), e.getMessage());
        Path g = tmp.resolve("nohead.csv");
        Files.writeString(g, "Mo100Nb0Ta0,3.16\n");
        assertThrows(InputFileException.class, () -> Summary.readCsv(g));
    }

    @Test void comparisonFlagsTheCompositionsOutsideTheTolerances(@TempDir Path tmp) {
        List<Summary> oracle = TernaryMapsTest.linear();
        List<Summary> learned = new java.util.ArrayList<>();
        for (Summary s : oracle) {
            // the second composition's C44 off by 6 %, the rest within 1 %
            double f = learned.size() == 1 ? 1.06 : 1.01;
            learned.add(new Summary(s.composition(), s.mo(), s.nb(), s.ta(), 1, 100, s.a0() * 1.001, 0, s.c11() * 1.01, 0, s.c12(), 0,
                    s.c44() * f, 0, 0.002, 0, s.gammaS100(), 0, s.gammaS110(), 0, s.gammaUsf(), 0, 0.5, 1, 1.5, s.d(), 0, s.dOverDc() + 0.01, 0,
                    s.ductile(), 0, 0, "OK", "", 1, 1, 1, 1, 1, s.d110(), s.d110OverDc()));
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Comparison.Row> rows = Comparison.write(tmp.resolve("cmp"), oracle, learned, null, "note", new PrintStream(log));
        assertEquals(oracle.size(), rows.size());
        for (int k = 0; k < rows.size(); k++) assertEquals(k != 1, rows.get(k).pass(), rows.get(k).composition());
        assertFalse(rows.get(1).pass());
        assertTrue(Files.isRegularFile(tmp.resolve("cmp.md")) && Files.isRegularFile(tmp.resolve("cmp.csv")));
        assertTrue(log.toString().contains((oracle.size() - 1) + " of " + oracle.size()), log.toString());
    }

    @Test void quantitiesNotComputedAreMarkedNotPrintedAsNaN(@TempDir Path tmp) throws Exception {
        List<Summary> oracle = TernaryMapsTest.linear().subList(0, 1);
        Summary s = oracle.get(0);
        List<Summary> learned = List.of(new Summary(s.composition(), s.mo(), s.nb(), s.ta(), 1, 100, s.a0(), 0, s.c11(), 0, s.c12(), 0, s.c44(), 0,
                0.002, 0, Double.NaN, 0, s.gammaS110(), 0, s.gammaUsf(), 0, 0.5, 1, 1.5, Double.NaN, 0, Double.NaN, 0, false, 12, 3, "BREAK", "",
                1, 1, 1, 1, 1, s.d110(), s.d110OverDc()));
        List<Comparison.Row> rows = Comparison.write(tmp.resolve("cmp"), oracle, learned, null, null, new PrintStream(new ByteArrayOutputStream()));
        assertFalse(rows.get(0).pass());
        String md = Files.readString(tmp.resolve("cmp.md"));
        assertFalse(md.contains("NaN"), md);
        assertTrue(md.contains("2.500 / – (not computed)"), md);
    }
}
