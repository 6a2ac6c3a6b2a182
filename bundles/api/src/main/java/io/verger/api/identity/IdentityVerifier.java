package io.verger.api.identity;

import io.verger.api.EnrollmentId;
import org.osgi.annotation.versioning.ProviderType;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Authenticates devices: checks the identity certificate presented with every check-in and every
 * connect, and holds each certificate to the one enrollment it is bound to, so that a device can
 * never read or answer another device's commands.
 *
 * <p>The transport calls {@link #verify} or {@link #verifyMdmSignature} for every request, before it
 * reads the body's claims; the core then calls {@link #bind} for an {@code Authenticate} and
 * {@link #checkBinding} for every other message and every connect, with the enrollment id the
 * request claims. A request for which any of these throws never reaches the protocol engine: it is
 * answered 401 if no valid identity was presented, 403 if a valid identity claims an enrollment it is
 * not bound to (see {@link IdentityVerificationException}). Bindings are kept in the {@link io.verger.api.storage.CertAuthStore} and always
 * concern the device channel: a user channel is checked against its device's binding.
 *
 * <p>Trusted issuers are the {@link CertificateAuthority}'s chain plus any CA the configuration adds
 * (e.g. for identities of an older server). Thread-safety: all methods are called from many threads
 * at once and must be thread-safe.
 */
// Provider type: implemented once, by the identity bundle, and called by transport and core; it may
// gain methods in a minor version, which only its implementation has to follow.
@ProviderType
public interface IdentityVerifier {

    /**
     * Verifies a certificate chain presented by TLS or in a header: the first certificate must be
     * within its validity period and chain, through the others, to a trusted issuer.
     *
     * @param chain  the presented certificates, the device's identity first; the transport decodes
     *               them from the TLS session or the RFC 9440 {@code Client-Cert}/{@code Client-Cert-Chain}
     *               headers
     * @param source how they were presented ({@link IdentitySource#TLS_CLIENT_CERTIFICATE} or
     *               {@link IdentitySource#CLIENT_CERT_HEADER})
     * @return the verified identity, with the enrollment it is bound to, if any
     * @throws IdentityVerificationException with {@link IdentityVerificationException.Reason#MISSING}
     *                                       for an empty chain, {@code UNTRUSTED} or {@code EXPIRED}
     *                                       otherwise; the message names the certificate (subject and
     *                                       fingerprint) and why
     * @throws NullPointerException          if an argument is {@code null}
     */
    VerifiedIdentity verify(List<X509Certificate> chain, IdentitySource source) throws IdentityVerificationException;

    /**
     * Verifies an {@code Mdm-Signature} header: a detached CMS SignedData over the request body
     * whose signer certificate is the device's identity. The signature must verify over exactly
     * {@code body}, and the signer certificate must pass as in {@link #verify}.
     *
     * @param signature the header's value, base64-decoded (DER CMS {@code ContentInfo})
     * @param body      the request body exactly as received
     * @return the verified identity, with source {@link IdentitySource#MDM_SIGNATURE}
     * @throws IdentityVerificationException with reason {@code MALFORMED} if the signature cannot be
     *                                       parsed or carries no signer certificate,
     *                                       {@code BAD_SIGNATURE} if it does not verify over the body,
     *                                       {@code UNTRUSTED} or {@code EXPIRED} for the certificate
     * @throws NullPointerException          if an argument is {@code null}
     */
    VerifiedIdentity verifyMdmSignature(byte[] signature, byte[] body) throws IdentityVerificationException;

    /**
     * Verifies an RFC 9440 {@code Client-Cert} header set by a TLS-terminating proxy. It is accepted only when
     * {@code remoteAddress} — the TCP peer of the request, never a forwarded-for header — is one of the
     * configured trusted proxies; then the certificate (and the {@code Client-Cert-Chain} certificates) must pass
     * as in {@link #verify}.
     *
     * @param clientCert      the {@code Client-Cert} header value ({@code :base64(DER):}), or {@code null}
     * @param clientCertChain the {@code Client-Cert-Chain} header lines in order (each a list of byte
     *                        sequences); empty if absent
     * @param remoteAddress   the request's peer address
     * @return the verified identity, with source {@link IdentitySource#CLIENT_CERT_HEADER}
     * @throws IdentityVerificationException {@code UNTRUSTED} if the peer is not a trusted proxy (or none is
     *                                       configured), {@code MISSING} if {@code clientCert} is null or
     *                                       blank, {@code MALFORMED} if a header is not valid RFC 9440,
     *                                       otherwise as {@link #verify}
     * @throws NullPointerException          if {@code clientCertChain} is {@code null}
     * @since 1.1
     */
    VerifiedIdentity verifyClientCertHeader(String clientCert, java.util.List<String> clientCertChain, String remoteAddress)
            throws IdentityVerificationException;

    /**
     * Binds a verified identity to an enrollment at {@code Authenticate}, which starts (or restarts)
     * an enrollment: the certificate becomes the one the enrollment must present from now on. A
     * certificate already bound to this enrollment is accepted again (re-enrollment with the same
     * identity).
     *
     * @param identity     the identity that sent the {@code Authenticate}
     * @param enrollmentId the device channel the {@code Authenticate} names
     * @throws IdentityVerificationException with reason {@code BOUND_ELSEWHERE} if the certificate is
     *                                       bound to another enrollment (unless the configuration
     *                                       allows a shared identity); the message names both
     * @throws IllegalArgumentException      if {@code enrollmentId} is a user channel
     */
    void bind(VerifiedIdentity identity, EnrollmentId enrollmentId) throws IdentityVerificationException;

    /**
     * Checks that a verified identity may act for an enrollment, for every request but
     * {@code Authenticate}.
     *
     * <p>Passes if the certificate is bound to the enrollment's device channel. An enrollment that is
     * bound to a certificate is re-bound to another one only at {@code Authenticate} (re-enrollment,
     * renewal by reinstalling the profile), never here: another certificate claiming it is refused with
     * {@code NOT_BOUND}. An enrollment bound to no certificate at all may be bound here if the
     * configuration allows it (NanoMDM's "retroactive" option). A certificate bound to another
     * enrollment never passes.
     *
     * @param identity     the identity that sent the request
     * @param enrollmentId the channel the request claims (device or user)
     * @throws IdentityVerificationException with reason {@code BOUND_ELSEWHERE} or {@code NOT_BOUND};
     *                                       the message names the enrollment and the fingerprint
     */
    void checkBinding(VerifiedIdentity identity, EnrollmentId enrollmentId) throws IdentityVerificationException;
}
