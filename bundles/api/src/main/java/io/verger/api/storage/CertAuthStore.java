package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import io.verger.api.identity.CertificateFingerprint;
import org.osgi.annotation.versioning.ProviderType;

import java.util.Optional;

/**
 * Which identity certificates are bound to which enrollment (NanoMDM's cert-auth store). Bindings
 * are kept per device channel; an enrollment may have several (identities renewed over time), and
 * the policy of when to bind is the {@link io.verger.api.identity.IdentityVerifier}'s.
 *
 * <p>Every method that takes an enrollment id requires a device channel and throws
 * {@link IllegalArgumentException} for a user channel.
 */
// Provider type: implemented by the storage bundle and called by the identity verifier; it may gain
// methods in a minor version, which only storage implementations must follow.
@ProviderType
public interface CertAuthStore {

    /**
     * @param fingerprint a certificate
     * @return {@code true} if it is bound to any enrollment
     */
    boolean isBound(CertificateFingerprint fingerprint);

    /**
     * @param deviceChannel an enrollment
     * @return {@code true} if any certificate is bound to it
     */
    boolean hasBinding(EnrollmentId deviceChannel);

    /**
     * @param deviceChannel an enrollment
     * @param fingerprint   a certificate
     * @return {@code true} if this certificate is bound to this enrollment
     */
    boolean isBound(EnrollmentId deviceChannel, CertificateFingerprint fingerprint);

    /**
     * Binds a certificate to an enrollment. Idempotent; existing bindings are kept.
     *
     * @param deviceChannel the enrollment
     * @param fingerprint   the certificate
     */
    void bind(EnrollmentId deviceChannel, CertificateFingerprint fingerprint);

    /**
     * @param fingerprint a certificate
     * @return the enrollment it is bound to (the most recently bound one, should it be bound to
     *         several), or empty
     */
    Optional<EnrollmentId> enrollmentOf(CertificateFingerprint fingerprint);
}
