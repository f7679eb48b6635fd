package io.roomcast.edge.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a public key from PEM text with the JDK alone: {@code PUBLIC KEY} (X.509
 * SubjectPublicKeyInfo, what {@code openssl pkey -pubout} writes) or {@code CERTIFICATE}. RSA keys
 * of at least 2048 bits verify RS256; EC P-256 keys verify ES256.
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final int MIN_RSA_BITS = 2048;

    private PemKeys() {
    }

    static VerificationKeys.PublicKey parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("the public key PEM is empty");
        }
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("the public key is not PEM text (expected -----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + type + " PEM block is not valid base64");
        }
        PublicKey key = switch (type) {
            case "PUBLIC KEY" -> fromSubjectPublicKeyInfo(der);
            case "CERTIFICATE" -> fromCertificate(der);
            case "RSA PUBLIC KEY" -> throw new IllegalArgumentException(
                    "PKCS#1 \"RSA PUBLIC KEY\" PEM is not supported; convert it: openssl rsa -RSAPublicKey_in -in key.pem -pubout");
            default -> throw new IllegalArgumentException(type.contains("PRIVATE")
                    ? "a private key was given; configure the public key (openssl pkey -in key.pem -pubout)"
                    : "unsupported PEM block \"" + type + "\"; expected PUBLIC KEY or CERTIFICATE");
        };
        return toJwk(key);
    }

    private static PublicKey fromSubjectPublicKeyInfo(byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this key type; try the next
            }
        }
        throw new IllegalArgumentException("the PUBLIC KEY PEM holds neither an RSA nor an EC public key");
    }

    private static PublicKey fromCertificate(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CERTIFICATE PEM is not a valid X.509 certificate");
        }
    }

    private static VerificationKeys.PublicKey toJwk(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new IllegalArgumentException("the RSA key has " + rsa.getModulus().bitLength() + " bits; at least " + MIN_RSA_BITS + " are required");
            }
            return new VerificationKeys.PublicKey(new RSAKey.Builder(rsa).build(), JWSAlgorithm.RS256);
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (!Curve.P_256.equals(curve)) {
                throw new IllegalArgumentException("the EC key is on curve " + (curve == null ? "unknown" : curve.getName())
                        + "; only P-256 (ES256) is supported");
            }
            return new VerificationKeys.PublicKey(new ECKey.Builder(curve, ec).build(), JWSAlgorithm.ES256);
        }
        throw new IllegalArgumentException("unsupported public key type " + key.getAlgorithm() + "; expected RSA or EC P-256");
    }
}
