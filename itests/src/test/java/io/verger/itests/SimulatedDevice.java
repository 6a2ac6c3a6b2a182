package io.verger.itests;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import io.verger.plist.PlistCodec;

/**
 * A device as the MDM protocol sees it: an identity certificate from some CA, check-ins and reports as plists,
 * authenticated by an {@code Mdm-Signature} header or by its TLS client certificate.
 */
final class SimulatedDevice {

    static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final PlistCodec PLIST = PlistCodec.withDefaults();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate authority made by the test (stands for an operator's external device CA). */
    record TestCa(X509Certificate certificate, PrivateKey key) {

        static TestCa create(String name) throws Exception {
            KeyPair kp = rsa();
            X500Name dn = new X500Name("CN=" + name);
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(dn, new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(365))), dn, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate cert = new JcaX509CertificateConverter().setProvider(BC)
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(kp.getPrivate())));
            return new TestCa(cert, kp.getPrivate());
        }

        Path writePem(Path file) throws Exception {
            try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(file))) {
                w.writeObject(certificate);
            }
            return file;
        }

        X509Certificate issue(java.security.PublicKey subjectKey, String cn, Instant notBefore, Instant notAfter) throws Exception {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, new BigInteger(64, RANDOM), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("CN=" + cn), subjectKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            return new JcaX509CertificateConverter().setProvider(BC)
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(key)));
        }
    }

    final String udid;
    final KeyPair keys;
    final X509Certificate certificate;
    private final VergerHttps server;
    private final HttpClient mtlsClient;

    private SimulatedDevice(String udid, KeyPair keys, X509Certificate certificate, VergerHttps server, HttpClient mtlsClient) {
        this.udid = udid;
        this.keys = keys;
        this.certificate = certificate;
        this.server = server;
        this.mtlsClient = mtlsClient;
    }

    static SimulatedDevice create(TestCa ca, String udid, VergerHttps server) throws Exception {
        Instant now = Instant.now();
        return create(ca, udid, server, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
    }

    static SimulatedDevice create(TestCa ca, String udid, VergerHttps server, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair kp = rsa();
        X509Certificate cert = ca.issue(kp.getPublic(), udid, notBefore, notAfter);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", kp.getPrivate(), new char[0], new Certificate[] {cert, ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(server.trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        HttpClient mtls = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        return new SimulatedDevice(udid, kp, cert, server, mtls);
    }

    /** A device that enrolled over the air: its identity is the key and certificate it got from the server's SCEP. */
    static SimulatedDevice withIdentity(String udid, KeyPair keys, X509Certificate certificate, VergerHttps server) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", keys.getPrivate(), new char[0], new Certificate[] {certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(server.trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        HttpClient mtls = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        return new SimulatedDevice(udid, keys, certificate, server, mtls);
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** Detached CMS SignedData over the body, base64, as devices send in {@code Mdm-Signature}. */
    String sign(byte[] body) throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().setProvider(BC).build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(keys.getPrivate()), certificate));
        gen.addCertificates(new JcaCertStore(List.of(certificate)));
        return Base64.getEncoder().encodeToString(gen.generate(new CMSProcessableByteArray(body), false).getEncoded());
    }

    static byte[] plist(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return PLIST.encodeXml(m);
    }

    HttpResponse<byte[]> signed(String path, String contentType, byte[] body) throws Exception {
        return send(server.client, path, contentType, body, sign(body));
    }

    HttpResponse<byte[]> overMtls(String path, String contentType, byte[] body) throws Exception {
        return send(mtlsClient, path, contentType, body, null);
    }

    HttpResponse<byte[]> send(HttpClient client, String path, String contentType, byte[] body, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("Mdm-Signature", signature);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> checkin(boolean mtls, Object... kv) throws Exception {
        byte[] body = plist(kv);
        return mtls ? overMtls("/checkin", "application/x-apple-aspen-mdm-checkin", body)
                : signed("/checkin", "application/x-apple-aspen-mdm-checkin", body);
    }

    HttpResponse<byte[]> report(boolean mtls, Object... kv) throws Exception {
        byte[] body = plist(kv);
        return mtls ? overMtls("/mdm", "application/x-apple-aspen-mdm", body) : signed("/mdm", "application/x-apple-aspen-mdm", body);
    }

    void enroll(boolean mtls) throws Exception {
        expect(200, checkin(mtls, "MessageType", "Authenticate", "UDID", udid, "Topic", "com.apple.mgmt.External.test",
                "SerialNumber", "SN" + udid.hashCode(), "ProductName", "iPhone14,5", "OSVersion", "17.4", "DeviceName", "Sim " + udid));
        expect(200, checkin(mtls, "MessageType", "TokenUpdate", "UDID", udid, "Topic", "com.apple.mgmt.External.test",
                "Token", ("token-" + udid).getBytes(StandardCharsets.UTF_8), "PushMagic", "magic-" + udid));
    }

    /** Idle; returns the command dictionary, or null for an empty answer. */
    Map<String, Object> idle(boolean mtls) throws Exception {
        return command(expect(200, report(mtls, "UDID", udid, "Status", "Idle")));
    }

    Map<String, Object> acknowledge(boolean mtls, String uuid, Object... extra) throws Exception {
        Object[] kv = new Object[6 + extra.length];
        kv[0] = "UDID";
        kv[1] = udid;
        kv[2] = "Status";
        kv[3] = "Acknowledged";
        kv[4] = "CommandUUID";
        kv[5] = uuid;
        System.arraycopy(extra, 0, kv, 6, extra.length);
        return command(expect(200, report(mtls, kv)));
    }

    static Map<String, Object> command(HttpResponse<byte[]> r) {
        return r.body().length == 0 ? null : PLIST.decodeDictionary(r.body());
    }

    static HttpResponse<byte[]> expect(int status, HttpResponse<byte[]> r) {
        if (r.statusCode() != status) {
            throw new AssertionError("expected " + status + " but got " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r;
    }
}
