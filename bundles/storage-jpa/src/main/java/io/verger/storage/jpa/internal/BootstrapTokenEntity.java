package io.verger.storage.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/** A device's escrowed bootstrap token, sealed by {@link SecretBox}. */
@Entity
@Table(name = "bootstrap_token")
public class BootstrapTokenEntity {
    @Id
    @Column(name = "device_id")
    String deviceId;

    @Lob
    @Column(name = "token", nullable = false)
    byte[] sealedToken;

    @Column(name = "updated_at", nullable = false)
    long updatedAt;

    protected BootstrapTokenEntity() {
    }

    BootstrapTokenEntity(String deviceId) {
        this.deviceId = deviceId;
    }
}
