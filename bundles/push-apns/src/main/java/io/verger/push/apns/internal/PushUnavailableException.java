package io.verger.push.apns.internal;

/** No client can be had for a topic right now; the message is the FAILED detail, for people. */
final class PushUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    PushUnavailableException(String message) {
        super(message, null, false, false);
    }
}
