package io.verger.api.signing;

import org.osgi.annotation.versioning.ConsumerType;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Signs configuration profiles (including the enrollment profile) so that devices show them as
 * verified and refuse a tampered one.
 *
 * <p>Thread-safety: both methods are called from many threads at once and must be thread-safe.
 */
// Consumer type: a vendor may swap the signer (e.g. for an HSM or a cloud KMS) and only the core
// calls it; we keep the interface stable for such implementations, any change is a major version.
@ConsumerType
public interface ProfileSigner {

    /**
     * Signs a profile.
     *
     * @param profile the profile as an XML or binary plist; not modified
     * @return a DER-encoded CMS {@code ContentInfo} of type SignedData that encapsulates
     *         {@code profile} (attached, not detached), signed with the key of
     *         {@link #signerCertificateChain()}'s first certificate with a SHA-256 (or stronger)
     *         digest, and carrying that chain; what a device accepts as a {@code .mobileconfig}
     * @throws NullPointerException     if {@code profile} is {@code null}
     * @throws IllegalArgumentException if {@code profile} is empty
     * @throws GeneralSecurityException if signing fails (key unavailable, HSM error); the message
     *                                  says why, without key material
     */
    byte[] sign(byte[] profile) throws GeneralSecurityException;

    /**
     * @return the signer's certificate first, then the intermediates towards (and optionally
     *         including) the root; never empty. It changes only when the signing identity is
     *         replaced, after which {@link #sign} uses the new one.
     */
    List<X509Certificate> signerCertificateChain();
}
