package io.verger.api.storage;

import io.verger.api.identity.CertificateFingerprint;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An APNs push certificate with its private key: the MDM push certificate of one topic.
 *
 * @param topic      the topic, the UID of the certificate's subject, e.g.
 *                   {@code com.apple.mgmt.External.0c0ffee0-...}
 * @param chain      the certificate first, then any intermediates; never empty
 * @param privateKey the certificate's private key
 */
public record PushCertificate(String topic, List<X509Certificate> chain, PrivateKey privateKey) {

    /**
     * @throws NullPointerException     if a component is {@code null}
     * @throws IllegalArgumentException if {@code topic} is blank or {@code chain} is empty
     */
    public PushCertificate {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(privateKey, "privateKey of push certificate " + topic);
        if (topic.isBlank()) {
            throw new IllegalArgumentException("push certificate topic is blank");
        }
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("push certificate of " + topic + " has no certificate");
        }
    }

    /** @return the push certificate itself, the first of {@link #chain()} */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * @return the certificate's fingerprint, which identifies this version of the topic's
     *         certificate: it changes when the certificate is renewed or replaced
     */
    public CertificateFingerprint version() {
        return CertificateFingerprint.of(certificate());
    }

    /** @return when the certificate expires */
    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** Names the topic and version; the key stays out of logs. */
    @Override
    public String toString() {
        return "PushCertificate[" + topic + ", version=" + version() + ", notAfter=" + notAfter() + "]";
    }
}
