package io.verger.core.internal;

/**
 * A request the server refuses: carries the HTTP status and a message for the caller (never a secret).
 */
class MdmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    MdmException(int status, String message) {
        super(message);
        this.status = status;
    }

    MdmException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    int status() {
        return status;
    }

    static MdmException badRequest(String message) {
        return new MdmException(400, message);
    }

    static MdmException unavailable(String message) {
        return new MdmException(503, message);
    }
}
