package io.verger.simulator.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.verger.plist.PlistCodec;
import io.verger.simulator.fleet.DeviceCa;

class SignedProfileTest {

    private static final PlistCodec PLIST = PlistCodec.withDefaults();
    private static TestScepCa tlsCa;
    private static KeyPair signerKeys;
    private static X509Certificate signer;

    @BeforeAll
    static void signingIdentity() throws Exception {
        tlsCa = new TestScepCa("Verger TLS CA");
        signerKeys = DeviceCa.rsa(2048);
        Instant now = Instant.now();
        signer = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(tlsCa.certificate, BigInteger.TWO,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), new X500Name("O=Verger,CN=localhost"),
                signerKeys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(tlsCa.key)));
    }

    /** An enrollment profile shaped like Verger's: root CA, SCEP and MDM payloads. */
    static Map<String, Object> profile(boolean withCheckInUrl, String identityUuid) throws Exception {
        Map<String, Object> root = payload("com.apple.security.root", "ROOT-UUID");
        root.put("PayloadContent", tlsCa.certificate.getEncoded());
        Map<String, Object> scep = payload("com.apple.security.scep", "SCEP-UUID");
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("URL", "https://localhost:8443/scep");
        content.put("Name", "Verger");
        content.put("Subject", List.of(List.of(List.of("O", "Verger")), List.of(List.of("CN", "Verger device identity %SerialNumber%"))));
        content.put("Challenge", "challenge-1");
        content.put("Key Type", "RSA");
        content.put("Keysize", 2048L);
        content.put("Key Usage", 5L);
        scep.put("PayloadContent", content);
        Map<String, Object> mdm = payload("com.apple.mdm", "MDM-UUID");
        mdm.put("IdentityCertificateUUID", identityUuid);
        mdm.put("Topic", "com.apple.mgmt.External.test");
        mdm.put("ServerURL", "https://localhost:8443/mdm");
        if (withCheckInUrl) {
            mdm.put("CheckInURL", "https://localhost:8443/checkin");
        }
        mdm.put("SignMessage", Boolean.TRUE);
        mdm.put("AccessRights", 8191L);
        Map<String, Object> p = payload("Configuration", "PROFILE-UUID");
        p.put("PayloadContent", new ArrayList<>(List.of(root, scep, mdm)));
        return p;
    }

    private static Map<String, Object> payload(String type, String uuid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PayloadType", type);
        m.put("PayloadVersion", 1L);
        m.put("PayloadIdentifier", "io.verger.test." + type);
        m.put("PayloadUUID", uuid);
        return m;
    }

    static byte[] sign(byte[] content) throws Exception {
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(signerKeys.getPrivate()), signer));
        g.addCertificates(new JcaCertStore(List.of(signer, tlsCa.certificate)));
        return g.generate(new CMSProcessableByteArray(content), true).getEncoded("DER");
    }

    @Test
    void aProfileSignedUnderTheGivenCaIsTrustedAndItsPayloadsAreRead() throws Exception {
        SignedProfile p = SignedProfile.read(sign(PLIST.encodeXml(profile(true, "SCEP-UUID"))), List.of(tlsCa.certificate));
        assertEquals(signer, p.signer());
        assertTrue(p.trust().trusted(), p.trust().description());
        assertEquals("https://localhost:8443/scep", p.scep().url());
        assertEquals("challenge-1", p.scep().challenge());
        assertEquals(2048, p.scep().keysize());
        assertEquals(5, p.scep().keyUsage());
        assertEquals("Verger", p.scep().name());
        assertNull(p.scep().caFingerprint());
        assertEquals("com.apple.mgmt.External.test", p.mdm().topic());
        assertEquals("https://localhost:8443/checkin", p.mdm().checkInUrl());
        assertTrue(p.mdm().signMessage());
        assertEquals(8191, p.mdm().accessRights());
    }

    @Test
    void aValidSignatureUnderAnotherCaIsReadButNotTrusted() throws Exception {
        byte[] der = sign(PLIST.encodeXml(profile(true, "SCEP-UUID")));
        SignedProfile p = SignedProfile.read(der, List.of(new TestScepCa("Someone else").certificate));
        assertFalse(p.trust().trusted());
        assertTrue(p.trust().description().startsWith("NOT trusted"), p.trust().description());
        assertEquals("not checked (no CA given)", SignedProfile.read(der, List.of()).trust().description());
    }

    @Test
    void aTamperedProfileIsRefused() throws Exception {
        byte[] plist = PLIST.encodeXml(profile(true, "SCEP-UUID"));
        byte[] der = sign(plist);
        String s = new String(der, StandardCharsets.ISO_8859_1).replace("challenge-1", "challenge-2");
        SignedProfile.ProfileException e = assertThrows(SignedProfile.ProfileException.class,
                () -> SignedProfile.read(s.getBytes(StandardCharsets.ISO_8859_1), List.of(tlsCa.certificate)));
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }

    @Test
    void anUnsignedOrForeignBodyIsRefusedWithAnExcerpt() {
        SignedProfile.ProfileException e = assertThrows(SignedProfile.ProfileException.class,
                () -> SignedProfile.read("<html>login</html>".getBytes(StandardCharsets.UTF_8), List.of()));
        assertTrue(e.getMessage().contains("<html>login"), e.getMessage());
    }

    @Test
    void checkInUrlFallsBackToServerUrlAsOnADevice() throws Exception {
        SignedProfile p = SignedProfile.read(sign(PLIST.encodeXml(profile(false, "SCEP-UUID"))), List.of());
        assertEquals("https://localhost:8443/mdm", p.mdm().checkInUrl());
    }

    @Test
    void anIdentityCertificateUuidThatNamesNoPayloadIsRefused() throws Exception {
        SignedProfile.ProfileException e = assertThrows(SignedProfile.ProfileException.class,
                () -> SignedProfile.read(sign(PLIST.encodeXml(profile(true, "NO-SUCH-UUID"))), List.of()));
        assertTrue(e.getMessage().contains("IdentityCertificateUUID NO-SUCH-UUID names no payload"), e.getMessage());
        e = assertThrows(SignedProfile.ProfileException.class, () -> SignedProfile.read(sign(PLIST.encodeXml(profile(true, "ROOT-UUID"))), List.of()));
        assertTrue(e.getMessage().contains("com.apple.security.root payload; --mode scep needs"), e.getMessage());
    }

    @Test
    void theTokenIsAddedToTheEnrollUrlsQueryAndShortenedInMessages() {
        ScepEnrollment scep = new ScepEnrollment(new ScepEnrollment.Settings(URI.create("https://127.0.0.1:8443"), null, null, true, List.of(), false),
                () -> "t", new KeyPool(0));
        assertEquals(URI.create("https://127.0.0.1:8443/enroll?token=abc%2B1"), scep.profileUrl("abc+1"));
        ScepEnrollment withUrl = new ScepEnrollment(new ScepEnrollment.Settings(URI.create("https://127.0.0.1:8443"),
                URI.create("https://mdm.example.com/enroll?site=2"), null, true, List.of(), false), () -> "t", new KeyPool(0));
        assertEquals(URI.create("https://mdm.example.com/enroll?site=2&token=xyz"), withUrl.profileUrl("xyz"));
        assertEquals("/scep?operation=GetCACaps", ScepEnrollment.target(URI.create("https://h/scep"), "operation=GetCACaps"));
        assertEquals("https://h/enroll?token=abcd…", ScepEnrollment.redacted(URI.create("https://h/enroll?token=abcdefghij")));
    }
}
