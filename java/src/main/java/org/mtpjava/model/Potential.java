package org.mtpjava.model;

import java.util.Arrays;

/**
 * A Moment Tensor Potential: radial basis, radial coefficients, moment basis, species and moment coefficients
 * (MLIP {@code .mtp} model). Coefficient arrays are live: training updates them in place and evaluators
 * read them on every call.
 *
 * <p>Site energy (Shapeev 2016, MLIP-3): V_i = s[t_i] + sum_alpha xi_alpha B_alpha(i), with basic moments
 * m_k(i) = sum_j f_mu(r_ij) x^a y^b z^c / r^nu and radial functions
 * f_mu(r) = sum_beta c[t_i, t_j, mu, beta] * scaling * Q_beta(r).
 *
 * <p>The parameter vector theta (shared by training, active learning and file writers) is
 * [radial coefficients (MLIP order) | species coefficients (S) | moment coefficients (Ns)].
 */
public final class Potential {
    private String name = "MTP1m";
    private String tag = "";
    private double scaling = 1.0;
    private int speciesCount;
    private final RadialBasisType radialBasisType;
    private double minDist;
    private final double maxDist;
    private final int radialBasisSize;
    private MagneticBasis magneticBasis; // null for a non-magnetic potential
    private final int radialFunctionsCount;
    private final MomentBasis basis;
    private double[] radialCoefficients;
    private double[] speciesCoefficients;
    private double[] momentCoefficients;
    private int[] speciesLabels;
    private boolean trained;
    private ActiveSetData activeSet;
    private RadialRepresentation radialRepresentation; // null: the dense radial coefficients are the parameters

    public Potential(RadialBasisType radialBasisType, double minDist, double maxDist, int radialBasisSize,
                     MagneticBasis magneticBasis, int radialFunctionsCount, MomentBasis basis, int speciesCount) {
        if (!(maxDist > minDist)) throw new IllegalArgumentException("max_dist must exceed min_dist");
        if (radialBasisSize < 1) throw new IllegalArgumentException("radial_basis_size must be >= 1");
        if (speciesCount < 1) throw new IllegalArgumentException("species_count must be >= 1");
        if (basis.radialFunctionsUsed() > radialFunctionsCount) {
            throw new IllegalArgumentException("the basis uses " + basis.radialFunctionsUsed()
                    + " radial functions but radial_funcs_count = " + radialFunctionsCount);
        }
        this.radialBasisType = radialBasisType;
        this.minDist = minDist;
        this.maxDist = maxDist;
        this.radialBasisSize = radialBasisSize;
        this.magneticBasis = magneticBasis;
        this.radialFunctionsCount = radialFunctionsCount;
        this.basis = basis;
        this.speciesCount = speciesCount;
        this.speciesLabels = identityLabels(speciesCount);
        setDefaultCoefficients();
        this.trained = false;
    }

    private static int[] identityLabels(int s) {
        int[] l = new int[s];
        for (int i = 0; i < s; i++) l[i] = i;
        return l;
    }

    /**
     * MLIP-3's coefficients for a template without them: radial 1e-6 + mu*1e-7 + beta*1e-7, except the
     * entry beta = min(mu, R-1) of radial function mu, set to 1e-3*(pair+1) + mu*1e-4; linear ones 1e-3.
     */
    public void setDefaultCoefficients() {
        int s = speciesCount, k = radialFunctionsCount, r = radialBasisSize, m2 = magneticSize() * magneticSize();
        radialCoefficients = new double[s * s * k * r * m2];
        for (int pair = 0; pair < s * s; pair++) {
            for (int mu = 0; mu < k; mu++) {
                for (int beta = 0; beta < r; beta++) {
                    for (int pq = 0; pq < m2; pq++) {
                        radialCoefficients[((pair * k + mu) * r + beta) * m2 + pq] = 1e-6 + mu * 1e-7 + beta * 1e-7;
                    }
                }
                int beta = Math.min(mu, r - 1);
                for (int pq = 0; pq < m2; pq++) {
                    radialCoefficients[((pair * k + mu) * r + beta) * m2 + pq] = 1e-3 * (pair + 1) + mu * 1e-4;
                }
            }
        }
        speciesCoefficients = new double[s];
        Arrays.fill(speciesCoefficients, 1e-3);
        momentCoefficients = new double[basis.scalarCount()];
        Arrays.fill(momentCoefficients, 1e-3);
    }

    // ---- structure ----
    public String name() { return name; }
    public void setName(String n) { name = n; }
    public String tag() { return tag; }
    public void setTag(String t) { tag = t; }
    public double scaling() { return scaling; }
    public void setScaling(double s) { scaling = s; }
    public int speciesCount() { return speciesCount; }
    public RadialBasisType radialBasisType() { return radialBasisType; }
    public double minDist() { return minDist; }
    public void setMinDist(double d) {
        if (!(d < maxDist)) throw new IllegalArgumentException("min_dist " + d + " must be below max_dist " + maxDist);
        minDist = d;
    }
    public double maxDist() { return maxDist; }
    /** The cutoff radius (= max_dist). */
    public double cutoff() { return maxDist; }
    public int radialBasisSize() { return radialBasisSize; }
    public MagneticBasis magneticBasis() { return magneticBasis; }
    public boolean isMagnetic() { return magneticBasis != null; }
    /**
     * Changes the magnetic interval (training widens it to the data, as MLIP-3's auto_minmax_magmom); the size
     * must stay the same. Evaluators built before the change keep the old interval.
     */
    public void setMagneticBasis(MagneticBasis b) {
        if (magneticBasis == null || b == null || b.size() != magneticBasis.size()) {
            throw new IllegalArgumentException("setMagneticBasis: only the interval of an existing magnetic basis can change");
        }
        magneticBasis = b;
    }
    /** M: size of the magnetic basis, 1 for a non-magnetic potential. */
    public int magneticSize() { return magneticBasis == null ? 1 : magneticBasis.size(); }
    public int radialFunctionsCount() { return radialFunctionsCount; }
    public MomentBasis basis() { return basis; }

