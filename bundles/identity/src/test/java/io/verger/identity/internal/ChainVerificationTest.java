package io.verger.identity.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.identity.IdentitySource;
import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerificationException.Reason;
import io.verger.api.identity.VerifiedIdentity;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChainVerificationTest {

    @TempDir
    static Path data;
    static VerifierFixture fixture;
    static TestPki.Ca otherRoot;
    static TestPki.Ca otherIntermediate;
    static Path otherRootPem;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = new VerifierFixture(data);
        otherRoot = TestPki.root("Older Server Root");
        otherIntermediate = TestPki.intermediate(otherRoot, "Older Server Device CA");
        otherRootPem = TestPki.writePem(data.resolve("older-root.pem"), otherRoot.certificate());
    }

    static IdentityVerificationException refused(Reason reason, Executable call) {
        IdentityVerificationException e = assertThrows(IdentityVerificationException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void acceptsAnIdentityIssuedByTheDeviceCa() throws Exception {
        TestDevice device = TestDevice.ec("secp256r1").enroll(fixture.ca, "CN=ok", Duration.ofDays(30));
        VerifiedIdentity identity = fixture.verifier().verify(device.chain(), IdentitySource.TLS_CLIENT_CERTIFICATE);
        assertEquals(device.certificate(), identity.certificate());
        assertEquals(IdentitySource.TLS_CLIENT_CERTIFICATE, identity.source());
        assertNull(identity.boundTo());
        // the identity alone, without the CA certificate, is enough
        fixture.verifier().verify(List.of(device.certificate()), IdentitySource.TLS_CLIENT_CERTIFICATE);
    }

    @Test
    void reportsTheEnrollmentTheCertificateIsBoundTo() throws Exception {
        TestDevice device = TestDevice.ec("secp256r1").enroll(fixture.ca, "CN=bound", Duration.ofDays(30));
        DeviceIdentityVerifier verifier = fixture.verifier();
        EnrollmentId udid = EnrollmentId.device("UDID-REPORTED");
        verifier.bind(verifier.verify(device.chain(), IdentitySource.TLS_CLIENT_CERTIFICATE), udid);
        assertEquals(udid, verifier.verify(device.chain(), IdentitySource.TLS_CLIENT_CERTIFICATE).boundTo());
    }

    @Test
    void refusesAnIdentityOfAnUnknownCa() throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        X509Certificate foreign = TestPki.leaf(otherRoot, key.getPublic(), "foreign");
        IdentityVerificationException e = refused(Reason.UNTRUSTED,
                () -> fixture.verifier().verify(List.of(foreign, otherRoot.certificate()), IdentitySource.TLS_CLIENT_CERTIFICATE));
        assertTrue(e.getMessage().contains("foreign") && e.getMessage().contains("does not chain"), e.getMessage());
    }

    @Test
    void refusesAnIdentityFromAnImpostorWithTheDeviceCasName() throws Exception {
        X509Certificate deviceCa = fixture.ca.certificateChain().get(0);
        TestPki.Ca impostor = TestPki.root(org.bouncycastle.asn1.x500.X500Name.getInstance(deviceCa.getSubjectX500Principal().getEncoded()));
        assertEquals(deviceCa.getSubjectX500Principal(), impostor.certificate().getSubjectX500Principal());
        X509Certificate forged = TestPki.leaf(impostor, TestPki.ec("secp256r1").getPublic(), "forged");
        assertEquals(deviceCa.getSubjectX500Principal(), forged.getIssuerX500Principal());
        refused(Reason.UNTRUSTED, () -> fixture.verifier().verify(List.of(forged), IdentitySource.TLS_CLIENT_CERTIFICATE));
        refused(Reason.UNTRUSTED, () -> fixture.verifier().verify(List.of(forged, impostor.certificate()), IdentitySource.TLS_CLIENT_CERTIFICATE));
    }

    @Test
    void refusesAnExpiredIdentity() throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        Instant now = Instant.now();
        X509Certificate expired = TestPki.leaf(otherRoot, key.getPublic(), "expired", now.minus(Duration.ofDays(60)),
                now.minus(Duration.ofDays(1)), KeyPurposeId.id_kp_clientAuth);
        refused(Reason.EXPIRED, () -> fixture.verifier("trustedCas", otherRootPem.toString())
                .verify(List.of(expired), IdentitySource.TLS_CLIENT_CERTIFICATE));
    }

    @Test
    void refusesAnIdentityNotYetValid() throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        Instant now = Instant.now();
        X509Certificate future = TestPki.leaf(otherRoot, key.getPublic(), "future", now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(60)), KeyPurposeId.id_kp_clientAuth);
        refused(Reason.EXPIRED, () -> fixture.verifier("trustedCas", otherRootPem.toString())
                .verify(List.of(future), IdentitySource.TLS_CLIENT_CERTIFICATE));
    }

    @Test
    void acceptsAChainThroughAnIntermediateToAConfiguredRoot() throws Exception {
        KeyPair key = TestPki.rsa(2048);
        X509Certificate leaf = TestPki.leaf(otherIntermediate, key.getPublic(), "via-intermediate");
        DeviceIdentityVerifier verifier = fixture.verifier("trustedCas", otherRootPem.toString());
        verifier.verify(List.of(leaf, otherIntermediate.certificate()), IdentitySource.TLS_CLIENT_CERTIFICATE);
        // presented in any order, with the root included
        verifier.verify(List.of(leaf, otherRoot.certificate(), otherIntermediate.certificate()), IdentitySource.TLS_CLIENT_CERTIFICATE);
        // without the intermediate, there is no path
        refused(Reason.UNTRUSTED, () -> verifier.verify(List.of(leaf), IdentitySource.TLS_CLIENT_CERTIFICATE));
    }

    @Test
    void trustedCasComeFromTheFrameworkPropertyUnlessConfigured(@TempDir Path dir) throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        X509Certificate leaf = TestPki.leaf(otherRoot, key.getPublic(), "older-device");
        Path unrelated = TestPki.writePem(dir.resolve("unrelated.pem"), TestPki.root("Unrelated").certificate());
        Path missing = dir.resolve("missing.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");

        // VERGER_TRUSTED_CAS -> verger.trusted.cas; unreadable entries are skipped, the others still count
        String list = missing + ", " + garbage + "," + unrelated + " , " + otherRootPem;
        fixture.verifier(Map.of(DeviceIdentityVerifier.TRUSTED_CAS_PROPERTY, list))
                .verify(List.of(leaf), IdentitySource.TLS_CLIENT_CERTIFICATE);
        // configuration overrides the framework property
        refused(Reason.UNTRUSTED, () -> fixture.verifier(Map.of(DeviceIdentityVerifier.TRUSTED_CAS_PROPERTY, otherRootPem.toString()),
                "trustedCas", unrelated.toString()).verify(List.of(leaf), IdentitySource.TLS_CLIENT_CERTIFICATE));
        // the device CA stays trusted whatever is configured
        TestDevice device = TestDevice.ec("secp256r1").enroll(fixture.ca, "CN=still", Duration.ofDays(1));
        fixture.verifier("trustedCas", unrelated.toString()).verify(device.chain(), IdentitySource.TLS_CLIENT_CERTIFICATE);
    }

    @Test
    void refusesAnEmptyChain() {
        refused(Reason.MISSING, () -> fixture.verifier().verify(List.of(), IdentitySource.TLS_CLIENT_CERTIFICATE));
    }

    @Test
    void refusesAnIdentityThatMayNotAuthenticateClients() throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        Instant now = Instant.now();
        X509Certificate serverOnly = TestPki.leaf(otherRoot, key.getPublic(), "server", now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1)), KeyPurposeId.id_kp_serverAuth);
        IdentityVerificationException e = refused(Reason.UNTRUSTED, () -> fixture.verifier("trustedCas", otherRootPem.toString())
                .verify(List.of(serverOnly), IdentitySource.TLS_CLIENT_CERTIFICATE));
        assertTrue(e.getMessage().contains("clientAuth"), e.getMessage());
        // no extended key usage at all: any use allowed
        X509Certificate noEku = TestPki.leaf(otherRoot, key.getPublic(), "no-eku", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), null);
        fixture.verifier("trustedCas", otherRootPem.toString()).verify(List.of(noEku), IdentitySource.TLS_CLIENT_CERTIFICATE);
    }

    @Test
    void refusesACaCertificateAsIdentity() {
        refused(Reason.UNTRUSTED, () -> fixture.verifier().verify(fixture.ca.certificateChain(), IdentitySource.TLS_CLIENT_CERTIFICATE));
    }

    @Test
    void verifyIsNotForMdmSignatures() throws Exception {
        TestDevice device = TestDevice.ec("secp256r1").enroll(fixture.ca, "CN=x", Duration.ofDays(1));
        assertThrows(IllegalArgumentException.class, () -> fixture.verifier().verify(device.chain(), IdentitySource.MDM_SIGNATURE));
        assertThrows(NullPointerException.class, () -> fixture.verifier().verify(null, IdentitySource.TLS_CLIENT_CERTIFICATE));
    }
}
