/**
 * What happened in the protocol, published by the core on OSGi EventAdmin: check-ins, command
 * lifecycle and enrollment changes. Webhooks, the console and audit logging subscribe to it; see
 * {@link io.verger.api.event.MdmEvents} for the topics and properties.
 */
@Version("1.0.0")
@Export
package io.verger.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
