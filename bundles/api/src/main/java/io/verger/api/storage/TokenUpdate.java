package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import io.verger.api.push.PushTarget;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a {@code TokenUpdate} check-in tells the server: how to wake the channel, and for the device
 * channel possibly its unlock token.
 *
 * @param push                  the channel's new push data; its {@code enrollmentId} is the channel
 * @param unlockToken           the {@code UnlockToken} (device channel, iOS), or {@code null} when the
 *                              message has none (the stored one is then kept)
 * @param awaitingConfiguration {@code AwaitingConfiguration}, {@code false} when absent
 * @param userShortName         {@code UserShortName} of a user channel, or {@code null}
 * @param userLongName          {@code UserLongName} of a user channel, or {@code null}
 * @param receivedAt            when the server received the message
 */
public record TokenUpdate(PushTarget push, byte[] unlockToken, boolean awaitingConfiguration,
        String userShortName, String userLongName, Instant receivedAt) {

    /** @throws NullPointerException if {@code push} or {@code receivedAt} is {@code null} */
    public TokenUpdate {
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(receivedAt, "receivedAt");
        unlockToken = unlockToken == null ? null : unlockToken.clone();
    }

    /** @return the channel this update is for */
    public EnrollmentId enrollmentId() {
        return push.enrollmentId();
    }

    /** @return a copy of the unlock token, or {@code null} */
    @Override
    public byte[] unlockToken() {
        return unlockToken == null ? null : unlockToken.clone();
    }

    /** Compares the unlock token by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TokenUpdate t && push.equals(t.push) && Arrays.equals(unlockToken, t.unlockToken)
                && awaitingConfiguration == t.awaitingConfiguration
                && Objects.equals(userShortName, t.userShortName) && Objects.equals(userLongName, t.userLongName)
                && receivedAt.equals(t.receivedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(push, Arrays.hashCode(unlockToken), awaitingConfiguration, userShortName, userLongName, receivedAt);
    }

    /** Leaves tokens out of logs. */
    @Override
    public String toString() {
        return "TokenUpdate[" + push.enrollmentId() + ", topic=" + push.topic()
                + ", unlockToken=" + (unlockToken == null ? "absent" : "present")
                + ", awaitingConfiguration=" + awaitingConfiguration + ", receivedAt=" + receivedAt + "]";
    }
}
