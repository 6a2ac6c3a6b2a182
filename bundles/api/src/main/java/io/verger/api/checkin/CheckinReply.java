package io.verger.api.checkin;

import java.util.Arrays;
import java.util.Objects;

/**
 * The HTTP answer a check-in plugin gives to the device.
 *
 * @param status      HTTP status, 200 for success
 * @param contentType the body's media type, e.g. {@code application/json}; {@code null} for an empty body
 * @param body        the body (may be empty, never {@code null})
 */
public record CheckinReply(int status, String contentType, byte[] body) {

    public CheckinReply {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("HTTP status " + status + " out of range");
        }
        Objects.requireNonNull(body, "body");
        body = body.clone();
    }

    /** 200 with a JSON body. */
    public static CheckinReply json(byte[] body) {
        return new CheckinReply(200, "application/json", body);
    }

    /** 200 with no body. */
    public static CheckinReply empty() {
        return new CheckinReply(200, null, new byte[0]);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckinReply r && status == r.status && Objects.equals(contentType, r.contentType)
                && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, contentType, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "CheckinReply[" + status + ", " + contentType + ", " + body.length + " bytes]";
    }
}
