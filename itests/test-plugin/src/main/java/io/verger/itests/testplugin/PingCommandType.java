package io.verger.itests.testplugin;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.verger.api.Platform;
import io.verger.api.command.CommandDescription;
import io.verger.api.command.CommandType;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PlatformSupport;
import io.verger.api.schema.ValueType;

/**
 * A command type that exists only to be hot-deployed by the integration tests. Its title is configurable
 * (PID {@value #PID}), so the tests can show that a {@code .cfg} file dropped into deploy/ reaches a component.
 */
@Component(service = CommandType.class, configurationPid = PingCommandType.PID)
@Designate(ocd = PingCommandType.Config.class)
public final class PingCommandType implements CommandType {

    static final String PID = "io.verger.itests.ping";
    static final String REQUEST_TYPE = "VergerTestPing";

    @ObjectClassDefinition(name = "Verger test ping command")
    @interface Config {
        @AttributeDefinition(description = "Title shown in the command-type list")
        String title() default "Test ping";
    }

    private volatile CommandDescription description;

    @Activate
    public PingCommandType(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        description = new CommandDescription(REQUEST_TYPE, config.title(),
                "A harmless command used by Verger's hot-deploy tests.",
                List.of(PayloadKey.optional("Message", ValueType.STRING, "Only validated.")),
                Map.of(Platform.IOS, PlatformSupport.since("4.0"), Platform.MACOS, PlatformSupport.since("10.7")));
    }

    @Override
    public String requestType() {
        return REQUEST_TYPE;
    }

    @Override
    public CommandDescription describe() {
        return description;
    }
}
