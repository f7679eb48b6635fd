package io.roomcast.edge.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;

import java.net.URL;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Where the keys that verify token signatures come from, and which algorithms they accept. Each
 * kind accepts only its own algorithms, which is what stops algorithm confusion (an HS256 token
 * "signed" with a public key as the HMAC secret).
 */
public sealed interface VerificationKeys {

    /** The algorithms a token's {@code alg} header must be one of. */
    Set<JWSAlgorithm> algorithms();

    /** A safe one-line description for logs (never the secret). */
    String describe();

    /** HS256 with a shared secret of at least 32 bytes. */
    record SharedSecret(byte[] secret) implements VerificationKeys {
        public static final int MIN_BYTES = 32;

        public SharedSecret {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < MIN_BYTES) {
                throw new IllegalArgumentException("the HS256 secret must be at least " + MIN_BYTES + " bytes (256 bits), was "
                        + secret.length + "; generate one with: openssl rand -base64 48");
            }
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        @Override
        public Set<JWSAlgorithm> algorithms() {
            return Set.of(JWSAlgorithm.HS256);
        }

        @Override
        public String describe() {
            return "HS256 shared secret";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SharedSecret s && java.security.MessageDigest.isEqual(secret, s.secret);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(secret);
        }

        @Override
        public String toString() {
            return "SharedSecret[redacted]";
        }
    }

    /** One RSA (RS256) or EC P-256 (ES256) public key, from PEM; the token's {@code kid} is not consulted. */
    record PublicKey(JWK key, JWSAlgorithm algorithm) implements VerificationKeys {
        public PublicKey {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(algorithm, "algorithm");
            if (key.isPrivate()) {
                throw new IllegalArgumentException("a private key was given; configure the public key only");
            }
        }

        @Override
        public Set<JWSAlgorithm> algorithms() {
            return Set.of(algorithm);
        }

        @Override
        public String describe() {
            return algorithm + " public key";
        }
    }

    /**
     * A JWK Set fetched over HTTP(S), cached for {@code cacheTtl}; a token whose {@code kid} is not
     * in the cached set triggers a refetch (at most two fetches per 30 s, so forged {@code kid}s
     * cannot hammer the issuer). Accepts RS256 and ES256 keys.
     *
     * @param timeout connect and read timeout of one fetch; also how long a verification waits for a fetch in flight
     */
    record Jwks(URL url, Duration cacheTtl, Duration timeout) implements VerificationKeys {
        public Jwks {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(cacheTtl, "cacheTtl");
            Objects.requireNonNull(timeout, "timeout");
            if (!url.getProtocol().equals("https") && !url.getProtocol().equals("http")) {
                throw new IllegalArgumentException("the JWKS URL must be http or https, was " + url.getProtocol());
            }
            if (cacheTtl.compareTo(Duration.ofMinutes(1)) < 0 || cacheTtl.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("jwksCacheTtl must be 1 minute..1 day, was " + cacheTtl);
            }
            if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("jwksTimeout must be 1 ms..1 minute, was " + timeout);
            }
        }

        @Override
        public Set<JWSAlgorithm> algorithms() {
            return Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
        }

        @Override
        public String describe() {
            return "JWKS " + url;
        }
    }
}
