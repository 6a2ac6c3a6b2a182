package io.verger.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.verger.launcher.VergerRuntime;
import io.verger.launcher.VergerSettings;

/**
 * Hot deploy, proven: the distribution's bundles boot in Felix with HTTPS (through the same launcher as
 * bin/verger); a bundle providing a {@code CommandType} is dropped into the watched deploy/ folder and the server
 * uses it within 2 s, deleting the file takes it away, and requests running during the swap do not fail.
 */
class HotDeployIT {

    private static final String API_KEY = "hot-deploy-admin-key-0123456789";
    private static final String PLUGIN_TYPE = "VergerTestPing";
    private static final Duration HOT_DEPLOY_LIMIT = Duration.ofSeconds(2);

    @TempDir
    Path tmp;

    private VergerRuntime runtime;

    @BeforeAll
    static void quietLogging() {
        System.setProperty("logback.configurationFile", TestDirs.distribution().resolve("conf/logback.xml").toString());
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void bundleDroppedIntoDeployIsUsedWithinTwoSecondsAndRemovedWithItsFile() throws Exception {
        Path home = TestDirs.copyOfDistribution(tmp.resolve("verger"));
        System.setProperty("verger.logs", home.resolve("logs").toString());
        int port = TestDirs.freePort();
        Map<String, String> env = new HashMap<>();
        env.put(VergerSettings.HTTPS_PORT, Integer.toString(port));
        env.put(VergerSettings.BIND, "127.0.0.1");
        env.put(VergerSettings.API_KEY, API_KEY);
        env.put(VergerSettings.DEPLOY_POLL_MS, "250");
        VergerSettings settings = VergerSettings.load(home, env);
        long t0 = System.nanoTime();
        runtime = VergerRuntime.start(settings);
        VergerHttps https = new VergerHttps(home.resolve("data/tls/ca.crt"), port);
        long up = https.awaitUp(Duration.ofSeconds(60));
        assertTrue(up >= 0, "server up");
        System.out.printf("[figure] in-process boot: HTTPS /version answered %d ms after launch%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals("UP", https.json("/health").get("status").asText());
        assertTrue(!installedTypes(https).contains(PLUGIN_TYPE), "not installed before the drop");

        // traffic during the swap
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong requests = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> load = new ArrayList<>();
        for (String path : new String[] {"/api/v1/command-types", "/version", "/health"}) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = https.get(path, "Authorization", "Bearer " + API_KEY);
                        requests.incrementAndGet();
                        if (r.statusCode() != 200) {
                            failures.add(path + " -> " + r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(path + " -> " + e);
                    }
                }
            }, "load " + path);
            t.start();
            load.add(t);
        }

        Path deployed = home.resolve("deploy/test-plugin.jar");
        Path staging = home.resolve("deploy/test-plugin.jar.part");
        Files.copy(TestDirs.testPlugin(), staging);
        long dropAt = System.nanoTime();
        Files.move(staging, deployed, StandardCopyOption.ATOMIC_MOVE);
        long deployMs = awaitTypes(https, true);
        System.out.printf("[figure] hot deploy: command type served %d ms after the jar was dropped%n", deployMs);

        JsonNode ping = find(https, PLUGIN_TYPE);
        assertEquals(PLUGIN_TYPE, ping.get("requestType").asText());
        assertEquals("Test ping", ping.get("title").asText());

        // a .cfg file dropped into deploy/ becomes the component's configuration, applied without restart
        Path cfg = home.resolve("deploy/io.verger.itests.ping.cfg");
        Files.writeString(home.resolve("deploy/io.verger.itests.ping.cfg.part"), "title = Configured ping\n");
        Files.move(home.resolve("deploy/io.verger.itests.ping.cfg.part"), cfg, StandardCopyOption.ATOMIC_MOVE);
        long cfgMs = awaitTitle(https, "Configured ping");
        System.out.printf("[figure] configuration: .cfg applied %d ms after the file was dropped%n", cfgMs);
        Files.delete(cfg);
        awaitTitle(https, "Test ping");

        long removeAt = System.nanoTime();
        Files.delete(deployed);
        long removeMs = awaitTypes(https, false);
        System.out.printf("[figure] hot undeploy: command type gone %d ms after the jar was deleted%n", removeMs);

        // and once more, to show a re-deploy works the same
        Files.copy(TestDirs.testPlugin(), staging);
        Files.move(staging, deployed, StandardCopyOption.ATOMIC_MOVE);
        awaitTypes(https, true);
        Files.delete(deployed);
        awaitTypes(https, false);

        running.set(false);
        for (Thread t : load) {
            t.join(10_000);
        }
        System.out.printf("[figure] %d requests during the swaps, %d failed%n", requests.get(), failures.size());
        assertTrue(failures.isEmpty(), "requests failed during the swap: " + failures);
        assertTrue(requests.get() > 20, "the load threads made requests: " + requests.get());
        assertTrue(deployMs <= HOT_DEPLOY_LIMIT.toMillis(), "deployed in " + deployMs + " ms, limit " + HOT_DEPLOY_LIMIT);
        assertTrue(removeMs <= HOT_DEPLOY_LIMIT.toMillis(), "removed in " + removeMs + " ms, limit " + HOT_DEPLOY_LIMIT);
        assertTrue(dropAt > 0 && removeAt > dropAt);
    }

    private static long awaitTypes(VergerHttps https, boolean present) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (installedTypes(https).contains(PLUGIN_TYPE) == present) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(PLUGIN_TYPE + (present ? " never appeared" : " never went away"));
    }

    private static long awaitTitle(VergerHttps https, String title) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (title.equals(find(https, PLUGIN_TYPE).path("title").asText())) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("title never became '" + title + "'");
    }

    private static List<String> installedTypes(VergerHttps https) throws Exception {
        List<String> types = new ArrayList<>();
        for (JsonNode n : https.json("/api/v1/command-types", "Authorization", "Bearer " + API_KEY).get("commandTypes")) {
            types.add(n.get("requestType").asText());
        }
        return types;
    }

    private static JsonNode find(VergerHttps https, String type) throws Exception {
        for (JsonNode n : https.json("/api/v1/command-types", "Authorization", "Bearer " + API_KEY).get("commandTypes")) {
            if (n.get("requestType").asText().equals(type)) {
                return n;
            }
        }
        throw new AssertionError(type + " not listed");
    }
}
