/**
 * Waking devices through the Apple Push Notification service: the
 * {@link io.verger.api.push.PushProvider} service (provided by {@code push-apns}) and its value types.
 */
@Version("1.0.0")
@Export
package io.verger.api.push;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
