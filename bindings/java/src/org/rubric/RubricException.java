package org.rubric;

import java.util.List;

/**
 * A failed call. {@link #status()} is the C status code (RUBRIC_ERROR_*), the message the
 * library's. A rubric that does not compile gives every diagnostic, with its position, in
 * {@link #diagnostics()}; the message is then all of them rendered (file:line:col, caret).
 */
public class RubricException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int SYNTAX = 1, CHECK = 2, FACT = 3, NOT_FOUND = 4, MISUSE = 5, NOMEM = 6, LIMIT = 7,
            INTERNAL = 8, IO = 9, COHORT = 10;
    /** The call was cancelled: {@link Evaluation#interrupt}, {@link Rubric#interrupt}, or the
     *  progress handler ({@link Evaluation#setProgressHandler}) said to stop. */
    public static final int INTERRUPTED = 11;

    private final int status;
    private final List<Diagnostic> diagnostics;

    public RubricException(int status, String message) {
        this(status, message, List.of());
    }

    public RubricException(int status, String message, List<Diagnostic> diagnostics) {
        super(message);
        this.status = status;
        this.diagnostics = List.copyOf(diagnostics);
    }

    public int status() { return status; }

    /** The status as text ("syntax error", "bad fact", ...). */
    public String statusText() { return Native.str(Native.statusString(status)); }

    public List<Diagnostic> diagnostics() { return diagnostics; }
}
