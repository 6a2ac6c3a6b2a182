/**
 * All state of a Verger server, behind small store interfaces shaped after NanoMDM's: enrollments
 * and their push data ({@link io.verger.api.storage.EnrollmentStore}), the command queue and its
 * results ({@link io.verger.api.storage.CommandQueue}), inventory, policies with their targets, device groups and version history
 * ({@link io.verger.api.storage.PolicyTargetStore}), push certificates,
 * certificate bindings, bootstrap tokens and the one-time secrets of enrollment
 * ({@link io.verger.api.storage.EnrollmentSecretStore}). Server nodes keep no state of their own, so any number
 * of nodes can share one store.
 *
 * <h2>What every store implementation must do</h2>
 * <ul>
 * <li>Be thread-safe, and safe with several server nodes using the same backing database at once:
 * each method is atomic (it happens entirely or not at all), and what one node wrote is seen by
 * every node once the method has returned.</li>
 * <li>Throw {@link io.verger.api.storage.StorageException} when the backing store fails (database
 * down, timeout). The server then answers the device with a 5xx, and the device retries later.</li>
 * <li>Follow the package conventions of {@link io.verger.api}: {@code null} arguments throw
 * {@link NullPointerException} unless a parameter says otherwise, results are never {@code null},
 * and returned values are copies the caller may keep.</li>
 * <li>Pass the shared storage conformance suite, which checks the behaviour documented here.</li>
 * </ul>
 * Swapping the storage means replacing the one bundle that provides all these services.
 */
@Version("1.4.0")
@Export
package io.verger.api.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
