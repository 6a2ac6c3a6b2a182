package io.verger.identity.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.identity.CertificateFingerprint;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.jscep.client.Client;
import org.jscep.client.EnrollmentResponse;
import org.jscep.client.verification.OptimisticCertificateVerifier;
import org.jscep.transaction.FailInfo;
import org.jscep.transport.response.Capabilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SCEP server against jscep's client (an independent implementation), and against hand-made hostile messages. */
class ScepServerTest {

    @TempDir
    Path data;
    private ScepFixture scep;

    @BeforeEach
    void start() throws Exception {
        scep = new ScepFixture(data, "_staticChallenge", "operator-static-challenge");
    }

    @AfterEach
    void stop() {
        scep.close();
    }

    private Client jscep() {
        return new Client(scep.url, new OptimisticCertificateVerifier());
    }

    private static X509Certificate issuedIn(CertStore store, KeyPair keys) throws Exception {
        for (Certificate c : store.getCertificates(null)) {
            if (((X509Certificate) c).getPublicKey().equals(keys.getPublic())) {
                return (X509Certificate) c;
            }
        }
        throw new AssertionError("no certificate for the requested key in the CertRep");
    }

    @Test
    void jscepReadsTheCapabilitiesAndTheCaCertificate() throws Exception {
        Capabilities caps = jscep().getCaCapabilities();
        assertTrue(caps.isPostSupported());
        assertTrue(caps.isRenewalSupported());
        assertTrue(caps.getStrongestMessageDigest().getAlgorithm().replace("-", "").equalsIgnoreCase("SHA512")
                || caps.getStrongestMessageDigest().getAlgorithm().replace("-", "").equalsIgnoreCase("SHA256"));
        assertEquals("AES", caps.getStrongestCipher().replaceAll("/.*", "").replaceAll("[^A-Z]", "").substring(0, 3));
        Collection<? extends Certificate> certificates = jscep().getCaCertificate().getCertificates(null);
        assertEquals(List.of(scep.caCertificate()), new ArrayList<>(certificates));
    }

    @Test
    void jscepEnrollsWithAOneTimeChallengeThatCannotBeUsedTwice() throws Exception {
        String challenge = scep.secrets.newChallenge().secret();
        KeyPair keys = ScepFixture.rsa();
        String subject = "O=Example,CN=Verger device identity SN123";
        X509Certificate self = ScepFixture.selfSigned(keys, subject);
        EnrollmentResponse response = jscep().enrol(self, keys.getPrivate(), ScepFixture.csr(keys.getPublic(), keys.getPrivate(), subject, challenge));
        assertTrue(response.isSuccess(), () -> "failure: " + (response.isFailure() ? response.getFailInfo() : "pending"));
        X509Certificate issued = issuedIn(response.getCertStore(), keys);
        issued.verify(scep.caCertificate().getPublicKey());
        assertEquals(new javax.security.auth.x500.X500Principal(subject), issued.getSubjectX500Principal());
        assertTrue(issued.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "client authentication");

        KeyPair other = ScepFixture.rsa();
        EnrollmentResponse again = jscep().enrol(ScepFixture.selfSigned(other, subject), other.getPrivate(),
                ScepFixture.csr(other.getPublic(), other.getPrivate(), subject, challenge));
        assertTrue(again.isFailure(), "a used challenge");
        assertEquals(FailInfo.badRequest, again.getFailInfo());
    }

    @Test
    void theStaticChallengeIsAcceptedRepeatedly() throws Exception {
        for (int i = 0; i < 2; i++) {
            KeyPair keys = ScepFixture.rsa();
            EnrollmentResponse response = jscep().enrol(ScepFixture.selfSigned(keys, "CN=static " + i), keys.getPrivate(),
                    ScepFixture.csr(keys.getPublic(), keys.getPrivate(), "CN=static " + i, "operator-static-challenge"));
            assertTrue(response.isSuccess());
        }
    }

