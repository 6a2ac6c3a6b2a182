package io.verger.plist;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.verger.plist.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class BinaryPlistSafetyTest {

    private final PlistCodec codec = PlistCodec.withDefaults();

    @Test
    void handCraftedPlistDecodes() {
        // {"a": [1, "a"]}: the key string is shared, as CoreFoundation writes it
        byte[] b = new Bplist().object(0xD1, 1, 2).ascii("a").object(0xA2, 3, 1).object(0x10, 1).bytes();
        assertSameValue(Map.of("a", List.of(1L, "a")), codec.decode(b));
    }

    @Test
    void truncatedBinaryPlistIsRefusedAtEveryCut() {
        byte[] whole = codec.encodeBinary(codec.decode(Fixtures.commandReport()));
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] truncated = Arrays.copyOf(whole, cut);
            expectRefusal(truncated, "cut at " + cut);
        }
        PlistException e = assertThrows(PlistException.class, () -> codec.decode(Arrays.copyOf(whole, 20)));
        assertEquals("binary plist truncated: 20 bytes cannot hold an object and the trailer", e.getMessage());
    }

    @Test
    void trailerPointingBeyondTheEndIsRefused() {
        byte[] table = new Bplist().object(0x09).claimTableOffset(10_000).bytes();
        assertTrue(message(table).startsWith("binary plist truncated: offset table at 10000 beyond end of data"), message(table));
        byte[] count = new Bplist().object(0x09).claimObjectCount(1L << 40).bytes();
        assertTrue(message(count).contains("offset table of 1099511627776 objects beyond end of data"), message(count));
        byte[] top = new Bplist().object(0x09).top(7).bytes();
        assertTrue(message(top).contains("top object 7 is not one of its 1 objects"), message(top));
    }

    @Test
    void selfReferencingArrayIsRefusedWithoutStackOverflow() {
        byte[] b = new Bplist().object(0xA1, 0).bytes(); // object 0: an array whose one element is object 0
        assertEquals("binary plist object 0 references itself (cyclic reference) at [0]", message(b));
    }

    @Test
    void selfReferencingDictionaryIsRefused() {
        byte[] b = new Bplist().object(0xD1, 1, 0).ascii("Self").bytes();
        assertTrue(message(b).contains("object 0 references itself"), message(b));
    }

    @Test
    void cyclicReferencesBetweenTwoArraysAreRefused() {
        byte[] b = new Bplist().object(0xA1, 1).object(0xA1, 0).bytes();
        assertTrue(message(b).contains("object 0 references itself (cyclic reference) at [0][0]"), message(b));
    }

    @Test
    void sharedReferencesCannotExpandExponentially() {
        // object i is [i+1, i+1]; 60 levels would expand to 2^60 values
        Bplist bomb = new Bplist();
        for (int i = 0; i < 60; i++) {
            bomb.object(0xA2, i + 1, i + 1);
        }
        bomb.object(0x10, 7);
        PlistCodec deep = PlistCodec.withLimits(PlistLimits.defaults().withMaxDepth(100));
        PlistException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(PlistException.class, () -> deep.decode(bomb.bytes())));
        assertTrue(e.getMessage().contains("more than 1000000 objects"), e.getMessage());
    }

    @Test
    void sharedDataCannotExpandBeyondTheInputLimit() {
        // array of 200 references to one 1000-byte data object: 200 kB from about 1.3 kB
        Bplist b = new Bplist();
        int[] array = new int[3 + 200];
        array[0] = 0xAF;
        array[1] = 0x10;
        array[2] = 200;
        Arrays.fill(array, 3, array.length, 1);
        b.object(array);
        b.object(Arrays.copyOf(new int[]{0x4F, 0x11, 0x03, 0xE8}, 4 + 1000)); // data, length 0x03E8
        byte[] plist = b.bytes();
        assertEquals(200, ((List<?>) codec.decode(plist)).size());
        PlistCodec small = PlistCodec.withLimits(PlistLimits.defaults().withMaxInputBytes(100_000));
        PlistException e = assertThrows(PlistException.class, () -> small.decode(plist));
        assertTrue(e.getMessage().contains("expands to more than 100000 bytes of <data>"), e.getMessage());
    }

    @Test
    void sharedStringsAndNumbersAreDecodedOnce() {
        byte[] b = new Bplist().object(0xA2, 1, 1).ascii("UDID").bytes();
        List<?> list = (List<?>) codec.decode(b);
        assertSame(list.get(0), list.get(1));
    }

    @Test
    void binaryNestingDeeperThanLimitIsRefused() {
        assertEquals(64, XmlPlistSafetyTest.depthOf(codec.decode(nestedArrays(64))));
        assertTrue(message(nestedArrays(65)).contains("plist nesting deeper than 64 levels"), message(nestedArrays(65)));
        PlistCodec ceiling = PlistCodec.withLimits(PlistLimits.defaults().withMaxDepth(PlistLimits.MAX_DEPTH_CEILING));
        assertThrows(PlistException.class, () -> ceiling.decode(nestedArrays(20_000)));
    }

    @Test
    void nonStringDictionaryKeysAreRefused() {
        byte[] intKey = new Bplist().object(0xD1, 1, 2).object(0x10, 1).ascii("x").bytes();
        assertTrue(message(intKey).contains("dictionary key object 1 is not a string (marker 0x10)"), message(intKey));
        byte[] arrayKey = new Bplist().object(0xD1, 1, 2).object(0xA0).ascii("x").bytes();
        assertTrue(message(arrayKey).contains("is not a string"), message(arrayKey));
    }

    @Test
    void duplicateDictionaryKeysAreRefused() {
        byte[] b = new Bplist().object(0xD2, 1, 1, 2, 2).ascii("Status").ascii("Idle").bytes();
        assertEquals("duplicate key at Status", message(b));
    }

    @Test
    void integersThatDoNotFitALongAreRefused() {
        int[] maxUnsigned = new int[17];
        maxUnsigned[0] = 0x14; // 16-byte integer 2^64 - 1, as CoreFoundation writes UInt64 values above Long.MAX_VALUE
        Arrays.fill(maxUnsigned, 9, 17, 0xFF);
        assertTrue(message(new Bplist().object(maxUnsigned).bytes()).contains("does not fit in a signed 64-bit integer"));

        int[] minusOne = new int[17];
        Arrays.fill(minusOne, 0xFF);
        minusOne[0] = 0x14;
        assertEquals(-1L, codec.decode(new Bplist().object(minusOne).bytes()));
        assertEquals(5L, codec.decode(new Bplist().object(0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5).bytes()));
        assertEquals(-2L, codec.decode(new Bplist().object(0x13, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE).bytes()));
        assertTrue(message(new Bplist().object(0x15, 1).bytes()).contains("unsupported width"));
    }

    @Test
    void typesThatAreNotPlistValuesAreRefused() {
        assertTrue(message(new Bplist().object(0x80, 1).bytes()).contains("UID (NSKeyedArchiver)"));
        assertTrue(message(new Bplist().object(0xC1, 1).object(0x09).bytes()).contains("is a set"));
        assertTrue(message(new Bplist().object(0xB0).bytes()).contains("is a set"));
        assertTrue(message(new Bplist().object(0x00).bytes()).contains("is a null"));
        assertTrue(message(new Bplist().object(0x0F).bytes()).contains("fill or unknown"));
        assertTrue(message(new Bplist().object(0x71, 'a').bytes()).contains("unknown type"));
        assertTrue(message(new Bplist().object(0xF0).bytes()).contains("unknown type"));
    }

    @Test
    void referencesAndLengthsOutsideThePlistAreRefused() {
        byte[] badRef = new Bplist().object(0xA1, 9).bytes();
        assertTrue(message(badRef).contains("object 0 references object 9 of 1"), message(badRef));
        // an array claiming 2^62 elements: refused before anything is allocated
        byte[] hugeCount = new Bplist().object(0xAF, 0x13, 0x40, 0, 0, 0, 0, 0, 0, 0).bytes();
        assertTrue(message(hugeCount).contains("claims 4611686018427387904 elements, beyond end of data"), message(hugeCount));
        byte[] longString = new Bplist().object(0x5F, 0x10, 200, 'a').bytes();
        assertTrue(message(longString).contains("beyond end of data"), message(longString));
        byte[] shortInt = new Bplist().object(0x13, 1).bytes();
        assertTrue(message(shortInt).contains("object 0 extends beyond end of data"), message(shortInt));
        byte[] badLengthMarker = new Bplist().object(0x4F, 0x50).bytes();
        assertTrue(message(badLengthMarker).contains("malformed length"), message(badLengthMarker));
        byte[] offsetIntoTrailer = new Bplist().object(0x09).bytes();
        offsetIntoTrailer[offsetIntoTrailer.length - 32 - 1] = (byte) 0xF0; // object 0's offset now points past the table
        assertTrue(message(offsetIntoTrailer).contains("outside the object area"), message(offsetIntoTrailer));
    }

    @Test
    void unsupportedVersionsAndHeadersAreRefused() {
        byte[] b = new Bplist().object(0x09).bytes();
        b[7] = '1';
        assertEquals("not a supported binary plist: header 'bplist01', expected 'bplist00'", message(b));
        byte[] trailerSizes = new Bplist().object(0x09).bytes();
        trailerSizes[trailerSizes.length - 32 + 6] = 0;
        assertTrue(message(trailerSizes).contains("offset size 0"), message(trailerSizes));
    }

    @Test
    void datesOutsideWhatAnInstantHoldsAreRefused() {
        long nan = Double.doubleToLongBits(Double.NaN);
        long huge = Double.doubleToLongBits(1e300);
        assertTrue(message(new Bplist().object(date(nan)).bytes()).contains("date object 0 is out of range"));
        assertTrue(message(new Bplist().object(date(huge)).bytes()).contains("out of range"));
        assertEquals(Instant.parse("2001-01-01T00:00:00Z"), codec.decode(new Bplist().object(date(0)).bytes()));
        assertEquals(Instant.parse("2000-12-31T23:59:59.5Z"),
                codec.decode(new Bplist().object(date(Double.doubleToLongBits(-0.5))).bytes()));
    }

    @Test
    void utf16StringsAndFloatRealsDecode() {
        byte[] b = new Bplist().object(0xA2, 1, 2).object(0x62, 0x65, 0xE5, 0x67, 0x2C).object(0x22, 0x3F, 0xC0, 0, 0).bytes();
        assertSameValue(List.of("日本", 1.5), codec.decode(b));
    }

    private static int[] date(long bits) {
        int[] d = new int[9];
        d[0] = 0x33;
        for (int i = 0; i < 8; i++) {
            d[8 - i] = (int) (bits >>> (8 * i)) & 0xFF;
        }
        return d;
    }

    /** Arrays nested {@code depth} deep, object i holding object i+1, with two-byte references. */
    static byte[] nestedArrays(int depth) {
        Bplist b = new Bplist().refSize(2);
        for (int i = 0; i < depth - 1; i++) {
            b.object(0xA1, (i + 1) >> 8, (i + 1) & 0xFF);
        }
        b.object(0xA0);
        return b.bytes();
    }

    private String message(byte[] plist) {
        return expectRefusal(plist, "").getMessage();
    }

    private PlistException expectRefusal(byte[] plist, String what) {
        try {
            Object v = codec.decode(plist);
            fail(what + ": decoded to " + v + " instead of being refused");
            return null;
        } catch (PlistException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError(what + ": refused with " + t + " instead of a PlistException", t);
        }
    }
}
