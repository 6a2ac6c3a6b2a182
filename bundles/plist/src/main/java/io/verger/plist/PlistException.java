package io.verger.plist;

/**
 * A plist could not be decoded or a value could not be encoded. The message says what was wrong and,
 * where it applies, at which key path ({@code QueryResponses.OSUpdateSettings[2].Foo}).
 *
 * <p>Unchecked on purpose: for decoding, callers translate it once at their protocol boundary (an HTTP
 * 400 for a device's body); for encoding, it signals a programming error (an unsupported value type).
 * A decode that throws has had no side effect: no file or network access, no partial result.
 */
public class PlistException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PlistException(String message) {
        super(message);
    }

    public PlistException(String message, Throwable cause) {
        super(message, cause);
    }
}
