package io.verger.identity.internal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Test CAs and certificates with any dates and extensions, for cases a real CA would never issue. */
final class TestPki {

    static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    record Ca(X509Certificate certificate, PrivateKey key) {
        String signatureAlgorithm() {
            return key instanceof ECKey ? "SHA256withECDSA" : "SHA256withRSA";
        }
    }

    private TestPki() {
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", BC);
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    static Ca root(String commonName) throws Exception {
        return root(new X500Name("CN=" + commonName));
    }

    /** A self-signed CA with exactly this subject (to impersonate another CA's name). */
    static Ca root(X500Name name) throws Exception {
        KeyPair pair = ec("secp256r1");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
        caExtensions(builder, pair.getPublic(), null);
        return new Ca(sign(builder, new Ca(null, pair.getPrivate())), pair.getPrivate());
    }

    static Ca intermediate(Ca parent, String commonName) throws Exception {
        KeyPair pair = ec("secp256r1");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(parent.certificate(), serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1825))),
                new X500Name("CN=" + commonName), pair.getPublic());
        caExtensions(builder, pair.getPublic(), parent.certificate());
        return new Ca(sign(builder, parent), pair.getPrivate());
    }

    /** A device identity with the given validity and, if not null, extended key usage. */
    static X509Certificate leaf(Ca issuer, PublicKey key, String commonName, Instant notBefore, Instant notAfter, KeyPurposeId eku)
            throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(), Date.from(notBefore),
                Date.from(notAfter), new X500Name("CN=" + commonName), key)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        if (eku != null) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        }
        return sign(builder, issuer);
    }

    static X509Certificate leaf(Ca issuer, PublicKey key, String commonName) throws Exception {
        Instant now = Instant.now();
        return leaf(issuer, key, commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), KeyPurposeId.id_kp_clientAuth);
    }

    static Path writePem(Path file, Object... objects) throws Exception {
        Object[] encodable = new Object[objects.length];
        for (int i = 0; i < objects.length; i++) {
            encodable[i] = objects[i] instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : objects[i];
        }
        Files.writeString(file, Pem.encode(encodable));
        return file;
    }

    private static void caExtensions(X509v3CertificateBuilder builder, PublicKey key, X509Certificate issuer) throws Exception {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
        if (issuer != null) {
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, Ca issuer) throws Exception {
        return Pem.toX509(builder.build(new JcaContentSignerBuilder(issuer.signatureAlgorithm()).setProvider(BC).build(issuer.key())).getEncoded());
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).setBit(0);
    }
}
