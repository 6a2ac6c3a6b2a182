package io.verger.identity.internal;

import io.verger.api.identity.CertificateFingerprint;
import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerificationException.Reason;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PKIX validation of a device identity: the first certificate of a presented chain must be a
 * non-CA certificate usable for client authentication and signing, valid now, and chain (through
 * the other presented certificates, in any order) to one of the trusted issuers. No revocation checking.
 */
final class IdentityChainValidator {

    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int DIGITAL_SIGNATURE = 0;

    private IdentityChainValidator() {
    }

    /**
     * @param presented the identity certificate first, then any intermediates
     * @param trusted   the trusted issuers (trust anchors)
     * @param now       the time the certificates must be valid at
     * @return the validated path: the identity first, up to but excluding the trust anchor
     */
    static List<X509Certificate> validate(List<X509Certificate> presented, Collection<X509Certificate> trusted, Instant now)
            throws IdentityVerificationException {
        if (presented.isEmpty()) {
            throw new IdentityVerificationException(Reason.MISSING, "no identity certificate was presented");
        }
        X509Certificate identity = presented.get(0);
        String name = describe(identity);
        if (identity.getBasicConstraints() >= 0) {
            throw new IdentityVerificationException(Reason.UNTRUSTED, "certificate " + name + " is a CA certificate, not a device identity");
        }
        try {
            identity.checkValidity(Date.from(now));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new IdentityVerificationException(Reason.EXPIRED, "certificate " + name + " is valid from " + identity.getNotBefore().toInstant()
                    + " to " + identity.getNotAfter().toInstant() + ", not at " + now, e);
        }
        List<String> extendedKeyUsage;
        try {
            extendedKeyUsage = identity.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new IdentityVerificationException(Reason.MALFORMED, "certificate " + name + " has an unreadable extended key usage", e);
        }
        if (extendedKeyUsage != null && !extendedKeyUsage.contains(CLIENT_AUTH) && !extendedKeyUsage.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new IdentityVerificationException(Reason.UNTRUSTED, "certificate " + name
                    + " may not be used for client authentication (extended key usage " + extendedKeyUsage + " lacks clientAuth " + CLIENT_AUTH + ")");
        }
        boolean[] keyUsage = identity.getKeyUsage();
        if (keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
            throw new IdentityVerificationException(Reason.UNTRUSTED, "certificate " + name + " may not be used for signatures (key usage lacks digitalSignature)");
        }
        if (trusted.isEmpty()) {
            throw new IdentityVerificationException(Reason.UNTRUSTED, "certificate " + name + " cannot be trusted: no trusted issuer is configured");
        }
        X509Certificate direct = directIssuer(identity, trusted);
        if (direct != null) {
            return List.of(identity);
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate ca : trusted) {
            anchors.add(new TrustAnchor(ca, null));
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(identity);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(presented)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
            @SuppressWarnings("unchecked")
            List<X509Certificate> path = (List<X509Certificate>) result.getCertPath().getCertificates();
            return List.copyOf(path);
        } catch (GeneralSecurityException | RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException) {
                    throw new IdentityVerificationException(Reason.EXPIRED, "certificate " + name
                            + " chains through a certificate outside its validity at " + now + ": " + cause.getMessage(), e);
                }
            }
            throw new IdentityVerificationException(Reason.UNTRUSTED, "certificate " + name + " issued by " + identity.getIssuerX500Principal()
                    + " does not chain to a trusted issuer " + trusted.stream().map(ca -> ca.getSubjectX500Principal().getName())
                    .collect(Collectors.joining("; ", "[", "]")) + ": " + e.getMessage(), e);
        }
    }

    /** Critical extensions the direct check below understands (as PKIX would for an end-entity certificate). */
    private static final Set<String> UNDERSTOOD_CRITICAL = Set.of("2.5.29.15", "2.5.29.19", "2.5.29.37", "2.5.29.17");
    /** Extensions of a trusted issuer that constrain what it may issue: when present, the full PKIX validation decides. */
    private static final List<String> CONSTRAINING = List.of("2.5.29.30", "2.5.29.32", "2.5.29.36", "2.5.29.54");

    /**
     * The common case without PKIX path building: the identity was issued directly by a trusted issuer (the device
     * CA, or an operator CA listed in the trusted issuers) and carries no critical extension beyond key usage, basic
     * constraints, extended key usage and subject alternative names; its validity and usages were checked above. Then
     * a valid signature by that issuer's key is the whole path. Anything else — intermediates, name constraints or
     * policies on the issuer, other critical extensions, a signature that does not verify — is left to PKIX, which
     * gives the verdict and the message.
     *
     * @return the trusted issuer that signed {@code identity}, or null
     */
    private static X509Certificate directIssuer(X509Certificate identity, Collection<X509Certificate> trusted) {
        Set<String> critical = identity.getCriticalExtensionOIDs();
        if (critical != null && !UNDERSTOOD_CRITICAL.containsAll(critical)) {
            return null;
        }
        for (X509Certificate ca : trusted) {
            if (!ca.getSubjectX500Principal().equals(identity.getIssuerX500Principal())) {
                continue;
            }
            boolean constrained = false;
            for (String oid : CONSTRAINING) {
                constrained |= ca.getExtensionValue(oid) != null;
            }
            if (constrained) {
                return null;
            }
            try {
                identity.verify(ca.getPublicKey());
                return ca;
            } catch (GeneralSecurityException | RuntimeException e) {
                // another issuer with the same name, or a bad signature: PKIX decides
            }
        }
        return null;
    }

    /** @return subject, serial and fingerprint: what a person needs to find the certificate */
    static String describe(X509Certificate certificate) {
        String fingerprint;
        try {
            fingerprint = CertificateFingerprint.of(certificate).sha256Hex();
        } catch (RuntimeException e) {
            fingerprint = "(unencodable)";
        }
        return "'" + certificate.getSubjectX500Principal().getName() + "' (serial " + certificate.getSerialNumber().toString(16)
                + ", SHA-256 " + fingerprint + ")";
    }
}
