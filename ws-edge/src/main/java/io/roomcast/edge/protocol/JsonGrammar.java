package io.roomcast.edge.protocol;

/**
 * Whether a record value is exactly one JSON value in well-formed UTF-8, as RFC 8259 writes it: the check
 * {@link EventFrames} makes on every event it encodes before it embeds the value unchanged. It
 * accepts what Jackson's parser with its default features accepts, and nests no deeper than
 * {@link EventFrames#MAX_VALUE_DEPTH}; Jackson's length limits (numbers of 1,000 characters, names of
 * 50,000) are left to Jackson itself, which is asked when a value comes near them.
 *
 * <p>Why not Jackson for all of it: a replay checks every event it sends, and building a parser per
 * value was 14% of the edge's CPU in a replay's profile (its construction alone 5.5%); this scan
 * allocates nothing. The two are kept in step by a test that compares them on hundreds of thousands
 * of generated values.
 *
 * <p>Stateless; any thread.
 */
final class JsonGrammar {
    /** What the scan found. */
    enum Verdict {
        /** One well-formed value, with only whitespace around it. */
        VALUE,
        /** Not JSON, or nested deeper than the protocol's limit. */
        NOT_A_VALUE,
        /** Well-formed, but with a number long enough, or large enough to hold a name long enough, that Jackson's limits decide. */
        NEAR_LIMITS
    }

    /** Characters of a number token that surely fit Jackson's limit (it counts digits only). */
    private static final int SURE_NUMBER_CHARS = 1_000;
    /** Bytes of a value whose names all surely fit Jackson's limit on a name's length. */
    private static final int SURE_NAME_BYTES = 50_000;

    static {
        if (EventFrames.MAX_VALUE_DEPTH > Long.SIZE) {
            throw new IllegalStateException("the scan keeps one bit per open container in a long");
        }
    }

    private JsonGrammar() {
    }

    /**
     * The verdict on {@code b}. Outside strings the grammar allows ASCII only; inside them each
     * multi-byte character is checked where it is met ({@link Utf8#sequenceEnd}), so that a value
     * found to be JSON was scanned once, not once for UTF-8 and again for the grammar.
     */
    static Verdict check(byte[] b) {
        int n = b.length;
        int depth = 0;
        long objects = 0; // bit d: the container at depth d + 1 is an object
        boolean nearLimits = n > SURE_NAME_BYTES; // rare: Jackson then decides, rather than every name being measured
        int i = whitespace(b, 0);
        value:
        while (true) {
            if (i >= n) {
                return Verdict.NOT_A_VALUE;
            }
            byte c = b[i];
            if (c == '{' || c == '[') {
                if (++depth > EventFrames.MAX_VALUE_DEPTH) {
                    return Verdict.NOT_A_VALUE;
                }
                long bit = 1L << (depth - 1);
                objects = c == '{' ? objects | bit : objects & ~bit;
                i = whitespace(b, i + 1);
                if (i < n && b[i] == (c == '{' ? '}' : ']')) {
                    depth--;
                    i++;
                } else if (c == '{') {
                    i = member(b, i);
                    if (i < 0) {
                        return Verdict.NOT_A_VALUE;
                    }
                    continue;
                } else {
                    continue;
                }
            } else if (c == '"') {
                i = string(b, i, false);
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                int start = i;
                i = number(b, i);
                nearLimits |= i - start > SURE_NUMBER_CHARS;
            } else if (c == 't') {
                i = literal(b, i, "true");
            } else if (c == 'f') {
                i = literal(b, i, "false");
            } else if (c == 'n') {
                i = literal(b, i, "null");
            } else {
                return Verdict.NOT_A_VALUE;
            }
            if (i < 0) {
                return Verdict.NOT_A_VALUE;
            }
            // After a value: close containers, or go on to the next element or member.
            while (true) {
                i = whitespace(b, i);
                if (depth == 0) {
                    return i < n ? Verdict.NOT_A_VALUE : nearLimits ? Verdict.NEAR_LIMITS : Verdict.VALUE;
                }
                if (i >= n) {
                    return Verdict.NOT_A_VALUE;
                }
                boolean inObject = (objects >>> (depth - 1) & 1) != 0;
                if (b[i] == ',') {
                    i = whitespace(b, i + 1);
                    if (inObject) {
                        i = member(b, i);
                        if (i < 0) {
                            return Verdict.NOT_A_VALUE;
                        }
                    }
                    continue value;
                }
                if (b[i] != (inObject ? '}' : ']')) {
                    return Verdict.NOT_A_VALUE;
                }
                depth--;
                i++;
            }
        }
    }

