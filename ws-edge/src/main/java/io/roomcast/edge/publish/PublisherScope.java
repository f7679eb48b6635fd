package io.roomcast.edge.publish;

import io.roomcast.edge.auth.Principal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Who an eventId belongs to. Event ids are deduplicated per publisher, so one publisher cannot
 * claim (pre-publish) another's ids: an authenticated connection speaks for its token's subject
 * on every connection and edge; an anonymous one for its {@code publisherKey} when it sends one
 * (a secret the client chose, so its resends on a new connection are still recognised), otherwise
 * only for itself (its connection). The value stored in the record's {@code publisher} header is a
 * hash, so it names neither the subject nor the key.
 *
 * @param value 22 characters of URL-safe base64 (128 bits of SHA-256)
 */
public record PublisherScope(String value) {
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{16,128}");

    /** Whether {@code key} is an acceptable {@code publisherKey}: 16 to 128 printable ASCII characters without spaces. */
    public static boolean isValidKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /**
     * The scope of a publish by {@code principal} ({@code null}: anonymous) on connection
     * {@code connection} of edge instance {@code edge}, with the client's {@code publisherKey} (nullable).
     */
    public static PublisherScope of(Principal principal, String publisherKey, String edge, String connection) {
        if (principal != null) {
            return hashed("sub:" + principal.subject());
        }
        if (publisherKey != null) {
            return hashed("key:" + publisherKey);
        }
        return hashed("conn:" + edge + "/" + connection);
    }

    private static PublisherScope hashed(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return new PublisherScope(Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
