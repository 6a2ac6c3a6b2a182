/**
 * Command types: one {@link io.verger.api.command.CommandType} service per MDM {@code RequestType},
 * provided by the {@code commands-*} bundles. The server looks them up dynamically, so installing,
 * updating or removing such a bundle adds, changes or removes a command at once; a request for a
 * RequestType with no installed type gets a 4xx error that names it.
 */
@Version("1.0.0")
@Export
package io.verger.api.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
