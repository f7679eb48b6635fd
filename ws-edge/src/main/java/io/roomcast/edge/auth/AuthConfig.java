package io.roomcast.edge.auth;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.regex.Pattern;

/**
 * Authentication and authorization settings of an edge, immutable and validated once by
 * {@link Builder#build()}. Documented in docs/auth.md.
 *
 * <p>{@link #ofDefaults()} configures no token verification: the edge is <em>open</em> (every
 * namespace allows anonymous subscribe and publish), which suits a local set-up and deserves a
 * start-up warning anywhere else. Configuring exactly one of {@code hs256Secret},
 * {@code publicKeyPem}/{@code publicKeyFile} or {@code jwksUrl} closes the edge: then only the
 * namespaces named in {@code anonymousSubscribe}/{@code anonymousPublish} admit clients without
 * a token. The Origin allow-list applies in both modes.
 */
public final class AuthConfig {
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);
    public static final Duration DEFAULT_AUTH_GRACE = Duration.ofSeconds(10);
    public static final Duration MAX_AUTH_GRACE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._@/-]{0,64}");

    private final Optional<VerificationKeys> keys;
    private final Optional<String> issuer;
    private final Optional<String> audience;
    private final Duration clockSkew;
    private final Set<String> anonymousSubscribe;
    private final Set<String> anonymousPublish;
    private final OriginPolicy origins;
    private final boolean allowQueryToken;
    private final Duration authGrace;

    private AuthConfig(Builder b, Optional<VerificationKeys> keys) {
        this.keys = keys;
        this.issuer = Optional.ofNullable(b.issuer);
        this.audience = Optional.ofNullable(b.audience);
        this.clockSkew = b.clockSkew;
        this.anonymousSubscribe = Set.copyOf(b.anonymousSubscribe);
        this.anonymousPublish = Set.copyOf(b.anonymousPublish);
        this.origins = OriginPolicy.of(b.allowedOrigins);
        this.allowQueryToken = b.allowQueryToken;
        this.authGrace = b.authGrace;
    }

    /** No token verification (open edge), every origin allowed. */
    public static AuthConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether no token verification is configured, so every namespace is open to everyone. */
    public boolean open() {
        return keys.isEmpty();
    }

    public Optional<VerificationKeys> keys() {
        return keys;
    }

    public Optional<String> issuer() {
        return issuer;
    }

    public Optional<String> audience() {
        return audience;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    /** How long an anonymous connection may wait before its {@code auth} frame where no namespace is anonymous (then 4401). */
    public Duration authGrace() {
        return authGrace;
    }

    /** Namespaces ({@code ""} = the default namespace) whose rooms anyone may subscribe to. */
    public Set<String> anonymousSubscribe() {
        return anonymousSubscribe;
    }

    /** Namespaces whose rooms anyone may publish to. */
    public Set<String> anonymousPublish() {
        return anonymousPublish;
    }

    public OriginPolicy origins() {
        return origins;
    }

    /**
     * Whether a token may come in the handshake URL ({@code ?token=}). Off by default: URLs end up
     * in proxy and access logs, so clients send an {@code auth} frame instead (docs/security.md).
     */
    public boolean allowQueryToken() {
        return allowQueryToken;
    }

    /** A one-line summary safe to log at start-up (no secrets). */
    public String describe() {
        if (open()) {
            return "open: no token verification, every namespace allows anonymous subscribe and publish";
        }
        return keys.get().describe()
                + issuer.map(i -> ", iss=" + i).orElse("")
                + audience.map(a -> ", aud=" + a).orElse("")
                + ", anonymous subscribe " + anonymousSubscribe.stream().map(AuthConfig::quoted).sorted().toList()
                + ", anonymous publish " + anonymousPublish.stream().map(AuthConfig::quoted).sorted().toList()
                + (allowQueryToken ? ", tokens in the URL allowed" : ", tokens in the URL refused");
    }

    private static String quoted(String namespace) {
        return namespace.isEmpty() ? "(default)" : namespace;
    }

    /**
     * Collects settings; {@code null} or blank means "not set", so values read from unset
     * environment variables can be passed straight in. {@link #build()} validates everything.
     */
    public static final class Builder {
        private byte[] hs256Secret;
        private String publicKeyPem;
        private Path publicKeyFile;
        private String jwksUrl;
        private Duration jwksCacheTtl = DEFAULT_JWKS_CACHE_TTL;
        private Duration jwksTimeout = DEFAULT_JWKS_TIMEOUT;
        private String issuer;
        private String audience;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Set<String> anonymousSubscribe = Set.of();
        private Set<String> anonymousPublish = Set.of();
        private List<String> allowedOrigins = List.of();
        private boolean allowQueryToken;
        private Duration authGrace = DEFAULT_AUTH_GRACE;

        private Builder() {
        }

        /** The HS256 secret as text (its UTF-8 bytes are the key); at least 32 bytes. */
        public Builder hs256Secret(String v) {
            hs256Secret = blank(v) ? null : v.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder hs256Secret(byte[] v) {
            hs256Secret = v == null ? null : v.clone();
            return this;
        }

        /** An RSA (RS256) or EC P-256 (ES256) public key or certificate as PEM text. */
        public Builder publicKeyPem(String v) {
            publicKeyPem = blank(v) ? null : v;
            return this;
        }

        /** A file holding what {@link #publicKeyPem} takes; read by {@link #build()}. */
        public Builder publicKeyFile(Path v) {
            publicKeyFile = v;
            return this;
        }

        /** The URL of a JWK Set (RS256 and ES256 keys, selected by {@code kid}). */
        public Builder jwksUrl(String v) {
            jwksUrl = blank(v) ? null : v.trim();
            return this;
        }

        public Builder jwksCacheTtl(Duration v) {
            jwksCacheTtl = v;
            return this;
        }

        public Builder jwksTimeout(Duration v) {
            jwksTimeout = v;
            return this;
        }

        /** When set, a token's {@code iss} must equal it. */
        public Builder issuer(String v) {
            issuer = blank(v) ? null : v;
            return this;
        }

        /** When set, a token's {@code aud} must contain it. */
        public Builder audience(String v) {
            audience = blank(v) ? null : v;
            return this;
        }

        /** Tolerance for {@code exp} and {@code nbf} against this edge's clock; 0..10 minutes, default 30 s. */
        public Builder clockSkew(Duration v) {
            clockSkew = v;
            return this;
        }

        public Builder anonymousSubscribe(Collection<String> namespaces) {
            anonymousSubscribe = namespaces == null ? Set.of() : new LinkedHashSet<>(namespaces);
            return this;
        }

        public Builder anonymousPublish(Collection<String> namespaces) {
            anonymousPublish = namespaces == null ? Set.of() : new LinkedHashSet<>(namespaces);
            return this;
        }

        /** Exact origins and {@code scheme://*.domain} patterns; empty = every origin. */
        public Builder allowedOrigins(Collection<String> origins) {
            allowedOrigins = origins == null ? List.of() : new ArrayList<>(origins);
            return this;
        }

        /** Accept {@code ?token=} in the handshake URL (default false: only the {@code auth} frame). */
        public Builder allowQueryToken(boolean v) {
            allowQueryToken = v;
            return this;
        }

        /** How long an anonymous connection may wait for its {@code auth} frame where no namespace is anonymous; 1 s..5 minutes, default 10 s. */
        public Builder authGrace(Duration v) {
            authGrace = v;
            return this;
        }

        /** @throws IllegalArgumentException with a message that names the setting at fault */
        public AuthConfig build() {
            int sources = (hs256Secret != null ? 1 : 0) + (publicKeyPem != null || publicKeyFile != null ? 1 : 0) + (jwksUrl != null ? 1 : 0);
            if (sources > 1) {
                throw new IllegalArgumentException("configure only one of hs256Secret, publicKey (PEM text or file) and jwksUrl");
            }
            if (publicKeyPem != null && publicKeyFile != null) {
                throw new IllegalArgumentException("configure the public key as PEM text or as a file, not both");
            }
            if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("clockSkew must be 0..10 minutes, was " + clockSkew);
            }
            if (authGrace == null || authGrace.compareTo(Duration.ofSeconds(1)) < 0 || authGrace.compareTo(MAX_AUTH_GRACE) > 0) {
                throw new IllegalArgumentException("authGrace must be 1 s..5 minutes, was " + authGrace);
            }
            checkNamespaces("anonymousSubscribe", anonymousSubscribe);
            checkNamespaces("anonymousPublish", anonymousPublish);
            Optional<VerificationKeys> keys = Optional.ofNullable(keys());
            if (keys.isEmpty()) {
                String needsKeys = issuer != null ? "issuer" : audience != null ? "audience"
                        : !anonymousSubscribe.isEmpty() ? "anonymousSubscribe" : !anonymousPublish.isEmpty() ? "anonymousPublish" : null;
                if (needsKeys != null) {
                    throw new IllegalArgumentException(needsKeys + " is set but no token verification is configured "
                            + "(hs256Secret, publicKey or jwksUrl); without one the edge is open and every namespace is anonymous");
                }
            }
            return new AuthConfig(this, keys);
        }

        private VerificationKeys keys() {
            if (hs256Secret != null) {
                return new VerificationKeys.SharedSecret(hs256Secret);
            }
            if (publicKeyFile != null) {
                try {
                    return PemKeys.parse(Files.readString(publicKeyFile, StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read the public key file " + publicKeyFile + ": " + e);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("public key file " + publicKeyFile + ": " + e.getMessage());
                }
            }
            if (publicKeyPem != null) {
                return PemKeys.parse(publicKeyPem);
            }
            if (jwksUrl != null) {
                try {
                    return new VerificationKeys.Jwks(new URI(jwksUrl).toURL(), jwksCacheTtl, jwksTimeout);
                } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid jwksUrl \"" + jwksUrl + "\": " + e.getMessage());
                }
            }
            return null;
        }

        private static void checkNamespaces(String setting, Set<String> namespaces) {
            for (String ns : namespaces) {
                if (ns == null || !NAMESPACE.matcher(ns).matches()) {
                    throw new IllegalArgumentException(setting + " holds an invalid namespace name \"" + ns
                            + "\" (\"\" is the default namespace)");
                }
            }
        }

        private static boolean blank(String v) {
            return v == null || v.isBlank();
        }
    }
}
