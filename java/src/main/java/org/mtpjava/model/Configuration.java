package org.mtpjava.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One atomic configuration as in an MLIP {@code .cfg} block: cell, atoms, and whatever reference or computed
 * data it carries (energy, forces, PlusStress virial, site energies, magnetic moments, grades, features).
 *
 * <p>Arrays are flat: atom i's vector is {@code [3i, 3i+1, 3i+2]}. The cell is row-major, row a being lattice
 * vector a; a zero row means "not periodic along that direction". Optional per-atom data are null when absent.
 * Units are LAMMPS {@code metal}: Å, eV, eV/Å; PlusStress is the virial in eV (positive under compression),
 * stored in MLIP text order xx yy zz yz xz xy.
 */
public final class Configuration {
    /** PlusStress component order used in storage and in the text format. */
    public static final String[] STRESS_NAMES = {"xx", "yy", "zz", "yz", "xz", "xy"};

    private final int size;
    private final double[] lattice = new double[9];
    private final int[] types;
    private final double[] positions;

    private double[] forces;
    private double energy = Double.NaN;
    private boolean hasEnergy;
    private double[] stress;
    private double[] siteEnergies;
    private double[] charges;
    private double[] magneticMoments;
    private double[] magneticForces; // dE/dm, the en_der_m* columns
    private double[] neighbourhoodGrades;
    private boolean[] ghost;
    private final LinkedHashMap<String, String> features = new LinkedHashMap<>();

    public Configuration(int size) {
        if (size < 0) throw new IllegalArgumentException("negative atom count " + size);
        this.size = size;
        this.types = new int[size];
        this.positions = new double[3 * size];
    }

    /** A deep copy. */
    public Configuration copy() {
        Configuration c = new Configuration(size);
        System.arraycopy(lattice, 0, c.lattice, 0, 9);
        System.arraycopy(types, 0, c.types, 0, size);
        System.arraycopy(positions, 0, c.positions, 0, 3 * size);
        c.forces = clone(forces);
        c.energy = energy;
        c.hasEnergy = hasEnergy;
        c.stress = clone(stress);
        c.siteEnergies = clone(siteEnergies);
        c.charges = clone(charges);
        c.magneticMoments = clone(magneticMoments);
        c.magneticForces = clone(magneticForces);
        c.neighbourhoodGrades = clone(neighbourhoodGrades);
        c.ghost = ghost == null ? null : ghost.clone();
        c.features.putAll(features);
        return c;
    }

    private static double[] clone(double[] a) { return a == null ? null : a.clone(); }

    public int size() { return size; }

    /** The 3x3 cell, row-major (live array). */
    public double[] lattice() { return lattice; }
    public void setLattice(double[] l) { System.arraycopy(l, 0, lattice, 0, 9); }

    /** True if lattice row a is non-zero (periodic along a). */
    public boolean isPeriodic(int a) {
        return lattice[3 * a] != 0 || lattice[3 * a + 1] != 0 || lattice[3 * a + 2] != 0;
    }

    /** Number of leading non-zero lattice rows that a writer emits (0 = a non-periodic cluster). */
    public int latticeRowsToWrite() {
        for (int a = 2; a >= 0; a--) if (isPeriodic(a)) return a + 1;
        return 0;
    }

    /** |det(cell)|; 0 unless all three directions are periodic. */
    public double volume() {
        double[] l = lattice;
        double det = l[0] * (l[4] * l[8] - l[5] * l[7]) - l[1] * (l[3] * l[8] - l[5] * l[6])
                + l[2] * (l[3] * l[7] - l[4] * l[6]);
        return Math.abs(det);
    }

    /** Species/type index per atom (live array). */
    public int[] types() { return types; }
    /** Cartesian positions, flat (live array). */
    public double[] positions() { return positions; }

    public boolean hasForces() { return forces != null; }
    public double[] forces() { return forces; }
    public void setForces(double[] f) { forces = f; }

    public boolean hasEnergy() { return hasEnergy; }
    public double energy() { return energy; }
    public void setEnergy(double e) { energy = e; hasEnergy = true; }
    public void clearEnergy() { energy = Double.NaN; hasEnergy = false; }

    public boolean hasStress() { return stress != null; }
    /** PlusStress (virial, eV) in order xx yy zz yz xz xy, or null. */
    public double[] stress() { return stress; }
    public void setStress(double[] s) { stress = s; }

    public double[] siteEnergies() { return siteEnergies; }
    public void setSiteEnergies(double[] s) { siteEnergies = s; }
    public double[] charges() { return charges; }
    public void setCharges(double[] c) { charges = c; }
    public boolean hasMagneticMoments() { return magneticMoments != null; }
    public double[] magneticMoments() { return magneticMoments; }
    public void setMagneticMoments(double[] m) { magneticMoments = m; }
    /** dE/dm per atom (columns en_der_mx/y/z), flat, or null. */
    public double[] magneticForces() { return magneticForces; }
    public void setMagneticForces(double[] d) { magneticForces = d; }
    public double[] neighbourhoodGrades() { return neighbourhoodGrades; }
    public void setNeighbourhoodGrades(double[] g) { neighbourhoodGrades = g; }
    public boolean[] ghost() { return ghost; }
    public void setGhost(boolean[] g) { ghost = g; }

    /** Features in insertion order (live map); writers sort them by key as MLIP does. */
    public Map<String, String> features() { return features; }

    /** Drops computed outputs (energy, forces, stress, site energies, magnetic forces, grades). */
    public void clearComputed() {
        forces = null;
        clearEnergy();
        stress = null;
        siteEnergies = null;
        magneticForces = null;
        neighbourhoodGrades = null;
    }

    @Override public String toString() {
        return "Configuration[" + size + " atoms, lattice=" + Arrays.toString(lattice) + "]";
    }
}
