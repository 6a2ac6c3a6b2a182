package io.verger.simulator.fleet;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A device CA of the operator's: the server trusts it (Verger: {@code VERGER_TRUSTED_CAS}), the simulator issues
 * device identities with it — the stand-in for SCEP while the server has none.
 */
public record DeviceCa(X509Certificate certificate, PrivateKey key) {

    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String CERT_FILE = "device-ca.crt";
    public static final String KEY_FILE = "device-ca.key";

    public static DeviceCa create(String name) throws Exception {
        KeyPair kp = rsa(2048);
        X500Name dn = new X500Name("CN=" + name + ",O=Verger Simulator");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(dn, new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(3650))), dn, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate());
        return new DeviceCa(new JcaX509CertificateConverter().getCertificate(b.build(signer)), kp.getPrivate());
    }

    public static DeviceCa load(Path certPem, Path keyPem) throws Exception {
        return new DeviceCa(Pem.certificate(Files.readString(certPem)), Pem.privateKey(Files.readString(keyPem)));
    }

    /** Writes {@code device-ca.crt} and {@code device-ca.key} (mode 600 where the file system allows). */
    public void writeTo(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(CERT_FILE), Pem.write(certificate));
        Path keyFile = dir.resolve(KEY_FILE);
        Files.writeString(keyFile, Pem.write(key));
        try {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    /** A device identity certificate as an MDM enrollment would give one: CN = the device's UDID, client auth. */
    public X509Certificate issue(PublicKey deviceKey, String cn) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=" + cn), deviceKey);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    public static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits, RANDOM);
        return g.generateKeyPair();
    }
}
