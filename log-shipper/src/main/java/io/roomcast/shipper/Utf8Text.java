package io.roomcast.shipper;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes bytes as UTF-8, replacing each malformed sequence with U+FFFD and counting the
 * replacements, so that invalid input is visible in metrics instead of silently altered.
 * Not thread-safe: one instance per reader.
 */
final class Utf8Text {
    /** A decoded text and the number of malformed sequences it contained. */
    record Decoded(String text, int malformed) {
    }

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    Decoded decode(byte[] bytes, int offset, int length) {
        if (isAscii(bytes, offset, length)) {
            return new Decoded(new String(bytes, offset, length, StandardCharsets.ISO_8859_1), 0);
        }
        decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        // UTF-8 never yields more UTF-16 units than bytes, and a replacement stands for at least one byte.
        CharBuffer out = CharBuffer.allocate(length);
        int malformed = 0;
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                decoder.flush(out);
                break;
            }
            if (result.isError()) {
                out.put('\uFFFD');
                in.position(in.position() + result.length());
                malformed++;
            } else {
                throw new IllegalStateException("UTF-8 decoding overflowed: " + result);
            }
        }
        out.flip();
        return new Decoded(out.toString(), malformed);
    }

    private static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The largest length not above {@code length} that does not end inside a UTF-8 sequence. */
    static int boundary(byte[] bytes, int length) {
        int lead = length - 1;
        while (lead > 0 && lead > length - 4 && (bytes[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead < 0) {
            return 0;
        }
        int b = bytes[lead] & 0xFF;
        int expected = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return lead + expected > length ? lead : length;
    }
}