    /** A member's name, the colon and the whitespace up to its value; the value's index, or -1. */
    private static int member(byte[] b, int i) {
        if (i >= b.length || b[i] != '"') {
            return -1;
        }
        i = string(b, i, true);
        if (i < 0) {
            return -1;
        }
        i = whitespace(b, i);
        if (i >= b.length || b[i] != ':') {
            return -1;
        }
        return whitespace(b, i + 1);
    }

    /**
     * A string from its opening quote at {@code i}; the index after its closing quote, or -1. In a
     * {@code name}, escaped surrogates must come in pairs, high then low, as Jackson requires there
     * (it decodes names to strings; values it skips).
     */
    private static int string(byte[] b, int i, boolean name) {
        int n = b.length;
        boolean highEscaped = false; // in a name: the last escape was a high surrogate, its low one must follow
        i++;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c == '\\' && i + 1 < n && b[i + 1] == 'u') {
                if (i + 5 >= n) {
                    return -1;
                }
                int unit = 0;
                for (int k = 2; k <= 5; k++) {
                    int digit = Character.digit(b[i + k], 16);
                    if (digit < 0) {
                        return -1;
                    }
                    unit = unit << 4 | digit;
                }
                if (name) {
                    boolean low = Character.isLowSurrogate((char) unit);
                    if (highEscaped != low) {
                        return -1;
                    }
                    highEscaped = Character.isHighSurrogate((char) unit);
                }
                i += 6;
                continue;
            }
            if (highEscaped) {
                return -1;
            }
            if (c == '"') {
                return i + 1;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c == '\\') {
                if (++i >= n) {
                    return -1;
                }
                switch (b[i]) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i++;
                    default -> {
                        return -1;
                    }
                }
            } else if (c < 0x80) {
                i++;
            } else {
                i = Utf8.sequenceEnd(b, i, n);
                if (i < 0) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** A number from {@code i}: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}; the index after it, or -1. */
    private static int number(byte[] b, int i) {
        int n = b.length;
        if (b[i] == '-') {
            i++;
        }
        if (i >= n || !digit(b[i])) {
            return -1;
        }
        if (b[i] == '0') {
            i++;
            if (i < n && digit(b[i])) {
                return -1; // leading zeroes
            }
        } else {
            i = digits(b, i);
        }
        if (i < n && b[i] == '.') {
            i++;
            if (i >= n || !digit(b[i])) {
                return -1;
            }
            i = digits(b, i);
        }
        if (i < n && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < n && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            if (i >= n || !digit(b[i])) {
                return -1;
            }
            i = digits(b, i);
        }
        return i;
    }

    private static int digits(byte[] b, int i) {
        while (i < b.length && digit(b[i])) {
            i++;
        }
        return i;
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** {@code word} at {@code i}; the index after it, or -1. What follows is the caller's to check. */
    private static int literal(byte[] b, int i, String word) {
        if (i + word.length() > b.length) {
            return -1;
        }
        for (int k = 0; k < word.length(); k++) {
            if (b[i + k] != word.charAt(k)) {
                return -1;
            }
        }
        return i + word.length();
    }

    /** The index of the first byte from {@code i} that is not JSON whitespace (space, tab, line feed, carriage return). */
    private static int whitespace(byte[] b, int i) {
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }
}
