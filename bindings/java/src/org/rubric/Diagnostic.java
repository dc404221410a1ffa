package org.rubric;

/**
 * One finding about a rubric: severity ("error", "warning", "note"), the file name given,
 * 1-based line and column (columns count characters; 0 = no position), a stable code such as
 * "E-syntax", the message, what was expected ("" if nothing), and the rendered text.
 */
public record Diagnostic(String severity, String file, int line, int column, String code, String message,
                         String expected, String rendered) {}
