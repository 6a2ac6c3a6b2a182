package io.verger.api.checkin;

import java.util.Map;

import io.verger.api.EnrollmentId;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers the {@code GetToken} check-in message: a device asks for a token for a service (e.g.
 * {@code com.apple.maid} for Managed Apple IDs). Services register with the property
 * {@value #SERVICE_TYPE} naming the {@code TokenServiceType} they serve; without a matching service the core
 * answers the device with a clear error.
 */
// Consumer type: a plugin implements it and only the core calls it; any change is a major version.
@ConsumerType
public interface TokenService {

    /** Service property: the {@code TokenServiceType} this service answers. */
    String SERVICE_TYPE = "verger.token.serviceType";

    /**
     * @param enrollmentId the channel that asked
     * @param message      the whole {@code GetToken} message as plain values
     * @return the token bytes; the core sends them to the device as {@code TokenData}
     * @throws IllegalArgumentException if the request cannot be answered; the core answers 400 with the message
     */
    byte[] token(EnrollmentId enrollmentId, Map<String, Object> message);
}
