/**
 * Signing configuration profiles: the {@link io.verger.api.signing.ProfileSigner} service
 * (provided by the {@code signing} bundle, replaceable by e.g. an HSM-backed signer).
 */
@Version("1.0.0")
@Export
package io.verger.api.signing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
