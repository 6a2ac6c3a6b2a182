package io.verger.storage.tck;

import io.verger.api.EnrollmentId;
import io.verger.api.identity.CertificateFingerprint;
import io.verger.api.storage.CertAuthStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The binding rules {@link CertAuthStore}'s Javadoc specifies. */
public abstract class CertAuthStoreConformance extends StoreConformance {

    private CertAuthStore store() {
        return stores.certAuth();
    }

    private static CertificateFingerprint newFingerprint() {
        return CertificateFingerprint.of(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unboundCertificateIsNotBound() {
        CertificateFingerprint fp = newFingerprint();
        EnrollmentId id = newDevice();
        assertFalse(store().isBound(fp));
        assertFalse(store().isBound(id, fp));
        assertFalse(store().hasBinding(id));
        assertEquals(Optional.empty(), store().enrollmentOf(fp));
    }

    @Test
    void bindBindsTheCertificateToThatEnrollmentOnly() {
        CertificateFingerprint fp = newFingerprint();
        EnrollmentId id = newDevice();
        EnrollmentId other = newDevice();
        store().bind(id, fp);
        assertTrue(store().isBound(fp));
        assertTrue(store().isBound(id, fp));
        assertTrue(store().hasBinding(id));
        assertFalse(store().isBound(other, fp));
        assertFalse(store().hasBinding(other));
        assertEquals(Optional.of(id), store().enrollmentOf(fp));
    }

    @Test
    void bindIsIdempotent() {
        CertificateFingerprint fp = newFingerprint();
        EnrollmentId id = newDevice();
        store().bind(id, fp);
        store().bind(id, fp);
        assertTrue(store().isBound(id, fp));
        assertEquals(Optional.of(id), store().enrollmentOf(fp));
    }

    @Test
    void renewedIdentityKeepsTheEarlierBinding() {
        EnrollmentId id = newDevice();
        CertificateFingerprint first = newFingerprint();
        CertificateFingerprint renewed = newFingerprint();
        store().bind(id, first);
        store().bind(id, renewed);
        assertTrue(store().isBound(id, first), "existing bindings are kept");
        assertTrue(store().isBound(id, renewed));
        assertEquals(Optional.of(id), store().enrollmentOf(renewed));
    }

    @Test
    void enrollmentOfACertificateBoundTwiceIsTheMostRecentBinding() {
        CertificateFingerprint fp = newFingerprint();
        EnrollmentId older = newDevice();
        EnrollmentId newer = newDevice();
        store().bind(older, fp);
        store().bind(newer, fp);
        assertEquals(Optional.of(newer), store().enrollmentOf(fp));
        store().bind(older, fp); // idempotent: an existing binding is kept, not renewed
        assertTrue(store().isBound(older, fp));
        assertTrue(store().isBound(newer, fp));
    }

    @Test
    void userChannelsAreRejected() {
        EnrollmentId user = newDevice().userChannel("501");
        CertificateFingerprint fp = newFingerprint();
        assertThrows(IllegalArgumentException.class, () -> store().bind(user, fp));
        assertThrows(IllegalArgumentException.class, () -> store().hasBinding(user));
        assertThrows(IllegalArgumentException.class, () -> store().isBound(user, fp));
    }

    @Test
    void nullArgumentsThrowNullPointerException() {
        assertThrows(NullPointerException.class, () -> store().isBound((CertificateFingerprint) null));
        assertThrows(NullPointerException.class, () -> store().bind(newDevice(), null));
        assertThrows(NullPointerException.class, () -> store().enrollmentOf(null));
    }
}
