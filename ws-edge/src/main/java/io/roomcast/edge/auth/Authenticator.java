package io.roomcast.edge.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.roomcast.edge.auth.AuthException.Reason;

import javax.crypto.spec.SecretKeySpec;
import java.io.Closeable;
import java.io.IOException;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies JWTs (compact JWS) and turns them into {@link Principal}s, with nimbus-jose-jwt.
 * Checks, in this order: length and form; the {@code alg} is one the configured keys accept
 * ({@code none} and HS256-against-a-public-key are refused before any key is touched); the
 * signature; then {@code exp} (required), {@code nbf}, {@code iss} and {@code aud} against an
 * injected clock with the configured skew; then the {@code rooms} claim.
 *
 * <p>Threading: thread-safe, many threads may authenticate at once. With a public key or a shared
 * secret it never blocks. With a JWKS URL, {@link #authenticate} <em>may block</em> for up to the
 * configured timeout while the key set is fetched (on first use, after the cache TTL, and when a
 * token names an unknown {@code kid}): never call it on an IO thread — {@link #mayBlock()} says
 * whether it can. Close it when the edge stops.
 */
public final class Authenticator implements AutoCloseable {
    /**
     * Besides a missing {@code typ}: plain JWTs and RFC 9068 OAuth access tokens, with or without
     * the {@code application/} prefix, compared ignoring case as media types are (RFC 7515 4.1.9).
     */
    private static final Set<String> ACCEPTED_TYPES = Set.of("jwt", "at+jwt", "application/jwt", "application/at+jwt");

    private final AuthConfig config;
    private final Clock clock;
    private final Set<JWSAlgorithm> algorithms;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final JWKSource<SecurityContext> jwks;

    private Authenticator(AuthConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        VerificationKeys keys = config.keys().orElse(null);
        this.algorithms = keys == null ? Set.of() : keys.algorithms();
        this.processor = new DefaultJWTProcessor<>();
        // Claims are checked by this class against the injected clock, so each failure has its own reason.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        // The typ header is checked by this class too (to give it its own reason), so nimbus admits any.
        processor.setJWSTypeVerifier((type, context) -> { });
        JWKSource<SecurityContext> remote = null;
        if (keys instanceof VerificationKeys.SharedSecret s) {
            Key key = new SecretKeySpec(s.secret(), "HmacSHA256");
            processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256, key));
        } else if (keys instanceof VerificationKeys.PublicKey p) {
            // The one configured key verifies every token, whatever kid the token names.
            processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(p.algorithm(), publicKey(p)));
        } else if (keys instanceof VerificationKeys.Jwks j) {
            remote = remoteKeys(j);
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(j.algorithms(), remote));
        }
        this.jwks = remote;
    }

    public static Authenticator create(AuthConfig config) {
        return create(config, Clock.systemUTC());
    }

    public static Authenticator create(AuthConfig config, Clock clock) {
        return new Authenticator(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
    }

    /** Whether {@link #authenticate} may block on the network (JWKS configured). */
    public boolean mayBlock() {
        return jwks != null;
    }

    /**
     * Verifies {@code token} and returns whom it speaks for.
     *
     * @throws AuthException         with the reason the token was refused
     * @throws IllegalStateException when the edge is open ({@link AuthConfig#open()}): there is no
     *                               key to verify with, so tokens are not consulted at all
     */
    public Principal authenticate(String token) throws AuthException {
        if (config.open()) {
            throw new IllegalStateException("no token verification is configured; check AuthConfig.open() before authenticating");
        }
        if (token == null || token.isBlank()) {
            throw new AuthException(Reason.MISSING, "a token is required");
        }
        if (token.length() > TokenSource.MAX_TOKEN_LENGTH) {
            throw new AuthException(Reason.MALFORMED, "the token is longer than " + TokenSource.MAX_TOKEN_LENGTH + " characters");
        }
        SignedJWT jwt = parse(token);
        JOSEObjectType typ = jwt.getHeader().getType();
        if (typ != null && !ACCEPTED_TYPES.contains(typ.getType().toLowerCase(Locale.ROOT))) {
            throw new AuthException(Reason.MALFORMED, "the token's typ header is not JWT or at+jwt");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw new AuthException(Reason.BAD_SIGNATURE, "the token's algorithm " + safeName(alg) + " is not accepted; expected one of "
                    + algorithms.stream().map(JWSAlgorithm::getName).sorted().toList());
        }
        JWTClaimsSet claims = verifySignature(jwt);
        return principal(claims);
    }

    private static SignedJWT parse(String token) throws AuthException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token.trim());
        } catch (ParseException | RuntimeException e) {
            // The parser's messages quote the token's parts, so none of them is passed on.
            throw new AuthException(Reason.MALFORMED, "the token is not a well-formed JWT");
        }
        if (jwt instanceof PlainJWT) {
            throw new AuthException(Reason.BAD_SIGNATURE, "unsigned tokens (alg none) are not accepted");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new AuthException(Reason.MALFORMED, "encrypted tokens are not supported; send a signed JWT");
        }
        try {
            signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AuthException(Reason.MALFORMED, "the token's payload is not a JSON object of claims");
        }
        return signed;
    }

    private JWTClaimsSet verifySignature(SignedJWT jwt) throws AuthException {
        try {
            return processor.process(jwt, null);
        } catch (KeySourceException e) {
            throw new AuthException(Reason.KEY_UNAVAILABLE, "the keys to verify the token are unavailable; retry later", e);
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            throw new AuthException(Reason.BAD_SIGNATURE, "the token's signature does not verify");
        }
    }

    private Principal principal(JWTClaimsSet claims) throws AuthException {
        Instant now = clock.instant();
        Duration skew = config.clockSkew();
        Date exp = dateClaim(claims, "exp");
        if (exp == null) {
            throw new AuthException(Reason.MALFORMED, "the token has no exp claim; tokens must expire");
        }
        if (!now.minus(skew).isBefore(exp.toInstant())) {
            throw new AuthException(Reason.EXPIRED, "the token has expired");
        }
        Date nbf = dateClaim(claims, "nbf");
        if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
            throw new AuthException(Reason.NOT_YET_VALID, "the token is not valid yet (nbf)");
        }
        if (config.issuer().isPresent() && !config.issuer().get().equals(stringClaim(claims, "iss"))) {
            throw new AuthException(Reason.WRONG_ISSUER, "the token's issuer is not " + config.issuer().get());
        }
        // getAudience() reads a string or an array of strings; any other form is no audience.
        if (config.audience().isPresent() && !claims.getAudience().contains(config.audience().get())) {
            throw new AuthException(Reason.WRONG_AUDIENCE, "the token's audience does not include " + config.audience().get());
        }
        Object rooms = claims.getClaim("rooms");
        if (rooms == null) {
            throw new AuthException(Reason.NO_PERMISSIONS, "the token has no rooms claim");
        }
        Permissions permissions;
        try {
            permissions = Permissions.fromClaim(rooms);
        } catch (IllegalArgumentException e) {
            throw new AuthException(Reason.NO_PERMISSIONS, e.getMessage());
        }
        String sub = stringClaim(claims, "sub");
        // The display name is optional and only shown: a name claim of another type is ignored, not refused.
        Object name = claims.getClaim("name");
        return new Principal(sub == null ? "" : sub, exp.toInstant(), permissions,
                name instanceof String s && !s.isBlank() ? s.strip() : null, roles(claims.getClaim("roles")));
    }

    /** The optional {@code roles} claim: an array of at most 16 strings. */
    private static Set<String> roles(Object claim) throws AuthException {
        if (claim == null) {
            return Set.of();
        }
        if (!(claim instanceof List<?> list) || list.size() > 16 || !list.stream().allMatch(String.class::isInstance)) {
            throw new AuthException(Reason.MALFORMED, "the roles claim must be an array of at most 16 strings");
        }
        return list.stream().map(String.class::cast).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static Date dateClaim(JWTClaimsSet claims, String name) throws AuthException {
        try {
            return claims.getDateClaim(name);
        } catch (ParseException e) {
            throw new AuthException(Reason.MALFORMED, "the " + name + " claim is not a number of seconds");
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) throws AuthException {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw new AuthException(Reason.MALFORMED, "the " + name + " claim is not a string");
        }
    }

    /** Algorithm names come from the token: pass on only the short, well-formed ones. */
    private static String safeName(JWSAlgorithm alg) {
        String name = alg == null ? "" : alg.getName();
        return name.matches("[A-Za-z0-9+-]{1,16}") ? name : "(unknown)";
    }

    private static Key publicKey(VerificationKeys.PublicKey p) {
        try {
            return p.key() instanceof RSAKey rsa ? rsa.toPublicKey() : p.key().toECKey().toPublicKey();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the configured public key cannot be used: " + e.getMessage());
        }
    }

    private static JWKSource<SecurityContext> remoteKeys(VerificationKeys.Jwks j) {
        int timeout = (int) j.timeout().toMillis();
        // Refresh-ahead is off: it would run its own threads; a refetch on expiry or on an unknown kid is enough.
        return JWKSourceBuilder.<SecurityContext>create(j.url(), new DefaultResourceRetriever(timeout, timeout, 512 * 1024))
                .cache(j.cacheTtl().toMillis(), timeout)
                .refreshAheadCache(false)
                .rateLimited(JWKSourceBuilder.DEFAULT_RATE_LIMIT_MIN_INTERVAL)
                .build();
    }

    @Override
    public void close() {
        if (jwks instanceof Closeable c) {
            try {
                c.close();
            } catch (IOException e) {
                // Nothing is left to release that matters at shutdown.
            }
        }
    }

    @Override
    public String toString() {
        return "Authenticator[" + config.describe() + "]";
    }
}
