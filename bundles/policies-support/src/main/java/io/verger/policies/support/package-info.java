/**
 * Building blocks for policy bundles: {@link io.verger.policies.support.PolicyFacts} reads payload facts generated
 * from Apple's profile schema ({@code tools/schema-gen/generate_policies.py}), and
 * {@link io.verger.policies.support.SchemaPolicyModule} is a {@link io.verger.api.policy.PolicyModule} built from one
 * payload's facts. A vendor bundle may extend it to add checks or defaults.
 */
@Version("1.0.0")
@Export
package io.verger.policies.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
