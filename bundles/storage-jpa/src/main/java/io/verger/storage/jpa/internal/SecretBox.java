package io.verger.storage.jpa.internal;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encrypts secrets at rest (bootstrap tokens, unlock tokens, push certificate keys) with AES-256-GCM.
 * A sealed value is {@code 0x01 | 12-byte IV | ciphertext+tag}; the associated data names the row
 * (e.g. {@code bootstrap-token/<UDID>}), so a value copied to another row does not decrypt.
 *
 * <p>The key is either given by configuration ({@code encryptionKey}, base64 of 32 bytes: the same on
 * every node sharing a PostgreSQL database) or kept in {@code <data>/keys/storage.key} (created on
 * first use, readable by the owner only). Losing the key loses the secrets, not the rest of the data.
 */
final class SecretBox {

    private static final byte FORMAT = 1;
    private static final int IV_LENGTH = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the storage encryption key must be 32 bytes (AES-256), got " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** @return the box of the configured base64 key, or of the key file, created if absent */
    static SecretBox of(String configuredKey, Path keyFile) {
        if (configuredKey != null && !configuredKey.isBlank()) {
            try {
                return new SecretBox(Base64.getDecoder().decode(configuredKey.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("storage encryptionKey is not base64 of 32 bytes: " + e.getMessage());
            }
        }
        try {
            if (!Files.exists(keyFile)) {
                Files.createDirectories(keyFile.getParent());
                KeyGenerator gen = KeyGenerator.getInstance("AES");
                gen.init(256);
                byte[] fresh = Base64.getEncoder().encode(gen.generateKey().getEncoded());
                Path tmp = Files.createTempFile(keyFile.getParent(), "storage", ".key.tmp");
                try {
                    setOwnerOnly(tmp);
                    Files.write(tmp, fresh, StandardOpenOption.TRUNCATE_EXISTING);
                    Files.move(tmp, keyFile); // not REPLACE_EXISTING: a concurrent first start keeps the winner's key
                } catch (FileAlreadyExistsException raced) {
                    Files.deleteIfExists(tmp);
                }
            }
            byte[] text = Files.readAllBytes(keyFile);
            return new SecretBox(Base64.getDecoder().decode(new String(text, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read or create the storage key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static void setOwnerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        }
    }

    byte[] seal(byte[] plain, String context) {
        try {
            byte[] iv = new byte[IV_LENGTH];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[1 + IV_LENGTH + sealed.length];
            out[0] = FORMAT;
            System.arraycopy(iv, 0, out, 1, IV_LENGTH);
            System.arraycopy(sealed, 0, out, 1 + IV_LENGTH, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java platform", e);
        }
    }

    byte[] open(byte[] sealed, String context) {
        if (sealed.length < 1 + IV_LENGTH || sealed[0] != FORMAT) {
            throw new io.verger.api.storage.StorageException("secret of " + context + " is not in a known format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + IV_LENGTH)));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, 1 + IV_LENGTH, sealed.length - 1 - IV_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new io.verger.api.storage.StorageException("cannot decrypt the secret of " + context
                    + ": the storage key differs from the one it was stored with", e);
        }
    }
}
