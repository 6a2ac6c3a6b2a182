package io.verger.api.push;

/**
 * What became of one push.
 */
public enum PushOutcome {
    /** APNs accepted the push (HTTP 200). APNs does not confirm delivery to the device. */
    DELIVERED,
    /** The token is no longer valid for the topic (HTTP 410 {@code Unregistered}): the device unenrolled or was erased. */
    UNREGISTERED,
    /**
     * APNs rejected the token (HTTP 400 {@code BadDeviceToken} or {@code DeviceTokenNotForTopic}),
     * e.g. a development token sent to production.
     */
    BAD_TOKEN,
    /** APNs still answered HTTP 429 ({@code TooManyRequests}) after the provider's retries. */
    THROTTLED,
    /** Anything else: certificate missing or expired, network failure, 5xx after retries, other 4xx. */
    FAILED;

    /**
     * @return {@code true} for {@link #UNREGISTERED} and {@link #BAD_TOKEN}: pushing this token again
     *         is pointless until the device sends a new one in a {@code TokenUpdate}
     */
    public boolean tokenUnusable() {
        return this == UNREGISTERED || this == BAD_TOKEN;
    }
}
