/**
 * Common value types of the Verger API: who a device is ({@link io.verger.api.EnrollmentId},
 * {@link io.verger.api.Channel}, {@link io.verger.api.EnrollmentType}), what it runs
 * ({@link io.verger.api.Platform}) and what it answered ({@link io.verger.api.CommandStatus},
 * {@link io.verger.api.ErrorChainEntry}).
 *
 * <h2>Plist values</h2>
 * Every interface of this API passes property-list values as plain Java: a plist dictionary is a
 * {@code Map<String,Object>}, an array a {@code List<Object>}, and the scalars are {@link String},
 * {@link Long} (integer), {@link Double} (real), {@link Boolean}, {@code byte[]} (data) and
 * {@link java.time.Instant} (date). {@code null} is never a plist value: a key that has no value is
 * absent from its map. No plugin ever needs a plist library.
 *
 * <h2>Conventions of all API packages</h2>
 * Unless a method says otherwise: arguments must not be {@code null} (a {@code null} argument
 * throws {@link NullPointerException}); methods never return {@code null} (absence is an empty
 * {@link java.util.Optional} or an empty collection); returned collections are unmodifiable;
 * records copy the collections and arrays they are given (the top level: nested plist values are
 * shared, so treat every plist value you receive or hand over as immutable).
 */
@Version("1.0.0")
@Export
package io.verger.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
