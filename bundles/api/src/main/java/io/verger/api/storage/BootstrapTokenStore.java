package io.verger.api.storage;

import io.verger.api.EnrollmentId;
import org.osgi.annotation.versioning.ProviderType;

import java.util.Optional;

/**
 * Escrowed bootstrap tokens of macOS devices ({@code SetBootstrapToken} stores, {@code
 * GetBootstrapToken} reads). A bootstrap token is a secret: an implementation should encrypt it at
 * rest.
 *
 * <p>Every method requires a device channel and throws {@link IllegalArgumentException} for a user channel.
 */
// Provider type: implemented by the storage bundle and called by the core; it may gain methods in a
// minor version, which only storage implementations must follow.
@ProviderType
public interface BootstrapTokenStore {

    /**
     * Stores a device's bootstrap token, replacing the previous one. An empty token removes it, as
     * Apple specifies for a {@code SetBootstrapToken} without one.
     *
     * @param deviceChannel the device
     * @param token         the {@code BootstrapToken} bytes, or an empty array
     */
    void store(EnrollmentId deviceChannel, byte[] token);

    /**
     * @param deviceChannel the device
     * @return a copy of its token, or empty if none is escrowed
     */
    Optional<byte[]> find(EnrollmentId deviceChannel);

    /**
     * @param deviceChannel the device
     * @return {@code true} if a token was removed
     */
    boolean delete(EnrollmentId deviceChannel);
}
