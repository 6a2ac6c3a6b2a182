package io.verger.core.internal;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.verger.api.EnrollmentId;
import io.verger.api.identity.CertificateFingerprint;
import io.verger.api.identity.IdentitySource;
import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerifier;
import io.verger.api.identity.VerifiedIdentity;

/**
 * An identity verifier for the engine's unit tests: every presented certificate is "trusted"; binding follows the
 * cert-auth rules (one certificate per device channel, a certificate bound elsewhere is refused).
 */
final class TestIdentities implements IdentityVerifier {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    final Map<EnrollmentId, CertificateFingerprint> bindings = new HashMap<>();

    static X509Certificate certificate(String cn) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + cn);
            Instant now = Instant.now();
            var b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), name, kp.getPublic());
            return new JcaX509CertificateConverter().setProvider(BC)
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(kp.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static VerifiedIdentity identity(X509Certificate cert) {
        return new VerifiedIdentity(List.of(cert), IdentitySource.MDM_SIGNATURE, null);
    }

    @Override
    public VerifiedIdentity verify(List<X509Certificate> chain, IdentitySource source) {
        return new VerifiedIdentity(chain, source, null);
    }

    @Override
    public VerifiedIdentity verifyMdmSignature(byte[] signature, byte[] body) throws IdentityVerificationException {
        throw new IdentityVerificationException(IdentityVerificationException.Reason.MALFORMED, "not in unit tests");
    }

    @Override
    public VerifiedIdentity verifyClientCertHeader(String clientCert, List<String> chain, String remoteAddress)
            throws IdentityVerificationException {
        throw new IdentityVerificationException(IdentityVerificationException.Reason.UNTRUSTED, "not in unit tests");
    }

    @Override
    public synchronized void bind(VerifiedIdentity identity, EnrollmentId id) throws IdentityVerificationException {
        for (Map.Entry<EnrollmentId, CertificateFingerprint> e : bindings.entrySet()) {
            if (e.getValue().equals(identity.fingerprint()) && !e.getKey().equals(id)) {
                throw new IdentityVerificationException(IdentityVerificationException.Reason.BOUND_ELSEWHERE, "bound to " + e.getKey());
            }
        }
        bindings.put(id, identity.fingerprint());
    }

    @Override
    public synchronized void checkBinding(VerifiedIdentity identity, EnrollmentId id) throws IdentityVerificationException {
        CertificateFingerprint bound = bindings.get(id.deviceChannel());
        if (bound == null || !bound.equals(identity.fingerprint())) {
            throw new IdentityVerificationException(IdentityVerificationException.Reason.NOT_BOUND, id + " not bound to this certificate");
        }
    }
}
