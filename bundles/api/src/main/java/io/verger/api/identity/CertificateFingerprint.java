package io.verger.api.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The SHA-256 digest of a certificate's DER encoding, in lower-case hex: how the server remembers
 * which identity certificate is bound to which enrollment (the same form NanoMDM stores).
 *
 * @param sha256Hex 64 lower-case hex digits
 */
public record CertificateFingerprint(String sha256Hex) {

    /**
     * @throws IllegalArgumentException if {@code sha256Hex} is not 64 lower-case hex digits
     * @throws NullPointerException     if it is {@code null}
     */
    public CertificateFingerprint {
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        if (!isSha256Hex(sha256Hex)) {
            throw new IllegalArgumentException("certificate fingerprint must be 64 lower-case hex digits (SHA-256), got "
                    + sha256Hex.length() + " characters");
        }
    }

    /**
     * @param certificate a certificate
     * @return its fingerprint
     * @throws IllegalArgumentException if the certificate cannot be encoded
     */
    public static CertificateFingerprint of(X509Certificate certificate) {
        try {
            return of(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /**
     * @param der a certificate's DER encoding
     * @return its fingerprint
     */
    public static CertificateFingerprint of(byte[] der) {
        Objects.requireNonNull(der, "der");
        try {
            return new CertificateFingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** @return the hex digest */
    // a loop, not a regular expression: a fingerprint is made on every device request
    private static boolean isSha256Hex(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return sha256Hex;
    }
}
