package io.verger.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {

    @TempDir
    Path home;

    private static X509Certificate serverCert(TlsMaterial m) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(m.keystore())) {
            ks.load(in, m.password().toCharArray());
        }
        return (X509Certificate) ks.getCertificate("server");
    }

    @Test
    void firstStartGeneratesCaAndServerCertificateForPublicHostAndLocalhost() throws Exception {
        VergerSettings s = VergerSettings.load(home, Map.of("VERGER_PUBLIC_URL", "https://mdm.example.com"));
        TlsMaterial m = TlsMaterial.prepare(s, home.resolve("data/tls"));
        assertTrue(m.selfIssued());
        X509Certificate server = serverCert(m);
        X509Certificate ca = TlsMaterial.readCertificates(m.caCertificate()).get(0);
        server.verify(ca.getPublicKey());
        assertTrue(TlsMaterial.covers(server, Set.of("mdm.example.com", "localhost", "127.0.0.1", "::1")));
        assertTrue(server.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth EKU");
        assertEquals(-1, server.getBasicConstraints(), "server certificate is not a CA");
        assertTrue(ca.getBasicConstraints() >= 0);
        assertFalse(TlsMaterial.covers(server, Set.of("other.example.com")));
        if (Files.getFileStore(home).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.resolve("data/tls/ca.key"))));
        }
    }

    @Test
    void secondStartReusesTheSameCaAndKeys() throws Exception {
        VergerSettings s = VergerSettings.load(home, Map.of());
        TlsMaterial first = TlsMaterial.prepare(s, home.resolve("data/tls"));
        byte[] caBefore = Files.readAllBytes(first.caCertificate());
        X509Certificate serverBefore = serverCert(first);
        TlsMaterial second = TlsMaterial.prepare(s, home.resolve("data/tls"));
        assertArrayEquals(caBefore, Files.readAllBytes(second.caCertificate()));
        assertEquals(serverBefore, serverCert(second));
        assertEquals(first.password(), second.password());
    }

    @Test
    void newPublicHostReissuesServerCertificateUnderTheSameCa() throws Exception {
        TlsMaterial first = TlsMaterial.prepare(VergerSettings.load(home, Map.of()), home.resolve("data/tls"));
        byte[] caBefore = Files.readAllBytes(first.caCertificate());
        X509Certificate serverBefore = serverCert(first);
        TlsMaterial second = TlsMaterial.prepare(VergerSettings.load(home, Map.of("VERGER_PUBLIC_URL", "https://mdm.acme.test:9443")),
                home.resolve("data/tls"));
        assertArrayEquals(caBefore, Files.readAllBytes(second.caCertificate()), "the CA devices trust must not change");
        X509Certificate serverAfter = serverCert(second);
        assertNotEquals(serverBefore, serverAfter);
        assertTrue(TlsMaterial.covers(serverAfter, Set.of("mdm.acme.test", "localhost")));
    }

    @Test
    void operatorPemIdentityIsUsedInsteadOfGeneratedOne() throws Exception {
        // make a PEM pair with a throw-away generated identity, then hand it in as the operator's
        Path other = home.resolve("other");
        TlsMaterial gen = TlsMaterial.prepare(VergerSettings.load(other, Map.of()), other.resolve("tls"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(gen.keystore())) {
            ks.load(in, gen.password().toCharArray());
        }
        Path cert = home.resolve("op.crt");
        Path key = home.resolve("op.key");
        Files.writeString(cert, TlsMaterial.pem(ks.getCertificate("server")) + TlsMaterial.pem(ks.getCertificateChain("server")[1]));
        Files.writeString(key, TlsMaterial.pem(ks.getKey("server", gen.password().toCharArray())));
        TlsMaterial op = TlsMaterial.prepare(VergerSettings.load(home, Map.of("VERGER_TLS_CERT", cert.toString(), "VERGER_TLS_KEY", key.toString())),
                home.resolve("data/tls"));
        assertFalse(op.selfIssued());
        assertEquals(ks.getCertificate("server"), serverCert(op));
        assertFalse(Files.exists(home.resolve("data/tls/ca.key")), "no CA is generated when the operator brings a certificate");
    }

    @Test
    void operatorKeystoreWithWrongPasswordGivesClearError() throws Exception {
        Path other = home.resolve("other");
        TlsMaterial gen = TlsMaterial.prepare(VergerSettings.load(other, Map.of()), other.resolve("tls"));
        Exception e = assertThrows(Exception.class, () -> TlsMaterial.prepare(VergerSettings.load(home,
                Map.of("VERGER_TLS_KEYSTORE", gen.keystore().toString(), "VERGER_TLS_KEYSTORE_PASSWORD", "wrong")), home.resolve("data/tls")));
        assertTrue(e.getMessage().contains("VERGER_TLS_KEYSTORE_PASSWORD"), e.getMessage());
        TlsMaterial ok = TlsMaterial.prepare(VergerSettings.load(home,
                Map.of("VERGER_TLS_KEYSTORE", gen.keystore().toString(), "VERGER_TLS_KEYSTORE_PASSWORD", gen.password())), home.resolve("data/tls"));
        assertEquals(gen.keystore(), ok.keystore());
    }

    @Test
    void missingKeystoreFileIsNamed() throws Exception {
        Exception e = assertThrows(Exception.class, () -> TlsMaterial.prepare(VergerSettings.load(home,
                Map.of("VERGER_TLS_KEYSTORE", "/nonexistent/x.p12")), home.resolve("data/tls")));
        assertTrue(e.getMessage().contains("/nonexistent/x.p12"), e.getMessage());
        try (OutputStream out = Files.newOutputStream(home.resolve("junk.p12"))) {
            out.write(new byte[] {1, 2, 3});
        }
        assertThrows(Exception.class, () -> TlsMaterial.prepare(VergerSettings.load(home,
                Map.of("VERGER_TLS_KEYSTORE", home.resolve("junk.p12").toString())), home.resolve("data/tls")));
    }
}
