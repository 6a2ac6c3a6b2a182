package io.verger.simulator.enroll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.verger.simulator.fleet.DeviceCa;

class ScepMessagesTest {

    private static TestScepCa ca;
    private static KeyPair device;
    private static final ScepMessages.Capabilities VERGER_CAPS = ScepMessages.Capabilities.parse(
            "POSTPKIOperation\nSHA-256\nSHA-512\nAES\nDES3\nRenewal\nSCEPStandard\n");

    @BeforeAll
    static void keys() throws Exception {
        ca = new TestScepCa("Test SCEP CA");
        device = DeviceCa.rsa(2048);
    }

    @Test
    void capabilitiesAreReadCaseInsensitivelyAndScepStandardImpliesAesSha256AndPost() {
        ScepMessages.Capabilities caps = ScepMessages.Capabilities.parse("scepstandard\r\nRenewal\r\n");
        assertTrue(caps.has("SCEPStandard"));
        assertTrue(caps.postPkiOperation());
        assertEquals("SHA256", caps.digest());
        assertEquals(CMSAlgorithm.AES128_CBC, caps.cipher());
    }

    @Test
    void withoutCapabilitiesTheRfcFallbacksAreUsed() {
        ScepMessages.Capabilities none = ScepMessages.Capabilities.parse("");
        assertFalse(none.postPkiOperation(), "PKIOperation by GET");
        assertEquals("SHA1", none.digest());
        assertEquals(CMSAlgorithm.DES_EDE3_CBC, none.cipher());
        assertEquals("SHA512", ScepMessages.Capabilities.parse("SHA-512\nPOSTPKIOperation").digest());
    }

    @Test
    void aSingleDerCertificateIsTheCaAndTheRecipient() throws Exception {
        ScepMessages.CaCertificates parsed = ScepMessages.CaCertificates.parse("application/x-x509-ca-cert", ca.certificate.getEncoded());
        assertEquals(List.of(ca.certificate), parsed.all());
        assertEquals(ca.certificate, parsed.recipient());
        // the same bytes under a wrong media type are still recognized
        assertEquals(ca.certificate, ScepMessages.CaCertificates.parse("application/octet-stream", ca.certificate.getEncoded()).recipient());
    }

    @Test
    void aDegeneratePkcs7WithRaAndCaEncryptsToTheRaCertificateThatAllowsKeyEncipherment() throws Exception {
        X509Certificate raSigning = issued(KeyUsage.digitalSignature, "RA signing");
        X509Certificate raEncryption = issued(KeyUsage.keyEncipherment, "RA encryption");
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addCertificates(new JcaCertStore(List.of(ca.certificate, raSigning, raEncryption)));
        byte[] bundle = g.generate(new CMSAbsentContent()).getEncoded("DER");
        ScepMessages.CaCertificates parsed = ScepMessages.CaCertificates.parse("application/x-x509-ca-ra-cert", bundle);
        assertEquals(3, parsed.all().size());
        assertEquals(raEncryption, parsed.recipient());
        assertTrue(parsed.vouchesFor(raSigning));
    }

    @Test
    void ofACaChainTheIssuingCaIsTheRecipient() throws Exception {
        TestScepCa root = new TestScepCa("Root");
        KeyPair subKeys = DeviceCa.rsa(2048);
        Instant now = Instant.now();
        X509Certificate sub = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(root.certificate, BigInteger.TEN,
                Date.from(now), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=Issuing"), subKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(root.key)));
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addCertificates(new JcaCertStore(List.of(root.certificate, sub)));
        assertEquals(sub, ScepMessages.CaCertificates.parse("application/x-x509-ca-ra-cert", g.generate(new CMSAbsentContent()).getEncoded()).recipient());
    }

    @Test
    void garbageFromGetCaCertIsAClearError() {
        ScepMessages.ScepException e = assertThrows(ScepMessages.ScepException.class,
                () -> ScepMessages.CaCertificates.parse("text/html", "<html>oops</html>".getBytes()));
        assertTrue(e.getMessage().contains("Content-Type text/html"), e.getMessage());
    }

    @Test
    void theCaFingerprintOfTheProfileIsMatchedBySha256Sha1OrMd5() throws Exception {
        ScepMessages.CaCertificates parsed = ScepMessages.CaCertificates.parse(null, ca.certificate.getEncoded());
        for (String alg : List.of("SHA-256", "SHA-1", "MD5")) {
            assertTrue(parsed.matchesFingerprint(java.security.MessageDigest.getInstance(alg).digest(ca.certificate.getEncoded())), alg);
        }
        assertFalse(parsed.matchesFingerprint(new byte[32]));
    }

    @Test
    void theSubjectArrayBecomesAnX500NameWithOidsAndMultiValuedRdns() {
        X500Name name = ScepMessages.subject(List.of(List.of(List.of("C", "US")), List.of(List.of("O", "Verger")),
                List.of(List.of("CN", "device"), List.of("2.5.4.5", "SERIAL1"))));
        assertEquals(3, name.getRDNs().length);
        assertTrue(name.getRDNs()[2].isMultiValued());
        assertEquals("C=US,O=Verger,CN=device+SERIALNUMBER=SERIAL1", name.toString());
        assertEquals(0, ScepMessages.subject(null).getRDNs().length);
        assertThrows(IllegalArgumentException.class, () -> ScepMessages.subject(List.of("CN=flat")));
    }

    @Test
    void aPkcsReqCarriesTheChallengeAndTheScepAttributesAndOpensForTheCa() throws Exception {
        X500Name subject = new X500Name("O=Verger,CN=Verger device identity %SerialNumber%");
        String challenge = "Xy_9-abc_DEF"; // base64url: '_' is not a PrintableString character
        PKCS10CertificationRequest csr = ScepMessages.csr(device, subject, challenge, 5, "SHA256withRSA");
        X509Certificate self = ScepMessages.selfSigned(device, subject, "SHA256withRSA");
        String tid = ScepMessages.newTransactionId();
        ScepMessages.PkiMessage msg = ScepMessages.pkcsReq(csr, device, self, ca.certificate, VERGER_CAPS, tid);

        TestScepCa.Opened opened = ca.open(msg.der());
        assertEquals("19", opened.messageType());
        assertEquals(tid, opened.transactionId());
        assertArrayEquals(msg.senderNonce(), opened.senderNonce());
        assertEquals(16, msg.senderNonce().length);
        assertEquals(self, opened.signer());
        assertEquals(CMSAlgorithm.AES128_CBC.getId(), opened.cipherOid());
        assertEquals(subject, opened.csr().getSubject());
        assertTrue(opened.csr().isSignatureValid(new JcaContentVerifierProviderBuilder().build(opened.csr().getSubjectPublicKeyInfo())));
        Attribute[] pw = opened.csr().getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword);
        assertEquals(challenge, ((ASN1String) pw[0].getAttrValues().getObjectAt(0)).getString());
        Extensions ext = Extensions.getInstance(opened.csr().getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        assertEquals(new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment), KeyUsage.fromExtensions(ext));
        assertNotEquals(tid, ScepMessages.newTransactionId(), "a transaction ID per request, even for a shared key");
    }

