package io.verger.api.command;

import io.verger.api.Channel;
import io.verger.api.EnrollmentType;
import io.verger.api.Platform;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PayloadValidationException;
import io.verger.api.schema.PlatformSupport;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a command type tells the server and API callers about its command, following the command's
 * schema file in Apple's {@code mdm/commands}.
 *
 * @param requestType the {@code RequestType}, e.g. {@code "DeviceLock"}
 * @param title       a short name for people, e.g. {@code "Device Lock"}
 * @param description what the command does; may be empty, never {@code null}
 * @param parameters  the keys of the {@code Command} dictionary a caller may give, without
 *                    {@code RequestType}; empty for a command without parameters
 * @param platforms   the platforms that support the command, with their versions, access rights,
 *                    channels, supervision and enrollment rules; never empty
 */
public record CommandDescription(String requestType, String title, String description,
        List<PayloadKey> parameters, Map<Platform, PlatformSupport> platforms) {

    /**
     * @throws IllegalArgumentException if {@code requestType} or {@code title} is blank, or no platform is given
     * @throws NullPointerException     if {@code requestType}, {@code title}, {@code parameters} or
     *                                  {@code platforms} is {@code null}
     */
    public CommandDescription {
        Objects.requireNonNull(requestType, "requestType");
        Objects.requireNonNull(title, "title of " + requestType);
        if (requestType.isBlank()) {
            throw new IllegalArgumentException("requestType is blank");
        }
        if (title.isBlank()) {
            throw new IllegalArgumentException(requestType + ": title is blank");
        }
        description = description == null ? "" : description;
        parameters = List.copyOf(parameters);
        platforms = Map.copyOf(platforms);
        if (platforms.isEmpty()) {
            throw new IllegalArgumentException(requestType + ": no platform supports it; give at least one");
        }
    }

    /**
     * @param platform a platform
     * @return how the command is supported there, or empty if it is not
     */
    public Optional<PlatformSupport> on(Platform platform) {
        return Optional.ofNullable(platforms.get(Objects.requireNonNull(platform, "platform")));
    }

    /**
     * @param platform   the device's platform
     * @param type       how the device enrolled
     * @param channel    the channel the command would be sent on
     * @param supervised whether the device is supervised
     * @return {@code true} if the platform supports the command and its enrollment rules permit it
     *         (see {@link PlatformSupport#permits(EnrollmentType, Channel, boolean)})
     */
    public boolean permits(Platform platform, EnrollmentType type, Channel channel, boolean supervised) {
        return on(platform).map(s -> s.permits(type, channel, supervised)).orElse(false);
    }

    /**
     * Checks parameters against {@link #parameters()}: required keys present, no unknown key, every
     * value of its key's type, allowed values and range, recursively.
     *
     * @param params the parameters, without {@code RequestType}
     * @throws CommandValidationException naming the first invalid parameter
     */
    public void validate(Map<String, Object> params) throws CommandValidationException {
        try {
            PayloadKey.validateDictionary(parameters, params, "");
        } catch (PayloadValidationException e) {
            throw CommandValidationException.from(e);
        }
    }
}
