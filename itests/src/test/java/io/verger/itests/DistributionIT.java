package io.verger.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The built distribution, driven through its own {@code bin/verger} as an operator would: start, status, HTTPS,
 * restart with the same keys, a second instance beside the first, stop and Ctrl-C.
 */
class DistributionIT {

    private static final String API_KEY = "itest-admin-key-0123456789";
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<Runnable> cleanups = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        cleanups.forEach(Runnable::run);
    }

    private record Result(int exit, String output) {
    }

    private Result verger(Path home, Map<String, String> env, String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/verger").toString(), command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("VERGER_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/verger " + command + " hung");
        }
        return new Result(p.exitValue(), out);
    }

    private Map<String, String> env(int port, String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("VERGER_HTTPS_PORT", Integer.toString(port));
        env.put("VERGER_BIND", "127.0.0.1");
        env.put("VERGER_API_KEY", API_KEY);
        env.put("VERGER_JAVA_OPTS", "-Xmx256m");
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private void stopLater(Path home, Map<String, String> env) {
        cleanups.add(() -> {
            try {
                verger(home, env, "stop");
            } catch (Exception e) {
                // best effort
            }
        });
    }

    @Test
    void startServesHttpsRestartReusesKeysAndStopIsClean() throws Exception {
        Path home = TestDirs.copyOfDistribution(tmp.resolve("verger"));
        int port = TestDirs.freePort();
        Map<String, String> env = env(port);
        stopLater(home, env);

        long t0 = System.nanoTime();
        Result start = verger(home, env, "start");
        assertEquals(0, start.exit(), start.output());
        Path ca = home.resolve("data/tls/ca.crt");
        awaitFile(ca);
        VergerHttps https = new VergerHttps(ca, port);
        long upMs = https.awaitUp(BOOT_LIMIT);
        assertTrue(upMs >= 0, "no /version within " + BOOT_LIMIT + "; console: " + Files.readString(home.resolve("logs/console.log")));
        System.out.printf("[figure] first start: /version over HTTPS %d ms after bin/verger start%n", (System.nanoTime() - t0) / 1_000_000);

        assertEquals(0, verger(home, env, "status").exit());
        JsonNode version = https.json("/version");
        assertEquals("Verger", version.get("name").asText());
        assertTrue(version.get("version").asText().matches("\\d+\\.\\d+\\.\\d+.*"), version.toString());

        JsonNode health = https.json("/health");
        assertEquals("UP", health.get("status").asText(), health.toString());
        assertEquals(0, health.get("bundles").get("failed").asInt(), health.toString());
        assertEquals(0, health.get("components").get("failed").asInt(), health.toString());
        assertTrue(health.get("bundles").get("active").asInt() > 10, health.toString());

        assertTrue(https.serverRequestsClientCertificate(), "the server asks for a TLS client certificate (devices may use mTLS)");

        assertEquals(401, https.get("/api/v1/command-types").statusCode(), "the API is closed without a key");
        assertEquals(401, https.get("/api/v1/command-types", "Authorization", "Bearer wrong-key-wrong-key").statusCode());
        assertEquals(200, https.get("/api/v1/command-types", "Authorization", "Bearer " + API_KEY).statusCode());
        assertEquals(404, https.get("/api/v1/no-such-thing", "X-API-Key", API_KEY).statusCode());

        HttpResponse<String> first = https.get("/version");
        Certificate[] chainBefore = first.sslSession().orElseThrow().getPeerCertificates();
        byte[] caBefore = Files.readAllBytes(ca);

        Result stop = verger(home, env, "stop");
        assertEquals(0, stop.exit(), stop.output());
        assertEquals(3, verger(home, env, "status").exit(), "status after stop says not running");
        assertTrue(Files.readString(home.resolve("logs/verger.log")).contains("Verger stopped"), "clean shutdown is logged");

        assertEquals(0, verger(home, env, "start").exit());
        long upAgain = https.awaitUp(BOOT_LIMIT);
        assertTrue(upAgain >= 0, "second start did not serve HTTPS");
        System.out.printf("[figure] second start: /version over HTTPS within %d ms of polling%n", upAgain);
        assertArrayEquals(caBefore, Files.readAllBytes(ca), "the CA is reused");
        Certificate[] chainAfter = https.get("/version").sslSession().orElseThrow().getPeerCertificates();
        assertArrayEquals(chainBefore[0].getEncoded(), chainAfter[0].getEncoded(), "the server certificate is reused");
        assertEquals(0, verger(home, env, "stop").exit());
    }

    @Test
    void secondInstanceWithOtherPortAndDataRunsBesideTheFirst() throws Exception {
        Path home = TestDirs.copyOfDistribution(tmp.resolve("verger"));
        int port1 = TestDirs.freePort();
        int port2 = TestDirs.freePort();
        int plainPort2 = TestDirs.freePort();
        Map<String, String> env1 = env(port1);
        Map<String, String> env2 = env(port2, "VERGER_HTTP_PORT", Integer.toString(plainPort2), "VERGER_DATA", tmp.resolve("data2").toString(), "VERGER_LOGS", tmp.resolve("logs2").toString(),
                "VERGER_DEPLOY", tmp.resolve("deploy2").toString());
        stopLater(home, env1);
        stopLater(home, env2);
        assertEquals(0, verger(home, env1, "start").exit());
        assertEquals(0, verger(home, env2, "start").exit());
        awaitFile(home.resolve("data/tls/ca.crt"));
        awaitFile(tmp.resolve("data2/tls/ca.crt"));
        VergerHttps one = new VergerHttps(home.resolve("data/tls/ca.crt"), port1);
        VergerHttps two = new VergerHttps(tmp.resolve("data2/tls/ca.crt"), port2);
        assertTrue(one.awaitUp(BOOT_LIMIT) >= 0, "first instance up");
        assertTrue(two.awaitUp(BOOT_LIMIT) >= 0, "second instance up");
        assertNotEquals(Files.readString(home.resolve("data/tls/ca.crt")), Files.readString(tmp.resolve("data2/tls/ca.crt")),
                "each data directory has its own CA");
        assertEquals("UP", one.json("/health").get("status").asText());
        assertEquals("UP", two.json("/health").get("status").asText());
        // VERGER_HTTP_PORT: plain HTTP beside HTTPS, for a TLS-terminating proxy in front
        HttpResponse<String> plain = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + plainPort2 + "/version")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, plain.statusCode(), plain.body());
        try {
            HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port1 + "/version")).build(), HttpResponse.BodyHandlers.ofString());
            assertNotEquals(200, r.statusCode(), "the HTTPS port must not serve plain HTTP");
        } catch (java.io.IOException expected) {
            // the TLS port closed the plain-text connection: also right
        }
        assertEquals(0, verger(home, env2, "stop").exit());
        assertEquals(3, verger(home, env2, "status").exit());
        assertEquals(0, verger(home, env1, "status").exit(), "stopping the second leaves the first running");
        assertEquals(200, one.get("/version").statusCode());
        assertEquals(0, verger(home, env1, "stop").exit());
    }

    @Test
    void runInForegroundStopsCleanlyOnCtrlC() throws Exception {
        Path home = TestDirs.copyOfDistribution(tmp.resolve("verger"));
        int port = TestDirs.freePort();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/verger").toString(), "run")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("run.out").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("VERGER_"));
        pb.environment().putAll(env(port));
        pb.environment().remove("VERGER_API_KEY");
        Process p = pb.start();
        cleanups.add(p::destroyForcibly);
        awaitFile(home.resolve("data/tls/ca.crt"));
        VergerHttps https = new VergerHttps(home.resolve("data/tls/ca.crt"), port);
        assertTrue(https.awaitUp(BOOT_LIMIT) >= 0, "run serves HTTPS");
        String out = Files.readString(tmp.resolve("run.out"));
        assertTrue(out.contains("Generated admin API key"), "a generated API key is printed once: " + out);
        assertTrue(Files.exists(home.resolve("data/api-key.sha256")));

        // Ctrl-C is SIGINT to the foreground process (bin/verger execs java, so the pid is the JVM's)
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits after Ctrl-C");
        String log = Files.readString(home.resolve("logs/verger.log"));
        assertTrue(log.contains("Verger stopped"), "shutdown ran to its end: " + log);
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(file), file + " was not created");
    }
}
