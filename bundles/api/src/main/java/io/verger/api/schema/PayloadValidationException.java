package io.verger.api.schema;

import java.util.Objects;

/**
 * A command's parameters or a policy's settings do not match what their description or Apple's
 * schema expects. The message names the key, what was expected and what was found, e.g.
 * {@code Queries[2]: expected <string>, found <integer>}; the server returns it to the API caller
 * as a 4xx error.
 *
 * <p>Never put a secret into {@code found} (a passcode, a password, a token): name its type or its
 * length instead. {@link ValueType#describe(Object)} does that.
 */
public class PayloadValidationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String expected;
    private final String found;

    /**
     * @param key      the path of the offending key: names joined by {@code .}, array elements by
     *                 {@code [index]}, e.g. {@code Settings[0].Item}; empty for the payload as a whole
     * @param expected what a valid value would be, e.g. {@code "<string>"} or {@code "one of On, Off"}
     * @param found    what was found instead, e.g. {@code "<integer>"}, or {@code null} if saying so adds nothing
     * @throws NullPointerException if {@code key} or {@code expected} is {@code null}
     */
    public PayloadValidationException(String key, String expected, String found) {
        super(message(key, expected, found));
        this.key = key;
        this.expected = expected;
        this.found = found;
    }

    /**
     * @param key      the path of the offending key (see {@link #PayloadValidationException(String, String, String)})
     * @param expected what a valid value would be
     * @throws NullPointerException if an argument is {@code null}
     */
    public PayloadValidationException(String key, String expected) {
        this(key, expected, null);
    }

    /**
     * Re-throws another validation failure as this type, keeping its key, expectation and finding;
     * the original becomes the cause.
     *
     * @param cause the failure to carry over
     */
    protected PayloadValidationException(PayloadValidationException cause) {
        super(cause.getMessage(), cause);
        this.key = cause.key;
        this.expected = cause.expected;
        this.found = cause.found;
    }

    /** @return the path of the offending key; empty for the payload as a whole */
    public String key() {
        return key;
    }

    /** @return what a valid value would be */
    public String expected() {
        return expected;
    }

    /** @return what was found instead, or {@code null} */
    public String found() {
        return found;
    }

    private static String message(String key, String expected, String found) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expected, "expected");
        String text = "expected " + expected + (found == null ? "" : ", found " + found);
        return key.isEmpty() ? text : key + ": " + text;
    }
}