    @Test
    void aSuccessfulCertRepYieldsTheIssuedCertificate() throws Exception {
        Exchange x = exchange();
        X509Certificate issued = ca.issue(x.opened.csr());
        ScepMessages.CertRep rep = ScepMessages.certRep(ca.certRep(x.opened, "0", null, issued), x.msg, device, x.self, x.caCerts);
        assertTrue(rep.success());
        assertEquals(issued, rep.issued());
        assertEquals(ca.certificate, rep.signer());
    }

    @Test
    void aFailureCertRepIsReportedWithItsFailInfo() throws Exception {
        Exchange x = exchange();
        ScepMessages.ScepException e = assertThrows(ScepMessages.ScepException.class,
                () -> ScepMessages.certRep(ca.certRep(x.opened, "2", "2", null), x.msg, device, x.self, x.caCerts));
        assertTrue(e.getMessage().contains("FAILURE, failInfo 2 (badRequest)"), e.getMessage());
    }

    @Test
    void aPendingCertRepIsAClearFailure() throws Exception {
        Exchange x = exchange();
        ScepMessages.ScepException e = assertThrows(ScepMessages.ScepException.class,
                () -> ScepMessages.certRep(ca.certRep(x.opened, "3", null, null), x.msg, device, x.self, x.caCerts));
        assertTrue(e.getMessage().contains("PENDING"), e.getMessage());
    }

    @Test
    void aCertRepThatDoesNotEchoOurNonceIsRefused() throws Exception {
        Exchange x = exchange();
        byte[] rep = ca.certRep(x.opened, "0", null, ca.issue(x.opened.csr()), new byte[16], ca.certificate, ca.key);
        ScepMessages.ScepException e = assertThrows(ScepMessages.ScepException.class, () -> ScepMessages.certRep(rep, x.msg, device, x.self, x.caCerts));
        assertTrue(e.getMessage().contains("recipientNonce"), e.getMessage());
    }

    @Test
    void aCertRepSignedByAnotherCaIsRefused() throws Exception {
        Exchange x = exchange();
        TestScepCa other = new TestScepCa("Impostor");
        byte[] rep = ca.certRep(x.opened, "0", null, ca.issue(x.opened.csr()), x.opened.senderNonce(), other.certificate, other.key);
        ScepMessages.ScepException e = assertThrows(ScepMessages.ScepException.class, () -> ScepMessages.certRep(rep, x.msg, device, x.self, x.caCerts));
        assertTrue(e.getMessage().contains("did not name"), e.getMessage());
    }

    private record Exchange(ScepMessages.PkiMessage msg, X509Certificate self, ScepMessages.CaCertificates caCerts, TestScepCa.Opened opened) {
    }

    private static Exchange exchange() throws Exception {
        X500Name subject = new X500Name("CN=dev");
        X509Certificate self = ScepMessages.selfSigned(device, subject, "SHA256withRSA");
        ScepMessages.PkiMessage msg = ScepMessages.pkcsReq(ScepMessages.csr(device, subject, "secret", 0, "SHA256withRSA"), device, self,
                ca.certificate, VERGER_CAPS, ScepMessages.newTransactionId());
        return new Exchange(msg, self, ScepMessages.CaCertificates.parse(null, ca.certificate.getEncoded()), ca.open(msg.der()));
    }

    private static X509Certificate issued(int keyUsage, String cn) throws Exception {
        KeyPair kp = DeviceCa.rsa(2048);
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(ca.certificate, BigInteger.valueOf(keyUsage),
                Date.from(now), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + cn), kp.getPublic())
                .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.key)));
    }
}
