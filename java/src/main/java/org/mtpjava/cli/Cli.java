package org.mtpjava.cli;

import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Potential;

import java.nio.file.Path;

/** Small helpers shared by commands. */
final class Cli {
    private Cli() {}

    static Potential readPotential(Path file) {
        Potential p = PotentialFiles.read(file);
        int[] labels = p.speciesLabels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != i) {
                System.err.println("note: " + file + " labels its species " + java.util.Arrays.toString(labels)
                        + " (MLIP-3 convention: cfg types are these labels; LAMMPS ML-MTP would need labels 0.."
                        + (labels.length - 1) + ")");
                break;
            }
        }
        if (!p.isTrained()) {
            System.err.println("note: " + file + " has no coefficients (an untrained template); using MLIP-3's default coefficients");
        }
        return p;
    }
}
