package io.verger.api.policy;

import io.verger.api.Platform;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PayloadValidationException;
import io.verger.api.schema.PlatformSupport;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a policy module tells the server and API callers about its settings, following the payload's
 * schema file in Apple's {@code mdm/profiles}.
 *
 * @param payloadType the {@code PayloadType}, e.g. {@code "com.apple.wifi.managed"}
 * @param title       a short name for people, e.g. {@code "Wi-Fi"}
 * @param description what the payload configures; may be empty, never {@code null}
 * @param settings    the keys of a policy's settings (often exactly the payload's keys); empty when
 *                    the payload has no settings
 * @param platforms   the platforms that support the payload, with versions, channels, supervision
 *                    and enrollment rules; never empty
 * @param multiple    whether a device may hold more than one payload of this type (Apple's {@code multiple})
 */
public record PolicyDescription(String payloadType, String title, String description,
        List<PayloadKey> settings, Map<Platform, PlatformSupport> platforms, boolean multiple) {

    /**
     * @throws IllegalArgumentException if {@code payloadType} or {@code title} is blank, or no platform is given
     * @throws NullPointerException     if {@code payloadType}, {@code title}, {@code settings} or
     *                                  {@code platforms} is {@code null}
     */
    public PolicyDescription {
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(title, "title of " + payloadType);
        if (payloadType.isBlank()) {
            throw new IllegalArgumentException("payloadType is blank");
        }
        if (title.isBlank()) {
            throw new IllegalArgumentException(payloadType + ": title is blank");
        }
        description = description == null ? "" : description;
        settings = List.copyOf(settings);
        platforms = Map.copyOf(platforms);
        if (platforms.isEmpty()) {
            throw new IllegalArgumentException(payloadType + ": no platform supports it; give at least one");
        }
    }

    /**
     * @param platform a platform
     * @return how the payload is supported there, or empty if it is not
     */
    public Optional<PlatformSupport> on(Platform platform) {
        return Optional.ofNullable(platforms.get(Objects.requireNonNull(platform, "platform")));
    }

    /**
     * Checks settings against {@link #settings()}: required keys present, no unknown key, every value
     * of its key's type, allowed values and range, recursively.
     *
     * @param settings a policy's settings
     * @throws SettingsValidationException naming the first invalid setting
     */
    public void validate(Map<String, Object> settings) throws SettingsValidationException {
        try {
            PayloadKey.validateDictionary(this.settings, settings, "");
        } catch (PayloadValidationException e) {
            throw SettingsValidationException.from(e);
        }
    }
}
