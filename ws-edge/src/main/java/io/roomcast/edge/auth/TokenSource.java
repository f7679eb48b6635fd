package io.roomcast.edge.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Takes the token out of the handshake's query string ({@code /ws?token=...}). Stateless.
 */
public final class TokenSource {
    /** The longest token accepted, from the query or an {@code auth} frame. */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;
    private static final String NAME = "token";

    private TokenSource() {
    }

    /**
     * The first {@code token} parameter of a raw (still percent-encoded) query string, decoded.
     * Other parameters are ignored; a later {@code token} is ignored.
     *
     * @param rawQuery the query without {@code ?}; {@code null} or empty = no query
     * @return empty when there is no {@code token} parameter; a present value may be {@code ""},
     *         which {@link Authenticator#authenticate} refuses as {@code missing}
     * @throws AuthException {@code malformed} when the value is longer than {@link #MAX_TOKEN_LENGTH}
     *                       or not valid percent-encoding
     */
    public static Optional<String> fromQuery(String rawQuery) throws AuthException {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.empty();
        }
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            int eq = rawQuery.indexOf('=', start);
            boolean hasValue = eq >= 0 && eq < end;
            String name = rawQuery.substring(start, hasValue ? eq : end);
            if (name.equals(NAME)) {
                return Optional.of(hasValue ? decode(rawQuery.substring(eq + 1, end)) : "");
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    private static String decode(String raw) throws AuthException {
        // Percent-encoding only grows a value, so a raw value within three times the limit is all that can decode within it.
        if (raw.length() > 3 * MAX_TOKEN_LENGTH) {
            throw tooLong();
        }
        String value;
        try {
            value = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AuthException(AuthException.Reason.MALFORMED, "the token parameter is not valid percent-encoding");
        }
        if (value.length() > MAX_TOKEN_LENGTH) {
            throw tooLong();
        }
        return value;
    }

    private static AuthException tooLong() {
        return new AuthException(AuthException.Reason.MALFORMED, "the token is longer than " + MAX_TOKEN_LENGTH + " characters");
    }
}
