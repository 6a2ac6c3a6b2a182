package io.verger.itests.testplugin;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.verger.api.Platform;
import io.verger.api.command.CommandDescription;
import io.verger.api.command.CommandType;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PlatformSupport;
import io.verger.api.schema.ValueType;

/** A command type that exists only to be hot-deployed by the integration tests. */
@Component(service = CommandType.class)
public final class PingCommandType implements CommandType {

    static final String REQUEST_TYPE = "VergerTestPing";

    private final CommandDescription description = new CommandDescription(REQUEST_TYPE, "Test ping",
            "A harmless command used by Verger's hot-deploy tests.",
            List.of(PayloadKey.optional("Message", ValueType.STRING, "Echoed back by nothing; only validated.")),
            Map.of(Platform.IOS, PlatformSupport.since("4.0"), Platform.MACOS, PlatformSupport.since("10.7")));

    @Override
    public String requestType() {
        return REQUEST_TYPE;
    }

    @Override
    public CommandDescription describe() {
        return description;
    }
}
