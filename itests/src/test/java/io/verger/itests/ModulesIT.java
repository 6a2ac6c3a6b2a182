package io.verger.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.launcher.VergerRuntime;
import io.verger.launcher.VergerSettings;

/**
 * Module management for admins: under simulated device traffic a command bundle is uploaded, updated and removed
 * through {@code /api/v1/modules} without one device request failing; bad uploads are refused with the reason and
 * change nothing; uploaded modules survive a restart; the Gogo console on 127.0.0.1 lists them.
 */
class ModulesIT {

    private static final String API_KEY = "modules-it-admin-key-0123456789";

    @TempDir
    Path tmp;

    private VergerRuntime runtime;
    private VergerHttps https;
    private Path home;
    private Map<String, String> env;
    private SimulatedDevice.TestCa ca;

    @BeforeAll
    static void logging() {
        System.setProperty("logback.configurationFile", TestDirs.distribution().resolve("conf/logback.xml").toString());
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private void boot() throws Exception {
        runtime = VergerRuntime.start(VergerSettings.load(home, env));
        https = new VergerHttps(home.resolve("data/tls/ca.crt"), Integer.parseInt(env.get(VergerSettings.HTTPS_PORT)));
        assertTrue(https.awaitUp(Duration.ofSeconds(60)) >= 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (https.json("/health").get("components").get("unsatisfied").asInt() == 0
                    && https.get("/api/v1/devices", "Authorization", "Bearer " + API_KEY).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not ready");
    }

    private HttpResponse<String> call(String method, String path, byte[] jar) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(https.base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/java-archive");
        b.method(method, jar == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(jar));
        return https.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The test plugin with another Bundle-Version and, optionally, an import nothing provides. */
    static byte[] variant(String version, String extraImport) throws Exception {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(TestDirs.testPlugin()))) {
            Manifest mf = new Manifest(in.getManifest());
            Attributes main = mf.getMainAttributes();
            main.putValue("Bundle-Version", version);
            if (extraImport != null) {
                main.putValue("Import-Package", main.getValue("Import-Package") + "," + extraImport);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
                JarEntry e;
                while ((e = in.getNextJarEntry()) != null) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
            return bytes.toByteArray();
        }
    }

    private JsonNode module(String symbolicName) throws Exception {
        for (JsonNode m : https.json("/api/v1/modules", "Authorization", "Bearer " + API_KEY).get("modules")) {
            if (symbolicName.equals(m.get("symbolicName").asText())) {
                return m;
            }
        }
        return null;
    }

    private boolean pingInstalled() throws Exception {
        for (JsonNode n : https.json("/api/v1/command-types", "Authorization", "Bearer " + API_KEY).get("commandTypes")) {
            if ("VergerTestPing".equals(n.get("requestType").asText())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void uploadUpdateAndRemoveUnderDeviceTrafficWithoutAFailedRequest() throws Exception {
        home = TestDirs.copyOfDistribution(tmp.resolve("verger"));
        System.setProperty("verger.logs", home.resolve("logs").toString());
        ca = SimulatedDevice.TestCa.create("Modules IT CA");
        env = new HashMap<>();
        env.put(VergerSettings.HTTPS_PORT, Integer.toString(TestDirs.freePort()));
        env.put(VergerSettings.BIND, "127.0.0.1");
        env.put(VergerSettings.API_KEY, API_KEY);
        env.put(VergerSettings.TRUSTED_CAS, ca.writePem(tmp.resolve("ca.pem")).toString());
        int consolePort = TestDirs.freePort();
        env.put(VergerSettings.CONSOLE_PORT, Integer.toString(consolePort));
        boot();

        // simulated device traffic for the whole time: enrolled devices connecting (Idle) in a loop
        SimulatedDevice[] devices = new SimulatedDevice[3];
        for (int i = 0; i < devices.length; i++) {
            devices[i] = SimulatedDevice.create(ca, "MOD-DEV-" + i, https);
            devices[i].enroll(false);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong requests = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Thread[] load = new Thread[devices.length];
        for (int i = 0; i < devices.length; i++) {
            SimulatedDevice d = devices[i];
            load[i] = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<byte[]> r = d.report(false, "UDID", d.udid, "Status", "Idle");
                        requests.incrementAndGet();
                        if (r.statusCode() != 200) {
                            failures.add(d.udid + " -> " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
                        }
                    } catch (Exception e) {
                        failures.add(d.udid + " -> " + e);
                    }
                }
            });
            load[i].start();
        }

        // not a bundle: 400; unresolvable: 422 with the missing requirement; nothing left behind
        int before = https.json("/api/v1/modules", "Authorization", "Bearer " + API_KEY).get("modules").size();
        assertEquals(400, call("POST", "/api/v1/modules", "this is no jar".getBytes()).statusCode());
        HttpResponse<String> unresolvable = call("POST", "/api/v1/modules", variant("1.0.0", "com.example.nowhere"));
        assertEquals(422, unresolvable.statusCode(), unresolvable.body());
        assertTrue(unresolvable.body().contains("com.example.nowhere"), "the reason names the missing requirement: " + unresolvable.body());
        assertEquals(before, https.json("/api/v1/modules", "Authorization", "Bearer " + API_KEY).get("modules").size(), "nothing was left installed");

        // upload
        HttpResponse<String> installed = call("POST", "/api/v1/modules", variant("1.0.0", null));
        assertEquals(201, installed.statusCode(), installed.body());
        JsonNode m = VergerHttps.JSON.readTree(installed.body());
        long id = m.get("id").asLong();
        assertEquals("ACTIVE", m.get("state").asText());
        assertEquals("VergerTestPing", m.get("provides").get("commandTypes").get(0).asText());
        assertTrue(pingInstalled());
        assertEquals(409, call("POST", "/api/v1/modules", variant("1.0.1", null)).statusCode(), "a second upload of the same module is a conflict");

        // update in place
        HttpResponse<String> updated = call("PUT", "/api/v1/modules/" + id, variant("2.0.0", null));
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("2.0.0", VergerHttps.JSON.readTree(updated.body()).get("version").asText());
        assertTrue(pingInstalled());
        // an update that does not resolve is refused and rolled back
        HttpResponse<String> badUpdate = call("PUT", "/api/v1/modules/" + id, variant("3.0.0", "com.example.nowhere"));
        assertEquals(422, badUpdate.statusCode(), badUpdate.body());
        assertEquals("2.0.0", module("io.verger.itests.testplugin").get("version").asText(), "rolled back to the working version");
        assertEquals("ACTIVE", module("io.verger.itests.testplugin").get("state").asText());

        // the console on 127.0.0.1 lists it
        String console = console(consolePort, "verger:modules");
        assertTrue(console.contains("io.verger.itests.testplugin"), console);

        // survives a restart
        running.set(false);
        for (Thread t : load) {
            t.join(30_000);
        }
        runtime.close();
        boot();
        assertEquals("2.0.0", module("io.verger.itests.testplugin").get("version").asText(), "uploaded modules survive a restart");
        id = module("io.verger.itests.testplugin").get("id").asLong();

        // removal, again under traffic
        running.set(true);
        for (int i = 0; i < devices.length; i++) {
            SimulatedDevice d = devices[i];
            load[i] = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<byte[]> r = d.report(false, "UDID", d.udid, "Status", "Idle");
                        requests.incrementAndGet();
                        if (r.statusCode() != 200) {
                            failures.add(d.udid + " -> " + r.statusCode());
                        }
                    } catch (Exception e) {
                        failures.add(d.udid + " -> " + e);
                    }
                }
            });
            load[i].start();
        }
        assertEquals(200, call("DELETE", "/api/v1/modules/" + id, null).statusCode());
        assertFalse(pingInstalled());
        assertEquals(404, call("DELETE", "/api/v1/modules/" + id, null).statusCode());
        Thread.sleep(300);
        running.set(false);
        for (Thread t : load) {
            t.join(30_000);
        }
        System.out.printf("[figure] %d device requests during module upload/update/removal, %d failed%n", requests.get(), failures.size());
        assertTrue(failures.isEmpty(), "device requests failed: " + failures);
        assertTrue(requests.get() > 10, "devices made requests: " + requests.get());
        assertFalse(Files.exists(home.resolve("data/modules/io.verger.itests.testplugin.jar")), "the stored jar is gone");
    }

    private static String console(int port, String command) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((command + "\nexit\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
