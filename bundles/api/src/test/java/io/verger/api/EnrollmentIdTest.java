package io.verger.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnrollmentIdTest {

    private static final String UDID = "00008030-001A2B3C4D5E6F70";
    private static final String USER = "6F9A1B3C-1D2E-4F50-8A6B-7C8D9E0F1A2B";

    @Test
    void parsesDeviceChannel() {
        EnrollmentId id = EnrollmentId.parse(UDID);
        assertEquals(UDID, id.deviceId());
        assertNull(id.userId());
        assertFalse(id.isUserChannel());
        assertEquals(Channel.DEVICE, id.channel());
        assertSame(id, id.deviceChannel());
    }

    @Test
    void parsesUserChannelAsDeviceColonUser() {
        EnrollmentId id = EnrollmentId.parse(UDID + ":" + USER);
        assertEquals(UDID, id.deviceId());
        assertEquals(USER, id.userId());
        assertTrue(id.isUserChannel());
        assertEquals(Channel.USER, id.channel());
        assertEquals(EnrollmentId.device(UDID), id.deviceChannel());
    }

    @Test
    void formatIsReadBackByParse() {
        for (EnrollmentId id : List.of(EnrollmentId.device(UDID), EnrollmentId.user(UDID, USER),
                EnrollmentId.user(UDID, "jappleseed@example.com"))) {
            assertEquals(id, EnrollmentId.parse(id.format()));
            assertEquals(id.format(), id.toString());
        }
        assertEquals(UDID + ":" + USER, EnrollmentId.device(UDID).userChannel(USER).format());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "abc def", "abc\u0000", "abc\n", "a\u200Bb", "a,b", "a/b",
            ":", "abc:", ":user", "a:b:c", "abc: user", "abc\u00A0"})
    void rejectsInvalidIds(String text) {
        assertThrows(IllegalArgumentException.class, () -> EnrollmentId.parse(text));
    }

    @Test
    void rejectsNullWithIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnrollmentId.parse(null));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EnrollmentId(null, null));
        assertThrows(IllegalArgumentException.class, () -> EnrollmentId.user(UDID, null));
    }

    @Test
    void errorNamesThePartAndEscapesControlCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnrollmentId.parse(UDID + ":us\u0007er"));
        assertTrue(e.getMessage().startsWith("user id"), e.getMessage());
        assertTrue(e.getMessage().contains("index 2"), e.getMessage());
        assertTrue(e.getMessage().contains("\\u0007"), e.getMessage());
        assertFalse(e.getMessage().contains("\u0007"), "the raw control character must not reach the log");

        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> EnrollmentId.parse("   "));
        assertTrue(blank.getMessage().startsWith("device id"), blank.getMessage());
    }

    @Test
    void rejectsPartsLongerThanTheLimit() {
        String max = "a".repeat(EnrollmentId.MAX_PART_LENGTH);
        assertEquals(max, EnrollmentId.parse(max).deviceId());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnrollmentId.parse(max + "a"));
        assertTrue(e.getMessage().contains("256"), e.getMessage());
    }

    @Test
    void ordersDeviceChannelBeforeItsUserChannels() {
        EnrollmentId a = EnrollmentId.device("A");
        EnrollmentId aUser = EnrollmentId.user("A", "u");
        EnrollmentId b = EnrollmentId.device("B");
        List<EnrollmentId> ids = new ArrayList<>(List.of(b, aUser, a));
        Collections.sort(ids);
        assertEquals(List.of(a, aUser, b), ids);
    }
}
