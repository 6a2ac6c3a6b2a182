package io.verger.api.storage;

import org.osgi.annotation.versioning.ProviderType;

import java.time.Instant;

/**
 * One-time secrets of over-the-air enrollment, shared by every server node: enrollment tokens
 * (who may fetch an enrollment profile), SCEP challenge passwords (who may get a device identity)
 * and SCEP transaction IDs already seen (replay protection).
 *
 * <p>An implementation stores only a SHA-256 digest of each secret, never the secret itself, so a
 * copy of the database gives no one a usable token or challenge. Each secret is scoped by its
 * {@link Kind}: the same string may exist once per kind.
 */
// Provider type: implemented by the storage bundle and called by the identity bundle; it may gain
// methods in a minor version, which only storage implementations must follow.
@ProviderType
public interface EnrollmentSecretStore {

    /** What a secret is for. */
    enum Kind {
        /** an enrollment token: may fetch one enrollment profile */
        ENROLLMENT_TOKEN,
        /** a SCEP challenge password: may get one device identity */
        SCEP_CHALLENGE,
        /** a SCEP transaction ID that was answered: recorded so that a replay is recognized */
        SCEP_TRANSACTION
    }

    /**
     * Records a new unused secret.
     *
     * @param kind      what it is for
     * @param secret    the secret; not blank
     * @param expiresAt when it stops being valid
     * @return {@code true} if it was recorded; {@code false} if the same secret of this kind is
     *         recorded already (used or not, expired or not, until {@link #purgeExpired} removes it)
     * @throws IllegalArgumentException if {@code secret} is blank
     */
    boolean create(Kind kind, String secret, Instant expiresAt);

    /**
     * Uses a secret up, atomically: of any number of callers on any number of nodes consuming the
     * same secret, at most one gets {@code true}.
     *
     * @param kind   what it is for
     * @param secret the secret presented
     * @param now    the time to compare the expiry with
     * @return {@code true} if it was recorded, unused and not expired at {@code now}, and is now
     *         marked used; {@code false} otherwise (unknown, used or expired)
     */
    boolean consume(Kind kind, String secret, Instant now);

    /**
     * Deletes the secrets (used or not) that expired at or before {@code now}.
     *
     * @param now the time to compare expiries with
     * @return how many were deleted
     */
    int purgeExpired(Instant now);
}
