package io.verger.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.launcher.VergerRuntime;

/**
 * Typed commands end to end in the running distribution: all 66 of Apple's RequestTypes installed; a typed
 * DeviceInformation reaches a simulated device and its answer becomes inventory; bad parameters are refused naming
 * the key; a command the enrollment cannot run is refused (422) unless forced; a macOS DeviceLock gets a PIN shown
 * to admins; lost mode and location end to end; many devices at once; and hot deploy: a command bundle stopped and
 * uninstalled takes its types away (422 "not installed"), installed again brings them back, and a vendor bundle with
 * a higher service.ranking overrides a built-in type, all without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandTypesIT {

    private static final String API_KEY = "command-types-it-admin-key-0123456789";

    @TempDir
    static Path tmp;

    private InProcessVerger server;
    private VergerRuntime runtime;
    private VergerHttps https;
    private SimulatedDevice.TestCa ca;
    private Path home;

    @BeforeAll
    void boot() throws Exception {
        server = InProcessVerger.boot(tmp, API_KEY, "Command Types Device CA");
        runtime = server.runtime;
        https = server.https;
        ca = server.deviceCa;
        home = server.home;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && (types().size() < 66
                || https.get("/api/v1/devices", "Authorization", "Bearer " + API_KEY).statusCode() != 200)) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private HttpResponse<String> call(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(https.base + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + API_KEY);
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return https.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode post(String path, int status, String json) throws Exception {
        HttpResponse<String> r = call("POST", path, json);
        assertEquals(status, r.statusCode(), path + " " + json + " -> " + r.body());
        return VergerHttps.JSON.readTree(r.body());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = call("GET", path, null);
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return VergerHttps.JSON.readTree(r.body());
    }

    private Map<String, JsonNode> types() throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        HttpResponse<String> r = https.get("/api/v1/command-types", "Authorization", "Bearer " + API_KEY);
        if (r.statusCode() == 200) {
            for (JsonNode n : VergerHttps.JSON.readTree(r.body()).get("commandTypes")) {
                out.put(n.get("requestType").asText(), n);
            }
        }
        return out;
    }

    private SimulatedDevice enrollMac(String udid) throws Exception {
        SimulatedDevice d = SimulatedDevice.create(ca, udid, https);
        SimulatedDevice.expect(200, d.checkin(false, "MessageType", "Authenticate", "UDID", udid, "Topic", "com.apple.mgmt.External.test",
                "SerialNumber", "MAC" + udid.hashCode(), "ProductName", "Mac14,2", "OSVersion", "15.1", "DeviceName", "Mac " + udid));
        SimulatedDevice.expect(200, d.checkin(false, "MessageType", "TokenUpdate", "UDID", udid, "Topic", "com.apple.mgmt.External.test",
                "Token", ("token-" + udid).getBytes(StandardCharsets.UTF_8), "PushMagic", "magic-" + udid));
        return d;
    }

    @Test
    void allSixtySixRequestTypesAreListedWithTheirParametersAndPlatforms() throws Exception {
        Map<String, JsonNode> types = types();
        assertTrue(types.size() >= 66, "types: " + types.keySet());
        JsonNode lock = types.get("DeviceLock");
        assertEquals("io.verger.commands.security", lock.get("bundle").asText());
        assertTrue(lock.get("platforms").has("MACOS") || lock.get("platforms").has("macOS"), lock.toString());
        JsonNode info = types.get("DeviceInformation");
        assertEquals("Queries", info.get("parameters").get(0).get("key").asText());
        assertTrue(info.get("parameters").get(0).get("required").asBoolean());
    }

    @Test
    void typedDeviceInformationReachesTheDeviceAndItsAnswerBecomesInventory() throws Exception {
        SimulatedDevice d = SimulatedDevice.create(ca, "TYPED-0001", https);
        d.enroll(false);
        JsonNode created = post("/api/v1/devices/TYPED-0001/commands", 201,
                "{\"requestType\":\"DeviceInformation\",\"params\":{\"Queries\":[\"DeviceName\",\"OSVersion\"]},\"nopush\":true}");
        String uuid = created.get("commandUuid").asText();
        assertFalse(uuid.isBlank());
        Map<String, Object> cmd = d.idle(false);
        assertNotNull(cmd, "Idle gets the typed command");
        assertEquals(uuid, cmd.get("CommandUUID"));
        Map<?, ?> command = (Map<?, ?>) cmd.get("Command");
        assertEquals("DeviceInformation", command.get("RequestType"));
        assertEquals(List.of("DeviceName", "OSVersion"), command.get("Queries"));
        d.acknowledge(false, uuid, "QueryResponses", Map.of("DeviceName", "Typed Sim", "OSVersion", "17.5", "IsSupervised", true));
        JsonNode inv = get("/api/v1/devices/TYPED-0001/inventory");
        assertEquals("Typed Sim", inv.get("values").get("DeviceName").asText());
        assertEquals("17.5", inv.get("values").get("OSVersion").asText());
        assertNotNull(inv.get("updatedAt").asText());

        // SecurityInfo answers become inventory too
        String sec = post("/api/v1/devices/TYPED-0001/commands", 201, "{\"requestType\":\"SecurityInfo\",\"nopush\":true}")
                .get("commandUuid").asText();
        assertEquals(sec, d.idle(false).get("CommandUUID"));
        d.acknowledge(false, sec, "SecurityInfo", Map.of("PasscodePresent", true, "HardwareEncryptionCaps", 3L));
        assertTrue(get("/api/v1/devices/TYPED-0001/inventory").get("values").get("SecurityInfo").get("PasscodePresent").asBoolean());
    }

    @Test
    void mistakesAreRefusedNamingTheKeyAndUnknownTypesAsNotInstalled() throws Exception {
        SimulatedDevice d = SimulatedDevice.create(ca, "TYPED-0002", https);
        d.enroll(false);
        String path = "/api/v1/devices/TYPED-0002/commands";
        JsonNode typo = post(path, 400, "{\"requestType\":\"DeviceInformation\",\"params\":{\"Queries\":[\"DeviceNmae\"]}}");
        assertTrue(typo.get("error").asText().contains("Queries[0]"), typo.toString());
        JsonNode missing = post(path, 400, "{\"requestType\":\"DeviceInformation\",\"params\":{}}");
        assertTrue(missing.get("error").asText().contains("Queries"), missing.toString());
        JsonNode wrongType = post(path, 400, "{\"requestType\":\"DeviceLock\",\"params\":{\"Message\":42}}");
        assertTrue(wrongType.get("error").asText().contains("Message") && wrongType.get("error").asText().contains("<string>"), wrongType.toString());
        JsonNode unknownKey = post(path, 400, "{\"requestType\":\"EraseDevice\",\"params\":{\"PreserveDataPlans\":true}}");
        assertTrue(unknownKey.get("error").asText().contains("PreserveDataPlans"), unknownKey.toString());
        JsonNode notInstalled = post(path, 422, "{\"requestType\":\"NoSuchCommand\"}");
        assertEquals("command type NoSuchCommand is not installed", notInstalled.get("error").asText());
        assertEquals(0, get(path).get("pending").size(), "nothing was queued");
    }

    @Test
    void aCommandTheEnrollmentCannotRunIsRefusedUnlessForcedAndAMacLockGetsAPin() throws Exception {
        SimulatedDevice mac = enrollMac("MAC-0001");
        String path = "/api/v1/devices/MAC-0001/commands";
        // ActiveNSExtensions runs on the macOS user channel only
        JsonNode refused = post(path, 422, "{\"requestType\":\"ActiveNSExtensions\",\"nopush\":true}");
        assertTrue(refused.get("error").asText().contains("user channel"), refused.toString());
        JsonNode forced = post(path, 201, "{\"requestType\":\"ActiveNSExtensions\",\"force\":true,\"nopush\":true}");
        assertNotNull(forced.get("forced"));
        assertEquals(forced.get("commandUuid").asText(), mac.idle(false).get("CommandUUID"));
        mac.acknowledge(false, forced.get("commandUuid").asText());

        JsonNode lock = post(path, 201, "{\"requestType\":\"DeviceLock\",\"params\":{\"Message\":\"Found? Call us\",\"PhoneNumber\":\"+1 555 0100\"},\"nopush\":true}");
        String pin = lock.get("pin").asText();
        assertTrue(pin.matches("\\d{6}"), pin);
        Map<?, ?> command = (Map<?, ?>) mac.idle(false).get("Command");
        assertEquals(pin, command.get("PIN"));
        assertEquals("Found? Call us", command.get("Message"));
        assertEquals("+1 555 0100", command.get("PhoneNumber"));
        mac.acknowledge(false, lock.get("commandUuid").asText(), "MessageResult", "Success");
        JsonNode history = get(path).get("history");
        JsonNode shown = null;
        for (JsonNode h : history) {
            if (h.get("commandUuid").asText().equals(lock.get("commandUuid").asText())) {
                shown = h;
            }
        }
        assertNotNull(shown);
        assertEquals(pin, shown.get("pin").asText(), "the PIN is shown to admins in the history");
        assertEquals("Acknowledged", shown.get("result").get("status").asText());

        JsonNode erase = post(path, 201, "{\"requestType\":\"EraseDevice\",\"params\":{\"PIN\":\"123456\",\"PreserveDataPlan\":true,\"DisallowProximitySetup\":true},\"nopush\":true}");
        Map<?, ?> eraseCmd = (Map<?, ?>) mac.idle(false).get("Command");
        assertEquals("123456", eraseCmd.get("PIN"));
        assertEquals(Boolean.TRUE, eraseCmd.get("PreserveDataPlan"));
        assertEquals("123456", erase.get("pin").asText());
        mac.acknowledge(false, erase.get("commandUuid").asText());
    }

    @Test
    void lostModeEndToEnd() throws Exception {
        SimulatedDevice d = SimulatedDevice.create(ca, "LOST-0001", https);
        d.enroll(false);
        String path = "/api/v1/devices/LOST-0001/commands";
        String enable = post(path, 201, "{\"requestType\":\"EnableLostMode\",\"params\":{\"Message\":\"Lost\",\"PhoneNumber\":\"+1 555 0101\",\"Footnote\":\"Reward\"},\"nopush\":true}")
                .get("commandUuid").asText();
        Map<?, ?> c = (Map<?, ?>) d.idle(false).get("Command");
        assertEquals("Reward", c.get("Footnote"));
        d.acknowledge(false, enable);
        String locate = post(path, 201, "{\"requestType\":\"DeviceLocation\",\"nopush\":true}").get("commandUuid").asText();
        assertEquals(locate, d.idle(false).get("CommandUUID"));
        d.acknowledge(false, locate, "Latitude", 48.8566, "Longitude", 2.3522, "HorizontalAccuracy", 12.0,
                "Timestamp", "2026-01-31T12:00:00Z");
        JsonNode loc = get("/api/v1/devices/LOST-0001/inventory").get("values").get("DeviceLocation");
        assertEquals(48.8566, loc.get("Latitude").asDouble(), 1e-9);
        assertEquals(2.3522, loc.get("Longitude").asDouble(), 1e-9);
        assertEquals(12.0, loc.get("HorizontalAccuracy").asDouble(), 1e-9);
        String sound = post(path, 201, "{\"requestType\":\"PlayLostModeSound\",\"nopush\":true}").get("commandUuid").asText();
        assertEquals(sound, d.idle(false).get("CommandUUID"));
        d.acknowledge(false, sound);
        String disable = post(path, 201, "{\"requestType\":\"DisableLostMode\",\"nopush\":true}").get("commandUuid").asText();
        assertEquals(disable, d.idle(false).get("CommandUUID"));
        d.acknowledge(false, disable);
        List<String> acknowledged = new ArrayList<>();
        for (JsonNode h : get(path).get("history")) {
            if ("Acknowledged".equals(h.path("result").path("status").asText())) {
                acknowledged.add(h.get("requestType").asText());
            }
        }
        assertTrue(acknowledged.containsAll(List.of("EnableLostMode", "DeviceLocation", "PlayLostModeSound", "DisableLostMode")), acknowledged.toString());
    }

    @Test
    void oneCommandForManyDevicesByIdsOrFilter() throws Exception {
        java.time.Instant since = java.time.Instant.now();
        Thread.sleep(5);
        SimulatedDevice a = SimulatedDevice.create(ca, "BULK-0001", https);
        a.enroll(false);
        SimulatedDevice b = SimulatedDevice.create(ca, "BULK-0002", https);
        b.enroll(false);
        JsonNode r = post("/api/v1/commands", 201,
                "{\"requestType\":\"ProfileList\",\"ids\":[\"BULK-0001\",\"BULK-0002\",\"NO-SUCH-DEVICE\"],\"nopush\":true}");
        assertEquals(1, r.get("commandUuids").size());
        assertTrue(r.get("refused").has("NO-SUCH-DEVICE"));
        String uuid = r.get("commandUuids").get(0).asText();
        assertEquals(uuid, a.idle(false).get("CommandUUID"));
        assertEquals(uuid, b.idle(false).get("CommandUUID"));
        a.acknowledge(false, uuid, "ProfileList", List.of(Map.of("PayloadIdentifier", "com.example.wifi")));
        assertEquals("com.example.wifi", get("/api/v1/devices/BULK-0001/inventory").get("values").get("ProfileList").get(0)
                .get("PayloadIdentifier").asText());
        b.acknowledge(false, uuid);
        // devices of the other tests were last seen before this one started
        JsonNode byFilter = post("/api/v1/commands", 201, "{\"requestType\":\"OSUpdateStatus\",\"filter\":{\"platform\":\"iOS\",\"seenSince\":\""
                + since + "\"},\"nopush\":true}");
        assertEquals(1, byFilter.get("commandUuids").size());
        assertEquals(2, byFilter.get("commands").get(0).get("ids").size(), byFilter.toString());
        post("/api/v1/commands", 400, "{\"requestType\":\"OSUpdateStatus\"}");
    }

    @Test
    void uninstallingACommandBundleRemovesItsTypesAndReinstallingRestoresThemWithoutRestart() throws Exception {
        SimulatedDevice d = SimulatedDevice.create(ca, "HOT-0001", https);
        d.enroll(false);
        BundleContext ctx = runtime.framework().getBundleContext();
        Bundle security = null;
        for (Bundle b : ctx.getBundles()) {
            if ("io.verger.commands.security".equals(b.getSymbolicName())) {
                security = b;
            }
        }
        assertNotNull(security, "the security command bundle is installed");
        security.stop();
        security.uninstall();
        awaitType("DeviceLock", false);
        assertFalse(types().containsKey("EnableLostMode"));
        assertTrue(types().containsKey("DeviceInformation"), "other domains stay");
        JsonNode gone = post("/api/v1/devices/HOT-0001/commands", 422, "{\"requestType\":\"DeviceLock\",\"nopush\":true}");
        assertEquals("command type DeviceLock is not installed", gone.get("error").asText());

        Path jar;
        try (var files = Files.list(home.resolve("bundle"))) {
            jar = files.filter(p -> p.getFileName().toString().startsWith("verger-commands-security")).findFirst().orElseThrow();
        }
        Bundle again;
        try (InputStream in = Files.newInputStream(jar)) {
            again = ctx.installBundle("itest:" + jar.getFileName(), in);
        }
        again.start();
        awaitType("DeviceLock", true);
        post("/api/v1/devices/HOT-0001/commands", 201, "{\"requestType\":\"DeviceLock\",\"nopush\":true}");

        // a vendor bundle overriding DeviceLock with a higher service.ranking takes over, and leaves with its bundle
        Bundle vendor;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("verger.vendorplugin",
                "vendor-plugin/target/verger-itests-vendor-plugin-0.1.0-SNAPSHOT.jar")))) {
            vendor = ctx.installBundle("itest:vendor-plugin", in);
        }
        vendor.start();
        awaitBundle("DeviceLock", "io.verger.itests.vendorplugin");
        assertEquals("Vendor device lock", types().get("DeviceLock").get("title").asText());
        String vendorUuid = post("/api/v1/devices/HOT-0001/commands", 201, "{\"requestType\":\"DeviceLock\",\"nopush\":true}")
                .get("commandUuid").asText();
        vendor.uninstall();
        awaitBundle("DeviceLock", "io.verger.commands.security");
        // the device gets the built-in lock first (queued earlier), then the vendor's
        Map<String, Object> first = d.idle(false);
        assertFalse(((Map<?, ?>) first.get("Command")).containsKey("Message"));
        Map<String, Object> second = d.acknowledge(false, (String) first.get("CommandUUID"));
        assertEquals(vendorUuid, second.get("CommandUUID"));
        assertEquals("Locked by the vendor's DeviceLock", ((Map<?, ?>) second.get("Command")).get("Message"));
        d.acknowledge(false, vendorUuid);
    }

    private void awaitType(String type, boolean present) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (types().containsKey(type) == present) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(type + (present ? " never appeared" : " never went away"));
    }

    private void awaitBundle(String type, String bundle) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode t = types().get(type);
            if (t != null && bundle.equals(t.path("bundle").asText())) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(type + " never came from " + bundle + ": " + types().get(type));
    }
}
