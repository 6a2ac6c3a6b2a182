package io.verger.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CAs whose device certificates the TLS layer accepts when a device authenticates by mutual TLS: the built-in
 * device CA ({@code data/identity/ca.crt}, created here on first start so that it exists before HTTPS opens; the
 * identity bundle then issues device identities with it) plus every CA in {@code VERGER_TRUSTED_CAS}. The TLS
 * handshake only checks the chain; the identity bundle still verifies and binds each certificate.
 */
public final class DeviceTrust {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceTrust.class);
    private static final BouncyCastleProvider BC = TlsMaterial.BC;
    static final Duration CA_VALIDITY = Duration.ofDays(3650);

    private final Path truststore;
    private final String password;

    private DeviceTrust(Path truststore, String password) {
        this.truststore = truststore;
        this.password = password;
    }

    public Path truststore() {
        return truststore;
    }

    public String password() {
        return password;
    }

    public static DeviceTrust prepare(VergerSettings settings, Path dataDir) throws IOException, GeneralSecurityException {
        Path identityDir = dataDir.resolve("identity");
        Files.createDirectories(identityDir);
        Path caCert = identityDir.resolve("ca.crt");
        Path caKey = identityDir.resolve("ca.key");
        if (!Files.exists(caCert) && !Files.exists(caKey)) {
            generateDeviceCa(caCert, caKey);
        }
        List<X509Certificate> anchors = new ArrayList<>();
        if (Files.isRegularFile(caCert)) {
            anchors.addAll(TlsMaterial.readCertificates(caCert));
        }
        for (String path : settings.trustedCas().map(s -> s.split(",")).orElse(new String[0])) {
            Path file = Path.of(path.trim());
            try {
                List<X509Certificate> certs = TlsMaterial.readCertificates(file);
                if (certs.isEmpty()) {
                    LOG.error("{} lists {}, which holds no PEM certificate; ignored", VergerSettings.TRUSTED_CAS, file);
                }
                anchors.addAll(certs);
            } catch (IOException e) {
                LOG.error("{} lists {}, which cannot be read ({}); ignored", VergerSettings.TRUSTED_CAS, file, e.getMessage());
            }
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : anchors) {
            ks.setCertificateEntry("device-ca-" + i++, c);
        }
        String secret = TlsMaterial.randomSecret();
        Path tlsDir = dataDir.resolve("tls");
        Files.createDirectories(tlsDir);
        Path file = tlsDir.resolve("device-trust.p12");
        Path tmp = Files.createTempFile(tlsDir, "device-trust", ".p12.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, secret.toCharArray());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new DeviceTrust(file, secret);
    }

    static void generateDeviceCa(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        SecureRandom random = new SecureRandom();
        g.initialize(2048, random);
        KeyPair pair = g.generateKeyPair();
        X500Name subject = new X500Name("CN=Verger Device CA " + Long.toHexString(random.nextLong() & Long.MAX_VALUE) + ",O=Verger");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, random).setBit(0),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().setProvider(BC)
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the device CA: " + e.getMessage(), e);
        }
        // key first, certificate last: the identity bundle treats a lone key as an interrupted creation
        TlsMaterial.writeSecret(keyFile, TlsMaterial.pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null)));
        TlsMaterial.writeAtomically(certFile, TlsMaterial.pem(cert).getBytes(StandardCharsets.US_ASCII));
        LOG.info("Generated the built-in device CA {}", certFile);
    }
}
