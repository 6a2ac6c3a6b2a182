package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.identity.CertificateFingerprint;
import io.verger.api.storage.CertAuthStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Certificate bindings over JDBC: checked on every connect. */
@Component(service = CertAuthStore.class)
public final class JdbcCertAuthStore implements CertAuthStore {

    private final Database db;

    @Activate
    public JdbcCertAuthStore(@Reference Database db) {
        this.db = db;
    }

    @Override
    public boolean isBound(CertificateFingerprint fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        return exists("checking the binding of certificate " + fingerprint,
                "SELECT 1 FROM cert_binding WHERE fingerprint = ?", fingerprint.sha256Hex());
    }

    @Override
    public boolean hasBinding(EnrollmentId deviceChannel) {
        Columns.requireDeviceChannel(deviceChannel, "a certificate binding");
        return exists("checking the bindings of " + deviceChannel,
                "SELECT 1 FROM cert_binding WHERE device_id = ?", deviceChannel.deviceId());
    }

    @Override
    public boolean isBound(EnrollmentId deviceChannel, CertificateFingerprint fingerprint) {
        Columns.requireDeviceChannel(deviceChannel, "a certificate binding");
        Objects.requireNonNull(fingerprint, "fingerprint");
        return exists("checking the binding of " + deviceChannel + " to " + fingerprint,
                "SELECT 1 FROM cert_binding WHERE fingerprint = ? AND device_id = ?", fingerprint.sha256Hex(), deviceChannel.deviceId());
    }

    private boolean exists(String what, String sql, String... args) {
        return db.query(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql + " FETCH FIRST 1 ROWS ONLY")) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public void bind(EnrollmentId deviceChannel, CertificateFingerprint fingerprint) {
        Columns.requireDeviceChannel(deviceChannel, "a certificate binding");
        Objects.requireNonNull(fingerprint, "fingerprint");
        long now = Columns.nanos(Instant.now());
        // tried again after a lock timeout or deadlock (seen under concurrent enrollments on Derby)
        db.statement("binding " + fingerprint + " to " + deviceChannel, c -> {
            // existing bindings are kept as they are: a duplicate key means bound already
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cert_binding (fingerprint, device_id, bound_at) VALUES (?, ?, ?)")) {
                ps.setString(1, fingerprint.sha256Hex());
                ps.setString(2, deviceChannel.deviceId());
                ps.setLong(3, now);
                return ps.executeUpdate();
            } catch (SQLException e) {
                if (Dialect.isDuplicateKey(e)) { // bound concurrently: idempotent
                    return 0;
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<EnrollmentId> enrollmentOf(CertificateFingerprint fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        return db.query("finding the enrollment of certificate " + fingerprint, c -> {
            // almost always one row: pick the newest binding here rather than have the database sort (a sort per
            // device request was a measurable share of Derby's time)
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id, seq FROM cert_binding WHERE fingerprint = ?")) {
                ps.setString(1, fingerprint.sha256Hex());
                try (ResultSet rs = ps.executeQuery()) {
                    String newest = null;
                    long newestSeq = Long.MIN_VALUE;
                    while (rs.next()) {
                        long seq = rs.getLong(2);
                        if (newest == null || seq > newestSeq) {
                            newest = rs.getString(1);
                            newestSeq = seq;
                        }
                    }
                    return newest == null ? Optional.empty() : Optional.of(EnrollmentId.device(newest));
                }
            }
        });
    }
}
