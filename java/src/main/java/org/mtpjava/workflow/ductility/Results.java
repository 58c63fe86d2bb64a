package org.mtpjava.workflow.ductility;

import java.util.List;

/** The per-task results the workflow checkpoints (one JSON file each) and the per-composition summary. */
public final class Results {
    private Results() {}

    /**
     * How one LAMMPS run went.
     *
     * @param status        OK, BREAK (stopped by the extrapolation break threshold) or FAILED
     * @param message       LAMMPS' error line or a diagnostic ("" if none)
     * @param wallSeconds   wall time of the LAMMPS process
     * @param pairSeconds   time in the pair style (LAMMPS timing breakdown, average over ranks)
     * @param loopSeconds   LAMMPS loop time (sum over the minimisations)
     * @param evaluations   force evaluations
     * @param maxGrade      largest extrapolation grade seen (0 without extrapolation control)
     * @param extrapolative configurations saved above the select threshold
     * @param ranks         MPI ranks
     * @param pairStyleSeconds time inside pair_style mtpjava's compute() (rank 0, from the style's own counters)
     * @param javaSeconds   of which in the Java call (bridge entry to return)
     * @param kernelSeconds of which in the Java evaluation kernel (energy, forces, virial, grades)
     */
    public record RunInfo(String status, String message, double wallSeconds, double pairSeconds, double loopSeconds,
                          long evaluations, double maxGrade, int extrapolative, int ranks, double pairStyleSeconds,
                          double javaSeconds, double kernelSeconds) {
        public boolean ok() { return status.equals("OK"); }
    }

    /**
     * Lattice constant and elastic constants of one random cubic cell.
     *
     * @param a0                  (2V/N)^(1/3), Å
     * @param box                 relaxed lx, ly, lz, Å
     * @param residualPressureBar pxx, pyy, pzz of the relaxed reference, bar
     * @param boxRounds           box-relaxation rounds used
     * @param points              stresses of the strained cells
     * @param elastic             elastic constants (null if the run did not finish)
     */
    public record Bulk(String composition, int realisation, long seed, int atoms, int[] repeats, double a0, double[] box,
                       double energyPerAtom, double[] residualPressureBar, int boxRounds,
                       List<ElasticConstants.Point> points, ElasticConstants.Result elastic, RunInfo run) {}

    /**
     * Surface energy of one random slab.
     *
     * @param plane       "100" or "110"
     * @param area        area of one surface, Å²
     * @param gamma       (E_slab − E_bulk)/(2A), J/m²
     */
    public record Surface(String composition, int realisation, long seed, String plane, int atoms, int layers,
                          double latticeConstant, double area, double bulkEnergy, double slabEnergy, double gamma,
                          RunInfo run) {}

    /**
     * {110}⟨111⟩ GSF curves of one random cell, one per fault plane.
     *
     * @param burgers  b = a√3/2, Å
     * @param gammaUsf mean over the planes, J/m²
     * @param spread   standard deviation over the planes, J/m²
     */
    public record Gsf(String composition, int realisation, long seed, int atoms, int layers, double latticeConstant,
                      double area, double burgers, List<GsfCurve> curves, double gammaUsf, double spread, RunInfo run) {}
}
