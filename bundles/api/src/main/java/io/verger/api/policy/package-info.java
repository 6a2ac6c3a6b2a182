/**
 * Policy modules: one {@link io.verger.api.policy.PolicyModule} service per configuration-profile
 * {@code PayloadType}, provided by the {@code policies-*} bundles. A policy is a module's settings;
 * the server turns it into payloads, wraps them in a signed profile and installs it on the devices
 * the policy is assigned to.
 */
@Version("1.0.0")
@Export
package io.verger.api.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
