package io.verger.identity.internal;

import io.verger.api.identity.IdentitySource;
import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerificationException.Reason;
import io.verger.api.identity.VerifiedIdentity;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static io.verger.identity.internal.ChainVerificationTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MdmSignatureTest {

    static final byte[] BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>MessageType</key>"
            + "<string>Authenticate</string><key>UDID</key><string>00008030-001A2B3C4D5E6F70</string></dict></plist>\n")
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path data;
    static VerifierFixture fixture;
    static DeviceIdentityVerifier verifier;
    static TestDevice rsaDevice;
    static TestDevice ecDevice;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = new VerifierFixture(data);
        verifier = fixture.verifier();
        rsaDevice = TestDevice.rsa(2048).enroll(fixture.ca, "CN=rsa-device", Duration.ofDays(30));
        ecDevice = TestDevice.ec("secp256r1").enroll(fixture.ca, "CN=ec-device", Duration.ofDays(30));
    }

    /** What the transport does with the header value. */
    static byte[] header(String value) {
        return Base64.getDecoder().decode(value);
    }

    @Test
    void acceptsAnRsaDeviceSignature() throws Exception {
        VerifiedIdentity identity = verifier.verifyMdmSignature(header(rsaDevice.mdmSignature(BODY)), BODY);
        assertEquals(rsaDevice.certificate(), identity.certificate());
        assertEquals(IdentitySource.MDM_SIGNATURE, identity.source());
    }

    @Test
    void acceptsAnEcDeviceSignature() throws Exception {
        assertEquals(ecDevice.certificate(), verifier.verifyMdmSignature(header(ecDevice.mdmSignature(BODY)), BODY).certificate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA1", "SHA256", "SHA384"})
    void acceptsTheDigestsDevicesUse(String digest) throws Exception {
        verifier.verifyMdmSignature(rsaDevice.mdmSignatureDer(BODY, digest, false), BODY);
        verifier.verifyMdmSignature(ecDevice.mdmSignatureDer(BODY, digest, true), BODY);
        TestDevice p384 = TestDevice.ec("secp384r1").enroll(fixture.ca, "CN=p384", Duration.ofDays(1));
        verifier.verifyMdmSignature(p384.mdmSignatureDer(BODY, digest, false), BODY);
    }

    @Test
    void acceptsAnEmptyBody() throws Exception {
        verifier.verifyMdmSignature(ecDevice.mdmSignatureDer(new byte[0], "SHA256", false), new byte[0]);
    }

    @Test
    void refusesASignatureOverAnotherBody() {
        byte[] other = Arrays.copyOf(BODY, BODY.length);
        other[other.length - 3] ^= 1;
        refused(Reason.BAD_SIGNATURE, () -> verifier.verifyMdmSignature(header(rsaDevice.mdmSignature(BODY)), other));
        refused(Reason.BAD_SIGNATURE, () -> verifier.verifyMdmSignature(header(ecDevice.mdmSignature(BODY)), Arrays.copyOf(BODY, BODY.length - 1)));
    }

    @Test
    void refusesGarbage() {
        for (byte[] garbage : List.of(new byte[0], "hello".getBytes(), new byte[] {0x30}, new byte[] {0x30, (byte) 0x84, 0x7f, 0x7f, 0x7f, 0x7f},
                new byte[70_000])) {
            refused(Reason.MALFORMED, () -> verifier.verifyMdmSignature(garbage, BODY));
        }
    }

    @Test
    void refusesATruncatedSignature() {
        byte[] signature = header(rsaDevice.mdmSignature(BODY));
        for (int length : new int[] {1, 10, signature.length / 2, signature.length - 1}) {
            refused(Reason.MALFORMED, () -> verifier.verifyMdmSignature(Arrays.copyOf(signature, length), BODY));
        }
    }

    @Test
    void refusesDerThatIsNotASignedData() throws Exception {
        refused(Reason.MALFORMED, () -> verifier.verifyMdmSignature(ecDevice.certificate().getEncoded(), BODY));
    }

    @Test
    void refusesAnEncapsulatedSignature() throws Exception {
        CMSSignedDataGenerator generator = signerGenerator(ecDevice.keyPair(), ecDevice.certificate(), "SHA256withECDSA");
        generator.addCertificates(new JcaCertStore(List.of(ecDevice.certificate())));
        byte[] attached = generator.generate(new CMSProcessableByteArray(BODY), true).getEncoded("DER");
        refused(Reason.MALFORMED, () -> verifier.verifyMdmSignature(attached, BODY));
    }

    @Test
    void refusesASignatureMadeWithAnotherKeyThanTheCarriedCertificates() throws Exception {
        KeyPair thief = TestPki.ec("secp256r1");
        // claims the enrolled device's certificate, signs with its own key
        CMSSignedDataGenerator generator = signerGenerator(thief, ecDevice.certificate(), "SHA256withECDSA");
        generator.addCertificates(new JcaCertStore(List.of(ecDevice.certificate())));
        byte[] forged = generator.generate(new CMSProcessableByteArray(BODY), false).getEncoded("DER");
        refused(Reason.BAD_SIGNATURE, () -> verifier.verifyMdmSignature(forged, BODY));
    }

    @Test
    void refusesASignatureWithoutItsSignerCertificate() throws Exception {
        CMSSignedDataGenerator generator = signerGenerator(ecDevice.keyPair(), ecDevice.certificate(), "SHA256withECDSA");
        byte[] noCertificate = generator.generate(new CMSProcessableByteArray(BODY), false).getEncoded("DER");
        refused(Reason.MALFORMED, () -> verifier.verifyMdmSignature(noCertificate, BODY));

        // carries a certificate, but not the one its signer id names
        CMSSignedDataGenerator other = signerGenerator(ecDevice.keyPair(), ecDevice.certificate(), "SHA256withECDSA");
        other.addCertificates(new JcaCertStore(List.of(rsaDevice.certificate())));
        byte[] wrongCertificate = other.generate(new CMSProcessableByteArray(BODY), false).getEncoded("DER");
        refused(Reason.MALFORMED, () -> verifier.verifyMdmSignature(wrongCertificate, BODY));
    }

    @Test
    void refusesSeveralSignersAndNone() throws Exception {
        CMSSignedDataGenerator two = signerGenerator(ecDevice.keyPair(), ecDevice.certificate(), "SHA256withECDSA");
        two.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().setProvider(TestPki.BC).build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(TestPki.BC).build(rsaDevice.keyPair().getPrivate()), rsaDevice.certificate()));
        two.addCertificates(new JcaCertStore(List.of(ecDevice.certificate(), rsaDevice.certificate())));
        refused(Reason.MALFORMED, () -> verifier.verifyMdmSignature(two.generate(new CMSProcessableByteArray(BODY), false).getEncoded("DER"), BODY));

        CMSSignedDataGenerator none = new CMSSignedDataGenerator();
        none.addCertificates(new JcaCertStore(List.of(ecDevice.certificate())));
        refused(Reason.MALFORMED, () -> verifier.verifyMdmSignature(none.generate(new CMSProcessableByteArray(BODY), false).getEncoded("DER"), BODY));
    }

    @Test
    void refusesAValidSignatureByAnIdentityOfAnUntrustedCa() throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        TestPki.Ca stranger = TestPki.root("Stranger CA");
        TestDevice foreign = TestDevice.withKeyPair(key).useCertificate(TestPki.leaf(stranger, key.getPublic(), "foreign"), List.of(stranger.certificate()));
        refused(Reason.UNTRUSTED, () -> verifier.verifyMdmSignature(header(foreign.mdmSignature(BODY)), BODY));
    }

    @Test
    void refusesAValidSignatureByAnExpiredIdentity() throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        TestPki.Ca root = TestPki.root("Expiry Root");
        Instant now = Instant.now();
        X509Certificate expired = TestPki.leaf(root, key.getPublic(), "expired", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)),
                KeyPurposeId.id_kp_clientAuth);
        TestDevice old = TestDevice.withKeyPair(key).useCertificate(expired, List.of());
        Path rootPem = TestPki.writePem(data.resolve("expiry-root.pem"), root.certificate());
        IdentityVerificationException e = assertThrows(IdentityVerificationException.class,
                () -> fixture.verifier("trustedCas", rootPem.toString()).verifyMdmSignature(header(old.mdmSignature(BODY)), BODY));
        assertEquals(Reason.EXPIRED, e.reason(), e.getMessage());
    }

    @Test
    void usesIntermediatesCarriedInTheSignature() throws Exception {
        TestPki.Ca root = TestPki.root("Carried Root");
        TestPki.Ca intermediate = TestPki.intermediate(root, "Carried Intermediate");
        KeyPair key = TestPki.rsa(2048);
        TestDevice device = TestDevice.withKeyPair(key).useCertificate(TestPki.leaf(intermediate, key.getPublic(), "deep"),
                List.of(intermediate.certificate()));
        Path rootPem = TestPki.writePem(data.resolve("carried-root.pem"), root.certificate());
        DeviceIdentityVerifier trusting = fixture.verifier("trustedCas", rootPem.toString());
        VerifiedIdentity identity = trusting.verifyMdmSignature(device.mdmSignatureDer(BODY, "SHA256", true), BODY);
        assertEquals(device.certificate(), identity.certificate());
        refused(Reason.UNTRUSTED, () -> trusting.verifyMdmSignature(device.mdmSignatureDer(BODY, "SHA256", false), BODY));
    }

    @Test
    void hostileMutationsAreRefusedWithAReasonNeverAnotherException() {
        byte[] signature = header(ecDevice.mdmSignature(BODY));
        Random random = new Random(9440);
        for (int i = 0; i < 500; i++) {
            byte[] mutated = Arrays.copyOf(signature, signature.length);
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            try {
                verifier.verifyMdmSignature(mutated, BODY);
            } catch (IdentityVerificationException expected) {
                // any reason is fine: the point is that nothing else escapes
            }
        }
    }

    @Test
    void nullArgumentsAreProgrammingErrors() {
        assertThrows(NullPointerException.class, () -> verifier.verifyMdmSignature(null, BODY));
        assertThrows(NullPointerException.class, () -> verifier.verifyMdmSignature(new byte[1], null));
    }

    private static CMSSignedDataGenerator signerGenerator(KeyPair key, X509Certificate certificate, String algorithm) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().setProvider(TestPki.BC).build())
                .build(new JcaContentSignerBuilder(algorithm).setProvider(TestPki.BC).build(key.getPrivate()), certificate));
        return generator;
    }
}
