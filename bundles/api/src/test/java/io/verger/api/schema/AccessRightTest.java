package io.verger.api.schema;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AccessRightTest {

    @Test
    void bitsAreThoseOfTheMdmPayload() {
        assertEquals(1, AccessRight.ALLOW_INSPECTION.bit());
        assertEquals(8, AccessRight.ALLOW_DEVICE_ERASE.bit());
        assertEquals(4096, AccessRight.ALLOW_APP_INSTALLATION.bit());
        assertEquals(AccessRight.ALL, AccessRight.toMask(EnumSet.allOf(AccessRight.class)));
    }

    @Test
    void readsSchemaNamesAndTheirAlternativeSpellings() {
        assertEquals(AccessRight.ALLOW_DEVICE_ERASE, AccessRight.of("AllowDeviceErase"));
        assertEquals(AccessRight.ALLOW_PASSCODE_REMOVAL_AND_LOCK, AccessRight.of("DeviceLockAndRemovePasscode"));
        assertEquals(AccessRight.ALLOW_QUERY_APPLICATIONS, AccessRight.of("QueryInstalledApps"));
        assertThrows(IllegalArgumentException.class, () -> AccessRight.of("Special Case"));
        assertThrows(IllegalArgumentException.class, () -> AccessRight.of("None"));
    }

    @Test
    void maskRoundTripsAndRejectsUnknownBits() {
        Set<AccessRight> rights = AccessRight.fromMask(1 | 2 | 16 | 2048);
        assertEquals(EnumSet.of(AccessRight.ALLOW_INSPECTION, AccessRight.ALLOW_INSTALLATION_REMOVAL,
                AccessRight.ALLOW_QUERY_DEVICE_INFORMATION, AccessRight.ALLOW_SETTINGS), rights);
        assertEquals(1 | 2 | 16 | 2048, AccessRight.toMask(rights));
        assertEquals(Set.of(), AccessRight.fromMask(0));
        assertThrows(IllegalArgumentException.class, () -> AccessRight.fromMask(8192));
        assertThrows(IllegalArgumentException.class, () -> AccessRight.fromMask(-1));
    }
}
