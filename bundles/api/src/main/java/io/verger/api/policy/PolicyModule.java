package io.verger.api.policy;

import org.osgi.annotation.versioning.ConsumerType;

import java.util.List;
import java.util.Map;

/**
 * One kind of configuration-profile payload, e.g. {@code com.apple.mobiledevice.passwordpolicy}:
 * what its settings are, how to check them, and how to turn them into payload dictionaries.
 *
 * <p>Register an implementation as an OSGi service of this interface; one service per
 * {@code PayloadType}. If two services name the same PayloadType, the server uses the one with the
 * highest {@code service.ranking} (then the lowest {@code service.id}). A policy whose module is not
 * installed cannot be saved or installed; the server answers with a 4xx error that names the
 * PayloadType, and keeps the stored policy for when the module returns.
 *
 * <p>Thread-safety: the server calls every method from many threads at once; implementations must be
 * thread-safe and should be stateless.
 *
 * <p>What the server guarantees about {@code settings} in every method: never {@code null},
 * unmodifiable all the way down, plain-Java plist values only (JSON input converted with the help of
 * {@link #describe()}, as for {@link io.verger.api.command.CommandType#build(Map)}).
 */
// Consumer type: plugin bundles implement it and the core calls it, so the interface must stay
// binary compatible for them; any change to it is a major version.
@ConsumerType
public interface PolicyModule {

    /** @return the {@code PayloadType} exactly as Apple spells it; the same value for the life of the service */
    String payloadType();

    /**
     * Describes the settings, and per platform the versions, channels, supervision and enrollment
     * rules. It must not change while the service is registered (the server may cache it), and its
     * {@code payloadType} must equal {@link #payloadType()}.
     *
     * @return the description; never {@code null}
     */
    PolicyDescription describe();

    /**
     * Checks settings without building anything; the server calls it when a policy is saved, so a
     * mistake is reported to the person who made it rather than at install time.
     *
     * <p>Must throw {@link SettingsValidationException} for the first invalid setting, and nothing
     * else for bad input (any other exception is taken as a bug of the module). Must have no side
     * effects. Settings that pass must also pass {@link #buildPayloads(Map)}.
     *
     * <p>The default implementation checks them against {@link PolicyDescription#validate(Map)}.
     *
     * @param settings the policy's settings
     * @throws SettingsValidationException naming the first invalid setting and what was expected
     */
    default void validate(Map<String, Object> settings) throws SettingsValidationException {
        describe().validate(settings);
    }

    /**
     * Builds the payload dictionaries for a policy's settings.
     *
     * <p>Each returned map is one payload of this module's type: its content keys, plist values only,
     * in the order they should appear in the profile. The module may set {@code PayloadDisplayName},
     * {@code PayloadDescription} and {@code PayloadOrganization}. It must not set
     * {@code PayloadUUID} or {@code PayloadIdentifier}: the server assigns them, stable per policy
     * and position, so that installing a changed policy replaces its payloads on the device instead
     * of adding new ones. The server sets {@code PayloadType} to {@link #payloadType()} and
     * {@code PayloadVersion} to 1 where absent, and refuses a payload of another type or with
     * either identifier set. An empty list means the settings call for no payload.
     *
     * <p>Must validate as {@link #validate(Map)} does and have no side effects.
     *
     * @param settings the policy's settings
     * @return the payloads; the server does not modify them
     * @throws SettingsValidationException naming the first invalid setting and what was expected
     */
    List<Map<String, Object>> buildPayloads(Map<String, Object> settings) throws SettingsValidationException;
}
