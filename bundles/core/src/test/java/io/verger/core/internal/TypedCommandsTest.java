package io.verger.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.verger.api.Channel;
import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.Platform;
import io.verger.api.command.CommandDescription;
import io.verger.api.command.CommandType;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PlatformSupport;
import io.verger.api.schema.ValueType;
import io.verger.api.storage.DeviceFacts;
import io.verger.api.storage.Enrollment;

class TypedCommandsTest {

    private static final CommandDescription LOCK = new CommandDescription("DeviceLock", "Device Lock", "",
            List.of(PayloadKey.optional("Message", ValueType.STRING, ""), PayloadKey.optional("PIN", ValueType.STRING, ""),
                    PayloadKey.optional("Image", ValueType.DATA, ""), PayloadKey.optional("At", ValueType.DATE, ""),
                    PayloadKey.optional("Count", ValueType.INTEGER, ""), PayloadKey.optional("Ratio", ValueType.REAL, "")),
            Map.of(Platform.IOS, PlatformSupport.since("4.0"), Platform.MACOS, PlatformSupport.since("10.7")));

    private static final CommandDescription USER_ONLY = new CommandDescription("ActiveNSExtensions", "x", "", List.of(),
            Map.of(Platform.MACOS, PlatformSupport.since("10.13").withChannels(Channel.USER)));

    private static Enrollment device(String id, String productName) {
        Instant now = Instant.now();
        return new Enrollment(EnrollmentId.parse(id), EnrollmentType.DEVICE, true, false, null, null, now, now,
                new DeviceFacts(null, null, null, productName, null, null, null, null, null, null), 1, null);
    }

    @Test
    void jsonParamsAreConvertedByTheirSchemaType() throws Exception {
        var json = ApiJson.MAPPER.readTree("{\"Message\":\"hi\",\"Image\":\"AQID\",\"At\":\"2026-01-31T12:00:00Z\",\"Count\":3,\"Ratio\":2}");
        Map<String, Object> p = TypedCommands.params(LOCK, json);
        assertEquals("hi", p.get("Message"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) p.get("Image"));
        assertEquals(Instant.parse("2026-01-31T12:00:00Z"), p.get("At"));
        assertEquals(3L, p.get("Count"));
        assertEquals(2.0, p.get("Ratio"));
    }

    @Test
    void aBadDateOrBase64IsRefusedNamingTheKey() throws Exception {
        MdmException e = assertThrows(MdmException.class, () -> TypedCommands.params(LOCK, ApiJson.MAPPER.readTree("{\"At\":\"yesterday\"}")));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("At:"), e.getMessage());
        e = assertThrows(MdmException.class, () -> TypedCommands.params(LOCK, ApiJson.MAPPER.readTree("{\"Image\":\"***\"}")));
        assertTrue(e.getMessage().startsWith("Image:"), e.getMessage());
    }

    @Test
    void aUserChannelOnlyCommandIsRefusedOnAMacDeviceChannelButUnknownPlatformsAreNot() {
        Optional<String> why = TypedCommands.refusal(USER_ONLY, device("MAC1", "Mac14,2"), Optional.empty());
        assertTrue(why.isPresent() && why.get().contains("user channel"), why.toString());
        assertTrue(TypedCommands.refusal(USER_ONLY, device("MAC1:501", "Mac14,2"), Optional.empty()).isEmpty());
        assertTrue(TypedCommands.refusal(USER_ONLY, device("IPHONE1", "iPhone14,5"), Optional.empty()).get().contains("iOS"));
        assertTrue(TypedCommands.refusal(LOCK, device("UNKNOWN1", null), Optional.empty()).isEmpty());
    }

    @Test
    void aMacDeviceLockWithoutPinGetsSixDigitsAndAnIphoneNone() {
        Map<String, Object> mac = TypedCommands.forTarget(LOCK, Map.of(), device("MAC1", "Mac14,2"), Optional.empty());
        assertTrue(((String) mac.get("PIN")).matches("\\d{6}"));
        assertEquals(Map.of(), TypedCommands.forTarget(LOCK, Map.of(), device("IPHONE1", "iPhone14,5"), Optional.empty()));
        assertEquals("111111", TypedCommands.forTarget(LOCK, Map.of("PIN", "111111"), device("MAC1", "Mac14,2"), Optional.empty()).get("PIN"));
    }

    @Test
    void theHighestRankedCommandTypeWins() {
        MdmProtocol p = new MdmProtocol();
        CommandType low = type("Builtin");
        CommandType high = type("Vendor");
        p.bindCommandType(low, Map.of("service.id", 1L, "service.ranking", 0));
        p.bindCommandType(high, Map.of("service.id", 2L, "service.ranking", 100));
        assertEquals("Vendor", p.commandType("DeviceLock").orElseThrow().describe().title());
        p.unbindCommandType(high, Map.of("service.id", 2L));
        assertEquals("Builtin", p.commandType("DeviceLock").orElseThrow().describe().title());
        MdmException e = assertThrows(MdmException.class, () -> TypedCommands.requireType(p, "Nope"));
        assertEquals(422, e.status());
        assertEquals("command type Nope is not installed", e.getMessage());
    }

    private static CommandType type(String title) {
        CommandDescription d = new CommandDescription("DeviceLock", title, "", List.of(), Map.of(Platform.IOS, PlatformSupport.since("4.0")));
        return new CommandType() {
            @Override
            public String requestType() {
                return "DeviceLock";
            }

            @Override
            public CommandDescription describe() {
                return d;
            }
        };
    }
}