    @Test
    void jscepRenewsWithTheIssuedIdentityAndTheRenewalIsBoundToTheSameEnrollment() throws Exception {
        // jscep tells a renewal from a first enrollment by checking whether the identity is self-signed; SunRSA throws
        // (instead of answering false) when the key sizes of identity and CA differ, so the identity matches the CA's size
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(((java.security.interfaces.RSAPublicKey) scep.caCertificate().getPublicKey()).getModulus().bitLength());
        KeyPair keys = generator.generateKeyPair();
        String subject = "CN=renewing device";
        EnrollmentResponse first = jscep().enrol(ScepFixture.selfSigned(keys, subject), keys.getPrivate(),
                ScepFixture.csr(keys.getPublic(), keys.getPrivate(), subject, scep.secrets.newChallenge().secret()));
        X509Certificate identity = issuedIn(first.getCertStore(), keys);
        EnrollmentId device = EnrollmentId.device("RENEW-UDID-1");
        scep.certAuth.bind(device, CertificateFingerprint.of(identity));

        KeyPair renewedKeys = ScepFixture.rsa();
        // signed with the current identity: jscep sends a RenewalReq (no challenge needed)
        EnrollmentResponse renewal = jscep().enrol(identity, keys.getPrivate(),
                ScepFixture.csr(renewedKeys.getPublic(), renewedKeys.getPrivate(), subject, null));
        assertTrue(renewal.isSuccess(), () -> "failure: " + (renewal.isFailure() ? renewal.getFailInfo() : "pending"));
        X509Certificate renewed = issuedIn(renewal.getCertStore(), renewedKeys);
        assertEquals(identity.getSubjectX500Principal(), renewed.getSubjectX500Principal());
        assertNotEquals(identity.getSerialNumber(), renewed.getSerialNumber());
        assertTrue(scep.certAuth.isBound(device, CertificateFingerprint.of(renewed)), "re-bound to the enrollment at once");
        assertTrue(scep.certAuth.isBound(device, CertificateFingerprint.of(identity)), "the old identity stays bound until it expires");
    }

    // ---- hostile messages, hand-made -------------------------------------------------------------------

    private record Rep(int httpStatus, String pkiStatus, String failInfo, List<X509Certificate> certificates) {
    }

    private static final ASN1ObjectIdentifier CERT_REP_CONTENT = ScepService.MESSAGE_TYPE;

