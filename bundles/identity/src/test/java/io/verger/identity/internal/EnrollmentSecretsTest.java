package io.verger.identity.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnrollmentSecretsTest {

    /** Counts purges, and fails them on demand. */
    static final class CountingStore extends InMemoryEnrollmentSecretStore {
        int purges;
        boolean failPurge;

        @Override
        public synchronized int purgeExpired(Instant now) {
            purges++;
            if (failPurge) {
                throw new IllegalStateException("database down");
            }
            return super.purgeExpired(now);
        }
    }

    private final MovableClock clock = new MovableClock();
    private final CountingStore store = new CountingStore();
    private final EnrollmentSecrets secrets = new EnrollmentSecrets(store, clock);

    EnrollmentSecretsTest() {
        secrets.start(TestConfig.enrollment("tokenTtlMinutes", 10, "challengeTtlMinutes", 10), name -> null);
    }

    @Test
    void expiredSecretsArePurgedAtMostOncePerInterval() {
        secrets.newToken();
        assertEquals(1, store.purges, "the first issue purges");
        for (int i = 0; i < 50; i++) {
            secrets.newToken();
            secrets.newChallenge();
        }
        assertEquals(1, store.purges, "not again within the interval");
        assertEquals(101, store.size());

        clock.now = clock.now.plus(Duration.ofMinutes(11)); // everything issued so far has expired
        secrets.newChallenge();
        assertEquals(2, store.purges, "a challenge purges too once the interval has passed");
        assertEquals(1, store.size(), "only the new challenge is left");
    }

    @Test
    void anExpiredSecretIsRefusedWhetherPurgedOrNot() {
        String token = secrets.newToken().secret();
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertFalse(secrets.acceptToken(token), "expired at its TTL, before any purge");
        assertEquals(1, store.size(), "still stored: not purged yet");
    }

    @Test
    void aFailedPurgeDoesNotFailTheIssueAndIsRetriedAfterTheInterval() {
        store.failPurge = true;
        String token = secrets.newToken().secret();
        assertEquals(1, store.purges);
        assertTrue(secrets.acceptToken(token), "the token was issued although the purge failed");
        store.failPurge = false;
        secrets.newToken();
        assertEquals(1, store.purges, "not retried at once");
        clock.now = clock.now.plus(EnrollmentSecrets.PURGE_INTERVAL);
        secrets.newToken();
        assertEquals(2, store.purges);
    }

    @Test
    void aClockThatWentBackPurgesAgain() {
        secrets.newToken();
        clock.now = clock.now.minus(Duration.ofHours(1));
        secrets.newToken();
        assertEquals(2, store.purges);
    }

    @Test
    void transactionIdsAreRememberedUntilPurgedAfterTheirMemory() {
        assertTrue(secrets.firstUseOfTransaction("tx-1"));
        assertFalse(secrets.firstUseOfTransaction("tx-1"), "a replay");
        clock.now = clock.now.plus(EnrollmentSecrets.TRANSACTION_MEMORY).plusSeconds(1);
        secrets.newToken();
        assertTrue(secrets.firstUseOfTransaction("tx-1"), "forgotten once purged after its memory");
    }
}
