package io.verger.storage.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/** A device's inventory: its values in {@link PlistValues} form, and the serial number to look it up by. */
@Entity
@Table(name = "inventory")
public class InventoryEntity {
    @Id
    @Column(name = "device_id")
    String deviceId;

    @Column(name = "serial_number")
    String serialNumber;

    @Lob
    @Column(name = "inventory_values", nullable = false)
    byte[] values;

    @Column(name = "updated_at", nullable = false)
    long updatedAt;

    protected InventoryEntity() {
    }

    InventoryEntity(String deviceId) {
        this.deviceId = deviceId;
    }
}
