package io.verger.identity.internal;

import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import javax.security.auth.x500.X500Principal;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/** A device CA, enrollment secrets and the SCEP service behind a JDK HTTP server on 127.0.0.1, for SCEP clients. */
final class ScepFixture implements AutoCloseable {

    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    final DeviceCertificateAuthority ca = new DeviceCertificateAuthority();
    final InMemoryEnrollmentSecretStore store = new InMemoryEnrollmentSecretStore();
    final InMemoryCertAuthStore certAuth = new InMemoryCertAuthStore();
    final EnrollmentSecrets secrets = new EnrollmentSecrets(store, Clock.systemUTC());
    final ScepService scep = new ScepService(() -> ca, () -> secrets, () -> certAuth);
    final HttpServer server;
    final URL url;

    ScepFixture(Path dataDirectory, Object... enrollmentConfig) throws Exception {
        ca.start(TestConfig.identity(), Map.of(DeviceCertificateAuthority.DATA_PROPERTY, dataDirectory.toString())::get);
        secrets.start(TestConfig.enrollment(enrollmentConfig), name -> null);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/scep", exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            ScepService.Response answer = scep.handle(query.get("operation"), query.get("message"),
                    "POST".equals(exchange.getRequestMethod()) ? body : null);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/scep").toURL();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    X509Certificate caCertificate() {
        return ca.certificateChain().get(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** The transient self-signed certificate a SCEP client signs its PKCSReq with. */
    static X509Certificate selfSigned(KeyPair keys, String subject) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name(subject);
        return Pem.toX509(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(keys.getPrivate())).getEncoded());
    }

    static PKCS10CertificationRequest csr(PublicKey publicKey, PrivateKey signingKey, String subject, String challenge) throws Exception {
        JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject), publicKey);
        if (challenge != null) {
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(challenge));
        }
        return builder.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(signingKey));
    }
}
