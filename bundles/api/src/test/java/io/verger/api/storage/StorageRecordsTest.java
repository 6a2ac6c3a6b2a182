package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import io.verger.api.Platform;
import io.verger.api.TestCertificates;
import io.verger.api.push.PushTarget;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageRecordsTest {

    private static final EnrollmentId DEVICE = EnrollmentId.device("UDID-1");

    @Test
    void inventoryReadsWellKnownKeysAndDerivesPlatform() {
        Inventory inv = new Inventory(DEVICE, Map.of("SerialNumber", "C02XK0AAJGH5", "ProductName", "MacBookPro18,3",
                "IsSupervised", true, "OSVersion", 15L), Instant.EPOCH);
        assertEquals(Optional.of("C02XK0AAJGH5"), inv.serialNumber());
        assertEquals(Optional.of(Platform.MACOS), inv.platform());
        assertEquals(Optional.of(true), inv.supervised());
        assertEquals(Optional.empty(), inv.osVersion(), "a value of the wrong type reads as absent");
    }

    @Test
    void inventoryBelongsToTheDeviceChannel() {
        assertThrows(IllegalArgumentException.class,
                () -> new Inventory(EnrollmentId.user("UDID-1", "u"), Map.of(), Instant.EPOCH));
    }

    @Test
    void tokenUpdateCopiesUnlockTokenAndKeepsItOutOfLogs() {
        byte[] unlock = {9, 9, 9};
        PushTarget push = new PushTarget(DEVICE, new byte[]{1}, "magic", "com.apple.mgmt.External.x");
        TokenUpdate update = new TokenUpdate(push, unlock, true, null, null, Instant.EPOCH);
        unlock[0] = 0;
        assertArrayEquals(new byte[]{9, 9, 9}, update.unlockToken());
        assertEquals(DEVICE, update.enrollmentId());
        assertEquals(update, new TokenUpdate(push, new byte[]{9, 9, 9}, true, null, null, Instant.EPOCH));
        assertFalse(update.toString().contains("magic"), update.toString());
        assertNull(new TokenUpdate(push, null, false, null, null, Instant.EPOCH).unlockToken());
    }

    @Test
    void policyValidatesIdNameAndRevision() {
        Policy p = new Policy("passcode-strict", "Strict passcode", "com.apple.mobiledevice.passwordpolicy",
                Map.of("minLength", 8L), 0, Instant.EPOCH);
        assertEquals(Map.of("minLength", 8L), p.settings());
        assertThrows(IllegalArgumentException.class, () -> new Policy("has space", "n", "t", Map.of(), 0, Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> new Policy("id", " ", "t", Map.of(), 0, Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> new Policy("id", "n", "t", Map.of(), -1, Instant.EPOCH));
    }

    @Test
    void pushCertificateVersionIsItsFingerprintAndKeyStaysOutOfLogs() throws Exception {
        PrivateKey key = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate();
        PushCertificate cert = new PushCertificate("com.apple.mgmt.External.0c0ffee0-test",
                List.of(TestCertificates.pushCertificate()), key);
        assertEquals(TestCertificates.PUSH_CERT_SHA256, cert.version().sha256Hex());
        assertEquals(Instant.parse("2126-11-03T22:02:16Z"), cert.notAfter());
        assertTrue(cert.toString().contains(TestCertificates.PUSH_CERT_SHA256), cert.toString());
        assertFalse(cert.toString().contains(key.toString()), cert.toString());
        assertThrows(IllegalArgumentException.class, () -> new PushCertificate("topic", List.of(), key));
    }
}
