package io.verger.storage.jpa.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/** A topic's push certificate: the DER chain, and the PKCS#8 key sealed by {@link SecretBox}. */
@Entity
@Table(name = "push_certificate")
public class PushCertificateEntity {
    @Id
    @Column(name = "topic")
    String topic;

    @Column(name = "fingerprint", nullable = false)
    String fingerprint;

    @Lob
    @Column(name = "chain", nullable = false)
    byte[] chain;

    @Column(name = "key_algorithm", nullable = false)
    String keyAlgorithm;

    @Lob
    @Column(name = "private_key", nullable = false)
    byte[] sealedKey;

    @Column(name = "not_after", nullable = false)
    long notAfter;

    @Column(name = "updated_at", nullable = false)
    long updatedAt;

    protected PushCertificateEntity() {
    }

    PushCertificateEntity(String topic) {
        this.topic = topic;
    }
}
