package io.roomcast.shipper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A secret shared by the runs of one shipper that signs the position headers of its records
 * (HMAC-SHA256 in the {@code sig} header), so that the read-back trusts only positions this
 * shipper wrote. Without it, any writer with Kafka write access to the topic can add a record
 * carrying the shipper's {@code host}, {@code src} and {@code pos} headers and move its position.
 * Immutable and thread-safe; {@link #toString()} never shows the secret.
 */
final class PositionKey {
    static final int MIN_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    PositionKey(byte[] secret) {
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("the position key must have at least " + MIN_BYTES + " bytes, had " + secret.length);
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /**
     * The key in {@code file}: its bytes, any bytes (random ones too), without ASCII whitespace (spaces, tabs, line
     * ends) at either end, so that a key written by an editor or {@code echo} is the same key.
     */
    static PositionKey fromFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the position key file " + file, e);
        }
        int from = 0;
        int to = bytes.length;
        while (from < to && isAsciiSpace(bytes[from])) {
            from++;
        }
        while (to > from && isAsciiSpace(bytes[to - 1])) {
            to--;
        }
        return new PositionKey(Arrays.copyOfRange(bytes, from, to));
    }

    private static boolean isAsciiSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == '\f';
    }

    /** The signature of one record's position: its room key and the headers that make the position. */
    String sign(byte[] roomKey, String host, String source, String position, String lineNo, String head) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(roomKey);
            for (String part : new String[] {host, source, position, lineNo, head}) {
                // length-prefixed, so that no two different header sets sign the same bytes
                byte[] bytes = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
                mac.update((byte) (part == null ? 0 : 1));
                mac.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
                mac.update(bytes);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code signature} is this key's signature of the position (compared in constant time). */
    boolean verifies(String signature, byte[] roomKey, String host, String source, String position, String lineNo, String head) {
        if (signature == null) {
            return false;
        }
        byte[] expected = sign(roomKey, host, source, position, lineNo, head).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "PositionKey[hidden]";
    }
}
