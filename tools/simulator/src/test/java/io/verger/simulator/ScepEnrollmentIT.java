package io.verger.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.FleetState;

/**
 * The simulator's SCEP mode against the real server: a private copy of the built distribution is started with
 * {@code bin/verger start} (loopback, a free port, no VERGER_TRUSTED_CAS, APNs pointed at a closed loopback port),
 * and the built {@code verger-simulator.jar} uploads a stand-in push certificate, enrolls 5 devices through
 * {@code /enroll} + SCEP + Authenticate/TokenUpdate with one-time tokens from the admin API, then runs
 * {@code bench idle} and a small {@code bench enroll --mode scep} of 3 new devices.
 */
class ScepEnrollmentIT {

    private static final String API_KEY = "simulator-it-admin-key-0123456789";
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path home;
    private Map<String, String> env;
    private Thread stopOnExit;

    @AfterEach
    void stopServer() {
        if (home != null) {
            try {
                verger("stop");
            } catch (Exception e) {
                // best effort
            }
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        }
    }

    @Test
    void devicesEnrollThroughTheProfileAndScepAndThenIdleWithoutErrors() throws Exception {
        home = copyOfDistribution(tmp.resolve("verger"));
        // no push leaves the box: the stand-in push certificate's topic would be pushed to a closed loopback port
        Files.writeString(home.resolve("deploy/io.verger.push.apns.cfg"), "host=127.0.0.1\nport=" + freePort() + "\n");
        int port = freePort();
        String url = "https://127.0.0.1:" + port;
        env = new HashMap<>();
        env.put("VERGER_HTTPS_PORT", Integer.toString(port));
        env.put("VERGER_BIND", "127.0.0.1");
        env.put("VERGER_API_KEY", API_KEY);
        env.put("VERGER_JAVA_OPTS", "-Xmx384m");
        stopOnExit = new Thread(() -> {
            try {
                verger("stop");
            } catch (Exception e) {
                // the JVM is going away anyway
            }
        });
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        Result start = verger("start");
        assertEquals(0, start.exit(), start.output());
        Path ca = home.resolve("data/tls/ca.crt");
        long boot = System.nanoTime();
        HttpClient https = awaitEnrollmentApi(ca, url);
        System.out.printf("enrollment API up %.1f s after bin/verger start returned%n", (System.nanoTime() - boot) / 1e9);

        String[] server = {"--url", url, "--ca", ca.toString(), "--api-key", API_KEY};
        Result push = simulator(server, "pushcert");
        assertEquals(0, push.exit(), push.output());
        assertTrue(push.output().contains("com.apple.mgmt.External."), push.output());

        Path state = tmp.resolve("devices.json");
        // one device at a time: concurrent first Authenticates on a fresh Derby server have failed with HTTP 500 from an INSERT
        // (a server issue, rare, seen under heavy load); this test is about the simulator's protocol path
        Result enroll = simulator(server, "enroll", "--mode", "scep", "-n", "5", "-c", "1", "--key-pool", "2", "--strict-profile",
                "--state", state.toString());
        assertEquals(0, enroll.exit(), enroll.output());
        assertTrue(enroll.output().contains("enrolled 5 devices"), enroll.output());
        assertTrue(enroll.output().contains("chain trusted"), "the profile's signer chains to the server's TLS CA: " + enroll.output());

        List<EnrolledDevice> devices = FleetState.load(state);
        assertEquals(5, devices.size());
        X509Certificate deviceCa = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(home.resolve("data/identity/ca.crt")));
        for (EnrolledDevice d : devices) {
            d.certificate().verify(deviceCa.getPublicKey()); // issued by the server's SCEP CA, not made up by the simulator
            assertTrue(d.serverUrl().endsWith(":" + port + "/mdm"), d.serverUrl());
            assertTrue(d.topic().startsWith("com.apple.mgmt.External."), d.topic());
        }

        JsonNode listed = json(https, url + "/api/v1/devices?enabled=true&limit=100");
        assertEquals(5, listed.get("total").asInt(), listed.toString());
        Set<String> complete = new java.util.HashSet<>();
        listed.get("devices").forEach(d -> {
            if (d.get("enrollmentComplete").asBoolean()) {
                complete.add(d.get("deviceId").asText());
            }
        });
        assertEquals(devices.stream().map(EnrolledDevice::udid).collect(Collectors.toSet()), complete);

        Result idle = simulator(server, "bench", "idle", "--state", state.toString(), "--verger-home", home.toString(), "-c", "2",
                "--duration", "2", "--warmup", "0.5");
        assertEquals(0, idle.exit(), idle.output());
        assertTrue(idle.output().contains("errors         0 ("), idle.output());
        assertTrue(idle.output().contains("server CPU"), "the server's CPU is read through --verger-home: " + idle.output());

