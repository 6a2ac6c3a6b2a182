package io.verger.identity.internal;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Random;

import static io.verger.identity.internal.MdmSignatureTest.BODY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The fast path must accept the signatures devices send (else every request pays for BouncyCastle's CMS model) and
 * must never accept one the full implementation refuses: it answers "verified" or "don't know", never "refused".
 */
class FastMdmSignatureTest {

    @TempDir
    static Path data;
    static VerifierFixture fixture;
    static TestDevice rsaDevice;
    static TestDevice ecDevice;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = new VerifierFixture(data);
        rsaDevice = TestDevice.rsa(2048).enroll(fixture.ca, "CN=rsa-device", Duration.ofDays(30));
        ecDevice = TestDevice.ec("secp256r1").enroll(fixture.ca, "CN=ec-device", Duration.ofDays(30));
    }

    static X509Certificate decode(byte[] der) {
        try {
            return Pem.toX509(der);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<X509Certificate> fast(byte[] cms, byte[] body) {
        return FastMdmSignature.verify(cms, body, FastMdmSignatureTest::decode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA1", "SHA256", "SHA384", "SHA512"})
    void takesTheFastPathForTheShapesDevicesSend(String digest) throws Exception {
        List<X509Certificate> rsa = fast(rsaDevice.mdmSignatureDer(BODY, digest, true), BODY);
        assertNotNull(rsa, "RSA " + digest);
        assertEquals(rsaDevice.certificate(), rsa.get(0));
        assertEquals(1 + rsaDevice.chain().size() - 1, rsa.size());
        List<X509Certificate> ec = fast(ecDevice.mdmSignatureDer(BODY, digest, false), BODY);
        assertNotNull(ec, "EC " + digest);
        assertEquals(List.of(ecDevice.certificate()), ec);
        // and what it accepts, the full implementation accepts with the same chain
        assertEquals(rsa, MdmSignature.verify(rsaDevice.mdmSignatureDer(BODY, digest, true), BODY));
    }

    @Test
    void acceptsBerWithIndefiniteLengthsAsBouncyCastleWritesThem() throws Exception {
        CMSSignedDataGenerator generator = generator(null);
        byte[] ber = generator.generate(new CMSProcessableByteArray(BODY), false).getEncoded(); // BER, indefinite lengths
        assertEquals((byte) 0x80, ber[1], "the generator's default encoding uses an indefinite length");
        assertNotNull(fast(ber, BODY));
    }

    @Test
    void leavesEveryWrongSignatureToTheFullImplementation() throws Exception {
        byte[] good = rsaDevice.mdmSignatureDer(BODY, "SHA256", false);
        byte[] otherBody = Arrays.copyOf(BODY, BODY.length);
        otherBody[10] ^= 1;
        assertNull(fast(good, otherBody), "another body");
        assertNull(fast(good, new byte[0]), "an empty body");
        // single-bit flips anywhere: whatever the fast path accepts, the full implementation accepts with the same chain
        // (a flip inside the carried certificate but outside its key passes both: that certificate then fails chain
        // validation, which is not this class's job); in the signer info (the last 400 bytes) almost nothing passes
        Random random = new Random(7);
        int accepted = 0;
        for (int i = 0; i < 4000; i++) {
            byte[] flipped = good.clone();
            int at = i < 2000 ? random.nextInt(flipped.length) : flipped.length - 1 - random.nextInt(400);
            flipped[at] ^= (byte) (1 << random.nextInt(8));
            List<X509Certificate> chain = fast(flipped, BODY);
            if (chain != null) {
                accepted += i < 2000 ? 0 : 1;
                // only a flip outside the signed parts (the unsigned digestAlgorithms set, a version number) may pass,
                // and then the full implementation agrees
                assertEquals(chain, MdmSignature.verify(flipped, BODY));
            }
        }
        assertEquals(true, accepted < 40, accepted + " of 2000 bit flips in the signer info accepted");
        for (int length = 0; length < good.length; length += 7) {
            assertNull(fast(Arrays.copyOf(good, length), BODY), "truncated to " + length);
        }
        assertNull(fast(new byte[] {0x30, (byte) 0x80, 0x30, (byte) 0x80, 0x30, (byte) 0x80}, BODY));
        byte[] deep = new byte[20_000];
        for (int i = 0; i < deep.length; i += 2) {
            deep[i] = 0x30;
            deep[i + 1] = (byte) 0x80;
        }
        assertNull(fast(deep, BODY), "deeply nested indefinite lengths");
    }

    @Test
    void leavesASigningTimeOutsideTheCertificatesValidityToTheFullImplementation() throws Exception {
        Date past = new Date(rsaDevice.certificate().getNotBefore().getTime() - 86_400_000L);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(past))));
        byte[] cms = generator(new AttributeTable(attributes)).generate(new CMSProcessableByteArray(BODY), false).getEncoded("DER");
        assertNull(fast(cms, BODY));

        ASN1EncodableVector now = new ASN1EncodableVector();
        now.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(new Date()))));
        assertNotNull(fast(generator(new AttributeTable(now)).generate(new CMSProcessableByteArray(BODY), false).getEncoded("DER"), BODY));
    }

    private static CMSSignedDataGenerator generator(AttributeTable signedAttributes) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        JcaSignerInfoGeneratorBuilder builder = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().setProvider(TestPki.BC).build());
        if (signedAttributes != null) {
            builder.setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signedAttributes));
        }
        generator.addSignerInfoGenerator(builder.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(TestPki.BC)
                .build(rsaDevice.keyPair().getPrivate()), rsaDevice.certificate()));
        generator.addCertificates(new JcaCertStore(List.of(rsaDevice.certificate())));
        return generator;
    }
}
