package org.mtpjava.al;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mtpjava.TestData;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.ActiveSetData;
import org.mtpjava.model.Potential;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * .almtp files read and written by mtpjava against MLIP-3's: the whole {@code #MVS_v1.1} section (weights, the two
 * binary little-endian n x n blocks, the row origins and the lossless selected configurations) is byte-identical;
 * the MTP text differs only in number digits (mtpjava writes 17 significant digits, MLIP 16) and reads back to the
 * same doubles.
 */
class AlmtpRoundTripTest {
    @TempDir Path tmp;

    static int indexOf(byte[] b, byte[] pat) {
        outer:
        for (int i = 0; i + pat.length <= b.length; i++) {
            for (int k = 0; k < pat.length; k++) if (b[i + k] != pat[k]) continue outer;
            return i;
        }
        return -1;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "reference/mlip3_training/trained10_MoNbTa.almtp",
            "reference/mlip3_training/trained10_MoNbTa_AS300.almtp",
            "reference/mlip3_training/trained10_MoNbTa_nbh.almtp",
            "mlip_reference_kit/testvectors/L06_nbh.almtp",
            "mlip_reference_kit/testvectors/L16_nbh.almtp",
            "mlip_reference_kit/testvectors/L08_3sp_cfgmode.almtp",
            "mlip3_examples_oracle/examples/06.select_add/pot.almtp",
    })
    void activeSetSectionIsByteIdentical(String file) throws Exception {
        Path src = TestData.data(file);
        Potential p = PotentialFiles.read(src);
        Path out = tmp.resolve("out.almtp");
        PotentialFiles.write(p, out);
        byte[] x = Files.readAllBytes(src), y = Files.readAllBytes(out);
        byte[] key = "\n#MVS_v1.1\n".getBytes(StandardCharsets.ISO_8859_1);
        int ix = indexOf(x, key), iy = indexOf(y, key);
        assertTrue(ix > 0 && iy > 0, "#MVS_v1.1 present");
        assertArrayEquals(Arrays.copyOfRange(x, ix, x.length), Arrays.copyOfRange(y, iy, y.length), "#MVS section of " + file);

        // layout of the binary part, as LAMMPS ML-MTP reads it: 5 lines, '#', then 2 n*n little-endian doubles
        int n = p.parameterCount();
        int pos = iy + key.length;
        for (int line = 0; line < 5; line++) pos = indexOf(Arrays.copyOfRange(y, pos, y.length), new byte[]{'\n'}) + pos + 1;
        assertEquals('#', y[pos], "'#' before the binary blocks");
        ByteBuffer bb = ByteBuffer.wrap(y, pos + 1, 2 * n * n * 8).order(ByteOrder.LITTLE_ENDIAN);
        ActiveSetData d = p.activeSet();
        for (int k = 0; k < n * n; k++) assertEquals(Double.doubleToRawLongBits(d.a()[k]), Double.doubleToRawLongBits(bb.getDouble()), "A[" + k + "]");
        for (int k = 0; k < n * n; k++) assertEquals(Double.doubleToRawLongBits(d.invAT()[k]), Double.doubleToRawLongBits(bb.getDouble()), "invA[" + k + "]");
        assertEquals("\n#\n", new String(y, pos + 1 + 2 * n * n * 8, 3, StandardCharsets.ISO_8859_1));

        // MTP text: same tokens, numbers equal as doubles
        String[] tx = new String(x, 0, ix, StandardCharsets.ISO_8859_1).split("[\\s{},]+");
        String[] ty = new String(y, 0, iy, StandardCharsets.ISO_8859_1).split("[\\s{},]+");
        assertEquals(tx.length, ty.length, "MTP text tokens");
        for (int i = 0; i < tx.length; i++) {
            if (tx[i].equals(ty[i])) continue;
            assertEquals(Double.parseDouble(tx[i]), Double.parseDouble(ty[i]), 0.0, "MTP text token " + i + ": " + tx[i] + " vs " + ty[i]);
        }

        // and the written file reads back to the same potential and state
        Potential q = PotentialFiles.read(out);
        assertArrayEquals(p.parameters(), q.parameters(), 0.0);
        assertArrayEquals(d.a(), q.activeSet().a(), 0.0);
        assertArrayEquals(d.invAT(), q.activeSet().invAT(), 0.0);
        assertArrayEquals(d.rowConfiguration(), q.activeSet().rowConfiguration());
        assertArrayEquals(d.rowEquation(), q.activeSet().rowEquation());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference/mlip3_training/trained10_MoNbTa_AS300.almtp", "reference/mlip3_training/trained10_MoNbTa_nbh.almtp"})
    void activeSetThroughActiveSetClassIsUnchanged(String file) throws Exception {
        Path src = TestData.data(file);
        Potential p = PotentialFiles.read(src);
        p.setActiveSet(ActiveSet.fromData(p.activeSet(), file).toData());
        Path out = tmp.resolve("out2.almtp");
        PotentialFiles.write(p, out);
        byte[] x = Files.readAllBytes(src), y = Files.readAllBytes(out);
        byte[] key = "\n#MVS_v1.1\n".getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(Arrays.copyOfRange(x, indexOf(x, key), x.length), Arrays.copyOfRange(y, indexOf(y, key), y.length));
    }
}
