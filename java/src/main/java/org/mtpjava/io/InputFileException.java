package org.mtpjava.io;

/**
 * A problem in a user's input file, reported as {@code file:line: what was found; what was expected}.
 * The CLI prints the message alone (no stack trace).
 */
public class InputFileException extends RuntimeException {
    private final String file;
    private final int line;

    public InputFileException(String file, int line, String message) {
        super(format(file, line, message));
        this.file = file;
        this.line = line;
    }

    public InputFileException(String file, int line, String message, Throwable cause) {
        super(format(file, line, message), cause);
        this.file = file;
        this.line = line;
    }

    private static String format(String file, int line, String message) {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }

    public String file() { return file; }
    /** 1-based line number, or 0 if the problem is not tied to a line. */
    public int line() { return line; }
}
