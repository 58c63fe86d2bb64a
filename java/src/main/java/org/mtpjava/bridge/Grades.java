package org.mtpjava.bridge;

/**
 * What the pair style needs from active learning: extrapolation grades of the neighbourhoods it evaluates.
 * One instance per pair-style model and thread (implementations keep work buffers).
 */
interface Grades {
    /** True for a neighbourhood-mode active set (per-atom grades); false for configuration mode. */
    boolean neighbourhoodMode();

    /** Length of the parameter vector theta (configuration mode's dE/dtheta). */
    int parameterCount();

    /** Grade of one neighbourhood (arguments as {@code SiteEvaluator.siteEnergy}). */
    double neighbourhoodGrade(int centralSpecies, int n, double[] rij, int[] neighbourSpecies);

    /** Adds dV_i/dtheta of one neighbourhood to {@code sum} (configuration mode). */
    void addParameterGradient(int centralSpecies, int n, double[] rij, int[] neighbourSpecies, double[] sum);

    /** Configuration grade from dE/dtheta summed over all atoms of all ranks. */
    double configurationGrade(double[] dEdThetaSum, long atoms);
}
