package io.verger.itests.vendorplugin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.verger.api.Platform;
import io.verger.api.command.CommandDescription;
import io.verger.api.command.CommandType;
import io.verger.api.command.CommandValidationException;
import io.verger.api.schema.AccessRight;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PlatformSupport;
import io.verger.api.schema.ValueType;

/**
 * A vendor's replacement of the standard DeviceLock: registered with a higher {@code service.ranking}, so the server
 * uses it instead of the built-in type while this bundle is installed. It puts a default lock-screen message in
 * every command, which the integration tests look for.
 */
@Component(service = CommandType.class, property = "service.ranking:Integer=100")
public final class VendorDeviceLock implements CommandType {

    static final String DEFAULT_MESSAGE = "Locked by the vendor's DeviceLock";

    private static final CommandDescription DESCRIPTION = new CommandDescription("DeviceLock", "Vendor device lock",
            "DeviceLock with the vendor's default lock-screen message.",
            List.of(PayloadKey.optional("Message", ValueType.STRING, "Shown on the Lock screen."),
                    PayloadKey.optional("PhoneNumber", ValueType.STRING, "Shown on the Lock screen."),
                    PayloadKey.optional("PIN", ValueType.STRING, "Find My PIN (macOS).")),
            Map.of(Platform.IOS, PlatformSupport.since("4.0").withAccessRights(AccessRight.ALLOW_PASSCODE_REMOVAL_AND_LOCK),
                    Platform.MACOS, PlatformSupport.since("10.7").withAccessRights(AccessRight.ALLOW_PASSCODE_REMOVAL_AND_LOCK)));

    @Override
    public String requestType() {
        return "DeviceLock";
    }

    @Override
    public CommandDescription describe() {
        return DESCRIPTION;
    }

    @Override
    public Map<String, Object> build(Map<String, Object> params) throws CommandValidationException {
        DESCRIPTION.validate(params);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("RequestType", "DeviceLock");
        command.put("Message", DEFAULT_MESSAGE);
        command.putAll(params);
        return command;
    }
}
