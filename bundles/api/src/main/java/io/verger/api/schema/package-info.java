/**
 * The vocabulary of Apple's device-management schema, shared by the descriptions of command types
 * ({@link io.verger.api.command}) and policy modules ({@link io.verger.api.policy}): value types,
 * payload keys, per-platform support, access rights, and the validation error that names a key.
 *
 * <p>The types mirror Apple's YAML schema ({@code mdm/commands}, {@code mdm/profiles}) so that a
 * description can be written by reading the schema file of its command or payload.
 */
@Version("1.1.0")
@Export
package io.verger.api.schema;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
