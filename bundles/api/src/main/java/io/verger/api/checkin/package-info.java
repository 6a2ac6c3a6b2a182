/**
 * Extension points for check-in messages that a plugin answers: Declarative Device Management and
 * {@code GetToken}. The core handles every other check-in message itself.
 */
@Version("1.0.0")
@Export
package io.verger.api.checkin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