    // ---- coefficients ----
    /** Radial coefficients in MLIP order ((ti*S+tj)*K+mu)*R*M^2 + beta*M^2 + p*M + q (live array). */
    public double[] radialCoefficients() { return radialCoefficients; }
    public double[] speciesCoefficients() { return speciesCoefficients; }
    public double[] momentCoefficients() { return momentCoefficients; }
    /** Number of radial coefficients per ordered species pair: K*R*M^2. */
    public int radialCoefficientsPerPair() {
        return radialFunctionsCount * radialBasisSize * magneticSize() * magneticSize();
    }
    public void setCoefficients(double[] radial, double[] species, double[] moments) {
        int s = speciesCount;
        if (radial.length != s * s * radialCoefficientsPerPair()) throw new IllegalArgumentException("radial size");
        if (species.length != s) throw new IllegalArgumentException("species size");
        if (moments.length != basis.scalarCount()) throw new IllegalArgumentException("moment size");
        radialCoefficients = radial;
        speciesCoefficients = species;
        momentCoefficients = moments;
        trained = true;
    }

    /** True when the file carried coefficients (or training set them). */
    public boolean isTrained() { return trained; }
    public void setTrained(boolean t) { trained = t; }

    /** Label integer of each species as written in the radial block ({@code a-b}); 0..S-1 by default. */
    public int[] speciesLabels() { return speciesLabels; }
    public void setSpeciesLabels(int[] labels) {
        if (labels.length != speciesCount) throw new IllegalArgumentException("labels length");
        speciesLabels = labels.clone();
    }

    /**
     * Changes the number of species, resetting coefficients to MLIP-3's defaults (used when training rebuilds
     * the species of an untrained potential from the data).
     */
    public void resetSpecies(int newCount) {
        speciesCount = newCount;
        speciesLabels = identityLabels(newCount);
        setDefaultCoefficients();
        trained = false;
        activeSet = null;
        radialRepresentation = null;
    }

    /** Number of parameters: S^2*K*R*M^2 + S + Ns. */
    public int parameterCount() {
        return radialCoefficients.length + speciesCount + basis.scalarCount();
    }

    /** A copy of theta = [radial | species | moment]. */
    public double[] parameters() {
        double[] t = new double[parameterCount()];
        writeParameters(t);
        return t;
    }

    public void writeParameters(double[] t) {
        int nr = radialCoefficients.length, s = speciesCount;
        System.arraycopy(radialCoefficients, 0, t, 0, nr);
        System.arraycopy(speciesCoefficients, 0, t, nr, s);
        System.arraycopy(momentCoefficients, 0, t, nr + s, momentCoefficients.length);
    }

    /** Sets theta = [radial | species | moment] in place (arrays keep their identity). */
    public void setParameters(double[] t) {
        if (t.length != parameterCount()) {
            throw new IllegalArgumentException("parameter vector has " + t.length + " entries, expected " + parameterCount());
        }
        int nr = radialCoefficients.length, s = speciesCount;
        System.arraycopy(t, 0, radialCoefficients, 0, nr);
        System.arraycopy(t, nr, speciesCoefficients, 0, s);
        System.arraycopy(t, nr + s, momentCoefficients, 0, momentCoefficients.length);
        trained = true;
    }

    public ActiveSetData activeSet() { return activeSet; }
    public void setActiveSet(ActiveSetData a) { activeSet = a; }

    /**
     * The factorised form of the radial coefficients ({@code org.mtpjava.compress}), or null for a plain MTP. The
     * dense array stays materialised; writers store the factors.
     */
    public RadialRepresentation radialRepresentation() { return radialRepresentation; }

    /** Sets (or clears, with null) the factorised form; a non-null one is materialised into the dense coefficients. */
    public void setRadialRepresentation(RadialRepresentation r) {
        radialRepresentation = r;
        if (r != null) r.materialise(radialCoefficients);
    }

    /** Independent radial parameters: the compressed count, or S^2*K*R*M^2. */
    public int radialParameterCount() {
        return radialRepresentation == null ? radialCoefficients.length : radialRepresentation.parameterCount();
    }

    /** A deep copy (coefficients and active set are copied). */
    public Potential copy() {
        Potential p = new Potential(radialBasisType, minDist, maxDist, radialBasisSize, magneticBasis,
                radialFunctionsCount, basis, speciesCount);
        p.name = name;
        p.tag = tag;
        p.scaling = scaling;
        p.radialCoefficients = radialCoefficients.clone();
        p.speciesCoefficients = speciesCoefficients.clone();
        p.momentCoefficients = momentCoefficients.clone();
        p.speciesLabels = speciesLabels.clone();
        p.trained = trained;
        p.activeSet = activeSet;
        p.radialRepresentation = radialRepresentation == null ? null : radialRepresentation.copy();
        return p;
    }
}
