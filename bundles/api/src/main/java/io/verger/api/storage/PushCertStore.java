package io.verger.api.storage;

import io.verger.api.identity.CertificateFingerprint;
import org.osgi.annotation.versioning.ProviderType;

import java.util.List;
import java.util.Optional;

/**
 * APNs push certificates, one per topic. A certificate stored on one node is used by every node: a
 * push provider keeps its connection while {@link #isCurrent} says its certificate is current, and
 * reconnects with the new one otherwise.
 *
 * <p>The private keys are secrets: an implementation should encrypt them at rest.
 */
// Provider type: implemented by the storage bundle and called by core, API and push provider; it may
// gain methods in a minor version, which only storage implementations must follow.
@ProviderType
public interface PushCertStore {

    /**
     * Stores a push certificate, replacing the topic's previous one. The caller has checked that the
     * key matches the certificate and that the topic is the certificate's UID.
     *
     * @param certificate the certificate with its key
     */
    void store(PushCertificate certificate);

    /**
     * @param topic a topic
     * @return its current certificate, or empty if none was stored
     */
    Optional<PushCertificate> find(String topic);

    /**
     * A cheap check for a push provider that caches a certificate.
     *
     * @param topic   a topic
     * @param version the {@link PushCertificate#version()} the caller holds
     * @return {@code true} if it is still the topic's certificate; {@code false} if it was replaced
     *         or deleted
     */
    boolean isCurrent(String topic, CertificateFingerprint version);

    /** @return every stored certificate, in topic order (e.g. to warn ahead of expiry) */
    List<PushCertificate> list();

    /**
     * @param topic a topic
     * @return {@code true} if a certificate was deleted
     */
    boolean delete(String topic);
}
