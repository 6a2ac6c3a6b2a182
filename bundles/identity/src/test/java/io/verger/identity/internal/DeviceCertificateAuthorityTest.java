package io.verger.identity.internal;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceCertificateAuthorityTest {

    @TempDir
    static Path shared;
    static DeviceCertificateAuthority builtIn;

    @BeforeAll
    static void startBuiltInCa() throws Exception {
        builtIn = started(shared);
    }

    static DeviceCertificateAuthority started(Path dataDirectory) throws Exception {
        DeviceCertificateAuthority ca = new DeviceCertificateAuthority();
        ca.start(TestConfig.identity(), Map.of(DeviceCertificateAuthority.DATA_PROPERTY, dataDirectory.toString())::get);
        return ca;
    }

    @Test
    void generatesCaOnFirstStartAndReusesItOnTheNext(@TempDir Path data) throws Exception {
        X509Certificate first = started(data).certificateChain().get(0);
        Path certificateFile = data.resolve("identity/ca.crt");
        Path keyFile = data.resolve("identity/ca.key");
        assertTrue(Files.isRegularFile(certificateFile));
        assertTrue(Files.readString(keyFile).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        byte[] keyBytes = Files.readAllBytes(keyFile);

        X509Certificate second = started(data).certificateChain().get(0);
        assertArrayEquals(first.getEncoded(), second.getEncoded(), "the second start must reuse the CA, not make a new one");
        assertArrayEquals(keyBytes, Files.readAllBytes(keyFile));
        try (var files = Files.list(data.resolve("identity"))) {
            assertEquals(Set.of("ca.crt", "ca.key"), files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void generatedCaIsAnRsa3072CaValidForTenYears() throws Exception {
        X509Certificate ca = builtIn.certificateChain().get(0);
        assertEquals(1, builtIn.certificateChain().size());
        assertEquals(3072, ((RSAPublicKey) ca.getPublicKey()).getModulus().bitLength());
        assertEquals("SHA256withRSA", ca.getSigAlgName());
        assertTrue(ca.getBasicConstraints() >= 0);
        boolean[] keyUsage = ca.getKeyUsage();
        assertTrue(keyUsage[5] && keyUsage[6], "keyCertSign and cRLSign");
        Duration validity = Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant());
        assertTrue(validity.toDays() >= 3650, "validity " + validity);
        ca.verify(ca.getPublicKey());
    }

    @Test
    void refusesAnIncompleteCaDirectoryInsteadOfReplacingIt(@TempDir Path data) throws Exception {
        started(data);
        Files.delete(data.resolve("identity/ca.crt"));
        Exception e = assertThrows(Exception.class, () -> started(data));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
        assertTrue(Files.exists(data.resolve("identity/ca.key")));
    }

    @Test
    void refusesToStartWithoutDataDirectory() {
        DeviceCertificateAuthority ca = new DeviceCertificateAuthority();
        Exception e = assertThrows(IllegalStateException.class, () -> ca.start(TestConfig.identity(), name -> null));
        assertTrue(e.getMessage().contains("verger.data"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA2048", "secp256r1", "secp384r1", "RSA4096"})
    void issuesDeviceIdentitiesForAcceptedKeys(String key) throws Exception {
        TestDevice device = key.startsWith("RSA") ? TestDevice.rsa(Integer.parseInt(key.substring(3))) : TestDevice.ec(key);
        Instant before = Instant.now();
        X509Certificate issued = builtIn.issue(device.csr("CN=iPhone test,O=Verger"), Duration.ofDays(30));
        X509Certificate ca = builtIn.certificateChain().get(0);

        issued.verify(ca.getPublicKey());
        assertEquals(device.keyPair().getPublic(), issued.getPublicKey());
        assertEquals(new X500Name("CN=iPhone test,O=Verger"), X500Name.getInstance(issued.getSubjectX500Principal().getEncoded()));
        assertEquals(ca.getSubjectX500Principal(), issued.getIssuerX500Principal());
        assertEquals(-1, issued.getBasicConstraints());
        assertEquals(List.of(KeyPurposeId.id_kp_clientAuth.getId()), issued.getExtendedKeyUsage());
        boolean[] keyUsage = issued.getKeyUsage();
        assertTrue(keyUsage[0], "digitalSignature");
        assertEquals(key.startsWith("RSA"), keyUsage[2], "keyEncipherment for RSA only");
        assertFalse(keyUsage[5], "not keyCertSign");
        X509CertificateHolder holder = new X509CertificateHolder(issued.getEncoded());
        assertNotNull(holder.getExtension(org.bouncycastle.asn1.x509.Extension.subjectKeyIdentifier));
        assertNotNull(holder.getExtension(org.bouncycastle.asn1.x509.Extension.authorityKeyIdentifier));
        assertTrue(issued.getSerialNumber().signum() > 0 && issued.getSerialNumber().bitLength() <= 127);
        Instant notBefore = issued.getNotBefore().toInstant();
        assertTrue(!notBefore.isAfter(before.minus(Duration.ofMinutes(59))) && notBefore.isAfter(before.minus(Duration.ofMinutes(61))),
                "notBefore is now - 1h: " + notBefore);
        Duration fromNow = Duration.between(before, issued.getNotAfter().toInstant());
        assertTrue(fromNow.compareTo(Duration.ofDays(30).minusMinutes(1)) > 0 && fromNow.compareTo(Duration.ofDays(30).plusMinutes(1)) < 0);
    }

    @Test
    void serialNumbersAreRandomAndUnique() throws Exception {
        TestDevice device = TestDevice.ec("secp256r1");
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            serials.add(builtIn.issue(device.csr("CN=d" + i), Duration.ofDays(1)).getSerialNumber());
        }
        assertEquals(20, serials.size());
        assertTrue(serials.stream().allMatch(s -> s.bitLength() > 64 && s.bitLength() <= 127));
    }

    @Test
    void capsValidityAtTheConfiguredMaximum(@TempDir Path data) throws Exception {
        DeviceCertificateAuthority ca = new DeviceCertificateAuthority();
        ca.start(TestConfig.identity("certificateValidityDays", 10), Map.of("verger.data", data.toString())::get);
        X509Certificate issued = ca.issue(TestDevice.ec("secp256r1").csr("CN=capped"), Duration.ofDays(400));
        long days = Duration.between(Instant.now(), issued.getNotAfter().toInstant()).toHours() / 24;
        assertTrue(days >= 9 && days <= 10, "capped to 10 days, got " + days);
        assertEquals(Duration.ofDays(10), ca.defaultValidity());
    }

    @Test
    void defaultValidityIsOneYear() {
        assertEquals(Duration.ofDays(365), builtIn.defaultValidity());
    }

    @Test
    void refusesRsa1024() {
        CertificateException e = assertThrows(CertificateException.class,
                () -> builtIn.issue(TestDevice.rsa(1024).csr("CN=weak"), Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("RSA key of 1024 bits"), e.getMessage());
    }

    @Test
    void refusesEcP521() {
        CertificateException e = assertThrows(CertificateException.class,
                () -> builtIn.issue(TestDevice.ec("secp521r1").csr("CN=p521"), Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("P-521") && e.getMessage().contains("P-256 or P-384"), e.getMessage());
    }

    @Test
    void refusesARequestWhoseSelfSignatureDoesNotVerify() throws Exception {
        KeyPair claimed = TestPki.ec("secp256r1");
        KeyPair signing = TestPki.ec("secp256r1");
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=forged"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(TestPki.BC).build(signing.getPrivate())).getEncoded();
        CertificateException e = assertThrows(CertificateException.class, () -> builtIn.issue(csr, Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }

    @Test
    void refusesGarbageAndTruncatedRequests() throws Exception {
        byte[] csr = TestDevice.ec("secp256r1").csr("CN=x");
        for (byte[] bad : List.of(new byte[0], "not a csr".getBytes(), java.util.Arrays.copyOf(csr, csr.length / 2),
                new ASN1Integer(5).getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER))) {
            assertThrows(CertificateException.class, () -> builtIn.issue(bad, Duration.ofDays(1)));
        }
    }

    @Test
    void refusesNonPositiveValidityAndNulls() {
        byte[] csr = TestDevice.ec("secp256r1").csr("CN=x");
        assertThrows(IllegalArgumentException.class, () -> builtIn.issue(csr, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builtIn.issue(csr, Duration.ofDays(-1)));
        assertThrows(NullPointerException.class, () -> builtIn.issue(null, Duration.ofDays(1)));
        assertThrows(NullPointerException.class, () -> builtIn.issue(csr, null));
    }

    @Test
    void usesAnOperatorCaFromPemFiles(@TempDir Path dir) throws Exception {
        TestPki.Ca root = TestPki.root("Operator Root");
        TestPki.Ca issuing = TestPki.intermediate(root, "Operator Device CA");
        Path certificate = TestPki.writePem(dir.resolve("ca.pem"), issuing.certificate(), root.certificate());
        Path key = TestPki.writePem(dir.resolve("ca-key.pem"), issuing.key());
        DeviceCertificateAuthority ca = new DeviceCertificateAuthority();
        ca.start(TestConfig.identity("caCertificate", certificate.toString(), "caKey", key.toString()), name -> null);

        assertEquals(List.of(issuing.certificate(), root.certificate()), ca.certificateChain());
        X509Certificate issued = ca.issue(TestDevice.rsa(2048).csr("CN=device"), Duration.ofDays(5));
        issued.verify(issuing.certificate().getPublicKey());
        assertEquals("SHA256withECDSA", issued.getSigAlgName());
    }

    @Test
    void usesAnOperatorCaFromPkcs12(@TempDir Path dir) throws Exception {
        TestPki.Ca root = TestPki.root("P12 Root");
        TestPki.Ca issuing = TestPki.intermediate(root, "P12 Device CA");
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        keystore.load(null, null);
        keystore.setKeyEntry("ca", issuing.key(), "secret".toCharArray(), new Certificate[] {issuing.certificate(), root.certificate()});
        Path file = dir.resolve("ca.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            keystore.store(out, "secret".toCharArray());
        }
        DeviceCertificateAuthority ca = new DeviceCertificateAuthority();
        ca.start(TestConfig.identity("caKeystore", file.toString(), "_caKeystorePassword", "secret"), name -> null);
        assertEquals(List.of(issuing.certificate(), root.certificate()), ca.certificateChain());
        ca.issue(TestDevice.ec("secp384r1").csr("CN=device"), Duration.ofDays(5)).verify(issuing.certificate().getPublicKey());

        DeviceCertificateAuthority wrongPassword = new DeviceCertificateAuthority();
        Exception e = assertThrows(Exception.class,
                () -> wrongPassword.start(TestConfig.identity("caKeystore", file.toString(), "_caKeystorePassword", "nope"), name -> null));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void refusesAnOperatorKeyThatDoesNotBelongToTheCertificate(@TempDir Path dir) throws Exception {
        TestPki.Ca one = TestPki.root("One");
        TestPki.Ca other = TestPki.root("Other");
        Path certificate = TestPki.writePem(dir.resolve("ca.pem"), one.certificate());
        Path key = TestPki.writePem(dir.resolve("key.pem"), other.key());
        Exception e = assertThrows(Exception.class, () -> new DeviceCertificateAuthority()
                .start(TestConfig.identity("caCertificate", certificate.toString(), "caKey", key.toString()), name -> null));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void refusesAnOperatorCertificateThatIsNotACa(@TempDir Path dir) throws Exception {
        TestPki.Ca root = TestPki.root("Root");
        KeyPair pair = TestPki.ec("secp256r1");
        Path certificate = TestPki.writePem(dir.resolve("leaf.pem"), TestPki.leaf(root, pair.getPublic(), "leaf"));
        Path key = TestPki.writePem(dir.resolve("leaf-key.pem"), pair.getPrivate());
        Exception e = assertThrows(Exception.class, () -> new DeviceCertificateAuthority()
                .start(TestConfig.identity("caCertificate", certificate.toString(), "caKey", key.toString()), name -> null));
        assertTrue(e.getMessage().contains("is not a CA"), e.getMessage());
    }

    @Test
    void refusesHalfAnOperatorCaConfiguration() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> new DeviceCertificateAuthority()
                .start(TestConfig.identity("caCertificate", "/nowhere/ca.pem"), name -> null));
        assertTrue(e.getMessage().contains("caKey"), e.getMessage());
    }
}
