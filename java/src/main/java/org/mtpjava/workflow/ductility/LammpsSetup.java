package org.mtpjava.workflow.ductility;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How every LAMMPS run of the workflow loads {@code pair_style mtpjava}: plugin, potential, species mapping and
 * the extrapolation control (the run's own select/break thresholds and dump file are set per task).
 *
 * @param plugin         mtpjavaplugin.so
 * @param potential      .mtp/.almtp file
 * @param speciesNames   the potential's species names in index order (pair_style ... species)
 * @param extrapolation  grade every evaluation and save/stop above select/break (needs an active set)
 * @param select         grade above which a configuration is saved
 * @param breakThreshold grade above which the run stops
 * @param every          grade every this many steps
 * @param minimizer      minimisation settings
 */
public record LammpsSetup(Path plugin, Path potential, List<String> speciesNames, boolean extrapolation,
                          double select, double breakThreshold, int every, Minimizer minimizer) {

    /**
     * Minimiser settings (LAMMPS {@code minimize 0 ftol maxiter maxeval} with the max-norm force criterion).
     *
     * @param ftol        largest force component at convergence, eV/Å
     * @param maxIter     iteration limit of one minimisation
     * @param maxEval     force-evaluation limit of one minimisation
     * @param pressureTol residual pressure components accepted by the box relaxation, bar
     */
    public record Minimizer(double ftol, int maxIter, int maxEval, double pressureTol) {
        public Minimizer {
            if (!(ftol > 0)) throw new IllegalArgumentException("relax.ftol must be > 0 (eV/Å), got " + ftol);
            if (maxIter < 1 || maxEval < 1) throw new IllegalArgumentException("relax.max_iterations / max_evaluations must be >= 1");
            if (!(pressureTol > 0)) throw new IllegalArgumentException("relax.pressure_tolerance must be > 0 (bar), got " + pressureTol);
        }

        String command() {
            return String.format(Locale.ROOT, "minimize        0.0 %s %d %d", LammpsScripts.num(ftol), maxIter, maxEval);
        }
    }

    /** LAMMPS type order is Mo, Nb, Ta; each maps to the potential species of that name. */
    String pairCoeff() {
        StringBuilder sb = new StringBuilder("pair_coeff      * * ").append(LammpsScripts.quote(potential.toString()));
        for (String e : Composition.ELEMENTS) {
            if (!speciesNames.contains(e))
                throw new IllegalArgumentException("potential species " + speciesNames + " do not include " + e);
            sb.append(' ').append(e);
        }
        return sb.toString();
    }

    String pairStyle(String dumpFile) {
        StringBuilder sb = new StringBuilder("pair_style      mtpjava species");
        for (String s : speciesNames) sb.append(' ').append(s);
        if (extrapolation) {
            sb.append(" extrapolation select ").append(LammpsScripts.num(select))
                    .append(" break ").append(LammpsScripts.num(breakThreshold))
                    .append(" every ").append(every);
            if (dumpFile != null) sb.append(" dump ").append(dumpFile);
        }
        return sb.toString();
    }
}
