package org.rubric;

import java.util.List;

/**
 * A fact the rubric reads: type "bool", "count", "percent", "decimal", "judged", "choice" or
 * "list" (elementType for lists, else ""); the label; the declared range "lo..hi" ("" if
 * none); whether a unit needs it; the declaring node's index (-1 if none); choice words.
 */
public record Input(int index, String name, String type, String elementType, String label, String range,
                    boolean required, int node, List<String> choices) {}
