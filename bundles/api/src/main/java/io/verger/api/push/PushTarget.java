package io.verger.api.push;

import io.verger.api.EnrollmentId;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where to send one push: what a device channel gave the server in its last {@code TokenUpdate}.
 *
 * @param enrollmentId the channel to wake
 * @param token        the device token ({@code Token}), raw bytes; never empty
 * @param pushMagic    the {@code PushMagic} string the push must carry; never blank
 * @param topic        the APNs topic ({@code Topic}), the UID of the push certificate,
 *                     e.g. {@code com.apple.mgmt.External.0c0ffee0-...}; never blank
 */
public record PushTarget(EnrollmentId enrollmentId, byte[] token, String pushMagic, String topic) {

    /**
     * @throws NullPointerException     if a component is {@code null}
     * @throws IllegalArgumentException if {@code token} is empty or {@code pushMagic} or
     *                                  {@code topic} is blank; the message names the enrollment
     */
    public PushTarget {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Objects.requireNonNull(token, "token of " + enrollmentId);
        Objects.requireNonNull(pushMagic, "pushMagic of " + enrollmentId);
        Objects.requireNonNull(topic, "topic of " + enrollmentId);
        if (token.length == 0) {
            throw new IllegalArgumentException("push token of " + enrollmentId + " is empty");
        }
        if (pushMagic.isBlank()) {
            throw new IllegalArgumentException("PushMagic of " + enrollmentId + " is blank");
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("push topic of " + enrollmentId + " is blank");
        }
        token = token.clone();
    }

    /** @return a copy of the device token */
    @Override
    public byte[] token() {
        return token.clone();
    }

    /** @return the device token in lower-case hex, as APNs takes it in the request path */
    public String tokenHex() {
        return HexFormat.of().formatHex(token);
    }

    /** Compares the token by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PushTarget t && enrollmentId.equals(t.enrollmentId)
                && Arrays.equals(token, t.token) && pushMagic.equals(t.pushMagic) && topic.equals(t.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enrollmentId, Arrays.hashCode(token), pushMagic, topic);
    }

    /** Names the enrollment and topic only: token and PushMagic stay out of logs. */
    @Override
    public String toString() {
        return "PushTarget[" + enrollmentId + ", topic=" + topic + "]";
    }
}
