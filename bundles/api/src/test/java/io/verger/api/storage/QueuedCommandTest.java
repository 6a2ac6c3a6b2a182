package io.verger.api.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueuedCommandTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final byte[] PLIST = "<plist><dict><key>Passcode</key><string>1234</string></dict></plist>"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void ofGivesNormalPriorityAndNoExpiry() {
        QueuedCommand c = QueuedCommand.of("uuid-1", "DeviceLock", PLIST, T0);
        assertEquals(QueuedCommand.NORMAL_PRIORITY, c.priority());
        assertNull(c.expiresAt());
        assertFalse(c.isExpired(Instant.MAX));
    }

    @Test
    void timeToLiveExpiresTheCommandAtCreatedPlusTtl() {
        QueuedCommand c = QueuedCommand.of("uuid-1", "DeviceLock", PLIST, T0).withTimeToLive(Duration.ofHours(1));
        assertEquals(T0.plusSeconds(3600), c.expiresAt());
        assertFalse(c.isExpired(T0.plusSeconds(3599)));
        assertTrue(c.isExpired(T0.plusSeconds(3600)));
        assertThrows(IllegalArgumentException.class,
                () -> QueuedCommand.of("uuid-1", "DeviceLock", PLIST, T0).withTimeToLive(Duration.ZERO));
    }

    @Test
    void plistIsCopiedAndComparedByContentButNeverPrinted() {
        byte[] mine = PLIST.clone();
        QueuedCommand c = QueuedCommand.of("uuid-1", "DeviceLock", mine, T0);
        mine[0] = 'X';
        assertArrayEquals(PLIST, c.plist());
        assertEquals(c, QueuedCommand.of("uuid-1", "DeviceLock", PLIST.clone(), T0));
        assertEquals(c.hashCode(), QueuedCommand.of("uuid-1", "DeviceLock", PLIST.clone(), T0).hashCode());
        assertFalse(c.toString().contains("1234"), c.toString());
    }

    @Test
    void rejectsBlankIdsEmptyPlistAndOverlongUuid() {
        assertThrows(IllegalArgumentException.class, () -> QueuedCommand.of(" ", "DeviceLock", PLIST, T0));
        assertThrows(IllegalArgumentException.class, () -> QueuedCommand.of("uuid 1", "DeviceLock", PLIST, T0));
        assertThrows(IllegalArgumentException.class, () -> QueuedCommand.of("uuid-1", "", PLIST, T0));
        assertThrows(IllegalArgumentException.class, () -> QueuedCommand.of("uuid-1", "DeviceLock", new byte[0], T0));
        assertThrows(IllegalArgumentException.class, () -> QueuedCommand.of("u".repeat(256), "DeviceLock", PLIST, T0));
    }
}
