package org.rubric;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A node of the rubric: kind "section", "item", "bonus", "task" or "adjustments"; points (null if none);
 * parent index (-1 for a top-level node); children indexes; the verbatim metadata (keys
 * requirement, standard, method, evidence, owners, deadline, measures, note); lead and
 * support departments.
 */
public record Node(int index, String code, String name, String kind, BigDecimal points, int parent,
                   List<Integer> children, Map<String, String> meta, List<String> lead, List<String> support) {}
