package io.verger.plist;

import com.dd.plist.BinaryPropertyListParser;
import com.dd.plist.BinaryPropertyListWriter;
import com.dd.plist.XMLPropertyListParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.verger.plist.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlistRoundTripTest {

    private final PlistCodec codec = PlistCodec.withDefaults();

    /** One of every value type, with the edges of each: widths, signs, non-ASCII, long counts, empties. */
    static Map<String, Object> everyValueType() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("string", "Hello <world> & \"friends\" 'é' 日本 😀 tab\t newline\n return\r end");
        v.put("emptyString", "");
        v.put("longString", "x".repeat(300));
        v.put("zero", 0L);
        v.put("byte", 255L);
        v.put("short", 65_535L);
        v.put("int", 4_294_967_295L);
        v.put("beyondInt", 4_294_967_296L);
        v.put("negative", -1L);
        v.put("max", Long.MAX_VALUE);
        v.put("min", Long.MIN_VALUE);
        v.put("pi", Math.PI);
        v.put("negativeZero", -0.0);
        v.put("tiny", Double.MIN_VALUE);
        v.put("huge", -Double.MAX_VALUE);
        v.put("nan", Double.NaN);
        v.put("infinity", Double.POSITIVE_INFINITY);
        v.put("minusInfinity", Double.NEGATIVE_INFINITY);
        v.put("true", true);
        v.put("false", false);
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        v.put("data", all);
        v.put("emptyData", new byte[0]);
        v.put("date", Instant.parse("2024-10-28T09:15:02Z"));
        v.put("epoch2001", Instant.parse("2001-01-01T00:00:00Z"));
        v.put("before1970", Instant.parse("1969-07-20T20:17:40Z"));
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add((long) i);
        }
        v.put("array", List.of("one", 2L, List.of(), Map.of(), List.of(List.of(true))));
        v.put("manyElements", many);
        v.put("emptyArray", List.of());
        v.put("emptyDict", Map.of());
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", "last letter first");
        nested.put("a", Map.of("deeper", List.of(Instant.parse("2030-01-01T00:00:00Z"))));
        nested.put("ключ", "non-ASCII key");
        v.put("dict", nested);
        return v;
    }

    @Test
    void everyValueTypeRoundTripsThroughXml() {
        Map<String, Object> value = everyValueType();
        assertSameValue(value, codec.decode(codec.encodeXml(value)));
    }

    @Test
    void everyValueTypeRoundTripsThroughBinary() {
        Map<String, Object> value = everyValueType();
        assertSameValue(value, codec.decode(codec.encodeBinary(value)));
    }

    @Test
    void scalarRootsRoundTripInBothFormats() {
        for (Object root : List.of("just a string", 42L, 2.5, true, new byte[]{1, 2, 3}, Instant.parse("2020-02-29T12:00:00Z"), List.of())) {
            assertSameValue(root, codec.decode(codec.encodeXml(root)));
            assertSameValue(root, codec.decode(codec.encodeBinary(root)));
        }
    }

    @Test
    void binaryDatesKeepSubSecondPrecisionAndXmlDatesWholeSecondsAsAppleWritesThem() {
        Instant t = Instant.parse("2024-10-28T09:15:02.123456Z");
        assertEquals(t, codec.decode(codec.encodeBinary(t)));
        assertEquals(Instant.parse("2024-10-28T09:15:02Z"), codec.decode(codec.encodeXml(t)));
    }

    @Test
    void convenienceNumberTypesEncodeAsLongAndDouble() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("int", 7);
        in.put("short", (short) -3);
        in.put("byte", (byte) 9);
        in.put("float", 1.5f);
        in.put("bigInteger", BigInteger.valueOf(Long.MIN_VALUE));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("int", 7L);
        expected.put("short", -3L);
        expected.put("byte", 9L);
        expected.put("float", 1.5);
        expected.put("bigInteger", Long.MIN_VALUE);
        assertSameValue(expected, codec.decode(codec.encodeXml(in)));
        assertSameValue(expected, codec.decode(codec.encodeBinary(in)));
    }

    @Test
    void decodedCollectionsAreOrderedMutableAndTyped() {
        Map<String, Object> report = codec.decodeDictionary(Fixtures.commandReport());
        assertInstanceOf(LinkedHashMap.class, report);
        assertEquals(List.of("CommandUUID", "QueryResponses", "Status", "UDID"), new ArrayList<>(report.keySet()));
        assertInstanceOf(ArrayList.class, ((Map<?, ?>) report.get("QueryResponses")).get("ServiceSubscriptions"));
        report.put("added", "by the caller");
    }

    @Test
    void authenticateCheckInDecodes() {
        Map<String, Object> m = codec.decodeDictionary(Fixtures.authenticate());
        assertEquals("Authenticate", m.get("MessageType"));
        assertEquals("com.apple.mgmt.External.4b8f2a1e-5c3d-4e7f-9a0b-1c2d3e4f5a6b", m.get("Topic"));
        assertEquals("00008110-001A2B3C4D5E6F70", m.get("UDID"));
        assertEquals("Jane’s iPhone", m.get("DeviceName"));
        assertEquals("iPhone14,5", m.get("Model"));
        assertEquals(12, m.size());
    }

    @Test
    void acknowledgedCommandReportDecodesWithNestedDictsDatesAndData() {
        Map<String, Object> m = codec.decodeDictionary(Fixtures.commandReport());
        assertEquals("Acknowledged", m.get("Status"));
        assertEquals("9F0B3E4A-2C1D-4B8E-A7F6-5D4C3B2A1908", m.get("CommandUUID"));
        assertEquals("00008110-001A2B3C4D5E6F70", m.get("UDID"));
        Map<?, ?> q = (Map<?, ?>) m.get("QueryResponses");
        assertEquals(87.53692626953125, q.get("AvailableDeviceCapacity"));
        assertEquals(128.0, q.get("DeviceCapacity"));
        assertEquals(true, q.get("IsSupervised"));
        assertEquals(false, q.get("IsActivationLockEnabled"));
        assertEquals(-18000L, q.get("TimeZone"));
        Map<?, ?> update = (Map<?, ?>) q.get("OSUpdateSettings");
        assertEquals(Instant.parse("2024-10-28T09:15:02Z"), update.get("PreviousScanDate"));
        assertEquals(0L, update.get("PreviousScanResult"));
        assertEquals("", update.get("CatalogURL"));
        List<?> attestation = (List<?>) q.get("DevicePropertiesAttestation");
        byte[] leaf = (byte[]) attestation.get(0);
        assertEquals(0x30, leaf[0] & 0xFF); // a DER SEQUENCE
        assertEquals(72, leaf.length);
        Map<?, ?> sim = (Map<?, ?>) ((List<?>) q.get("ServiceSubscriptions")).get(0);
        assertEquals("T-Mobile & Partners", sim.get("CurrentCarrierNetwork"));
    }

    @Test
    void commandReportSurvivesXmlAndBinaryReencoding() {
        Map<String, Object> m = codec.decodeDictionary(Fixtures.commandReport());
        assertSameValue(m, codec.decode(codec.encodeXml(m)));
        assertSameValue(m, codec.decode(codec.encodeBinary(m)));
    }

    @Test
    void xmlOutputIsWhatAppleDevicesExpect() {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("Command", Map.of("RequestType", "DeviceInformation"));
        command.put("CommandUUID", "0001");
        String xml = new String(codec.encodeXml(command), StandardCharsets.UTF_8);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n"
                + "<dict>\n"
                + "\t<key>Command</key>\n"
                + "\t<dict>\n"
                + "\t\t<key>RequestType</key>\n"
                + "\t\t<string>DeviceInformation</string>\n"
                + "\t</dict>\n"
                + "\t<key>CommandUUID</key>\n"
                + "\t<string>0001</string>\n"
                + "</dict>\n"
                + "</plist>\n", xml);
    }

    @Test
    void binaryOutputIsBplist00() {
        byte[] b = codec.encodeBinary(Map.of("a", 1L));
        assertEquals("bplist00", new String(b, 0, 8, StandardCharsets.US_ASCII));
        assertArrayEquals(b, codec.encode(Map.of("a", 1L), PlistFormat.BINARY));
    }

    @Test
    void appleDoctypesAreAcceptedWithoutFetchingAnything() {
        String body = "<plist version=\"1.0\"><dict><key>MessageType</key><string>TokenUpdate</string></dict></plist>";
        for (String doctype : List.of(
                "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
                "<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
                "<!DOCTYPE plist PUBLIC '-//Apple//DTD PLIST 1.0//EN' 'https://www.apple.com/DTDs/PropertyList-1.0.dtd' >",
                "")) {
            byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + doctype + "\n" + body).getBytes(StandardCharsets.UTF_8);
            assertEquals(Map.of("MessageType", "TokenUpdate"), codec.decodeDictionary(xml), doctype);
        }
    }

    @Test
    void xmlWithoutPlistWrapperOrDeclarationDecodes() {
        assertEquals(List.of("a"), codec.decode("<array><string>a</string></array>".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void utf16XmlWithByteOrderMarkDecodes() {
        byte[] utf16 = ("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-16\"?><plist><string>日本</string></plist>")
                .getBytes(StandardCharsets.UTF_16BE);
        assertEquals("日本", codec.decode(utf16));
    }

    @Test
    void textMayBeSplitByCdataCommentsAndReferences() {
        String xml = "<plist><string>a&amp;b&lt;&gt;&quot;&apos;&#233;&#x1F600;<![CDATA[<x>&amp;]]><!-- c -->d</string></plist>";
        assertEquals("a&b<>\"'é😀<x>&amp;d", codec.decode(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void xmlIntegersMayBeHexOrSignedAndDataMayBeWrapped() {
        String xml = "<array><integer> 0x7FFFFFFFFFFFFFFF </integer><integer>-0x10</integer><integer>+5</integer>"
                + "<real>1e3</real><real>-INF</real><data>\n\t AQID\n\tBA==\n</data></array>";
        Object v = codec.decode(xml.getBytes(StandardCharsets.UTF_8));
        assertSameValue(List.of(Long.MAX_VALUE, -16L, 5L, 1000.0, Double.NEGATIVE_INFINITY, new byte[]{1, 2, 3, 4}), v);
    }

    @Test
    void decodeDictionaryRefusesOtherRoots() {
        PlistException e = assertThrows(PlistException.class,
                () -> codec.decodeDictionary(codec.encodeXml(List.of("a"))));
        assertEquals("plist root is <array>, expected <dict>", e.getMessage());
    }

    @Test
    void decodingFromAStreamGivesTheSameValue() throws Exception {
        assertSameValue(codec.decodeDictionary(Fixtures.commandReport()),
                codec.decodeDictionary(new ByteArrayInputStream(Fixtures.commandReport())));
    }

    @Test
    void ddPlistReadsWhatWeWrite() throws Exception {
        Map<String, Object> value = interoperableValue();
        assertSameValue(value, Values.fromDd(XMLPropertyListParser.parse(codec.encodeXml(value))));
        assertSameValue(value, Values.fromDd(BinaryPropertyListParser.parse(codec.encodeBinary(value))));
    }

    @Test
    void weReadWhatDdPlistWrites() throws Exception {
        Map<String, Object> value = interoperableValue();
        byte[] xml = Values.toDd(value).toXMLPropertyList().getBytes(StandardCharsets.UTF_8);
        assertSameValue(value, codec.decode(xml));
        assertSameValue(value, codec.decode(BinaryPropertyListWriter.writeToArray(Values.toDd(value))));
    }

    @Test
    void weReadWhatPythonPlistlibWritesInCoreFoundationBinaryLayout() {
        // command-report.bplist: the command-report.plist fixture converted by Python's plistlib (FMT_BINARY,
        // sort_keys=False), an implementation independent of both dd-plist and this codec.
        assertSameValue(codec.decode(Fixtures.commandReport()), codec.decode(Fixtures.resource("command-report.bplist")));
    }

    @Test
    void oneCodecServesManyThreadsAtOnce() throws Exception {
        byte[] xml = Fixtures.commandReport();
        byte[] binary = codec.encodeBinary(codec.decode(xml));
        Object expected = Values.comparable(codec.decode(xml));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] input = i % 2 == 0 ? xml : binary;
                results.add(pool.submit(() -> Values.comparable(codec.decode(input))));
            }
            for (Future<Object> f : results) {
                assertEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void limitsAreValidatedAndKept() {
        PlistLimits limits = PlistLimits.defaults().withMaxInputBytes(1000).withMaxDepth(10).withMaxObjects(50);
        assertEquals(new PlistLimits(1000, 10, 50), PlistCodec.withLimits(limits).limits());
        assertEquals(16 * 1024 * 1024, PlistLimits.defaults().maxInputBytes());
        assertThrows(IllegalArgumentException.class, () -> PlistLimits.defaults().withMaxDepth(0));
        assertThrows(IllegalArgumentException.class, () -> PlistLimits.defaults().withMaxDepth(PlistLimits.MAX_DEPTH_CEILING + 1));
        assertThrows(IllegalArgumentException.class, () -> PlistLimits.defaults().withMaxInputBytes(0));
        assertThrows(IllegalArgumentException.class, () -> PlistLimits.defaults().withMaxObjects(0));
    }

    @Test
    void manifestExportsOnlyTheApiPackage() throws Exception {
        java.nio.file.Path manifest = java.nio.file.Path.of("target/classes/META-INF/MANIFEST.MF");
        String text = java.nio.file.Files.readString(manifest).replace("\r\n ", "").replace("\n ", "");
        String export = text.lines().filter(l -> l.startsWith("Export-Package:")).findFirst().orElseThrow();
        assertEquals("Export-Package: io.verger.plist;version=\"1.0.0\"", export);
        assertTrue(text.lines().filter(l -> l.startsWith("Import-Package:")).noneMatch(l -> l.contains("com.dd.plist")),
                "the bundle must not need dd-plist at run time");
    }

    /** What dd-plist can carry too: dates in whole seconds, no NaN or infinities. */
    private static Map<String, Object> interoperableValue() {
        Map<String, Object> v = everyValueType();
        v.remove("nan");
        v.remove("infinity");
        v.remove("minusInfinity");
        v.remove("string"); // dd-plist's XML writer lets a raw CR through, which XML turns into LF
        v.put("text", "Hello <world> & \"friends\" 'é' 日本 😀");
        return v;
    }
}
