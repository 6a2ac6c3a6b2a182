package io.verger.api.push;

import java.util.Objects;

/**
 * The outcome of one push.
 *
 * @param target  the target it was sent to
 * @param outcome what became of it
 * @param apnsId  the {@code apns-id} APNs gave the notification, or {@code null} if none was received
 * @param reason  APNs' {@code reason} (e.g. {@code "Unregistered"}, {@code "BadDeviceToken"},
 *                {@code "TooManyRequests"}), or {@code null} when APNs gave none
 * @param detail  a sentence for people saying what happened (e.g. {@code "no push certificate for
 *                topic com.apple.mgmt.X"}), or {@code null} for a plain {@link PushOutcome#DELIVERED}
 */
public record PushResult(PushTarget target, PushOutcome outcome, String apnsId, String reason, String detail) {

    /** @throws NullPointerException if {@code target} or {@code outcome} is {@code null} */
    public PushResult {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * @param target the target
     * @param apnsId the {@code apns-id}, or {@code null}
     * @return a {@link PushOutcome#DELIVERED} result
     */
    public static PushResult delivered(PushTarget target, String apnsId) {
        return new PushResult(target, PushOutcome.DELIVERED, apnsId, null, null);
    }

    /**
     * @param target the target
     * @param detail what went wrong, for people
     * @return a {@link PushOutcome#FAILED} result without an APNs answer
     */
    public static PushResult failed(PushTarget target, String detail) {
        return new PushResult(target, PushOutcome.FAILED, null, null, Objects.requireNonNull(detail, "detail"));
    }
}
