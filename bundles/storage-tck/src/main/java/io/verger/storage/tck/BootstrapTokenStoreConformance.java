package io.verger.storage.tck;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.BootstrapTokenStore;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour {@link BootstrapTokenStore}'s Javadoc specifies. */
public abstract class BootstrapTokenStoreConformance extends StoreConformance {

    private BootstrapTokenStore store() {
        return stores.bootstrapTokens();
    }

    private static byte[] randomToken(int length) {
        byte[] b = new byte[length];
        new Random(length).nextBytes(b);
        return b;
    }

    @Test
    void tokenRoundTrips() {
        EnrollmentId id = newDevice();
        byte[] token = randomToken(4096);
        store().store(id, token);
        assertArrayEquals(token, store().find(id).orElseThrow());
    }

    @Test
    void noTokenIsEscrowedAtFirst() {
        assertTrue(store().find(newDevice()).isEmpty());
    }

    @Test
    void storeReplacesThePreviousToken() {
        EnrollmentId id = newDevice();
        store().store(id, randomToken(100));
        byte[] second = randomToken(50);
        store().store(id, second);
        assertArrayEquals(second, store().find(id).orElseThrow());
    }

    @Test
    void emptyTokenRemovesTheEscrowedOne() {
        EnrollmentId id = newDevice();
        store().store(id, randomToken(100));
        store().store(id, new byte[0]);
        assertTrue(store().find(id).isEmpty());
        store().store(id, new byte[0]); // nothing to remove: no error
        assertTrue(store().find(id).isEmpty());
    }

    @Test
    void deleteSaysWhetherATokenWasRemoved() {
        EnrollmentId id = newDevice();
        assertFalse(store().delete(id));
        store().store(id, randomToken(10));
        assertTrue(store().delete(id));
        assertTrue(store().find(id).isEmpty());
        assertFalse(store().delete(id));
    }

    @Test
    void tokensAreCopiedInAndOut() {
        EnrollmentId id = newDevice();
        byte[] token = randomToken(64);
        byte[] original = token.clone();
        store().store(id, token);
        token[0] ^= 1;
        byte[] out = store().find(id).orElseThrow();
        assertArrayEquals(original, out);
        out[1] ^= 1;
        assertArrayEquals(original, store().find(id).orElseThrow());
    }

    @Test
    void tokensAreKeptPerDevice() {
        EnrollmentId a = newDevice();
        EnrollmentId b = newDevice();
        store().store(a, randomToken(11));
        store().store(b, randomToken(22));
        assertArrayEquals(randomToken(11), store().find(a).orElseThrow());
        assertArrayEquals(randomToken(22), store().find(b).orElseThrow());
    }

    @Test
    void userChannelsAreRejected() {
        EnrollmentId user = newDevice().userChannel("501");
        assertThrows(IllegalArgumentException.class, () -> store().store(user, randomToken(5)));
        assertThrows(IllegalArgumentException.class, () -> store().find(user));
        assertThrows(IllegalArgumentException.class, () -> store().delete(user));
    }

    @Test
    void nullArgumentsThrowNullPointerException() {
        assertThrows(NullPointerException.class, () -> store().store(newDevice(), null));
        assertThrows(NullPointerException.class, () -> store().find(null));
    }
}
