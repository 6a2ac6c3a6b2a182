package io.verger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VergerSettingsTest {

    @TempDir
    Path home;

    @Test
    void defaultsNeedNoConfiguration() throws Exception {
        VergerSettings s = VergerSettings.load(home, Map.of());
        assertEquals(8443, s.httpsPort());
        assertTrue(s.httpPort().isEmpty(), "plain HTTP is off unless VERGER_HTTP_PORT is set");
        assertEquals("https://localhost:8443", s.publicUrl().toString());
        assertEquals(home.resolve("data").toAbsolutePath(), s.dataDir());
        assertEquals(home.resolve("deploy").toAbsolutePath(), s.deployDir());
        assertEquals("INFO", s.logLevel());
    }

    @Test
    void environmentWinsOverConfFile() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/verger.properties"), "VERGER_HTTPS_PORT=9443\nVERGER_DATA=/var/lib/x\nVERGER_BIND=127.0.0.1\n");
        VergerSettings s = VergerSettings.load(home, Map.of("VERGER_HTTPS_PORT", "10443", "PATH", "/bin"));
        assertEquals(10443, s.httpsPort());
        assertEquals(Path.of("/var/lib/x"), s.dataDir());
        assertEquals("127.0.0.1", s.bind().orElseThrow());
        assertEquals("https://localhost:10443", s.publicUrl().toString(), "default public URL follows the HTTPS port");
    }

    @Test
    void relativePathsAreUnderHome() throws Exception {
        VergerSettings s = VergerSettings.load(home, Map.of("VERGER_DATA", "other/data"));
        assertEquals(home.toAbsolutePath().resolve("other/data"), s.dataDir());
    }

    @Test
    void badPortIsRefusedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VergerSettings.load(home, Map.of("VERGER_HTTPS_PORT", "eighty")));
        assertTrue(e.getMessage().contains("VERGER_HTTPS_PORT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VergerSettings.load(home, Map.of("VERGER_HTTP_PORT", "70000")));
    }

    @Test
    void publicUrlMustBeAbsolute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VergerSettings.load(home, Map.of("VERGER_PUBLIC_URL", "mdm.example.com")));
        assertTrue(e.getMessage().contains("VERGER_PUBLIC_URL"), e.getMessage());
    }

    @Test
    void tlsCertificateNeedsItsKey() {
        assertThrows(IllegalArgumentException.class, () -> VergerSettings.load(home, Map.of("VERGER_TLS_CERT", "/x.pem")));
    }

    @Test
    void blankEnvironmentValuesAreIgnored() throws Exception {
        VergerSettings s = VergerSettings.load(home, Map.of("VERGER_HTTP_PORT", "  "));
        assertFalse(s.httpPort().isPresent());
    }
}
