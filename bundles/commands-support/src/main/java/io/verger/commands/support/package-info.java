/**
 * Command types from schema facts: {@link io.verger.commands.support.CommandFacts} reads the {@code commands.json}
 * that {@code tools/schema-gen} generates from Apple's {@code mdm/commands} schema, and
 * {@link io.verger.commands.support.SchemaCommandType} is a {@link io.verger.api.command.CommandType} built from
 * one command's facts. The standard {@code commands-*} bundles are one small Declarative Services component per
 * RequestType over these; a vendor bundle can use them the same way (or subclass to override one command).
 */
@Version("1.0.0")
@Export
package io.verger.commands.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
