package io.verger.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.verger.launcher.VergerRuntime;
import io.verger.launcher.VergerSettings;

/**
 * A private copy of the built distribution booted in this JVM through the same launcher as {@code bin/verger},
 * on 127.0.0.1 and a free port, with an admin API key and an operator device CA trusted through
 * {@code VERGER_TRUSTED_CAS}: what the protocol-level ITs share.
 */
final class InProcessVerger implements AutoCloseable {

    final Path home;
    final VergerRuntime runtime;
    final VergerHttps https;
    final SimulatedDevice.TestCa deviceCa;

    private InProcessVerger(Path home, VergerRuntime runtime, VergerHttps https, SimulatedDevice.TestCa deviceCa) {
        this.home = home;
        this.runtime = runtime;
        this.https = https;
        this.deviceCa = deviceCa;
    }

    /**
     * @param dir      a fresh directory for the installation and the CA file
     * @param apiKey   the admin API key
     * @param caName   the common name of the device CA the server trusts
     */
    static InProcessVerger boot(Path dir, String apiKey, String caName) throws Exception {
        System.setProperty("logback.configurationFile", TestDirs.distribution().resolve("conf/logback.xml").toString());
        Path home = TestDirs.copyOfDistribution(dir.resolve("verger"));
        System.setProperty("verger.logs", home.resolve("logs").toString());
        SimulatedDevice.TestCa ca = SimulatedDevice.TestCa.create(caName);
        Path caPem = ca.writePem(dir.resolve("operator-ca.pem"));
        int port = TestDirs.freePort();
        Map<String, String> env = new HashMap<>();
        env.put(VergerSettings.HTTPS_PORT, Integer.toString(port));
        env.put(VergerSettings.BIND, "127.0.0.1");
        env.put(VergerSettings.API_KEY, apiKey);
        env.put(VergerSettings.TRUSTED_CAS, caPem.toString());
        VergerRuntime runtime = VergerRuntime.start(VergerSettings.load(home, env));
        VergerHttps https = new VergerHttps(home.resolve("data/tls/ca.crt"), port);
        assertTrue(https.awaitUp(Duration.ofSeconds(60)) >= 0, "server up");
        return new InProcessVerger(home, runtime, https, ca);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
