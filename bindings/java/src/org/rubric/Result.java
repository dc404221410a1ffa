package org.rubric;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The scores of one unit: for the code of every scored node (tasks have none), and for
 * "total" and "bonus", the score rounded for display with the rubric's rounding ("3.33") and
 * the exact score ("10/3"). Also the rubric's warnings (预警) that apply to the unit and the
 * inputs whose facts it did not give (the missing-fact policy decided them). A unit skipped by
 * a batch with {@code BATCH_SKIP_BAD} has only its entity and {@link #error}.
 *
 * <p>Nothing here throws for an ordinary score: {@link #total()} and {@link #rounded} are the
 * display values as BigDecimal, {@link #exactValue} the exact fraction (10/3 stays 10/3).
 */
public final class Result {
    private final String entity, name, error;
    private final Map<String, String> exact, rounded;
    private final List<String> warnings, missing, vetoes;
    private final String grade;

    Result(String entity, String name, Map<String, String> exact, Map<String, String> rounded, List<String> warnings,
           List<String> missing, String error) {
        this(entity, name, exact, rounded, warnings, missing, error, null, List.of());
    }

    Result(String entity, String name, Map<String, String> exact, Map<String, String> rounded, List<String> warnings,
           List<String> missing, String error, String grade, List<String> vetoes) {
        this.entity = entity;
        this.name = name;
        this.exact = Collections.unmodifiableMap(new LinkedHashMap<>(exact));
        this.rounded = Collections.unmodifiableMap(new LinkedHashMap<>(rounded));
        this.warnings = List.copyOf(warnings);
        this.missing = List.copyOf(missing);
        this.error = error;
        this.grade = grade;
        this.vetoes = List.copyOf(vetoes);
    }

    /**
     * A result line of the library (rubric_eval_result_json, or a line of a JSON-lines batch):
     * "nodes", "total" and "bonus" rounded, "exact" for the values rounding changed.
     */
    @SuppressWarnings("unchecked")
    static Result fromJson(String line) {
        Map<String, Object> o = JsonLine.object(line);
        String entity = (String) o.get("entity");
        if (o.containsKey("error"))
            return new Result(entity, null, Map.of(), Map.of(), List.of(), List.of(), (String) o.get("error"));
        Map<String, String> shown = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) o.get("nodes")).entrySet())
            shown.put(e.getKey(), (String) e.getValue());
        shown.put("total", (String) o.get("total"));
        shown.put("bonus", (String) o.get("bonus"));
        for (String key : new String[] {"adjustments", "grand_total"})  // a rubric with `adjustments`
            if (o.containsKey(key)) shown.put(key, (String) o.get(key));
        Map<String, Object> changed = o.containsKey("exact") ? (Map<String, Object>) o.get("exact") : Map.of();
        Map<String, String> exact = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : shown.entrySet()) {
            Object x = changed.get(e.getKey());
            exact.put(e.getKey(), x != null ? (String) x : e.getValue());
        }
        List<String> warnings = o.containsKey("warnings") ? (List<String>) (List<?>) o.get("warnings") : List.of();
        List<String> missing = o.containsKey("missing_inputs") ? (List<String>) (List<?>) o.get("missing_inputs") : List.of();
        List<String> vetoes = o.containsKey("vetoes") ? (List<String>) (List<?>) o.get("vetoes") : List.of();
        return new Result(entity, (String) o.get("name"), exact, shown, warnings, missing, null, (String) o.get("grade"),
                          vetoes);
    }

    /** The same scores under another entity id (evaluate without one gives null, not ""). */
    Result withEntity(String id) { return new Result(id, name, exact, rounded, warnings, missing, error, grade, vetoes); }

    /** The unit's grade (等级) after its vetoes, read off the grand total; null when the rubric has no `grade`. */
    public String grade() { return grade; }

    /** The labels of the vetoes (一票否决) that held for this unit, in the rubric's order. */
    public List<String> vetoes() { return vetoes; }

    /**
     * The grand total (总得分: total + bonus + adjustments) rounded for display. Present when the
     * rubric has `adjustments` (also as the code "grand_total"); without, the sum of the displayed
     * total and bonus.
     */
    public BigDecimal grandTotal() { return rounded.containsKey("grand_total") ? rounded("grand_total") : rounded("total").add(rounded("bonus")); }

    /** The entity id (may be null for evaluate without one). */
    public String entity() { return entity; }

    /** The unit's display name (a facts file's `name` column), or null. */
    public String name() { return name; }

    /** Why a batch skipped this unit (BATCH_SKIP_BAD), with the diagnostics; null for a scored unit. */
    public String error() { return error; }

    /** The labels of the rubric's warnings (预警) that apply to this unit, in the rubric's order. */
    public List<String> warnings() { return warnings; }

    /** The names of the inputs this unit gave no fact for. */
    public List<String> missing() { return missing; }

    /** The total rounded for display, as the rubric says (2 places, half up by default). Never throws. */
    public BigDecimal total() { return rounded("total"); }

    /** The bonus (附加分) rounded for display. */
    public BigDecimal bonus() { return rounded("bonus"); }

    /** The score rounded for display. */
    public BigDecimal rounded(String code) { return new BigDecimal(get(rounded, code)); }

    /** The exact score: a fraction that converts to a BigDecimal when it terminates. */
    public Exact exactValue(String code) { return Exact.parse(get(exact, code)); }

    /** The exact score as text: a decimal ("3.125") or, without a finite expansion, "n/d". */
    public String exact(String code) { return get(exact, code); }

    /**
     * The exact score as a BigDecimal. Throws ArithmeticException when it has no finite decimal
     * expansion (10/3): use {@link #exactValue} or {@link #rounded} for those.
     */
    public BigDecimal score(String code) { return exactValue(code).toBigDecimal(); }

    /** Code → exact text, in document order, then total and bonus. */
    public Map<String, String> exactScores() { return exact; }
    /** Code → rounded text. */
    public Map<String, String> roundedScores() { return rounded; }

    private Map<String, String> check(Map<String, String> m) {
        if (error != null) throw new IllegalStateException("unit " + entity + " was not scored: " + error);
        return m;
    }

    private String get(Map<String, String> m, String code) {
        String v = check(m).get(code);
        // present but null: a member of another case of a section `by` an attribute (JSON null)
        if (v == null && m.containsKey(code))
            throw new NoSuchElementException("node " + code + " does not apply to unit " + entity);
        if (v == null) throw new NoSuchElementException("no node has the code " + code);
        return v;
    }

    @Override
    public String toString() {
        return error != null ? "Result(" + entity + ", error)" : "Result(" + entity + ", total " + rounded.get("total") + ")";
    }
}
