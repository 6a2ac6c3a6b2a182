/**
 * Device identities: issuing them ({@link io.verger.api.identity.CertificateAuthority}) and
 * verifying the identity a device presents on every request
 * ({@link io.verger.api.identity.IdentityVerifier}), which binds each identity to exactly one
 * enrollment so a device can never read or answer another device's commands.
 */
@Version("1.1.0")
@Export
package io.verger.api.identity;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
