package io.verger.api.command;

import io.verger.api.Channel;
import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.CommandStatus;
import io.verger.api.Platform;
import io.verger.api.schema.AccessRight;
import io.verger.api.schema.Availability;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PlatformSupport;
import io.verger.api.schema.ValueType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandTypeTest {

    /** DeviceLock as in Apple's mdm/commands/device.lock.yaml, written the way a plugin would. */
    static final class DeviceLock implements CommandType {
        private static final CommandDescription DESCRIPTION = new CommandDescription("DeviceLock", "Device Lock",
                "Locks the device.",
                List.of(PayloadKey.optional("Message", ValueType.STRING, "Shown on the Lock screen."),
                        PayloadKey.optional("PhoneNumber", ValueType.STRING, "Shown on the Lock screen."),
                        PayloadKey.optional("PIN", ValueType.STRING, "Find My PIN.").withPlatforms(Platform.MACOS)),
                Map.of(Platform.IOS, PlatformSupport.since("4.0").withAccessRights(AccessRight.ALLOW_PASSCODE_REMOVAL_AND_LOCK),
                        Platform.MACOS, PlatformSupport.since("10.7").withAccessRights(AccessRight.ALLOW_PASSCODE_REMOVAL_AND_LOCK)
                                .withUserEnrollment(Availability.FORBIDDEN)));

        @Override
        public String requestType() {
            return "DeviceLock";
        }

        @Override
        public CommandDescription describe() {
            return DESCRIPTION;
        }
    }

    private final CommandType lock = new DeviceLock();

    @Test
    void defaultBuildAddsRequestTypeToValidParameters() throws CommandValidationException {
        Map<String, Object> command = lock.build(Map.of("Message", "Lost iPad", "PIN", "123456"));
        assertEquals(Map.of("RequestType", "DeviceLock", "Message", "Lost iPad", "PIN", "123456"), command);
        assertEquals("RequestType", command.keySet().iterator().next(), "RequestType comes first for readability");
        assertFalse(command.containsKey("CommandUUID"));
        assertEquals(Map.of("RequestType", "DeviceLock"), lock.build(Map.of()));
    }

    @Test
    void defaultBuildRejectsAWrongParameterByName() {
        CommandValidationException e = assertThrows(CommandValidationException.class,
                () -> lock.build(Map.of("Message", 42L)));
        assertEquals("Message", e.key());
        assertEquals("Message: expected <string>, found <integer>", e.getMessage());

        CommandValidationException unknown = assertThrows(CommandValidationException.class,
                () -> lock.build(Map.of("RequestType", "EraseDevice")));
        assertEquals("RequestType", unknown.key());
    }

    @Test
    void descriptionAnswersWhetherADeviceMayGetTheCommand() {
        CommandDescription d = lock.describe();
        assertTrue(d.permits(Platform.IOS, EnrollmentType.USER_ENROLLMENT, Channel.DEVICE, false));
        assertFalse(d.permits(Platform.MACOS, EnrollmentType.USER_ENROLLMENT, Channel.DEVICE, false));
        assertFalse(d.permits(Platform.TVOS, EnrollmentType.DEVICE, Channel.DEVICE, true), "not supported on tvOS");
        assertTrue(d.on(Platform.TVOS).isEmpty());
    }

    @Test
    void descriptionNeedsAPlatformAndATitle() {
        assertThrows(IllegalArgumentException.class,
                () -> new CommandDescription("DeviceLock", "Device Lock", "", List.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new CommandDescription("DeviceLock", " ", "", List.of(),
                Map.of(Platform.IOS, PlatformSupport.since("4.0"))));
    }

    @Test
    void handleResultDoesNothingByDefault() {
        lock.handleResult(new CommandReport(EnrollmentId.device("UDID-1"), "uuid-1", "DeviceLock",
                CommandStatus.ACKNOWLEDGED, Map.of("Status", "Acknowledged"), List.of(), Instant.EPOCH));
    }

    @Test
    void reportOfIdleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CommandReport(EnrollmentId.device("UDID-1"), "uuid-1",
                "DeviceLock", CommandStatus.IDLE, Map.of(), List.of(), Instant.EPOCH));
    }
}
