package org.rubric;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Objects;

/**
 * An exact score: a fraction in lowest terms, as the library computes it. 10/3 stays 10/3; a
 * score with a finite decimal expansion (0.6, 3.125) converts to a BigDecimal without loss.
 * Parsed from the library's text ("3.125", "-0.5", "10/3"), never from a double.
 */
public final class Exact {
    private final BigInteger numerator, denominator;  // denominator > 0, gcd 1

    private Exact(BigInteger numerator, BigInteger denominator) {
        BigInteger g = numerator.gcd(denominator);
        if (denominator.signum() < 0) g = g.negate();
        this.numerator = g.signum() == 0 ? numerator : numerator.divide(g);
        this.denominator = g.signum() == 0 ? denominator : denominator.divide(g);
    }

    /** "3.125", "-0.5", "7" or "10/3". */
    public static Exact parse(String text) {
        int slash = text.indexOf('/');
        if (slash >= 0)
            return new Exact(new BigInteger(text.substring(0, slash)), new BigInteger(text.substring(slash + 1)));
        BigDecimal d = new BigDecimal(text);
        if (d.scale() <= 0) return new Exact(d.toBigIntegerExact(), BigInteger.ONE);
        return new Exact(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
    }

    public BigInteger numerator() { return numerator; }
    public BigInteger denominator() { return denominator; }

    /** True when the value has a finite decimal expansion (the denominator is 2^a 5^b). */
    public boolean isTerminating() {
        BigInteger d = denominator.shiftRight(denominator.getLowestSetBit());
        BigInteger five = BigInteger.valueOf(5);
        while (d.mod(five).signum() == 0) d = d.divide(five);
        return d.equals(BigInteger.ONE);
    }

    /** The value as a BigDecimal; ArithmeticException when it does not terminate (10/3). */
    public BigDecimal toBigDecimal() {
        if (!isTerminating()) throw new ArithmeticException(this + " has no finite decimal expansion");
        return new BigDecimal(numerator).divide(new BigDecimal(denominator));
    }

    /** The value rounded to {@code mc} (for 10/3 with 5 digits: 3.3333). */
    public BigDecimal toBigDecimal(MathContext mc) {
        return new BigDecimal(numerator).divide(new BigDecimal(denominator), mc);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Exact && ((Exact) o).numerator.equals(numerator) && ((Exact) o).denominator.equals(denominator);
    }

    @Override
    public int hashCode() { return Objects.hash(numerator, denominator); }

    /** "10/3", or the decimal ("3.125") when it terminates. */
    @Override
    public String toString() {
        return isTerminating() ? toBigDecimal().stripTrailingZeros().toPlainString() : numerator + "/" + denominator;
    }
}
