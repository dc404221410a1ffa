package org.rubric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value as the library writes it (a result line: objects, arrays, strings, whole
 * numbers, true/false/null), because the JDK has no JSON reader. Objects become LinkedHashMap
 * (key order kept), arrays List, strings String, numbers their text (String: scores are always
 * strings in a result line, and no number is ever turned into a double), true/false Boolean.
 * Anything else is an IllegalArgumentException: the input is the library's own output.
 */
final class JsonLine {
    private final String s;
    private int i;

    private JsonLine(String s) { this.s = s; }

    static Object parse(String text) {
        JsonLine p = new JsonLine(text);
        Object v = p.value();
        p.space();
        if (p.i != text.length()) throw p.bad("text after the value");
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new IllegalArgumentException("not a JSON object: " + text);
        return (Map<String, Object>) v;
    }

    private IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + i);
    }

    private void space() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) ++i;
    }

    private boolean eat(char c) {
        space();
        if (i < s.length() && s.charAt(i) == c) {
            ++i;
            return true;
        }
        return false;
    }

    private Object value() {
        space();
        if (i >= s.length()) throw bad("end of text");
        char c = s.charAt(i);
        if (c == '{') return obj();
        if (c == '[') return arr();
        if (c == '"') return str();
        for (String word : new String[] {"true", "false", "null"}) {
            if (s.startsWith(word, i)) {
                i += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word);
            }
        }
        int start = i;
        while (i < s.length() && "+-.0123456789eE".indexOf(s.charAt(i)) >= 0) ++i;
        if (start == i) throw bad("unexpected '" + c + "'");
        return s.substring(start, i);
    }

    private Map<String, Object> obj() {
        Map<String, Object> m = new LinkedHashMap<>();
        ++i;
        if (eat('}')) return m;
        do {
            space();
            if (i >= s.length() || s.charAt(i) != '"') throw bad("expected a key");
            String key = str();
            if (!eat(':')) throw bad("expected ':'");
            m.put(key, value());
        } while (eat(','));
        if (!eat('}')) throw bad("expected '}'");
        return m;
    }

    private List<Object> arr() {
        List<Object> a = new ArrayList<>();
        ++i;
        if (eat(']')) return a;
        do a.add(value()); while (eat(','));
        if (!eat(']')) throw bad("expected ']'");
        return a;
    }

    private String str() {
        StringBuilder b = new StringBuilder();
        ++i;  // the opening quote
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= s.length()) break;
            char e = s.charAt(i++);
            switch (e) {
                case 'n': b.append('\n'); break;
                case 't': b.append('\t'); break;
                case 'r': b.append('\r'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'u':
                    if (i + 4 > s.length()) throw bad("short \\u escape");
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                    break;
                default: b.append(e);  // \" \\ \/
            }
        }
        throw bad("unterminated string");
    }
}
