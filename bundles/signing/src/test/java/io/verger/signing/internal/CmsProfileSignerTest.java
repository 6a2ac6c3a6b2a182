package io.verger.signing.internal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CmsProfileSignerTest {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final byte[] PROFILE = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>PayloadType</key>"
            + "<string>Configuration</string></dict></plist>\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static KeyPair caKeys;
    static X509Certificate ca;
    static KeyPair serverKeys;
    static X509Certificate server;
    static Path caPem;
    static Path keystore;

    @BeforeAll
    static void pki() throws Exception {
        caKeys = rsa();
        ca = certificate("CN=Test TLS CA", caKeys.getPublic(), "CN=Test TLS CA", caKeys.getPrivate(), true);
        serverKeys = rsa();
        server = certificate("CN=localhost", serverKeys.getPublic(), "CN=Test TLS CA", caKeys.getPrivate(), false);
        caPem = dir.resolve("tls-ca.pem");
        Files.writeString(caPem, pem(ca));
        keystore = dir.resolve("tls.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("tls", serverKeys.getPrivate(), "secret".toCharArray(), new Certificate[] {server, ca});
        try (FileOutputStream out = new FileOutputStream(keystore.toFile())) {
            ks.store(out, "secret".toCharArray());
        }
    }

    private static CmsProfileSigner tlsSigner() throws Exception {
        CmsProfileSigner signer = new CmsProfileSigner();
        signer.start(TestSigningConfig.of(), Map.of(CmsProfileSigner.TLS_KEYSTORE, keystore.toString(),
                CmsProfileSigner.TLS_KEYSTORE_PASSWORD, "secret", CmsProfileSigner.TLS_KEYSTORE_TYPE, "PKCS12")::get);
        return signer;
    }

    @Test
    void signsWithTheServersTlsIdentityByDefaultAttachedWithTheChain() throws Exception {
        CmsProfileSigner signer = tlsSigner();
        assertEquals(List.of(server, ca), signer.signerCertificateChain());
        CMSSignedData signed = new CMSSignedData(signer.sign(PROFILE));
        assertArrayEquals(PROFILE, (byte[]) signed.getSignedContent().getContent(), "attached content");
        assertEquals(2, signed.getCertificates().getMatches(null).size(), "signer and chain");
        SignerInformation info = signed.getSignerInfos().getSigners().iterator().next();
        assertEquals("2.16.840.1.101.3.4.2.1", info.getDigestAlgOID(), "SHA-256");
        assertTrue(info.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(server)));
    }

    @Test
    void opensslCmsVerifyAcceptsTheSignedProfile() throws Exception {
        Path signed = dir.resolve("profile.mobileconfig");
        Files.write(signed, tlsSigner().sign(PROFILE));
        Path out = dir.resolve("verified.plist");
        String result = OpenSsl.run("cms", "-verify", "-inform", "DER", "-in", signed.toString(), "-CAfile", caPem.toString(),
                "-purpose", "any", "-out", out.toString());
        assertTrue(result.contains("Verification successful"), result);
        assertArrayEquals(PROFILE, Files.readAllBytes(out));
    }

    @Test
    void signsWithAConfiguredPemIdentityAndEcKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = g.generateKeyPair();
        X509Certificate cert = certificate("CN=Profile Signer", ec.getPublic(), "CN=Test TLS CA", caKeys.getPrivate(), false);
        Path certFile = Files.writeString(dir.resolve("signer.pem"), pem(cert) + pem(ca));
        Path keyFile = Files.writeString(dir.resolve("signer.key"), pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(ec.getPrivate(), null)));
        CmsProfileSigner signer = new CmsProfileSigner();
        signer.start(TestSigningConfig.of("certificate", certFile.toString(), "key", keyFile.toString()), k -> null);
        Path signed = Files.write(dir.resolve("ec.mobileconfig"), signer.sign(PROFILE));
        String result = OpenSsl.run("cms", "-verify", "-inform", "DER", "-in", signed.toString(), "-CAfile", caPem.toString(),
                "-purpose", "any", "-out", dir.resolve("ec.plist").toString());
        assertTrue(result.contains("Verification successful"), result);
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRefused() throws Exception {
        Path certFile = Files.writeString(dir.resolve("mismatch.pem"), pem(server));
        Path keyFile = Files.writeString(dir.resolve("mismatch.key"), pem(caKeys.getPrivate()));
        CmsProfileSigner signer = new CmsProfileSigner();
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> signer.start(TestSigningConfig.of("certificate", certFile.toString(), "key", keyFile.toString()), k -> null));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void emptyProfilesAndMissingIdentitiesAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> tlsSigner().sign(new byte[0]));
        assertThrows(NullPointerException.class, () -> tlsSigner().sign(null));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CmsProfileSigner().start(TestSigningConfig.of(), k -> null));
        assertTrue(e.getMessage().contains(SigningConfiguration.PID), e.getMessage());
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean isCa) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.digitalSignature : KeyUsage.digitalSignature));
        return SigningIdentity.x509(b.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(issuerKey)).getEncoded());
    }

    static String pem(Object object) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(object);
        }
        return w.toString();
    }

    /** The openssl command-line tool: required in CI (CI=true), a skipped test elsewhere if it is missing. */
    static final class OpenSsl {
        static String run(String... args) throws Exception {
            String[] command = new String[args.length + 1];
            command[0] = "openssl";
            System.arraycopy(args, 0, command, 1, args.length);
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (java.io.IOException e) {
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new AssertionError("the openssl command-line tool is required in CI: " + e.getMessage(), e);
                }
                Assumptions.abort("openssl is not installed: " + e.getMessage());
                return null;
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl finished");
            assertEquals(0, process.exitValue(), "openssl " + String.join(" ", args) + ": " + output);
            return output;
        }
    }
}
