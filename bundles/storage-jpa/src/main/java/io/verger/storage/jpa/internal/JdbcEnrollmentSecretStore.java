package io.verger.storage.jpa.internal;

import io.verger.api.storage.EnrollmentSecretStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One-time enrollment secrets over JDBC. Only the SHA-256 of a secret is stored; {@link #consume} is
 * a single conditional UPDATE, so two nodes consuming the same secret cannot both succeed.
 */
@Component(service = EnrollmentSecretStore.class)
public final class JdbcEnrollmentSecretStore implements EnrollmentSecretStore {

    private final Database db;

    @Activate
    public JdbcEnrollmentSecretStore(@Reference Database db) {
        this.db = db;
    }

    @Override
    public boolean create(Kind kind, String secret, Instant expiresAt) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(expiresAt, "expiresAt");
        String digest = digest(secret);
        long now = Columns.nanos(Instant.now());
        return db.query("recording a " + kind, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO enrollment_secret (kind, digest, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, kind.name());
                ps.setString(2, digest);
                ps.setLong(3, now);
                ps.setLong(4, Columns.nanos(expiresAt));
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (Dialect.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public boolean consume(Kind kind, String secret, Instant now) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(now, "now");
        if (secret.isBlank()) {
            return false;
        }
        String digest = digest(secret);
        long at = Columns.nanos(now);
        return db.query("consuming a " + kind, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE enrollment_secret SET used_at = ? "
                    + "WHERE kind = ? AND digest = ? AND used_at IS NULL AND expires_at > ?")) {
                ps.setLong(1, at);
                ps.setString(2, kind.name());
                ps.setString(3, digest);
                ps.setLong(4, at);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        long at = Columns.nanos(now);
        return db.query("purging expired enrollment secrets", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM enrollment_secret WHERE expires_at <= ?")) {
                ps.setLong(1, at);
                return ps.executeUpdate();
            }
        });
    }

    private static String digest(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("an enrollment secret must not be blank");
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
