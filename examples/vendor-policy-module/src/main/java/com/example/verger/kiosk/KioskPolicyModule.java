package com.example.verger.kiosk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.verger.api.Platform;
import io.verger.api.policy.PolicyDescription;
import io.verger.api.policy.PolicyModule;
import io.verger.api.policy.SettingsValidationException;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PlatformSupport;
import io.verger.api.schema.ValueType;

/**
 * A vendor's own payload, {@code com.example.kiosk}, read on the Mac by Example Corp's kiosk agent: which app to
 * keep in front, whether the user may leave it, and after how many idle minutes to bring it back.
 *
 * <p>Everything a policy module does: say what its settings are ({@link #describe()}), check them (the default
 * {@link PolicyModule#validate} checks them against the description; {@link #buildPayloads} adds a rule the
 * description cannot express) and turn them into payload dictionaries. The server adds PayloadType, PayloadVersion,
 * PayloadIdentifier and PayloadUUID, wraps the payloads into a signed profile and installs it.
 */
@Component(service = PolicyModule.class)
public final class KioskPolicyModule implements PolicyModule {

    static final String PAYLOAD_TYPE = "com.example.kiosk";

    private static final PolicyDescription DESCRIPTION = new PolicyDescription(PAYLOAD_TYPE, "Kiosk",
            "Keeps one app in front on a shared Mac (Example Corp kiosk agent).",
            List.of(PayloadKey.required("AppBundleIdentifier", ValueType.STRING, "The app to keep in front."),
                    PayloadKey.optional("AllowExit", ValueType.BOOLEAN, "Whether the user may leave the app.").withDefault(false),
                    PayloadKey.optional("IdleMinutes", ValueType.INTEGER, "Idle minutes before the app comes back.")
                            .withRange(1, 240).withDefault(10L)),
            Map.of(Platform.MACOS, PlatformSupport.since("13.0")), false);

    @Override
    public String payloadType() {
        return PAYLOAD_TYPE;
    }

    @Override
    public PolicyDescription describe() {
        return DESCRIPTION;
    }

    @Override
    public List<Map<String, Object>> buildPayloads(Map<String, Object> settings) throws SettingsValidationException {
        validate(settings);
        String app = (String) settings.get("AppBundleIdentifier");
        if (!app.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+")) {
            throw new SettingsValidationException("AppBundleIdentifier", "a bundle identifier such as com.example.app", "'" + app + "'");
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("PayloadDisplayName", "Kiosk: " + app);
        payload.put("AppBundleIdentifier", app);
        payload.put("AllowExit", settings.getOrDefault("AllowExit", false));
        payload.put("IdleMinutes", settings.getOrDefault("IdleMinutes", 10L));
        return List.of(payload);
    }
}
