package io.verger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiKeyTest {

    @TempDir
    Path home;

    @Test
    void generatedOnceAndOnlyItsDigestIsStored() throws Exception {
        VergerSettings s = VergerSettings.load(home, Map.of());
        AdminApiKey first = AdminApiKey.prepare(s, home);
        assertNotNull(first.generatedKey());
        String stored = Files.readString(home.resolve(AdminApiKey.DIGEST_FILE)).trim();
        assertEquals(AdminApiKey.digest(first.generatedKey()), stored);
        assertFalse(stored.contains(first.generatedKey()));

        AdminApiKey second = AdminApiKey.prepare(s, home);
        assertNull(second.generatedKey(), "a key is printed only on the start that generated it");
        assertEquals(first.sha256Hex(), second.sha256Hex());
    }

    @Test
    void configuredKeyWinsAndIsNotStored() throws Exception {
        AdminApiKey k = AdminApiKey.prepare(VergerSettings.load(home, Map.of("VERGER_API_KEY", "a-long-enough-admin-key")), home);
        assertNull(k.generatedKey());
        assertEquals(AdminApiKey.digest("a-long-enough-admin-key"), k.sha256Hex());
        assertFalse(Files.exists(home.resolve(AdminApiKey.DIGEST_FILE)));
    }

    @Test
    void shortConfiguredKeyIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> AdminApiKey.prepare(VergerSettings.load(home, Map.of("VERGER_API_KEY", "short")), home));
    }

    @Test
    void corruptDigestFileIsReportedNotReplaced() throws Exception {
        Files.writeString(home.resolve(AdminApiKey.DIGEST_FILE), "garbage");
        assertThrows(java.io.IOException.class, () -> AdminApiKey.prepare(VergerSettings.load(home, Map.of()), home));
        assertEquals("garbage", Files.readString(home.resolve(AdminApiKey.DIGEST_FILE)));
    }
}
