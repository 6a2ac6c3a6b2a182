package io.verger.api.checkin;

import io.verger.api.EnrollmentId;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers the {@code DeclarativeManagement} check-in message (Declarative Device Management). When no service
 * of this type is installed, the core answers the device with a clear "not supported" error.
 *
 * <p>Implementations must be thread-safe: the core calls them concurrently for many devices.
 */
// Consumer type: a plugin implements it and only the core calls it; any change is a major version.
@ConsumerType
public interface DeclarativeManagement {

    /**
     * Handles one {@code DeclarativeManagement} message. The caller has already authenticated the device and
     * checked that {@code enrollmentId} is enrolled.
     *
     * @param enrollmentId the channel that sent the message
     * @param endpoint     the message's {@code Endpoint} (e.g. {@code tokens}, {@code declaration-items},
     *                     {@code status}, {@code declaration/configuration/<id>})
     * @param data         the message's {@code Data} (JSON bytes), empty if absent
     * @return the answer to send to the device
     * @throws IllegalArgumentException for an endpoint or data the plugin does not understand; the core answers
     *                                  400 with the exception's message
     */
    CheckinReply handle(EnrollmentId enrollmentId, String endpoint, byte[] data);
}
