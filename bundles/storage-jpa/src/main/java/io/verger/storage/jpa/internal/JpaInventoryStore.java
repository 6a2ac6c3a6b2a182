package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.Inventory;
import io.verger.api.storage.InventoryStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Inventory: one row per device, merged under a row lock (on embedded Derby, a lock in this process), all by JDBC. */
@Component(service = InventoryStore.class)
public final class JpaInventoryStore implements InventoryStore {

    private final Database db;

    @Activate
    public JpaInventoryStore(@Reference Database db) {
        this.db = db;
    }

    @Override
    public void update(EnrollmentId id, Map<String, Object> values, Instant observedAt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(values, "values");
        long at = Columns.nanos(observedAt);
        String device = id.deviceId();
        PlistValues.encode(values); // rejects what is not a plist value before touching the database
        // Plain JDBC (every command acknowledgement with inventory lands here; EntityManager set-up and the unit of
        // work cost more than the statements). Concurrent merges into one device's inventory are serialised: on a
        // database other processes may write (PostgreSQL), by a no-op UPDATE that takes the row lock first; on
        // embedded Derby, which only this process writes, by a lock in this process held until the commit (the no-op
        // UPDATE rewrote the row with its BLOB and logged it: a third of the merge). A first insert that races another
        // is retried.
        boolean local = db.dialect() == Dialect.DERBY;
        java.util.concurrent.locks.Lock stripe = local ? stripes[Math.floorMod(device.hashCode(), stripes.length)] : null;
        if (stripe != null) {
            stripe.lock();
        }
        try {
            db.transaction("updating the inventory of " + id.deviceChannel(), Dialect::isDuplicateKey, c -> {
                mergeInto(c, device, values, at, !local);
                return null;
            });
        } finally {
            if (stripe != null) {
                // until the commit: inside a report's joined transaction that is when the join ends. Released earlier,
                // a second merge of this handling into the device would wait for the stripe while its holder waits for
                // the row lock this transaction keeps: a deadlock Derby cannot see
                db.whenJoinEnds(stripe::unlock);
            }
        }
    }

    /** Merges into one device's inventory on embedded Derby take the stripe of its device id (see update). */
    private final java.util.concurrent.locks.Lock[] stripes = stripes(64);

    private static java.util.concurrent.locks.Lock[] stripes(int n) {
        java.util.concurrent.locks.Lock[] locks = new java.util.concurrent.locks.Lock[n];
        for (int i = 0; i < n; i++) {
            locks[i] = new java.util.concurrent.locks.ReentrantLock();
        }
        return locks;
    }

    private static void mergeInto(Connection c, String device, Map<String, Object> values, long at, boolean lockRow)
            throws SQLException {
        boolean exists = true;
        if (lockRow) {
            try (PreparedStatement lock = c.prepareStatement("UPDATE inventory SET updated_at = updated_at WHERE device_id = ?")) {
                lock.setString(1, device);
                exists = lock.executeUpdate() == 1;
            }
        }
        Map<String, Object> merged = new HashMap<>();
        long updatedAt = at;
        if (exists) {
            try (PreparedStatement read = c.prepareStatement("SELECT inventory_values, updated_at FROM inventory WHERE device_id = ?")) {
                read.setString(1, device);
                try (ResultSet rs = read.executeQuery()) {
                    if (rs.next()) {
                        merged.putAll(PlistValues.decode(rs.getBytes(1)));
                        updatedAt = Math.max(rs.getLong(2), at);
                    } else {
                        exists = false; // deleted meanwhile, or never stored
                    }
                }
            }
        }
        merged.putAll(values);
        byte[] encoded = PlistValues.encode(merged);
        String serial = merged.get("SerialNumber") instanceof String s ? s : null;
        String sql = exists
                ? "UPDATE inventory SET inventory_values = ?, updated_at = ?, serial_number = ? WHERE device_id = ?"
                : "INSERT INTO inventory (inventory_values, updated_at, serial_number, device_id) VALUES (?, ?, ?, ?)";
        try (PreparedStatement write = c.prepareStatement(sql)) {
            write.setBytes(1, encoded);
            write.setLong(2, updatedAt);
            write.setString(3, serial);
            write.setString(4, device);
            if (write.executeUpdate() == 0) {
                // deleted between the read and the write (Derby holds no row lock): start again from nothing, as if
                // the delete had come first, rather than bring the deleted values back
                mergeInto(c, device, values, at, false);
            }
        }
    }

    // Reads and deletes by JDBC too (not JPA): inside a report's joined transaction (Database.joined) they then use its
    // connection, and so see, rather than wait for, an inventory row the handling has just written

    @Override
    public Optional<Inventory> find(EnrollmentId id) {
        Objects.requireNonNull(id, "id");
        return db.query("reading the inventory of " + id.deviceChannel(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT inventory_values, updated_at FROM inventory WHERE device_id = ?")) {
                ps.setString(1, id.deviceId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Inventory(id.deviceChannel(), PlistValues.decode(rs.getBytes(1)), Columns.instant(rs.getLong(2))))
                            : Optional.<Inventory>empty();
                }
            }
        });
    }

    @Override
    public List<EnrollmentId> findBySerialNumber(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        return db.query("finding devices by serial number", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM inventory WHERE serial_number = ? ORDER BY device_id")) {
                ps.setString(1, serialNumber);
                List<EnrollmentId> ids = new java.util.ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(EnrollmentId.device(rs.getString(1)));
                    }
                }
                return ids;
            }
        });
    }

    @Override
    public boolean delete(EnrollmentId id) {
        Objects.requireNonNull(id, "id");
        return db.statement("deleting the inventory of " + id.deviceChannel(), c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM inventory WHERE device_id = ?")) {
                ps.setString(1, id.deviceId());
                return ps.executeUpdate() > 0;
            }
        });
    }
}
