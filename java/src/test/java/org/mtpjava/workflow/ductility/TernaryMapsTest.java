package org.mtpjava.workflow.ductility;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TernaryMapsTest {
    /** Summaries on a 25 % grid whose D/D_c is a linear function of the composition: 1 + Ta - 0.5 Mo. */
    static List<Summary> linear() {
        List<Summary> rows = new ArrayList<>();
        for (Composition c : Composition.grid(0.25)) {
            double v = 1 + c.ta() - 0.5 * c.mo();
            rows.add(new Summary(c.label(), c.mo(), c.nb(), c.ta(), 1, 100, 3.2, 0, 300, 0, 150, 0, 80, 0, 0.002, 0, 2.5, 0, 2.3, 0,
                    1.0, 0, 0.5, 1, 1.5, v * 1.26, 0, v, 0, v < 1.03, 0, 0, "OK", "", 1, 1, 1, 1, 1, v * 1.26, v));
        }
        return rows;
    }

    @Test void interpolationIsExactForLinearFieldsAndContoursSitOnTheLevel() {
        List<Summary> rows = linear();
        assertEquals(4, TernaryMaps.gridDivisions(rows));
        double[][] g = new double[5][5];
        for (double[] r : g) java.util.Arrays.fill(r, Double.NaN);
        for (Summary s : rows) g[(int) Math.round(s.mo() * 4)][(int) Math.round(s.nb() * 4)] = s.dOverDc();
        for (double mo = 0; mo <= 1; mo += 0.07)
            for (double nb = 0; mo + nb <= 1; nb += 0.09) {
                double ta = 1 - mo - nb;
                assertEquals(1 + ta - 0.5 * mo, TernaryMaps.interpolate(g, 4, mo, nb), 1e-12, mo + " " + nb);
            }
        List<double[]> seg = TernaryMaps.contour(g, 4, 1.3);
        assertTrue(!seg.isEmpty());
        for (double[] s : seg)
            for (int e = 0; e < 2; e++) {
                double mo = s[2 * e], nb = s[2 * e + 1];
                assertEquals(1.3, 1 + (1 - mo - nb) - 0.5 * mo, 1e-12);
            }
    }

    /** The corners are where the labels say: the Ta corner shows the largest value, the Nb corner the colour of 1. */
    @Test void cornersAreOriented(@TempDir Path dir) throws Exception {
        TernaryMaps.write(dir.resolve("m.png"), "test", "v", linear(), Summary::dOverDc, new double[0], null);
        BufferedImage img = ImageIO.read(dir.resolve("m.png").toFile());
        // geometry of TernaryMaps: LEFT 90, TOP 90, side = min(900-90-170, (860-90-120)/(sqrt3/2)) = 640
        double side = 640, ox = 90, oy = 90 + side * Math.sqrt(3) / 2;
        Color nbCorner = new Color(img.getRGB((int) (ox + 12), (int) (oy - 4)));
        Color taCorner = new Color(img.getRGB((int) (ox + side - 12), (int) (oy - 4)));
        Color moCorner = new Color(img.getRGB((int) (ox + side / 2), (int) (oy - side * Math.sqrt(3) / 2 + 14)));
        // values 1 (Nb), 2 (Ta), 0.5 (Mo) on the range [0.5, 2]: Ta at the top of the sequential map, Mo at the bottom
        assertClose(TernaryMaps.colour(0.5 / 1.5, false), nbCorner);
        assertClose(TernaryMaps.colour(1.0, false), taCorner);
        assertClose(TernaryMaps.colour(0.0, false), moCorner);
    }

    static void assertClose(Color want, Color got) {
        int d = Math.abs(want.getRed() - got.getRed()) + Math.abs(want.getGreen() - got.getGreen()) + Math.abs(want.getBlue() - got.getBlue());
        assertTrue(d < 40, "colour " + got + " expected near " + want);
    }
}
