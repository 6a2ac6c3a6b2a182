package io.verger.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.lang.reflect.Field;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import com.fasterxml.jackson.databind.JsonNode;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.verger.launcher.VergerRuntime;
import io.verger.launcher.VergerSettings;

/**
 * Push end to end: the push certificate uploaded through {@code /v1/pushcert}, the APNs peer (Pushy's
 * MockApnsServer on 127.0.0.1, requiring that certificate) configured by a {@code .cfg} file in deploy/; an enqueue
 * wakes the device with {@code {"mdm": PushMagic}} on its topic; a 410 makes the token invalid; with the push bundle
 * stopped {@code /v1/push} answers 503 and enqueue still works, and started again pushing resumes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushIT {

    private static final String API_KEY = "push-it-admin-key-0123456789";

    @TempDir
    static Path tmp;

    private VergerRuntime runtime;
    private VergerHttps https;
    private SimulatedDevice.TestCa deviceCa;
    private NioEventLoopGroup group;
    private MockApnsServer apns;
    private final List<String[]> received = new CopyOnWriteArrayList<>();
    private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
    private String topic;

    @BeforeAll
    void boot() throws Exception {
        System.setProperty("logback.configurationFile", TestDirs.distribution().resolve("conf/logback.xml").toString());
        Path home = TestDirs.copyOfDistribution(tmp.resolve("verger"));
        System.setProperty("verger.logs", home.resolve("logs").toString());

        // an "Apple" with its own CA: the APNs server certificate and the MDM push certificate
        SimulatedDevice.TestCa apple = SimulatedDevice.TestCa.create("Test Apple CA");
        KeyPair serverKeys = SimulatedDevice.rsa();
        X509Certificate serverCert = issue(apple, serverKeys, new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "localhost").build(), true);
        KeyPair pushKeys = SimulatedDevice.rsa();
        topic = "com.apple.mgmt.External." + UUID.randomUUID();
        X509Certificate pushCert = issue(apple, pushKeys,
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.UID, topic).addRDN(BCStyle.CN, "APSP:test push").build(), false);

        Path appleCaPem = apple.writePem(tmp.resolve("apple-ca.pem"));
        group = new NioEventLoopGroup(2);
        apns = new MockApnsServerBuilder().setServerCredentials(new X509Certificate[] {serverCert}, serverKeys.getPrivate(), null)
                .setTrustedClientCertificateChain(appleCaPem.toFile()).setEventLoopGroup(group)
                .setHandlerFactory(session -> (headers, payload) -> {
                    String path = headers.path().toString();
                    received.add(new String[] {path, String.valueOf(headers.get("apns-topic")), String.valueOf(headers.get("apns-push-type")),
                            String.valueOf(headers.get("apns-priority")), payload.toString(StandardCharsets.UTF_8)});
                    if (unregistered.contains(path.substring(path.lastIndexOf('/') + 1))) {
                        throw new UnregisteredDeviceTokenException(Instant.now());
                    }
                }).build();
        int apnsPort = bindLoopback(apns);

        deviceCa = SimulatedDevice.TestCa.create("Operator Device CA");
        Path deviceCaPem = deviceCa.writePem(tmp.resolve("device-ca.pem"));
        Files.writeString(home.resolve("deploy/io.verger.push.apns.cfg"),
                "host = 127.0.0.1\nport = " + apnsPort + "\ntrustedServerCa = " + appleCaPem + "\nretryInitialMillis = 50\n");

        int port = TestDirs.freePort();
        Map<String, String> env = new HashMap<>();
        env.put(VergerSettings.HTTPS_PORT, Integer.toString(port));
        env.put(VergerSettings.BIND, "127.0.0.1");
        env.put(VergerSettings.API_KEY, API_KEY);
        env.put(VergerSettings.TRUSTED_CAS, deviceCaPem.toString());
        runtime = VergerRuntime.start(VergerSettings.load(home, env));
        https = new VergerHttps(home.resolve("data/tls/ca.crt"), port);
        assertTrue(https.awaitUp(Duration.ofSeconds(60)) >= 0);
        awaitApi();

        // upload the push certificate NanoMDM-style: PEM certificate and key in one body
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(pushCert);
            w.writeObject(pushKeys.getPrivate());
        }
        HttpResponse<String> up = admin("PUT", "/v1/pushcert", pem.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, up.statusCode(), up.body());
        assertEquals(topic, VergerHttps.JSON.readTree(up.body()).get("topic").asText());
    }

    private void awaitApi() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode h = https.json("/health");
            if (h.get("components").get("unsatisfied").asInt() == 0
                    && https.get("/api/v1/devices", "Authorization", "Bearer " + API_KEY).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not ready");
    }

    @AfterAll
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        if (apns != null) {
            apns.shutdown().get(10, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private static X509Certificate issue(SimulatedDevice.TestCa ca, KeyPair keys, org.bouncycastle.asn1.x500.X500Name subject, boolean server)
            throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
        if (server) {
            b.addExtension(Extension.subjectAlternativeName, false, new DERSequence(new ASN1Encodable[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().setProvider(SimulatedDevice.BC)
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(SimulatedDevice.BC).build(ca.key())));
    }

    /** MockApnsServer.start(port) binds every interface; tests listen on loopback only. */
    private static int bindLoopback(MockApnsServer server) throws Exception {
        Class<?> base = server.getClass().getSuperclass();
        Field bootstrapField = base.getDeclaredField("bootstrap");
        Field channelsField = base.getDeclaredField("allChannels");
        bootstrapField.setAccessible(true);
        channelsField.setAccessible(true);
        Channel channel = ((ServerBootstrap) bootstrapField.get(server)).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sync().channel();
        ((ChannelGroup) channelsField.get(server)).add(channel);
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private HttpResponse<String> admin(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(https.base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + API_KEY);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return https.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private SimulatedDevice enrolled(String udid) throws Exception {
        SimulatedDevice d = SimulatedDevice.create(deviceCa, udid, https);
        SimulatedDevice.expect(200, d.checkin(false, "MessageType", "Authenticate", "UDID", udid, "Topic", topic));
        SimulatedDevice.expect(200, d.checkin(false, "MessageType", "TokenUpdate", "UDID", udid, "Topic", topic,
                "Token", token(udid), "PushMagic", "magic-" + udid));
        return d;
    }

    private static byte[] token(String udid) {
        byte[] t = new byte[32];
        byte[] u = udid.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(u, 0, t, 0, Math.min(u.length, 32));
        return t;
    }

    private String[] awaitPushTo(String udid) throws InterruptedException {
        String path = "/3/device/" + HexFormat.of().formatHex(token(udid));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (String[] r : received) {
                if (r[0].equals(path)) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no push reached APNs for " + udid);
    }

    @Test
    void enqueueWakesTheDeviceThroughApnsWithItsPushMagicOnItsTopic() throws Exception {
        SimulatedDevice d = enrolled("PUSH-0001");
        byte[] cmd = SimulatedDevice.plist("CommandUUID", "PUSH-CMD-1", "Command", Map.of("RequestType", "DeviceInformation"));
        HttpResponse<String> r = admin("PUT", "/v1/enqueue/PUSH-0001", cmd);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = VergerHttps.JSON.readTree(r.body());
        assertTrue(body.path("status").path("PUSH-0001").has("push_result"), r.body());
        String[] push = awaitPushTo("PUSH-0001");
        assertEquals(topic, push[1], "apns-topic is the push certificate's topic");
        assertEquals("mdm", push[2], "apns-push-type");
        assertEquals("10", push[3], "apns-priority");
        assertEquals("{\"mdm\":\"magic-PUSH-0001\"}", push[4]);
        assertEquals("PUSH-CMD-1", d.idle(false).get("CommandUUID"), "the woken device fetches its command");
    }

    @Test
    void unregisteredTokenIsNotPushedAgainUntilTheNextTokenUpdate() throws Exception {
        SimulatedDevice d = enrolled("PUSH-0410");
        unregistered.add(HexFormat.of().formatHex(token("PUSH-0410")));
        HttpResponse<String> first = admin("GET", "/v1/push/PUSH-0410", null);
        assertTrue(first.body().contains("UNREGISTERED"), first.body());
        HttpResponse<String> second = admin("GET", "/v1/push/PUSH-0410", null);
        assertTrue(second.body().contains("no push token"), "the invalid token is not pushed again: " + second.body());
        unregistered.clear();
        SimulatedDevice.expect(200, d.checkin(false, "MessageType", "TokenUpdate", "UDID", "PUSH-0410", "Topic", topic,
                "Token", token("PUSH-0410"), "PushMagic", "magic-2"));
        HttpResponse<String> third = admin("GET", "/v1/push/PUSH-0410", null);
        assertEquals(200, third.statusCode(), third.body());
        assertTrue(third.body().contains("push_result"), third.body());
    }

    @Test
    void withThePushBundleStoppedPushAnswers503AndEnqueueStillWorksThenPushingResumes() throws Exception {
        SimulatedDevice d = enrolled("PUSH-SWAP");
        Bundle pushBundle = null;
        for (Bundle b : runtime.framework().getBundleContext().getBundles()) {
            if ("io.verger.push.apns".equals(b.getSymbolicName())) {
                pushBundle = b;
            }
        }
        assertTrue(pushBundle != null, "push bundle installed");
        pushBundle.stop();
        try {
            HttpResponse<String> push = admin("GET", "/v1/push/PUSH-SWAP", null);
            assertEquals(503, push.statusCode(), push.body());
            assertTrue(push.body().contains("push"), push.body());
            byte[] cmd = SimulatedDevice.plist("CommandUUID", "SWAP-CMD-1", "Command", Map.of("RequestType", "SecurityInfo"));
            HttpResponse<String> enq = admin("PUT", "/v1/enqueue/PUSH-SWAP", cmd);
            assertEquals(200, enq.statusCode(), enq.body());
            assertTrue(enq.body().contains("no push module"), enq.body());
            assertEquals(503, admin("POST", "/api/v1/push", "{\"ids\":[\"PUSH-SWAP\"]}".getBytes()).statusCode());
        } finally {
            pushBundle.start();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> again;
        do {
            again = admin("GET", "/v1/push/PUSH-SWAP", null);
            Thread.sleep(50);
        } while (again.statusCode() == 503 && System.nanoTime() < deadline);
        assertEquals(200, again.statusCode(), again.body());
        awaitPushTo("PUSH-SWAP");
        assertEquals("SWAP-CMD-1", d.idle(false).get("CommandUUID"));
        HttpResponse<String> bulk = admin("POST", "/api/v1/push", "{\"filter\":{\"platform\":null}}".getBytes());
        assertEquals(200, bulk.statusCode(), bulk.body());
        assertTrue(VergerHttps.JSON.readTree(bulk.body()).get("delivered").asInt() >= 1, bulk.body());
    }

    @Test
    void pushCertificateIsShownWithItsExpiry() throws Exception {
        HttpResponse<String> r = admin("GET", "/api/v1/pushcert", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = VergerHttps.JSON.readTree(r.body());
        assertEquals(topic, j.get("topic").asText());
        assertTrue(Instant.parse(j.get("not_after").asText()).isAfter(Instant.now().plus(Duration.ofDays(300))));
    }
}
