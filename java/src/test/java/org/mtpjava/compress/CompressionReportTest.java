package org.mtpjava.compress;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

import static org.junit.jupiter.api.Assertions.*;

/** The bcc elastic-constant calculation of the acceptance report: zero pressure at a0, stresses vs energy curvature. */
class CompressionReportTest {
    @Test
    void elasticConstantsFromStressesMatchTheEnergyCurvature() {
        Potential p = PotentialFiles.read(TestData.data("monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp"));
        double[] mo = CompressionReport.elastic(p, 1, 3.16);
        assertTrue(mo[0] > 3.1 && mo[0] < 3.25, "Mo a0 " + mo[0]);
        assertTrue(mo[1] > mo[2] && mo[2] > 0 && mo[3] > 0, "C11 > C12 > 0, C44 > 0");
        try (EfsCalculator calc = new EfsCalculator(p, 1)) {
            assertEquals(0, CompressionReport.pressure(calc, 1, mo[0]), 1e-6, "pressure at a0 (GPa)");
            double d = 0.002;
            Configuration c0 = CompressionReport.cell(1, mo[0], CompressionReport.strain(0, 0));
            double e0 = calc.compute(c0).energy();
            double ep = calc.compute(CompressionReport.cell(1, mo[0], CompressionReport.strain(0, d))).energy();
            double em = calc.compute(CompressionReport.cell(1, mo[0], CompressionReport.strain(0, -d))).energy();
            double c11 = (ep + em - 2 * e0) / (c0.volume() * d * d) * CompressionReport.GPA;
            assertEquals(mo[1], c11, 0.01 * mo[1], "C11 from stresses vs energy");
            double sp = calc.compute(CompressionReport.cell(1, mo[0], CompressionReport.strain(3, d))).energy();
            double sm = calc.compute(CompressionReport.cell(1, mo[0], CompressionReport.strain(3, -d))).energy();
            double c44 = (sp + sm - 2 * e0) / (c0.volume() * d * d) * CompressionReport.GPA;
            assertEquals(mo[3], c44, 0.01 * mo[3], "C44 from stresses vs energy (engineering shear)");
        }
    }

    @Test
    void smallestDistanceOfABccCellIsTheNearestNeighbourDistance() {
        Configuration c = CompressionReport.cell(1, 3.2, CompressionReport.strain(0, 0));
        double nn = 3.2 * Math.sqrt(3) / 2;
        assertEquals(nn, CompressionReport.smallestDistance(c, 5.0), 1e-12, "bcc nearest neighbours at a sqrt(3)/2");
        assertEquals(2.0, CompressionReport.smallestDistance(c, 2.0), 0, "nothing closer than the search radius: the radius");
    }
}
