package io.verger.api.identity;

import org.osgi.annotation.versioning.ConsumerType;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Issues device identity certificates, e.g. for the SCEP server and the enrollment-profile builder.
 * The built-in one keeps its own CA key; a vendor may provide one that forwards to an external PKI.
 *
 * <p>Thread-safety: both methods are called from many threads at once and must be thread-safe.
 * Serial numbers must be unique across all server nodes.
 */
// Consumer type: a vendor may swap the CA (e.g. for an external PKI) and only Verger's identity code
// calls it; we keep the interface stable for such implementations, any change is a major version.
@ConsumerType
public interface CertificateAuthority {

    /**
     * Issues a certificate for the key of a certificate signing request. The caller has already
     * authorized the request (SCEP challenge, enrollment session); the CA checks the request itself.
     *
     * <p>The CA must verify the request's signature (proof that the requester holds the key), and
     * issue a certificate for the request's public key, valid from now (allowing a few minutes of
     * clock skew) for {@code validity}, usable for TLS client authentication and digital signature,
     * not a CA. It may apply its own policy to the subject and extensions, and may shorten the
     * validity to its own limit.
     *
     * @param csr      a PKCS#10 {@code CertificationRequest}, DER-encoded
     * @param validity how long the certificate should be valid; positive
     * @return the issued certificate
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code validity} is zero or negative
     * @throws CertificateException     if the request cannot be parsed, its signature does not verify,
     *                                  its key is too weak, or the CA refuses or fails to issue; the
     *                                  message says which
     */
    X509Certificate issue(byte[] csr, Duration validity) throws CertificateException;

    /**
     * @return the issuing CA certificate first, then its issuers up to and including the root;
     *         never empty. Devices and the {@link IdentityVerifier} trust identities that chain to it.
     */
    List<X509Certificate> certificateChain();
}
