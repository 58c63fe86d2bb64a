package org.mtpjava.cli;

import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Potential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "expand", mixinStandardHelpOptions = true,
        description = {"Writes the plain MTP equivalent to a compressed potential: the factors are multiplied out into radial_coeffs, "
                + "so MLIP-2/MLIP-3 and LAMMPS ML-MTP can read OUT. Energies, forces and stresses equal the compressed potential's to "
                + "round-off. A plain input is copied. An active set in compressed coordinates (.almtp) is dropped: rebuild it with "
                + "'mtpjava train OUT.almtp TRAIN.cfg --iteration-limit 0'."})
public final class ExpandCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POT", description = "compressed (or plain) potential") Path in;
    @Parameters(index = "1", paramLabel = "OUT.mtp", description = "plain potential to write") Path out;

    @Override public Integer call() {
        Potential p = PotentialFiles.read(in);
        var rep = p.radialRepresentation();
        if (rep == null) {
            System.err.println("expand: " + in + " is not compressed; writing it unchanged");
        } else {
            System.err.println("expand: " + in + ": " + (rep instanceof org.mtpjava.compress.Factorisation f ? f.describe() : rep.method())
                    + " -> " + p.radialCoefficients().length + " dense radial coefficients");
            p.setRadialRepresentation(null);
        }
        if (p.activeSet() != null && p.activeSet().n() != p.parameterCount()) {
            System.err.println("expand: the active set (dimension " + p.activeSet().n() + ", compressed coordinates) is dropped; the plain potential has "
                    + p.parameterCount() + " parameters");
            p.setActiveSet(null);
        }
        PotentialFiles.write(p, out);
        System.err.println("expand: wrote " + out + " (" + p.parameterCount() + " parameters)");
        return 0;
    }
}