        Result bench = simulator(server, "bench", "enroll", "--mode", "scep", "-n", "3", "-c", "1", "--key-pool", "2", "--warmup-devices", "1",
                "--verger-home", home.toString());
        assertEquals(0, bench.exit(), bench.output());
        String result = bench.output().lines().filter(l -> l.startsWith("RESULT\tenroll-scep\t")).findFirst().orElseThrow(
                () -> new AssertionError("no RESULT line for enroll-scep: " + bench.output()));
        assertEquals("0", result.split("\t")[11], "errors: " + result);
        assertEquals(5 + 1 + 3, json(https, url + "/api/v1/devices?enabled=true&limit=100").get("total").asInt());
    }

    private record Result(int exit, String output) {
    }

    private Result verger(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/verger").toString(), command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("VERGER_"));
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Result r = run(pb, 60);
        System.out.printf("$ bin/verger %s (%.1f s)%n%s%n", command, (System.nanoTime() - t0) / 1e9, r.output());
        return r;
    }

    private Result simulator(String[] server, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", simulatorJar().toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of(server));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("VERGER_"));
        long t0 = System.nanoTime();
        Result r = run(pb, 120);
        System.out.printf("$ verger-simulator %s (%.1f s)%n%s%n", String.join(" ", args), (System.nanoTime() - t0) / 1e9,
                r.output().replaceAll("[^\\n]*\\r(?=[^\\n])", ""));
        return r;
    }

    private Result run(ProcessBuilder pb, int seconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Process p = pb.redirectOutput(out.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(pb.command() + " did not finish within " + seconds + " s: " + Files.readString(out) + serverLog());
        }
        return new Result(p.exitValue(), Files.readString(out) + (p.exitValue() == 0 ? "" : serverLog()));
    }

    /** The server log's ERROR and WARN lines with the few lines after each (the cause), then its last lines. */
    private String serverLog() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("logs/verger.log"));
            StringBuilder out = new StringBuilder("\n--- ERROR/WARN in verger.log ---\n");
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(" ERROR ") || lines.get(i).contains(" WARN ")) {
                    lines.subList(i, Math.min(lines.size(), i + 4)).forEach(l -> out.append(l).append('\n'));
                    lines.subList(i, lines.size()).stream().filter(l -> l.startsWith("Caused by")).reduce((a, b) -> b)
                            .ifPresent(l -> out.append("  root cause: ").append(l).append('\n'));
                }
            }
            out.append("--- last lines of verger.log ---\n").append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            return out.toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the server answers POST /api/v1/enrollment-tokens with 201 (HTTPS up, storage and identity bundles active). */
    private HttpClient awaitEnrollmentApi(Path ca, String url) throws Exception {
        long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
        while (!Files.exists(ca)) {
            assertTrue(System.nanoTime() < deadline, "no " + ca + " within " + BOOT_LIMIT + serverLog());
            Thread.sleep(100);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        while (true) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/enrollment-tokens")).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + API_KEY).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201) {
                    return client;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, "the enrollment API did not come up within " + BOOT_LIMIT + serverLog());
            Thread.sleep(250);
        }
    }

    private static JsonNode json(HttpClient client, String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static Path simulatorJar() {
        Path jar = Path.of(System.getProperty("simulator.jar", "target/verger-simulator.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no simulator jar at " + jar.toAbsolutePath() + " (the package phase makes it)");
        }
        return jar;
    }

    /** A fresh copy of the built distribution (bin, conf, lib, bundle; empty deploy, data, logs), as the itests make one. */
    private static Path copyOfDistribution(Path target) throws IOException {
        Path src = Path.of(System.getProperty("verger.dist", "../../distribution/target/verger")).toAbsolutePath().normalize();
        if (!Files.isDirectory(src.resolve("bundle")) || !Files.isRegularFile(src.resolve("bin/verger"))) {
            throw new IllegalStateException("no built distribution at " + src + " (build the reactor first: mvn -B -q install -DskipTests)");
        }
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = src.relativize(p);
                String top = rel.getNameCount() == 0 ? "" : rel.getName(0).toString();
                if (top.equals("data") || top.equals("logs") || top.equals("deploy")) {
                    if (rel.getNameCount() == 1) {
                        Files.createDirectories(target.resolve(rel));
                    }
                    continue;
                }
                Path dest = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        assertTrue(target.resolve("bin/verger").toFile().setExecutable(true));
        return target;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
