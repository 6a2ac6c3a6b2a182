package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.Inventory;
import io.verger.api.storage.InventoryStore;
import jakarta.persistence.LockModeType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Inventory as JPA entities: one row per device, merged under a row lock. */
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
        db.jpa("updating the inventory of " + id.deviceChannel(), em -> {
            InventoryEntity e = em.find(InventoryEntity.class, device, LockModeType.PESSIMISTIC_WRITE);
            Map<String, Object> merged = new HashMap<>();
            if (e == null) {
                e = new InventoryEntity(device);
                e.updatedAt = at;
            } else {
                merged.putAll(PlistValues.decode(e.values));
                e.updatedAt = Math.max(e.updatedAt, at);
            }
            merged.putAll(values);
            e.values = PlistValues.encode(merged);
            e.serialNumber = merged.get("SerialNumber") instanceof String s ? s : null;
            if (!em.contains(e)) {
                em.persist(e);
            }
            return null;
        });
    }

    @Override
    public Optional<Inventory> find(EnrollmentId id) {
        Objects.requireNonNull(id, "id");
        InventoryEntity e = db.jpa("reading the inventory of " + id.deviceChannel(), em -> em.find(InventoryEntity.class, id.deviceId()));
        return e == null ? Optional.empty()
                : Optional.of(new Inventory(id.deviceChannel(), PlistValues.decode(e.values), Columns.instant(e.updatedAt)));
    }

    @Override
    public List<EnrollmentId> findBySerialNumber(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        List<String> ids = db.jpa("finding devices by serial number", em -> em
                .createQuery("SELECT i.deviceId FROM InventoryEntity i WHERE i.serialNumber = :sn ORDER BY i.deviceId", String.class)
                .setParameter("sn", serialNumber).getResultList());
        return ids.stream().map(EnrollmentId::device).toList();
    }

    @Override
    public boolean delete(EnrollmentId id) {
        Objects.requireNonNull(id, "id");
        return db.jpa("deleting the inventory of " + id.deviceChannel(), em -> em
                .createQuery("DELETE FROM InventoryEntity i WHERE i.deviceId = :id")
                .setParameter("id", id.deviceId()).executeUpdate() > 0);
    }
}
