package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import org.osgi.annotation.versioning.ProviderType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Device inventory: the latest reported value of every key, per device.
 */
// Provider type: implemented by the storage bundle and called by many (core, command types, API);
// it may gain methods in a minor version, which only storage implementations must follow.
@ProviderType
public interface InventoryStore {

    /**
     * Merges reported values into a device's inventory: each given key replaces its old value, keys
     * not given keep theirs. A report older than the stored {@code updatedAt} still merges (reports
     * of different queries arrive in any order), but {@code updatedAt} never moves back.
     *
     * @param id         a channel; a user channel's values are stored under its device channel
     * @param values     the reported keys and values, plain-Java plist values
     * @param observedAt when the device reported them
     */
    void update(EnrollmentId id, Map<String, Object> values, Instant observedAt);

    /**
     * @param id a channel; a user channel reads its device's inventory
     * @return the inventory, or empty if nothing was ever reported
     */
    Optional<Inventory> find(EnrollmentId id);

    /**
     * @param serialNumber a {@code SerialNumber}
     * @return the device channels whose inventory has it (more than one after re-enrollments under
     *         new ids), in {@link EnrollmentId} order
     */
    List<EnrollmentId> findBySerialNumber(String serialNumber);

    /**
     * @param id a channel; a user channel deletes its device's inventory
     * @return {@code true} if there was an inventory to delete
     */
    boolean delete(EnrollmentId id);
}
