package io.verger.storage.tck;

import io.verger.api.storage.EnrollmentSecretStore;
import io.verger.api.storage.EnrollmentSecretStore.Kind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-time semantics {@link EnrollmentSecretStore}'s Javadoc specifies. */
public abstract class EnrollmentSecretStoreConformance extends StoreConformance {

    private EnrollmentSecretStore store() {
        return stores.enrollmentSecrets();
    }

    private static String newSecret() {
        return "secret-" + UUID.randomUUID();
    }

    @Test
    void aSecretIsConsumedOnceOnly() {
        String secret = newSecret();
        assertTrue(store().create(Kind.ENROLLMENT_TOKEN, secret, at(600)));
        assertTrue(store().consume(Kind.ENROLLMENT_TOKEN, secret, at(1)));
        assertFalse(store().consume(Kind.ENROLLMENT_TOKEN, secret, at(2)), "used");
    }

    @Test
    void unknownSecretsAreNotConsumed() {
        assertFalse(store().consume(Kind.SCEP_CHALLENGE, newSecret(), at(0)));
        assertFalse(store().consume(Kind.SCEP_CHALLENGE, " ", at(0)));
    }

    @Test
    void expiredSecretsAreNotConsumed() {
        String secret = newSecret();
        store().create(Kind.SCEP_CHALLENGE, secret, at(60));
        assertFalse(store().consume(Kind.SCEP_CHALLENGE, secret, at(60)), "expired at its expiry instant");
        assertFalse(store().consume(Kind.SCEP_CHALLENGE, secret, at(61)));
    }

    @Test
    void secretsAreScopedByKind() {
        String secret = newSecret();
        store().create(Kind.ENROLLMENT_TOKEN, secret, at(600));
        assertFalse(store().consume(Kind.SCEP_CHALLENGE, secret, at(1)), "a token is not a challenge");
        assertTrue(store().create(Kind.SCEP_CHALLENGE, secret, at(600)), "the same string may exist once per kind");
        assertTrue(store().consume(Kind.ENROLLMENT_TOKEN, secret, at(1)));
    }

    @Test
    void creatingTheSameSecretTwiceReportsTheDuplicate() {
        String transactionId = newSecret();
        assertTrue(store().create(Kind.SCEP_TRANSACTION, transactionId, at(600)));
        assertFalse(store().create(Kind.SCEP_TRANSACTION, transactionId, at(900)), "a replay is recognized");
        store().consume(Kind.SCEP_TRANSACTION, transactionId, at(1));
        assertFalse(store().create(Kind.SCEP_TRANSACTION, transactionId, at(900)), "used ones too");
    }

    @Test
    void purgeDeletesOnlyExpiredSecrets() {
        String old = newSecret();
        String fresh = newSecret();
        store().create(Kind.ENROLLMENT_TOKEN, old, at(10));
        store().create(Kind.ENROLLMENT_TOKEN, fresh, at(1000));
        assertEquals(1, store().purgeExpired(at(10)));
        assertTrue(store().create(Kind.ENROLLMENT_TOKEN, old, at(2000)), "a purged secret is forgotten");
        assertTrue(store().consume(Kind.ENROLLMENT_TOKEN, fresh, at(11)));
    }

    @Test
    void concurrentConsumersSucceedOnce() throws Exception {
        String secret = newSecret();
        store().create(Kind.SCEP_CHALLENGE, secret, at(600));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> store().consume(Kind.SCEP_CHALLENGE, secret, at(1)));
            }
            int wins = 0;
            for (Future<Boolean> f : pool.invokeAll(tasks)) {
                wins += f.get() ? 1 : 0;
            }
            assertEquals(1, wins);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> store().create(Kind.ENROLLMENT_TOKEN, "  ", at(10)));
        assertThrows(NullPointerException.class, () -> store().create(Kind.ENROLLMENT_TOKEN, null, at(10)));
        assertThrows(NullPointerException.class, () -> store().consume(null, newSecret(), at(10)));
    }
}
