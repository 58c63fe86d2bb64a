package org.mtpjava.workflow.ductility;

/** Unit conversions of the workflow (LAMMPS metal units in, SI-style engineering units out). */
public final class Units {
    private Units() {}

    /** 1 eV/Å² in J/m² (1.602176634e-19 J / 1e-20 m²). */
    public static final double EV_PER_A2_TO_J_PER_M2 = 16.02176634;
    /** 1 eV/Å³ in GPa. */
    public static final double EV_PER_A3_TO_GPA = 160.2176634;
    /** 1 bar in GPa. */
    public static final double BAR_TO_GPA = 1e-4;
}
