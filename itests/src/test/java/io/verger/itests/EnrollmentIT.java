package io.verger.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jscep.client.Client;
import org.jscep.client.EnrollmentResponse;
import org.jscep.client.verification.OptimisticCertificateVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.launcher.VergerRuntime;
import io.verger.launcher.VergerSettings;
import io.verger.plist.PlistCodec;

/**
 * Over-the-air enrollment end to end against the booted distribution: an admin uploads the push certificate and
 * creates an enrollment token; the device fetches the signed profile (checked by {@code openssl cms -verify}), gets its
 * identity from the server's SCEP with jscep's client, checks in signed with it and runs a command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnrollmentIT {

    private static final String API_KEY = "enrollment-it-admin-key-0123456789";
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final PlistCodec PLIST = PlistCodec.withDefaults();

    @TempDir
    static Path tmp;

    private VergerRuntime runtime;
    private VergerHttps https;
    private Path tlsCa;

    @BeforeAll
    void boot() throws Exception {
        System.setProperty("logback.configurationFile", TestDirs.distribution().resolve("conf/logback.xml").toString());
        Path home = TestDirs.copyOfDistribution(tmp.resolve("verger"));
        System.setProperty("verger.logs", home.resolve("logs").toString());
        int port = TestDirs.freePort();
        Map<String, String> env = new HashMap<>();
        env.put(VergerSettings.HTTPS_PORT, Integer.toString(port));
        env.put(VergerSettings.BIND, "127.0.0.1");
        env.put(VergerSettings.API_KEY, API_KEY);
        runtime = VergerRuntime.start(VergerSettings.load(home, env));
        tlsCa = home.resolve("data/tls/ca.crt");
        https = new VergerHttps(tlsCa, port);
        assertTrue(https.awaitUp(Duration.ofSeconds(60)) >= 0, "server up");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (admin("POST", "/api/v1/enrollment-tokens", null).statusCode() != 201) {
            assertTrue(System.nanoTime() < deadline, "enrollment tokens available");
            Thread.sleep(100);
        }
        // jscep's transport is HttpURLConnection: trust the server's TLS CA there too
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(https.trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpsURLConnection.setDefaultSSLSocketFactory(ssl.getSocketFactory());
    }

    @AfterAll
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private HttpResponse<String> admin(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(https.base + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + API_KEY);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return https.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode newToken() throws Exception {
        HttpResponse<String> r = admin("POST", "/api/v1/enrollment-tokens", null);
        assertEquals(201, r.statusCode(), r.body());
        return VergerHttps.JSON.readTree(r.body());
    }

    private HttpResponse<byte[]> enroll(String url) throws Exception {
        return https.client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    @Order(1)
    void withoutAPushCertificateEnrollAnswers503AndTheTokenSurvives() throws Exception {
        JsonNode token = newToken();
        assertTrue(token.get("url").asText().startsWith(https.base + "/enroll?token="), token.toString());
        HttpResponse<byte[]> r = enroll(token.get("url").asText());
        assertEquals(503, r.statusCode());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("push certificate"));
        assertEquals(401, https.client.send(HttpRequest.newBuilder(URI.create(https.base + "/api/v1/enrollment-tokens"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "API key required");
        uploadPushCertificate();
        assertEquals(200, enroll(token.get("url").asText()).statusCode(), "the token was not used by the 503");
    }

    private void uploadPushCertificate() throws Exception {
        KeyPair keys = SimulatedDevice.rsa();
        String topic = "com.apple.mgmt.External." + UUID.randomUUID();
        Instant now = Instant.now();
        X500Name subject = new X500Name("UID=" + topic + ",CN=APSP:test push certificate");
        X509Certificate cert = new JcaX509CertificateConverter().setProvider(BC).getCertificate(new JcaX509v3CertificateBuilder(subject,
                BigInteger.ONE, Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(keys.getPrivate())));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(cert);
            w.writeObject(keys.getPrivate());
        }
        HttpResponse<String> r = admin("PUT", "/v1/pushcert", pem.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, r.statusCode(), r.body());
    }

    /** The enrolled device and the profile it installed. */
    private record Enrolled(SimulatedDevice device, Map<String, Object> mdm) {
    }

    /** What a device does with an enrollment URL: fetch the profile, SCEP-enroll, Authenticate and TokenUpdate. */
    private Enrolled enrollDevice(String url, String udid, KeyPair keys, boolean checkWithOpenssl) throws Exception {
        HttpResponse<byte[]> r = enroll(url);
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/x-apple-aspen-config", r.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));
        if (checkWithOpenssl) {
            opensslVerifies(r.body());
        }
        Map<String, Object> profile = PLIST.decodeDictionary((byte[]) new CMSSignedData(r.body()).getSignedContent().getContent());
        List<?> payloads = (List<?>) profile.get("PayloadContent");
        Map<?, ?> scep = payloads.stream().map(p -> (Map<?, ?>) p).filter(p -> "com.apple.security.scep".equals(p.get("PayloadType")))
                .findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> mdm = (Map<String, Object>) payloads.stream().map(p -> (Map<?, ?>) p)
                .filter(p -> "com.apple.mdm".equals(p.get("PayloadType"))).findFirst().orElseThrow();
        Map<?, ?> scepContent = (Map<?, ?>) scep.get("PayloadContent");

        String subject = "CN=Verger device identity " + udid;
        Instant now = Instant.now();
        X500Name name = new X500Name(subject);
        X509Certificate self = new JcaX509CertificateConverter().setProvider(BC).getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.TEN, Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(keys.getPrivate())));
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString((String) scepContent.get("Challenge")))
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(keys.getPrivate()));
        Client client = new Client(new URL((String) scepContent.get("URL")), new OptimisticCertificateVerifier());
        EnrollmentResponse response = client.enrol(self, keys.getPrivate(), csr);
        assertTrue(response.isSuccess(), () -> "SCEP " + (response.isFailure() ? response.getFailInfo() : "pending"));
        X509Certificate identity = null;
        for (Certificate c : response.getCertStore().getCertificates(null)) {
            if (((X509Certificate) c).getPublicKey().equals(keys.getPublic())) {
                identity = (X509Certificate) c;
            }
        }
        SimulatedDevice device = SimulatedDevice.withIdentity(udid, keys, identity, https);
        device.enroll(false);
        return new Enrolled(device, mdm);
    }

    private void opensslVerifies(byte[] signedProfile) throws Exception {
        Path file = Files.write(tmp.resolve("enroll-" + UUID.randomUUID() + ".mobileconfig"), signedProfile);
        Process p;
        try {
            p = new ProcessBuilder("openssl", "cms", "-verify", "-inform", "DER", "-in", file.toString(), "-CAfile", tlsCa.toString(),
                    "-purpose", "any", "-out", file + ".plist").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("openssl is required in CI", e);
            }
            org.junit.jupiter.api.Assumptions.abort("openssl is not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("Verification successful"), out);
    }

    @Test
    @Order(2)
    void aDeviceEnrollsWithATokenAndRunsACommand() throws Exception {
        JsonNode token = newToken();
        Enrolled enrolled = enrollDevice(token.get("url").asText(), "OTA-0001", SimulatedDevice.rsa(), true);
        assertEquals(https.base + "/mdm", enrolled.mdm().get("ServerURL"));
        assertEquals(https.base + "/checkin", enrolled.mdm().get("CheckInURL"));
        assertEquals(Boolean.TRUE, enrolled.mdm().get("SignMessage"));
        assertTrue(((String) enrolled.mdm().get("Topic")).startsWith("com.apple.mgmt.External."));

        JsonNode dev = https.json("/api/v1/devices/OTA-0001", "Authorization", "Bearer " + API_KEY);
        assertTrue(dev.get("enabled").asBoolean(), dev.toString());

        byte[] cmd = SimulatedDevice.plist("CommandUUID", "CMD-OTA-1", "Command", Map.of("RequestType", "DeviceInformation"));
        assertEquals(200, admin("PUT", "/v1/enqueue/OTA-0001?nopush=1", cmd).statusCode());
        Map<String, Object> command = enrolled.device().idle(false);
        assertEquals("CMD-OTA-1", command.get("CommandUUID"));
        assertNull(enrolled.device().acknowledge(false, "CMD-OTA-1", "QueryResponses", Map.of("DeviceName", "OTA")));
        JsonNode history = https.json("/api/v1/devices/OTA-0001/commands", "Authorization", "Bearer " + API_KEY).get("history");
        assertEquals("ACKNOWLEDGED", history.get(0).get("state").asText());

        assertEquals(403, enroll(token.get("url").asText()).statusCode(), "a used token");
        assertEquals(403, enroll(https.base + "/enroll?token=made-up").statusCode());
        assertEquals(403, enroll(https.base + "/enroll").statusCode());
    }

    /**
     * Server CPU per enrollment (profile + SCEP + Authenticate + TokenUpdate): process CPU time over N enrollments
     * minus the CPU of this (client) thread, which does the device's side (jscep's CMS, signing). Device keys are made
     * beforehand. The JDK HTTP client's own TLS work runs on its threads and is counted, so this is an upper bound.
     * {@code -Dverger.enroll.n=50} for more.
     */
    @Test
    @Order(3)
    void serverCpuTimePerEnrollmentIsMeasured() throws Exception {
        int n = Integer.getInteger("verger.enroll.n", 10);
        KeyPair[] keys = new KeyPair[n];
        String[] urls = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = SimulatedDevice.rsa();
            urls[i] = newToken().get("url").asText();
        }
        enrollDevice(newToken().get("url").asText(), "WARMUP-0", SimulatedDevice.rsa(), false);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long process0 = os.getProcessCpuTime();
        long client0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            enrollDevice(urls[i], "CPU-" + i, keys[i], false);
        }
        long wall = System.nanoTime() - wall0;
        long process = os.getProcessCpuTime() - process0;
        long client = threads.getCurrentThreadCpuTime() - client0;
        double perEnrollment = (process - client) / 1e6 / n;
        System.out.printf("ENROLLMENT-CPU n=%d server CPU per enrollment %.1f ms (process %.1f ms, client thread %.1f ms per enrollment), wall %.1f ms each%n",
                n, perEnrollment, process / 1e6 / n, client / 1e6 / n, wall / 1e6 / n);
        assertTrue(perEnrollment > 0);
    }
}
