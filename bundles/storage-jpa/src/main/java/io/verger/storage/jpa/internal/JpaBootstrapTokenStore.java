package io.verger.storage.jpa.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.BootstrapTokenStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Bootstrap tokens as JPA entities, encrypted at rest with the storage key. */
@Component(service = BootstrapTokenStore.class)
public final class JpaBootstrapTokenStore implements BootstrapTokenStore {

    private final Database db;

    @Activate
    public JpaBootstrapTokenStore(@Reference Database db) {
        this.db = db;
    }

    private static String context(EnrollmentId id) {
        return "bootstrap-token/" + id.deviceId();
    }

    @Override
    public void store(EnrollmentId deviceChannel, byte[] token) {
        Columns.requireDeviceChannel(deviceChannel, "a bootstrap token");
        Objects.requireNonNull(token, "token");
        if (token.length == 0) {
            delete(deviceChannel);
            return;
        }
        byte[] sealed = db.secrets().seal(token, context(deviceChannel));
        long now = Columns.nanos(Instant.now());
        db.jpa("storing the bootstrap token of " + deviceChannel, em -> {
            BootstrapTokenEntity e = em.find(BootstrapTokenEntity.class, deviceChannel.deviceId());
            if (e == null) {
                e = new BootstrapTokenEntity(deviceChannel.deviceId());
                e.sealedToken = sealed;
                e.updatedAt = now;
                em.persist(e);
            } else {
                e.sealedToken = sealed;
                e.updatedAt = now;
            }
            return null;
        });
    }

    @Override
    public Optional<byte[]> find(EnrollmentId deviceChannel) {
        Columns.requireDeviceChannel(deviceChannel, "a bootstrap token");
        byte[] sealed = db.jpa("reading the bootstrap token of " + deviceChannel, em -> {
            BootstrapTokenEntity e = em.find(BootstrapTokenEntity.class, deviceChannel.deviceId());
            return e == null ? null : e.sealedToken;
        });
        return sealed == null ? Optional.empty() : Optional.of(db.secrets().open(sealed, context(deviceChannel)));
    }

    @Override
    public boolean delete(EnrollmentId deviceChannel) {
        Columns.requireDeviceChannel(deviceChannel, "a bootstrap token");
        return db.jpa("deleting the bootstrap token of " + deviceChannel, em -> em
                .createQuery("DELETE FROM BootstrapTokenEntity t WHERE t.deviceId = :id")
                .setParameter("id", deviceChannel.deviceId()).executeUpdate() > 0);
    }
}
