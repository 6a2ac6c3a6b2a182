package io.verger.identity.internal;

import io.verger.api.identity.CertificateAuthority;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A simulated Apple device identity, for tests: a key pair, a PKCS#10 request for it, the
 * certificate a {@link CertificateAuthority} issued, and the identity headers a device sends
 * ({@code Mdm-Signature}, and the RFC 9440 {@code Client-Cert}/{@code Client-Cert-Chain} a
 * TLS-terminating proxy would add). Self-contained (BouncyCastle + the Verger API) so that
 * integration tests can copy it.
 *
 * <pre>{@code
 * TestDevice device = TestDevice.rsa(2048).enroll(ca, "CN=iPhone test", Duration.ofDays(30));
 * String header = device.mdmSignature(body);          // value of the Mdm-Signature header
 * }</pre>
 */
public final class TestDevice {

    private static final Provider BC = new BouncyCastleProvider();

    private final KeyPair keyPair;
    private X509Certificate certificate;
    private List<X509Certificate> issuers = List.of();

    private TestDevice(KeyPair keyPair) {
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
    }

    /** @return a device with a new RSA key of {@code bits} bits */
    public static TestDevice rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", BC);
            generator.initialize(bits);
            return new TestDevice(generator.generateKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate an RSA " + bits + " key", e);
        }
    }

    /** @param curve a JCA curve name: {@code secp256r1} (P-256), {@code secp384r1} (P-384), {@code secp521r1} (P-521) */
    public static TestDevice ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(new ECGenParameterSpec(curve));
            return new TestDevice(generator.generateKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate an EC " + curve + " key", e);
        }
    }

    /** @return a device with the given key pair */
    public static TestDevice withKeyPair(KeyPair keyPair) {
        return new TestDevice(keyPair);
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    /** @return the JCA signature algorithm for this device's key with the given digest, e.g. {@code SHA256withECDSA} */
    public String signatureAlgorithm(String digest) {
        return digest + "with" + (keyPair.getPrivate() instanceof ECKey ? "ECDSA" : "RSA");
    }

    /**
     * @param subject an X.500 name, e.g. {@code CN=iPhone test,O=Verger}
     * @return a DER PKCS#10 request for this device's key, signed with SHA-256
     */
    public byte[] csr(String subject) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm("SHA256")).setProvider(BC).build(keyPair.getPrivate());
            return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keyPair.getPublic()).build(signer).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a certificate signing request", e);
        }
    }

    /** Gets this device's identity from {@code ca} and keeps it, with the CA's chain as issuers. */
    public TestDevice enroll(CertificateAuthority ca, String subject, Duration validity) throws CertificateException {
        return useCertificate(ca.issue(csr(subject), validity), ca.certificateChain());
    }

    /** Uses an identity certificate issued elsewhere; {@code issuers} go into signatures and the Client-Cert-Chain. */
    public TestDevice useCertificate(X509Certificate certificate, List<X509Certificate> issuers) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.issuers = List.copyOf(issuers);
        return this;
    }

    public X509Certificate certificate() {
        if (certificate == null) {
            throw new IllegalStateException("the device has no certificate yet: call enroll or useCertificate");
        }
        return certificate;
    }

    /** @return the identity certificate first, then its issuers */
    public List<X509Certificate> chain() {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate());
        chain.addAll(issuers);
        return chain;
    }

    /** @return the {@code Mdm-Signature} header value for {@code body}: base64 of a detached CMS SignedData, SHA-256 */
    public String mdmSignature(byte[] body) {
        return Base64.getEncoder().encodeToString(mdmSignatureDer(body, "SHA256", true));
    }

    /**
     * @param digest         {@code SHA256} or {@code SHA1} (both seen from devices)
     * @param includeIssuers whether the CMS carries the issuers as well as the identity certificate
     * @return the DER CMS ContentInfo: a detached SignedData over {@code body}, with signed attributes as devices send them
     */
    public byte[] mdmSignatureDer(byte[] body, String digest, boolean includeIssuers) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(digest)).setProvider(BC).build(keyPair.getPrivate());
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build()).build(signer, certificate()));
            generator.addCertificates(new JcaCertStore(includeIssuers ? chain() : List.of(certificate())));
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(body), false);
            return signed.getEncoded("DER");
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign the body", e);
        }
    }

    /** @return the RFC 9440 {@code Client-Cert} header value: {@code :base64(DER):} */
    public String clientCertHeader() {
        return byteSequence(certificate());
    }

    /** @return the RFC 9440 {@code Client-Cert-Chain} header value: the issuers as a list of byte sequences */
    public String clientCertChainHeader() {
        return issuers.stream().map(TestDevice::byteSequence).collect(Collectors.joining(", "));
    }

    private static String byteSequence(X509Certificate certificate) {
        try {
            return ":" + Base64.getEncoder().encodeToString(certificate.getEncoded()) + ":";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
