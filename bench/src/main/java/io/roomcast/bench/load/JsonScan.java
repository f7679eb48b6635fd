package io.roomcast.bench.load;

/**
 * Allocation-free scanning of the few numbers a receiver needs from an event frame
 * ({@code "offset":N} and the publish stamp {@code "t":N}). Only used on frames whose payload the
 * benchmark wrote itself, so a key cannot appear inside a string.
 */
public final class JsonScan {
    public static final byte[] OFFSET = "\"offset\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    public static final byte[] STAMP = "\"t\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    public static final byte[] EVENT_OP = "\"op\":\"event\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    public static final byte[] ANY_OP = "\"op\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private JsonScan() {
    }

    /** Index of {@code key} in {@code b[from, to)}, or -1. */
    public static int indexOf(byte[] b, int from, int to, byte[] key) {
        byte first = key[0];
        outer:
        for (int i = from, last = to - key.length; i <= last; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int k = 1; k < key.length; k++) {
                if (b[i + k] != key[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The (possibly negative) integer starting at {@code at}; stops at the first non-digit. */
    public static long number(byte[] b, int at, int to) {
        boolean negative = at < to && b[at] == '-';
        int i = negative ? at + 1 : at;
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /** How often {@code key} occurs in {@code b[from, to)}. */
    public static int count(byte[] b, int from, int to, byte[] key) {
        int n = 0;
        int i = indexOf(b, from, to, key);
        while (i >= 0) {
            n++;
            i = indexOf(b, i + key.length, to, key);
        }
        return n;
    }
}
