package io.roomcast.edge.protocol;

/**
 * Strict UTF-8 validation (RFC 3629), as RFC 6455 requires of text frames and close reasons, and as
 * {@link EventFrames} asks of a record's value before it sends it as text: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no truncated sequence. The JDK's {@code new String(bytes, UTF_8)}
 * replaces bad input instead of refusing it, and its strict decoder allocates a decoder and the decoded
 * characters for each check. Pure; any thread.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** Whether {@code length} bytes of {@code bytes} from {@code offset} are well-formed UTF-8. */
    public static boolean valid(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (bytes[i] >= 0) {
                i++;
                continue;
            }
            i = sequenceEnd(bytes, i, end);
            if (i < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index after the multi-byte sequence that starts at {@code i} (a byte of 0x80 or more) and
     * ends before {@code end}, or -1 when it is not well-formed there: for scanners that meet
     * non-ASCII bytes rarely and check them where they meet them ({@link JsonGrammar}'s strings).
     */
    static int sequenceEnd(byte[] bytes, int i, int end) {
        int b = bytes[i] & 0xFF;
        int need;
        int min;
        int max = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            need = 1;
            min = 0x80;
        } else if (b >= 0xE0 && b <= 0xEF) {
            need = 2;
            min = b == 0xE0 ? 0xA0 : 0x80; // no overlong three-byte forms
            max = b == 0xED ? 0x9F : 0xBF; // no surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            need = 3;
            min = b == 0xF0 ? 0x90 : 0x80; // no overlong four-byte forms
            max = b == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
        } else {
            return -1;
        }
        if (i + need >= end) { // truncated
            return -1;
        }
        int second = bytes[i + 1] & 0xFF;
        if (second < min || second > max) {
            return -1;
        }
        for (int k = 2; k <= need; k++) {
            if ((bytes[i + k] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return i + need + 1;
    }
}
