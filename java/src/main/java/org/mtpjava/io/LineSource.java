package org.mtpjava.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Line-by-line reading that remembers the line number, for error messages that point at the input. */
final class LineSource {
    private final BufferedReader reader;
    private final String name;
    private int lineNumber;
    private String pushedBack;

    LineSource(BufferedReader reader, String name) {
        this.reader = reader;
        this.name = name;
    }

    String name() { return name; }
    int lineNumber() { return lineNumber; }

    /** Next line with a trailing CR removed, or null at end of file. */
    String next() {
        if (pushedBack != null) {
            String l = pushedBack;
            pushedBack = null;
            lineNumber++;
            return l;
        }
        try {
            String l = reader.readLine();
            if (l == null) return null;
            lineNumber++;
            if (!l.isEmpty() && l.charAt(l.length() - 1) == '\r') l = l.substring(0, l.length() - 1);
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Next line that is not blank, or null at end of file. */
    String nextNonBlank() {
        String l;
        while ((l = next()) != null) if (!l.isBlank()) return l;
        return null;
    }

    /** Counts a line consumed elsewhere (e.g. a skipped header comment). */
    void skipNumber() { lineNumber++; }

    void pushBack(String line) {
        pushedBack = line;
        lineNumber--;
    }

    InputFileException error(String message) { return new InputFileException(name, lineNumber, message); }

    double parseDouble(String token, String what) {
        try {
            double v = Double.parseDouble(token);
            if (!Double.isFinite(v)) throw error(what + " is " + token + "; expected a finite number");
            return v;
        } catch (NumberFormatException e) {
            throw error("'" + token + "' is not a number; expected " + what);
        }
    }

    int parseInt(String token, String what) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw error("'" + token + "' is not an integer; expected " + what);
        }
    }
}
