package io.verger.storage.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/** A policy; its settings in {@link PlistValues} form. Assignments and installations are plain tables. */
@Entity
@Table(name = "policy")
public class PolicyEntity {
    @Id
    @Column(name = "id")
    String id;

    @Column(name = "name", nullable = false)
    String name;

    @Column(name = "payload_type", nullable = false)
    String payloadType;

    @Lob
    @Column(name = "settings", nullable = false)
    byte[] settings;

    @Column(name = "revision", nullable = false)
    long revision;

    @Column(name = "updated_at", nullable = false)
    long updatedAt;

    protected PolicyEntity() {
    }

    PolicyEntity(String id) {
        this.id = id;
    }
}
