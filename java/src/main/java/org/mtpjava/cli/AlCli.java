package org.mtpjava.cli;

import org.mtpjava.al.ActiveLearning;
import org.mtpjava.al.ActiveSet;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.InputFileException;
import org.mtpjava.model.Potential;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/** Helpers shared by the active-learning commands. */
final class AlCli {
    private AlCli() {}

    /** The active set stored in the potential file, or a clear error. */
    static ActiveSet activeSet(Potential p, Path file) {
        if (p.activeSet() == null) {
            throw new InputFileException(file.toString(), 0, "no active set (#MVS_v1.1 section) in this file; "
                    + "build one with 'mtpjava update-active-set " + file + " TRAIN.cfg --save-to OUT.almtp'");
        }
        ActiveSet as = ActiveSet.fromData(p, file.toString());
        try {
            as.weights().requireValid();
        } catch (IllegalArgumentException e) {
            throw new InputFileException(file.toString(), 0, e.getMessage());
        }
        return as;
    }

    /** A configuration file read lazily (each forEach re-reads it). */
    static ActiveLearning.Source source(Path cfgFile) {
        String name = cfgFile.toString();
        return sink -> CfgFiles.forEach(cfgFile, c -> {
            try {
                sink.accept(c);
            } catch (IllegalArgumentException e) {
                // a problem with one configuration (unknown type, no moments, ...): name the file
                String m = e.getMessage() == null ? e.toString() : e.getMessage();
                if (m.startsWith(name)) throw e;
                throw new IllegalArgumentException(name + ": " + m, e);
            }
        });
    }

    /** stdout / stderr / none (null) / a file. */
    static PrintStream openLog(String log) {
        if (log == null || log.equals("none") || log.isEmpty()) return null;
        if (log.equals("stdout")) return new PrintStream(new NonClosing(System.out), true);
        if (log.equals("stderr")) return new PrintStream(new NonClosing(System.err), true);
        try {
            return new PrintStream(new FileOutputStream(log), true);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("cannot write the log file " + log + ": " + e.getMessage());
        }
    }

    static void logState(PrintStream log, Path file, ActiveSet as) {
        var w = as.weights();
        log.println("Selection: state loaded from \"" + file + "\" (" + as.filledRows() + " of " + as.dimension()
                + " rows filled, " + as.selected().size() + " configurations)");
        log.printf(java.util.Locale.ROOT, "\tenergy_weight = %f%n\tforce_weight = %f%n\tstress_weight = %f%n\tsite_en_weight = %f%n\tweight_scaling = %d%n",
                w.energyWeight(), w.forceWeight(), w.stressWeight(), w.siteEnergyWeight(), w.weightScaling());
    }

    /** C++ ostream's default double format (6 significant digits, %g-like without trailing zeros). */
    static String cppDouble(double v) {
        if (v == 0) return "0";
        String s = String.format(java.util.Locale.ROOT, "%.6g", v);
        if (s.contains("e")) {
            String mant = s.substring(0, s.indexOf('e')), exp = s.substring(s.indexOf('e'));
            if (mant.contains(".")) mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
            return mant + exp;
        }
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) { super(out); }
        @Override public void close() throws java.io.IOException { flush(); }
    }
}
