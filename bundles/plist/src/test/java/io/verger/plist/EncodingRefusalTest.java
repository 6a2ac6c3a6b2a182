package io.verger.plist;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncodingRefusalTest {

    private final PlistCodec codec = PlistCodec.withDefaults();
    private final List<Function<Object, byte[]>> encoders = List.of(codec::encodeXml, codec::encodeBinary);

    private void refusedInBothFormats(Object value, String expectedMessagePart) {
        for (Function<Object, byte[]> encoder : encoders) {
            PlistException e = assertThrows(PlistException.class, () -> encoder.apply(value));
            assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
        }
    }

    private static Map<String, Object> command(Object payloadElement) {
        List<Object> payloads = new ArrayList<>();
        payloads.add("first");
        payloads.add(payloadElement);
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("RequestType", "InstallProfile");
        inner.put("Payloads", payloads);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("Command", inner);
        return command;
    }

    @Test
    void unsupportedTypeIsRefusedNamingTypeAndKeyPath() {
        refusedInBothFormats(command(UUID.randomUUID()), "cannot encode java.util.UUID at Command.Payloads[1]: supported are Map");
        refusedInBothFormats(new Object(), "cannot encode java.lang.Object at (root)");
        refusedInBothFormats(Map.of("When", new java.util.Date()), "cannot encode java.util.Date at When");
        refusedInBothFormats(Map.of("Set", java.util.Set.of("a")), "cannot encode java.util.ImmutableCollections$Set12 at Set");
        refusedInBothFormats(Map.of("Chars", new char[]{'a'}), "cannot encode [C at Chars");
    }

    @Test
    void nullIsRefusedWithKeyPath() {
        Map<String, Object> inner = new HashMap<>();
        inner.put("PayloadUUID", null);
        refusedInBothFormats(command(inner), "cannot encode null at Command.Payloads[1].PayloadUUID: plists have no null value");
        refusedInBothFormats(null, "cannot encode null at (root)");
    }

    @Test
    void nonStringOrNullKeysAreRefused() {
        Map<Object, Object> numberKey = new HashMap<>();
        numberKey.put(1, "one");
        refusedInBothFormats(Map.of("Outer", numberKey), "cannot encode dictionary key of type java.lang.Integer at Outer");
        Map<Object, Object> nullKey = new HashMap<>();
        nullKey.put(null, "x");
        refusedInBothFormats(nullKey, "cannot encode dictionary key null at (root)");
    }

    @Test
    void mapContainingItselfIsRefused() {
        Map<String, Object> loop = new HashMap<>();
        loop.put("Self", loop);
        refusedInBothFormats(loop, "cannot encode value at Self: it contains itself");
    }

    @Test
    void listContainingItselfIndirectlyIsRefused() {
        List<Object> outer = new ArrayList<>();
        Map<String, Object> middle = new HashMap<>();
        middle.put("Back", outer);
        outer.add(middle);
        refusedInBothFormats(outer, "cannot encode value at [0].Back: it contains itself");
    }

    @Test
    void sameValueInTwoPlacesIsNotACycle() {
        List<Object> shared = List.of("a", "b");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("First", shared);
        m.put("Second", shared);
        Values.assertSameValue(m, codec.decode(codec.encodeXml(m)));
        Values.assertSameValue(m, codec.decode(codec.encodeBinary(m)));
    }

    @Test
    void encodingDeeperThanLimitIsRefused() {
        Object ok = List.of();
        for (int i = 1; i < 64; i++) {
            ok = List.of(ok);
        }
        codec.encodeXml(ok);
        codec.encodeBinary(ok);
        refusedInBothFormats(List.of(ok), "cannot encode value nested deeper than 64 levels at [0][0]");
    }

    @Test
    void encodingAndDecodingAtTheDepthCeilingWork() {
        PlistCodec deepest = PlistCodec.withLimits(PlistLimits.defaults().withMaxDepth(PlistLimits.MAX_DEPTH_CEILING));
        Object value = List.of();
        for (int i = 1; i < PlistLimits.MAX_DEPTH_CEILING; i++) {
            value = i % 2 == 0 ? List.of(value) : Map.of("k", value);
        }
        Values.assertSameValue(value, deepest.decode(deepest.encodeXml(value)));
        Values.assertSameValue(value, deepest.decode(deepest.encodeBinary(value)));
    }

    @Test
    void encodingMoreObjectsThanLimitIsRefused() {
        PlistCodec few = PlistCodec.withLimits(PlistLimits.defaults().withMaxObjects(3));
        few.encodeBinary(List.of(1, 2));
        PlistException e = assertThrows(PlistException.class, () -> few.encodeXml(List.of(1, 2, 3)));
        assertEquals("cannot encode value with more than 3 objects", e.getMessage());
    }

    @Test
    void bigIntegerMustFitALong() {
        refusedInBothFormats(Map.of("Size", BigInteger.ONE.shiftLeft(63)),
                "cannot encode integer 9223372036854775808 at Size: it does not fit in 64 bits");
        assertEquals(Long.MAX_VALUE, codec.decode(codec.encodeXml(BigInteger.valueOf(Long.MAX_VALUE))));
    }

    @Test
    void xmlRefusesCharactersXmlCannotCarryWhileBinaryKeepsThem() {
        for (String s : List.of("bell\u0007", "nul\u0000", "\uFFFE", "lone \uD800 surrogate", "reversed \uDC00\uD800")) {
            PlistException e = assertThrows(PlistException.class, () -> codec.encodeXml(Map.of("Name", s)));
            assertTrue(e.getMessage().startsWith("cannot encode string at Name: "), e.getMessage());
        }
        assertEquals("bell\u0007", codec.decode(codec.encodeBinary("bell\u0007")));
        PlistException key = assertThrows(PlistException.class, () -> codec.encodeXml(Map.of("bad\u0001key", 1)));
        assertTrue(key.getMessage().contains("character U+0001"), key.getMessage());
    }

    @Test
    void xmlDatesNeedFourDigitYears() {
        PlistException e = assertThrows(PlistException.class, () -> codec.encodeXml(Map.of("When", Instant.parse("+10000-01-01T00:00:00Z"))));
        assertTrue(e.getMessage().contains("at When: XML plist dates have four-digit years"), e.getMessage());
    }

    @Test
    void collectionChangedDuringEncodingIsRefusedOrReported() {
        // a List whose size() lies, as a concurrently modified one might
        List<Object> liar = new java.util.AbstractList<>() {
            @Override
            public Object get(int index) {
                return "x";
            }

            @Override
            public int size() {
                return 2;
            }

            @Override
            public java.util.Iterator<Object> iterator() {
                return List.<Object>of("x", "y", "z").iterator();
            }
        };
        PlistException e = assertThrows(PlistException.class, () -> codec.encodeBinary(liar));
        assertTrue(e.getMessage().contains("changed while it was encoded"), e.getMessage());
    }
}
