package org.rubric;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The scores of one unit: for the code of every scored node (tasks have none), and for
 * "total" and "bonus", the exact score as text ("0.6", "2/3") and the score rounded for
 * display with the rubric's rounding ("0.67").
 */
public final class Result {
    private final String entity;
    private final Map<String, String> exact, rounded;

    Result(String entity, Map<String, String> exact, Map<String, String> rounded) {
        this.entity = entity;
        this.exact = Collections.unmodifiableMap(new LinkedHashMap<>(exact));
        this.rounded = Collections.unmodifiableMap(new LinkedHashMap<>(rounded));
    }

    /** The entity id given to evaluate (may be null). */
    public String entity() { return entity; }

    /**
     * The exact score as a BigDecimal. Like {@link BigDecimal#divide(BigDecimal)}, throws
     * ArithmeticException when the value has no finite decimal expansion (2/3): use
     * {@link #exact(String)} or {@link #rounded(String)} for those.
     */
    public BigDecimal score(String code) { return toBigDecimal(exact(code)); }

    /** The score rounded for display, as the rubric says (2 places, half up by default). */
    public BigDecimal rounded(String code) { return new BigDecimal(get(rounded, code)); }

    /** The exact score as text: a decimal ("3.125") or, without a finite expansion, "n/d". */
    public String exact(String code) { return get(exact, code); }

    public BigDecimal total() { return score("total"); }
    public BigDecimal bonus() { return score("bonus"); }

    /** Code → exact text, in document order, then total and bonus. */
    public Map<String, String> exactScores() { return exact; }
    /** Code → rounded text. */
    public Map<String, String> roundedScores() { return rounded; }

    private static String get(Map<String, String> m, String code) {
        String v = m.get(code);
        if (v == null) throw new NoSuchElementException("no node has the code " + code);
        return v;
    }

    static BigDecimal toBigDecimal(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) return new BigDecimal(text);
        // Throws ArithmeticException ("Non-terminating decimal expansion") for 2/3.
        return new BigDecimal(text.substring(0, slash)).divide(new BigDecimal(text.substring(slash + 1)));
    }

    @Override
    public String toString() { return "Result(" + entity + ", total " + rounded.get("total") + ")"; }
}
