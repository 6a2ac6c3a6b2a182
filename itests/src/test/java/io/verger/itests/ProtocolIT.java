package io.verger.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.launcher.VergerRuntime;

/**
 * The protocol end to end over real HTTPS against the booted distribution: simulated devices with certificates
 * from an operator's CA (trusted through VERGER_TRUSTED_CAS) enroll, an admin enqueues through NanoMDM's
 * {@code /v1/enqueue}, the device fetches and acknowledges, the result shows in {@code /api/v1}; the same with TLS
 * client-certificate authentication; and every kind of bad input is refused with its 4xx, storing nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolIT {

    private static final String API_KEY = "protocol-it-admin-key-0123456789";

    @TempDir
    static Path tmp;

    private InProcessVerger server;
    private VergerRuntime runtime;
    private VergerHttps https;
    private SimulatedDevice.TestCa ca;

    @BeforeAll
    void boot() throws Exception {
        server = InProcessVerger.boot(tmp, API_KEY, "Operator Device CA");
        runtime = server.runtime;
        https = server.https;
        ca = server.deviceCa;
        awaitHealthy();
    }

    private void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode h = null;
        while (System.nanoTime() < deadline) {
            h = https.json("/health");
            if ("UP".equals(h.get("status").asText()) && h.get("components").get("unsatisfied").asInt() == 0
                    && https.get("/api/v1/devices", "Authorization", "Bearer " + API_KEY).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not healthy: " + h);
    }

    @AfterAll
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private HttpResponse<String> admin(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(https.base + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + API_KEY);
        if (body != null) {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return https.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode enqueue(String ids, String uuid, String requestType) throws Exception {
        byte[] cmd = SimulatedDevice.plist("CommandUUID", uuid, "Command", Map.of("RequestType", requestType));
        HttpResponse<String> r = admin("PUT", "/v1/enqueue/" + ids + "?nopush=1", "application/xml", cmd);
        assertEquals(200, r.statusCode(), r.body());
        return VergerHttps.JSON.readTree(r.body());
    }

    private long deviceCount() throws Exception {
        return https.json("/api/v1/devices", "Authorization", "Bearer " + API_KEY).get("total").asLong();
    }

    @Test
    void signedDeviceEnrollsFetchesACommandAndItsResultShowsInTheApi() throws Exception {
        SimulatedDevice d = SimulatedDevice.create(ca, "SIGNED-0001", https);
        d.enroll(false);
        JsonNode dev = https.json("/api/v1/devices/SIGNED-0001", "Authorization", "Bearer " + API_KEY);
        assertTrue(dev.get("enabled").asBoolean());
        assertEquals("17.4", dev.get("facts").get("osVersion").asText());

        JsonNode enq = enqueue("SIGNED-0001", "CMD-SIGNED-1", "DeviceInformation");
        assertEquals("CMD-SIGNED-1", enq.get("command_uuid").asText());
        assertEquals("DeviceInformation", enq.get("request_type").asText());
        assertTrue(enq.get("no_push").asBoolean());

        Map<String, Object> cmd = d.idle(false);
        assertNotNull(cmd, "Idle gets the queued command");
        assertEquals("CMD-SIGNED-1", cmd.get("CommandUUID"));
        assertEquals("DeviceInformation", ((Map<?, ?>) cmd.get("Command")).get("RequestType"));
        assertNull(d.acknowledge(false, "CMD-SIGNED-1", "QueryResponses", Map.of("DeviceName", "Sim", "OSVersion", "17.4")),
                "empty 200 once the queue is empty");

        JsonNode commands = https.json("/api/v1/devices/SIGNED-0001/commands", "Authorization", "Bearer " + API_KEY);
        JsonNode first = commands.get("history").get(0);
        assertEquals("CMD-SIGNED-1", first.get("commandUuid").asText());
        assertEquals("ACKNOWLEDGED", first.get("state").asText());
        assertEquals("Acknowledged", first.get("result").get("status").asText());
        assertEquals("Sim", first.get("result").get("response").get("QueryResponses").get("DeviceName").asText());
        assertEquals(0, commands.get("pending").size());
    }

    @Test
    void mutualTlsDeviceEnrollsAndRunsACommand() throws Exception {
        SimulatedDevice d = SimulatedDevice.create(ca, "MTLS-0001", https);
        d.enroll(true);
        enqueue("MTLS-0001", "CMD-MTLS-1", "SecurityInfo");
        Map<String, Object> cmd = d.idle(true);
        assertEquals("CMD-MTLS-1", cmd.get("CommandUUID"));
        assertNull(d.acknowledge(true, "CMD-MTLS-1"));
        JsonNode history = https.json("/api/v1/devices/MTLS-0001/commands", "Authorization", "Bearer " + API_KEY).get("history");
        assertEquals("ACKNOWLEDGED", history.get(0).get("state").asText());
    }

    @Test
    void aSecondDeviceCanNeitherFetchNorAnswerTheFirstDevicesCommands() throws Exception {
        SimulatedDevice victim = SimulatedDevice.create(ca, "VICTIM-0001", https);
        SimulatedDevice other = SimulatedDevice.create(ca, "OTHER-0001", https);
        victim.enroll(false);
        other.enroll(false);
        enqueue("VICTIM-0001", "CMD-VICTIM-1", "EraseDevice");

        // the other device claims the victim's UDID: refused (403), whether signed or over mTLS
        assertEquals(403, other.report(false, "UDID", "VICTIM-0001", "Status", "Idle").statusCode());
        assertEquals(403, other.report(true, "UDID", "VICTIM-0001", "Status", "Acknowledged", "CommandUUID", "CMD-VICTIM-1").statusCode());
        assertEquals(403, other.checkin(false, "MessageType", "TokenUpdate", "UDID", "VICTIM-0001", "Topic", "t",
                "Token", new byte[] {1}, "PushMagic", "evil").statusCode());
        // under its own UDID it sees nothing of the victim's queue, and its answer does not touch it
        assertNull(other.idle(false));
        assertNull(other.acknowledge(false, "CMD-VICTIM-1"));

        Map<String, Object> cmd = victim.idle(false);
        assertEquals("CMD-VICTIM-1", cmd.get("CommandUUID"), "the victim still gets its command");
        victim.acknowledge(false, "CMD-VICTIM-1");
    }

    @Test
    void badInputIsRefusedWithTheRightStatusAndStoresNothing() throws Exception {
        SimulatedDevice d = SimulatedDevice.create(ca, "BAD-0001", https);
        long before = deviceCount();
        byte[] auth = SimulatedDevice.plist("MessageType", "Authenticate", "UDID", "BAD-0001", "Topic", "t");
        String ct = "application/x-apple-aspen-mdm-checkin";

        // no signature, no client certificate
        assertEquals(401, d.send(https.client, "/checkin", ct, auth, null).statusCode());
        // a signature over another body
        String otherSig = d.sign(SimulatedDevice.plist("MessageType", "Authenticate", "UDID", "SOMEONE-ELSE"));
        assertEquals(401, d.send(https.client, "/checkin", ct, auth, otherSig).statusCode());
        // garbage signature
        assertEquals(401, d.send(https.client, "/checkin", ct, auth, "bm90IGEgc2lnbmF0dXJl").statusCode());
        // a certificate from an unknown CA
        SimulatedDevice.TestCa rogue = SimulatedDevice.TestCa.create("Rogue CA");
        SimulatedDevice stranger = SimulatedDevice.create(rogue, "BAD-0001", https);
        assertEquals(401, stranger.checkin(false, "MessageType", "Authenticate", "UDID", "BAD-0001").statusCode());
        // an expired certificate
        SimulatedDevice expired = SimulatedDevice.create(ca, "BAD-0001", https, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)));
        assertEquals(401, expired.checkin(false, "MessageType", "Authenticate", "UDID", "BAD-0001").statusCode());
        // malformed and hostile plists
        assertEquals(400, d.signed("/checkin", ct, "this is not a plist".getBytes(StandardCharsets.UTF_8)).statusCode());
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "TOP-SECRET");
        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY x SYSTEM \"file://" + secret + "\">]>"
                + "<plist version=\"1.0\"><dict><key>MessageType</key><string>Authenticate</string>"
                + "<key>UDID</key><string>&x;</string></dict></plist>").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> xxeAnswer = d.signed("/checkin", ct, xxe);
        assertEquals(400, xxeAnswer.statusCode());
        assertTrue(!new String(xxeAnswer.body(), StandardCharsets.UTF_8).contains("TOP-SECRET"));
        // unknown MessageType, missing UDID
        assertEquals(400, d.checkin(false, "MessageType", "PleaseEnrollMe", "UDID", "BAD-0001").statusCode());
        assertEquals(400, d.checkin(false, "MessageType", "Authenticate", "Topic", "t").statusCode());
        // an oversized body (limit 16 MiB by default)
        byte[] huge = new byte[17 * 1024 * 1024];
        assertEquals(413, d.send(https.client, "/checkin", ct, huge, null).statusCode());
        // a bad API key on the admin side
        HttpResponse<String> badKey = https.client.send(HttpRequest.newBuilder(URI.create(https.base + "/v1/enqueue/BAD-0001"))
                .header("Authorization", "Bearer not-the-key-not-the-key").PUT(HttpRequest.BodyPublishers.ofByteArray(auth)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, badKey.statusCode());
        HttpResponse<String> basicOk = https.client.send(HttpRequest.newBuilder(URI.create(https.base + "/api/v1/devices"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("nanomdm:" + API_KEY).getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, basicOk.statusCode(), "NanoMDM tools send HTTP Basic with the key as password");

        assertEquals(before, deviceCount(), "nothing was stored by any refused request");
        assertEquals(404, https.get("/api/v1/devices/BAD-0001", "Authorization", "Bearer " + API_KEY).statusCode());
    }

    @Test
    void aClientThatWritesItsWholeOversizedBodyBeforeReadingStillGetsThe413() throws Exception {
        // as Python's http.client and many scripts do: no Expect: 100-continue, the whole body first, then the answer;
        // a server that closes as soon as it has answered makes the client's kernel see a reset instead of the 413
        int size = 17 * 1024 * 1024;
        try (javax.net.ssl.SSLSocket socket = https.socket(30_000)) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("PUT /checkin HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-apple-aspen-mdm-checkin\r\n"
                    + "Content-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, size - sent));
            }
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
            assertTrue(answer.contains("exceeds the limit"), answer);
        }
    }

    @Test
    void aClientThatAsksToContinueGetsThe413AndTheConnectionClosedAtOnce() throws Exception {
        // Expect: 100-continue (curl does this for large bodies): the body never comes, so nothing may wait for it
        try (javax.net.ssl.SSLSocket socket = https.socket(10_000)) {
            socket.getOutputStream().write(("PUT /checkin HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-apple-aspen-mdm-checkin\r\n"
                    + "Content-Length: " + (17 * 1024 * 1024) + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        }
    }

    @Test
    void commandsCanBeQueuedThroughTheJsonApiAndCancelled() throws Exception {
        SimulatedDevice d = SimulatedDevice.create(ca, "JSON-0001", https);
        d.enroll(false);
        String plist = new String(SimulatedDevice.plist("Command", Map.of("RequestType", "ProfileList")), StandardCharsets.UTF_8);
        byte[] body = VergerHttps.JSON.writeValueAsBytes(Map.of("plist", plist, "nopush", true));
        HttpResponse<String> created = admin("POST", "/api/v1/devices/JSON-0001/commands", "application/json", body);
        assertEquals(201, created.statusCode(), created.body());
        String uuid = VergerHttps.JSON.readTree(created.body()).get("commandUuid").asText();
        assertTrue(uuid.length() > 10, "a CommandUUID is generated when the plist has none");

        HttpResponse<String> second = admin("POST", "/api/v1/devices/JSON-0001/commands", "application/json", body);
        String uuid2 = VergerHttps.JSON.readTree(second.body()).get("commandUuid").asText();
        assertEquals(204, admin("DELETE", "/api/v1/devices/JSON-0001/commands/" + uuid2, null, null).statusCode());
        assertEquals(409, admin("DELETE", "/api/v1/devices/JSON-0001/commands/" + uuid2, null, null).statusCode());
        assertEquals(404, admin("DELETE", "/api/v1/devices/JSON-0001/commands/nope", null, null).statusCode());

        assertEquals(uuid, d.idle(false).get("CommandUUID"));
        assertNull(d.acknowledge(false, uuid), "the cancelled command is not delivered");
        assertEquals(400, admin("POST", "/api/v1/devices/JSON-0001/commands", "application/json", "{\"plist\": 5}".getBytes()).statusCode());
        assertEquals(404, admin("POST", "/api/v1/devices/NOPE/commands", "application/json", body).statusCode());
    }
}
