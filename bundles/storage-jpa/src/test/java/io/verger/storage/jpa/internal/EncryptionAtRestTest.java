package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.DeviceFacts;
import io.verger.api.storage.StorageException;
import io.verger.api.storage.TokenUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncryptionAtRestTest {

    @TempDir
    Path dir;

    private static final byte[] BOOTSTRAP = "BOOTSTRAP-SECRET-0123456789-abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNLOCK = "UNLOCK-SECRET-0123456789-abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

    @Test
    void secretsDoNotAppearInTheDatabaseFiles() throws IOException {
        EnrollmentId id = EnrollmentId.device("PLAINTEXT-DEVICE-ID-0001");
        Database db = Database.open(StorageSettings.derby(dir));
        try {
            JpaStorageFixture stores = new JpaStorageFixture(db);
            stores.enrollments().authenticate(id, EnrollmentType.DEVICE, DeviceFacts.NONE, Instant.now());
            stores.enrollments().tokenUpdate(new TokenUpdate(new PushTarget(id, new byte[] {1}, "m", "t"), UNLOCK, false, null, null, Instant.now()));
            stores.bootstrapTokens().store(id, BOOTSTRAP);
            assertArrayEquals(BOOTSTRAP, stores.bootstrapTokens().find(id).orElseThrow());
            assertArrayEquals(UNLOCK, stores.enrollments().unlockToken(id).orElseThrow());
            byte[] stored = db.query("reading the raw token", c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT token FROM bootstrap_token WHERE device_id = ?")) {
                    ps.setString(1, id.deviceId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBytes(1);
                    }
                }
            });
            assertFalse(contains(stored, BOOTSTRAP), "the token column holds ciphertext");
        } finally {
            db.close(); // shuts Derby down: every page is on disk
        }
        byte[] all = readAll(dir.resolve("db"));
        assertTrue(contains(all, id.deviceId().getBytes(StandardCharsets.US_ASCII)), "the scan sees plain columns");
        assertFalse(contains(all, BOOTSTRAP), "bootstrap token in the clear on disk");
        assertFalse(contains(all, UNLOCK), "unlock token in the clear on disk");
    }

    @Test
    void keyFileIsCreatedOwnerOnlyAndReused() throws IOException {
        Database.open(StorageSettings.derby(dir)).close();
        Path key = dir.resolve("keys/storage.key");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(key));
        assertEquals(32, Base64.getDecoder().decode(Files.readString(key).trim()).length);
        byte[] before = Files.readAllBytes(key);
        Database.open(StorageSettings.derby(dir)).close();
        assertArrayEquals(before, Files.readAllBytes(key));
    }

    @Test
    void aConfiguredKeyIsUsedAndAnotherKeyCannotRead() {
        String k1 = Base64.getEncoder().encodeToString(new byte[32]);
        byte[] other = new byte[32];
        other[0] = 1;
        String k2 = Base64.getEncoder().encodeToString(other);
        EnrollmentId id = EnrollmentId.device("KEYED");
        Database db = Database.open(StorageSettings.derby(dir).withEncryptionKey(k1));
        new JpaBootstrapTokenStore(db).store(id, BOOTSTRAP);
        db.close();
        assertFalse(Files.exists(dir.resolve("keys/storage.key")), "no key file when a key is configured");
        Database wrong = Database.open(StorageSettings.derby(dir).withEncryptionKey(k2));
        try {
            StorageException e = assertThrows(StorageException.class, () -> new JpaBootstrapTokenStore(wrong).find(id));
            assertTrue(e.getMessage().contains("KEYED"), e.getMessage());
        } finally {
            wrong.close();
        }
        Database right = Database.open(StorageSettings.derby(dir).withEncryptionKey(k1));
        try {
            assertArrayEquals(BOOTSTRAP, new JpaBootstrapTokenStore(right).find(id).orElseThrow());
        } finally {
            right.close();
        }
    }

    private static byte[] readAll(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (Path p : regular) {
                out.write(Files.readAllBytes(p));
            }
            return out.toByteArray();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return Arrays.equals(haystack, needle);
    }
}