    /** A PKIOperation as a SCEP client builds it; {@code signingKey} may differ from the signer certificate's key (forgery). */
    private byte[] message(String messageType, String transactionId, X509Certificate signer, PrivateKey signingKey, byte[] csr) throws Exception {
        CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
        envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(scep.caCertificate()).setProvider(ScepFixture.BC));
        CMSEnvelopedData enveloped = envelope.generate(new CMSProcessableByteArray(csr),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES128_CBC).setProvider(ScepFixture.BC).build());
        org.bouncycastle.asn1.ASN1EncodableVector attributes = new org.bouncycastle.asn1.ASN1EncodableVector();
        attributes.add(new Attribute(ScepService.MESSAGE_TYPE, new DERSet(new DERPrintableString(messageType))));
        attributes.add(new Attribute(ScepService.TRANSACTION_ID, new DERSet(new DERPrintableString(transactionId))));
        attributes.add(new Attribute(ScepService.SENDER_NONCE, new DERSet(new DEROctetString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)))));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().setProvider(ScepFixture.BC).build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(ScepFixture.BC).build(signingKey), signer));
        generator.addCertificates(new JcaCertStore(List.of(signer)));
        return generator.generate(new CMSProcessableByteArray(enveloped.getEncoded()), true).getEncoded();
    }

    private Rep send(byte[] message, boolean get, PrivateKey requesterKey) throws Exception {
        ScepService.Response answer = get
                ? scep.scep.handle("PKIOperation", Base64.getEncoder().encodeToString(message), null)
                : scep.scep.handle("PKIOperation", null, message);
        if (answer.status() != 200) {
            return new Rep(answer.status(), null, null, List.of());
        }
        assertEquals("application/x-pki-message", answer.contentType());
        CMSSignedData rep = new CMSSignedData(answer.body());
        SignerInformation signer = rep.getSignerInfos().getSigners().iterator().next();
        assertTrue(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(ScepFixture.BC).build(scep.caCertificate())),
                "the CertRep is signed by the CA");
        AttributeTable attributes = signer.getSignedAttributes();
        assertEquals(ScepService.CERT_REP, string(attributes, CERT_REP_CONTENT));
        String status = string(attributes, ScepService.PKI_STATUS);
        String failInfo = string(attributes, ScepService.FAIL_INFO);
        List<X509Certificate> certificates = new ArrayList<>();
        if ("0".equals(status)) {
            CMSEnvelopedData envelope = new CMSEnvelopedData((byte[]) rep.getSignedContent().getContent());
            byte[] degenerate = envelope.getRecipientInfos().getRecipients().iterator().next()
                    .getContent(new JceKeyTransEnvelopedRecipient(requesterKey).setProvider(ScepFixture.BC));
            for (Object holder : new CMSSignedData(degenerate).getCertificates().getMatches(null)) {
                certificates.add(Pem.toX509(((X509CertificateHolder) holder).getEncoded()));
            }
        } else {
            assertNull(rep.getSignedContent(), "a FAILURE carries no certificate");
        }
        return new Rep(200, status, failInfo, certificates);
    }

    private static String string(AttributeTable table, ASN1ObjectIdentifier type) {
        Attribute attribute = table.get(type);
        if (attribute == null) {
            return null;
        }
        Object value = attribute.getAttrValues().getObjectAt(0);
        return value instanceof ASN1String s ? s.getString() : new String(((ASN1OctetString) value).getOctets(), StandardCharsets.US_ASCII);
    }

    private byte[] pkcsReq(KeyPair keys, String transactionId, String challenge) throws Exception {
        PKCS10CertificationRequest csr = ScepFixture.csr(keys.getPublic(), keys.getPrivate(), "CN=hostile test", challenge);
        return message(ScepService.PKCS_REQ, transactionId, ScepFixture.selfSigned(keys, "CN=hostile test"), keys.getPrivate(), csr.getEncoded());
    }

    @Test
    void aPkcsReqOverGetIsAnsweredWithTheCertificate() throws Exception {
        KeyPair keys = ScepFixture.rsa();
        Rep rep = send(pkcsReq(keys, "TX-GET-1", scep.secrets.newChallenge().secret()), true, keys.getPrivate());
        assertEquals("0", rep.pkiStatus());
        assertEquals(1, rep.certificates().size());
        assertArrayEquals(keys.getPublic().getEncoded(), rep.certificates().get(0).getPublicKey().getEncoded());
    }

    @Test
    void aBadSignatureIsRefusedWithBadMessageCheckAndBurnsNoChallenge() throws Exception {
        KeyPair keys = ScepFixture.rsa();
        KeyPair forger = ScepFixture.rsa();
        String challenge = scep.secrets.newChallenge().secret();
        PKCS10CertificationRequest csr = ScepFixture.csr(keys.getPublic(), keys.getPrivate(), "CN=x", challenge);
        Rep rep = send(message(ScepService.PKCS_REQ, "TX-BADSIG", ScepFixture.selfSigned(keys, "CN=x"), forger.getPrivate(), csr.getEncoded()),
                false, keys.getPrivate());
        assertEquals("2", rep.pkiStatus());
        assertEquals("1", rep.failInfo(), "badMessageCheck");
        assertTrue(send(pkcsReq(keys, "TX-AFTER-BADSIG", challenge), false, keys.getPrivate()).certificates().size() == 1,
                "the challenge is still usable by its owner");
    }

    @Test
    void aWrongOrMissingChallengeIsRefusedWithBadRequest() throws Exception {
        KeyPair keys = ScepFixture.rsa();
        Rep wrong = send(pkcsReq(keys, "TX-WRONG", "not-a-challenge"), false, keys.getPrivate());
        assertEquals("2", wrong.pkiStatus());
        assertEquals("2", wrong.failInfo(), "badRequest");
        Rep missing = send(pkcsReq(keys, "TX-MISSING", null), false, keys.getPrivate());
        assertEquals("2", missing.failInfo());
        assertTrue(wrong.certificates().isEmpty() && missing.certificates().isEmpty());
    }

    @Test
    void aWrongChallengeDoesNotUseUpTheTransactionId() throws Exception {
        KeyPair keys = ScepFixture.rsa();
        Rep wrong = send(pkcsReq(keys, "TX-RETRY", "not-a-challenge"), false, keys.getPrivate());
        assertEquals("2", wrong.pkiStatus());
        Rep retried = send(pkcsReq(keys, "TX-RETRY", scep.secrets.newChallenge().secret()), false, keys.getPrivate());
        assertEquals("0", retried.pkiStatus(), "the same transaction with a valid challenge is answered");
        assertEquals(1, retried.certificates().size());
    }

    @Test
    void aReplayedTransactionIdIsRefused() throws Exception {
        KeyPair keys = ScepFixture.rsa();
        byte[] message = pkcsReq(keys, "TX-REPLAY", scep.secrets.newChallenge().secret());
        assertEquals("0", send(message, false, keys.getPrivate()).pkiStatus());
        Rep replay = send(message, false, keys.getPrivate());
        assertEquals("2", replay.pkiStatus());
        assertEquals("2", replay.failInfo());
        KeyPair other = ScepFixture.rsa();
        Rep sameIdNewChallenge = send(pkcsReq(other, "TX-REPLAY", scep.secrets.newChallenge().secret()), false, other.getPrivate());
        assertEquals("2", sameIdNewChallenge.pkiStatus(), "a transaction ID is answered once");
    }

    @Test
    void aPkcsReqSignedWithAnotherKeyThanRequestedIsRefused() throws Exception {
        KeyPair keys = ScepFixture.rsa();
        KeyPair other = ScepFixture.rsa();
        PKCS10CertificationRequest csr = ScepFixture.csr(keys.getPublic(), keys.getPrivate(), "CN=x", scep.secrets.newChallenge().secret());
        Rep rep = send(message(ScepService.PKCS_REQ, "TX-OTHERKEY", ScepFixture.selfSigned(other, "CN=x"), other.getPrivate(), csr.getEncoded()),
                false, other.getPrivate());
        assertEquals("1", rep.failInfo());
    }

    @Test
    void aRenewalSignedByAStrangerIsRefusedWithBadCertId() throws Exception {
        KeyPair keys = ScepFixture.rsa();
        PKCS10CertificationRequest csr = ScepFixture.csr(keys.getPublic(), keys.getPrivate(), "CN=x", null);
        Rep rep = send(message(ScepService.RENEWAL_REQ, "TX-RENEW-STRANGER", ScepFixture.selfSigned(keys, "CN=x"), keys.getPrivate(),
                csr.getEncoded()), false, keys.getPrivate());
        assertEquals("2", rep.pkiStatus());
        assertEquals("4", rep.failInfo(), "badCertId");
    }

    @Test
    void aWeakKeyIsRefusedWithBadRequest() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair weak = generator.generateKeyPair();
        Rep rep = send(pkcsReq(weak, "TX-WEAK", scep.secrets.newChallenge().secret()), false, weak.getPrivate());
        assertEquals("2", rep.failInfo());
    }

    @Test
    void garbageAndUnknownOperationsGet4xx() throws Exception {
        assertEquals(400, scep.scep.handle("PKIOperation", null, "garbage".getBytes(StandardCharsets.US_ASCII)).status());
        assertEquals(400, scep.scep.handle("PKIOperation", "!!!not base64!!!", null).status());
        assertEquals(400, scep.scep.handle("PKIOperation", null, null).status());
        assertEquals(400, scep.scep.handle("GetEverything", null, null).status());
        assertEquals(400, scep.scep.handle(null, null, null).status());
        assertEquals(413, scep.scep.handle("PKIOperation", null, new byte[ScepService.MAX_MESSAGE_BYTES + 1]).status());
        assertFalse(scep.store.size() > 0, "nothing recorded");
    }

    @Test
    void getCaCertAnswersTheDerCertificate() throws Exception {
        ScepService.Response answer = scep.scep.handle("GetCACert", null, null);
        assertEquals("application/x-x509-ca-cert", answer.contentType());
        assertArrayEquals(scep.caCertificate().getEncoded(), answer.body());
        ScepService.Response caps = scep.scep.handle("GetCACaps", null, null);
        String text = new String(caps.body(), StandardCharsets.US_ASCII);
        for (String cap : List.of("POSTPKIOperation", "SHA-256", "AES", "Renewal", "SCEPStandard")) {
            assertTrue(text.lines().anyMatch(cap::equals), cap);
        }
    }
}
