package io.verger.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.launcher.VergerRuntime;

/**
 * Policies end to end in the running distribution, without a restart: a restrictions policy assigned to a group
 * reaches its members only, as a valid signed profile with the expected payload; a change upgrades it; a profile
 * the device lost (ProfileList) is installed again; unassigning removes it; per device status follows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyIT {

    private static final String API_KEY = "policy-it-admin-key-0123456789abcdef";
    private static final String RESTRICTIONS = "com.apple.applicationaccess";

    @TempDir
    static Path tmp;

    private InProcessVerger server;
    private VergerRuntime runtime;
    private VergerHttps https;
    private SimulatedDevice.TestCa ca;
    private Path home;

    @BeforeAll
    void boot() throws Exception {
        server = InProcessVerger.boot(tmp, API_KEY, "Policy Device CA");
        runtime = server.runtime;
        https = server.https;
        ca = server.deviceCa;
        home = server.home;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && call("GET", "/api/v1/policy-modules/" + RESTRICTIONS, null).statusCode() != 200) {
            Thread.sleep(100);
        }
        while (System.nanoTime() < deadline && call("GET", "/api/v1/command-types", null).body().indexOf("\"InstallProfile\"") < 0) {
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

    private JsonNode json(String method, String path, int status, String body) throws Exception {
        HttpResponse<String> r = call(method, path, body);
        assertEquals(status, r.statusCode(), method + " " + path + " " + body + " -> " + r.body());
        return r.body().isEmpty() ? null : VergerHttps.JSON.readTree(r.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inner(Map<String, Object> command) {
        return (Map<String, Object>) command.get("Command");
    }

    /**
     * Connects until the device receives a command matching {@code wanted}; other commands are acknowledged on the
     * way. Returns null if none came within the timeout.
     */
    private static Map<String, Object> await(SimulatedDevice d, Predicate<Map<String, Object>> wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> c = d.idle(false);
        while (true) {
            while (c != null) {
                if (wanted.test(c)) {
                    return c;
                }
                c = d.acknowledge(false, (String) c.get("CommandUUID"));
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(150);
            c = d.idle(false);
        }
    }

    private static Predicate<Map<String, Object>> request(String requestType) {
        return c -> requestType.equals(inner(c).get("RequestType"));
    }

    /** Verifies the CMS signature of an InstallProfile's Payload and returns the profile inside. */
    private static Map<String, Object> verifiedProfile(Map<String, Object> installProfile) throws Exception {
        byte[] payload = (byte[]) inner(installProfile).get("Payload");
        CMSSignedData cms = new CMSSignedData(payload);
        SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
        @SuppressWarnings("unchecked")
        X509CertificateHolder holder = (X509CertificateHolder) cms.getCertificates().getMatches(signer.getSID()).iterator().next();
        X509Certificate cert = new JcaX509CertificateConverter().setProvider(SimulatedDevice.BC).getCertificate(holder);
        assertTrue(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(SimulatedDevice.BC).build(cert)), "signature verifies");
        return SimulatedDevice.PLIST.decodeDictionary((byte[]) cms.getSignedContent().getContent());
    }

    private JsonNode statusOf(String policyId, String udid) throws Exception {
        for (JsonNode n : json("GET", "/api/v1/policies/" + policyId + "/status", 200, null)) {
            if (n.get("deviceId").asText().equals(udid)) {
                return n;
            }
        }
        return null;
    }

    @Test
    void restrictionsPolicyReachesGroupMembersUpgradesComesBackAndIsRemoved() throws Exception {
        JsonNode module = json("GET", "/api/v1/policy-modules/" + RESTRICTIONS, 200, null);
        assertTrue(module.get("settings").toString().contains("allowCamera"), module.toString());

        SimulatedDevice member = SimulatedDevice.create(ca, "POLICY-MEMBER-1", https);
        member.enroll(false);
        SimulatedDevice other = SimulatedDevice.create(ca, "POLICY-OTHER-1", https);
        other.enroll(false);

        json("POST", "/api/v1/groups", 201, "{\"name\":\"sales\",\"ids\":[\"POLICY-MEMBER-1\"]}");
        json("POST", "/api/v1/policies", 400, "{\"id\":\"bad\",\"name\":\"Bad\",\"payloadType\":\"" + RESTRICTIONS
                + "\",\"settings\":{\"allowCamera\":\"no\"}}");
        json("POST", "/api/v1/policies", 422, "{\"id\":\"none\",\"name\":\"None\",\"payloadType\":\"com.example.none\"}");
        JsonNode created = json("POST", "/api/v1/policies", 201, "{\"id\":\"no-camera\",\"name\":\"No camera\",\"payloadType\":\""
                + RESTRICTIONS + "\",\"settings\":{\"allowCamera\":false,\"allowAppInstallation\":false,\"allowSafari\":false}}");
        assertEquals(1, created.get("revision").asLong());
        json("PUT", "/api/v1/policies/no-camera/assignments", 200, "{\"groups\":[\"sales\"]}");

        // the member gets a signed profile with the expected payload
        Map<String, Object> install = await(member, request("InstallProfile"), Duration.ofSeconds(15));
        assertNotNull(install, "InstallProfile for the group member");
        Map<String, Object> profile = verifiedProfile(install);
        assertEquals("io.verger.policy.no-camera", profile.get("PayloadIdentifier"));
        assertEquals("Configuration", profile.get("PayloadType"));
        assertEquals("No camera", profile.get("PayloadDisplayName"));
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) ((List<Object>) profile.get("PayloadContent")).get(0);
        assertEquals(RESTRICTIONS, payload.get("PayloadType"));
        assertEquals(Boolean.FALSE, payload.get("allowCamera"));
        assertEquals(Boolean.FALSE, payload.get("allowSafari"));
        assertEquals("pending", statusOf("no-camera", "POLICY-MEMBER-1").get("status").asText());
        member.acknowledge(false, (String) install.get("CommandUUID"));
        awaitStatus("no-camera", "POLICY-MEMBER-1", "installed", 1);

        // the other device gets nothing of it
        assertNull(await(other, request("InstallProfile"), Duration.ofSeconds(2)), "non-member gets no profile");
        assertNull(statusOf("no-camera", "POLICY-OTHER-1"));

        // a change upgrades it: same identifier, new revision
        JsonNode updated = json("PUT", "/api/v1/policies/no-camera", 200, "{\"settings\":{\"allowCamera\":true,\"allowAppInstallation\":false}}");
        assertEquals(2, updated.get("revision").asLong());
        JsonNode versions = json("GET", "/api/v1/policies/no-camera/versions", 200, null);
        assertEquals(2, versions.size());
        assertEquals(1, versions.get(0).get("revision").asLong(), versions.toString());
        assertEquals("No camera", versions.get(0).get("name").asText(), versions.toString());
        assertEquals(false, versions.get(0).get("settings").get("allowCamera").asBoolean(), versions.toString());
        assertEquals(updated.get("updatedAt").asText(), versions.get(1).get("updatedAt").asText(), versions.toString());
        JsonNode assignments = json("GET", "/api/v1/policies/no-camera/assignments", 200, null);
        assertEquals("[\"sales\"]", assignments.get("groups").toString(), assignments.toString());
        assertEquals("[\"POLICY-MEMBER-1\"]", assignments.get("targeted").toString(), assignments.toString());
        List<String> policyIds = ids(json("GET", "/api/v1/policies", 200, null));
        assertTrue(policyIds.contains("no-camera") && policyIds.stream().noneMatch(id -> id.contains(":")),
                "groups, targets and versions are not policies: " + policyIds);
        Map<String, Object> upgrade = await(member, request("InstallProfile"), Duration.ofSeconds(15));
        assertNotNull(upgrade, "upgrade");
        Map<String, Object> upgraded = verifiedProfile(upgrade);
        assertEquals("io.verger.policy.no-camera", upgraded.get("PayloadIdentifier"));
        assertNotEquals(profile.get("PayloadUUID"), upgraded.get("PayloadUUID"));
        assertTrue(upgraded.toString().contains("allowCamera=true"), upgraded.toString());
        member.acknowledge(false, (String) upgrade.get("CommandUUID"));
        awaitStatus("no-camera", "POLICY-MEMBER-1", "installed", 2);

        // the device lost the profile: a ProfileList without it brings it back
        json("POST", "/api/v1/devices/POLICY-MEMBER-1/commands", 201, "{\"requestType\":\"ProfileList\"}");
        Map<String, Object> list = await(member, request("ProfileList"), Duration.ofSeconds(15));
        assertNotNull(list, "ProfileList");
        member.acknowledge(false, (String) list.get("CommandUUID"), "ProfileList", List.of(
                Map.of("PayloadIdentifier", "com.example.other.profile", "PayloadUUID", "X", "PayloadContent", List.of())));
        Map<String, Object> reinstall = await(member, request("InstallProfile"), Duration.ofSeconds(15));
        assertNotNull(reinstall, "re-installed after it was removed on the device");
        assertEquals("io.verger.policy.no-camera", verifiedProfile(reinstall).get("PayloadIdentifier"));
        member.acknowledge(false, (String) reinstall.get("CommandUUID"));
        awaitStatus("no-camera", "POLICY-MEMBER-1", "installed", 2);

        // unassigning removes it
        json("DELETE", "/api/v1/policies/no-camera/assignments", 200, null);
        Map<String, Object> remove = await(member, request("RemoveProfile"), Duration.ofSeconds(15));
        assertNotNull(remove, "RemoveProfile");
        assertEquals("io.verger.policy.no-camera", inner(remove).get("Identifier"));
        member.acknowledge(false, (String) remove.get("CommandUUID"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (statusOf("no-camera", "POLICY-MEMBER-1") != null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertNull(statusOf("no-camera", "POLICY-MEMBER-1"), "no longer on the device");
        assertFalse(json("GET", "/api/v1/policy-status/POLICY-MEMBER-1", 200, null).toString().contains("no-camera"));
    }

    @Test
    void vendorPolicyModuleIsHotDeployedAppliedAndItsPoliciesSurviveItsRemoval() throws Exception {
        Path jar = Path.of(System.getProperty("verger.vendorpolicy"));
        assertTrue(Files.isRegularFile(jar), "example vendor module built: " + jar);
        assertEquals(404, call("GET", "/api/v1/policy-modules/com.example.kiosk", null).statusCode());
        Path deployed = home.resolve("deploy/example-kiosk-policy.jar");
        Path staging = home.resolve("deploy/example-kiosk-policy.jar.part");
        Files.copy(jar, staging);
        long start = System.nanoTime();
        Files.move(staging, deployed, StandardCopyOption.ATOMIC_MOVE);
        while (call("GET", "/api/v1/policy-modules/com.example.kiosk", null).statusCode() != 200
                && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
            Thread.sleep(50);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("[figure] hot deploy: policy module listed %d ms after the jar was dropped%n", ms);
        JsonNode module = json("GET", "/api/v1/policy-modules/com.example.kiosk", 200, null);
        assertEquals("com.example.verger.kiosk", module.get("bundle").asText());
        assertTrue(ms < 2000 + 1000, "listed within about 2 s: " + ms + " ms");

        SimulatedDevice mac = SimulatedDevice.create(ca, "POLICY-MAC-1", https);
        SimulatedDevice.expect(200, mac.checkin(false, "MessageType", "Authenticate", "UDID", "POLICY-MAC-1",
                "Topic", "com.apple.mgmt.External.test", "SerialNumber", "MACPOLICY1", "ProductName", "Mac14,2", "OSVersion", "15.1"));
        SimulatedDevice.expect(200, mac.checkin(false, "MessageType", "TokenUpdate", "UDID", "POLICY-MAC-1",
                "Topic", "com.apple.mgmt.External.test", "Token", "token-mac".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "PushMagic", "magic-mac"));
        json("POST", "/api/v1/policies", 400, "{\"id\":\"kiosk-bad\",\"name\":\"Kiosk\",\"payloadType\":\"com.example.kiosk\",\"settings\":{}}");
        json("POST", "/api/v1/policies", 201, "{\"id\":\"kiosk\",\"name\":\"Lobby kiosk\",\"payloadType\":\"com.example.kiosk\","
                + "\"settings\":{\"AppBundleIdentifier\":\"com.example.signage\",\"IdleMinutes\":5}}");
        json("PUT", "/api/v1/policies/kiosk/assignments", 200, "{\"filter\":{\"platform\":\"macOS\"}}");
        Map<String, Object> install = await(mac, request("InstallProfile"), Duration.ofSeconds(15));
        assertNotNull(install, "kiosk policy installed on the Mac");
        Map<String, Object> profile = verifiedProfile(install);
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) ((List<Object>) profile.get("PayloadContent")).get(0);
        assertEquals("com.example.kiosk", payload.get("PayloadType"));
        assertEquals("com.example.signage", payload.get("AppBundleIdentifier"));
        assertEquals(5L, ((Number) payload.get("IdleMinutes")).longValue());
        mac.acknowledge(false, (String) install.get("CommandUUID"));
        awaitStatus("kiosk", "POLICY-MAC-1", "installed", 1);

        // the module leaves: the policy stays, marked, and nothing is removed from the device
        Files.delete(deployed);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (call("GET", "/api/v1/policy-modules/com.example.kiosk", null).statusCode() != 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        JsonNode kept = json("GET", "/api/v1/policies/kiosk", 200, null);
        assertTrue(kept.get("moduleMissing").asBoolean(), kept.toString());
        assertEquals("module missing", statusOf("kiosk", "POLICY-MAC-1").get("status").asText());
        json("PUT", "/api/v1/policies/kiosk/assignments", 200, "{}");
        assertNull(await(mac, request("RemoveProfile"), Duration.ofSeconds(2)), "no RemoveProfile while the module is missing");
    }

    private void awaitStatus(String policyId, String udid, String status, long revision) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode s = null;
        while (System.nanoTime() < deadline) {
            s = statusOf(policyId, udid);
            if (s != null && status.equals(s.get("status").asText()) && s.path("installedRevision").asLong() == revision) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + status + " revision " + revision + " of " + policyId + " on " + udid + ", found " + s);
    }

    private static List<String> ids(JsonNode policies) {
        List<String> out = new java.util.ArrayList<>();
        policies.forEach(p -> out.add(p.get("id").asText()));
        return out;
    }
}
