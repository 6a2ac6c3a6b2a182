package io.verger.api.storage;

/**
 * The backing store failed: database unreachable, timeout, constraint broken by a concurrent node.
 * Callers treat it as a transient server error. The message says which operation failed and for
 * which enrollment, command or topic.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed, for which enrollment, command or topic */
    public StorageException(String message) {
        super(message);
    }

    /**
     * @param message what failed, for which enrollment, command or topic
     * @param cause   the backend's exception
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
