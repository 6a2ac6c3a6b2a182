package io.verger.api.identity;

import io.verger.api.EnrollmentId;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A device identity that an {@link IdentityVerifier} has verified: its certificate is valid and
 * chains to a trusted issuer. Only an {@code IdentityVerifier} should create one.
 *
 * @param chain  the presented chain, the identity certificate first; never empty
 * @param source how the device presented it
 * @param boundTo the device channel the certificate was bound to when it was verified, or
 *                {@code null} if it was bound to none (a new enrollment)
 */
public record VerifiedIdentity(List<X509Certificate> chain, IdentitySource source, EnrollmentId boundTo) {

    /**
     * @throws NullPointerException     if {@code chain} or {@code source} is {@code null}
     * @throws IllegalArgumentException if {@code chain} is empty or {@code boundTo} is a user channel
     */
    public VerifiedIdentity {
        chain = List.copyOf(chain);
        Objects.requireNonNull(source, "source");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a verified identity has at least its own certificate");
        }
        if (boundTo != null && boundTo.isUserChannel()) {
            throw new IllegalArgumentException("identities are bound to device channels, not to user channel " + boundTo);
        }
    }

    /** @return the identity certificate, the first of {@link #chain()} */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** @return the fingerprint of {@link #certificate()} */
    public CertificateFingerprint fingerprint() {
        return CertificateFingerprint.of(certificate());
    }
}
