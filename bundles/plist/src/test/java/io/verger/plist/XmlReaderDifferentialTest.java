package io.verger.plist;

import io.verger.plist.internal.StaxPlistReader;
import io.verger.plist.internal.XmlPlistReader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written XML reader against the StAX reader it replaced: for fixtures, thousands of random
 * plists and damaged versions of them, both give the same value or both refuse. Fixed seeds, so a
 * failure reproduces.
 *
 * <p>Where they may differ (see {@link #knownDifference}): XML 1.1 documents, which the JDK reads under
 * XML 1.1 rules and the new reader refuses; attribute names, which the JDK checks against XML 1.0's older
 * name tables and, oddly for a reader that is not namespace aware, against the QName rule, while the new
 * reader takes any XML 1.0 (fifth edition) name (attributes mean nothing in a plist); and a JDK bug: the
 * text StAX reports for a DOCTYPE sometimes misses a character where its buffer was refilled
 * ({@code "ttp://www.apple.com/..."}, {@code "plistPUBLIC"}), so the StAX reader now and then refused
 * Apple's own DOCTYPE.
 */
class XmlReaderDifferentialTest {

    private static final int RANDOM_PLISTS = 4000;
    private static final int DAMAGED_PER_INPUT = 3;

    private final PlistLimits limits = PlistLimits.defaults();
    private final XmlPlistReader reader = new XmlPlistReader(limits);
    private final StaxPlistReader oracle = new StaxPlistReader(limits);

    @Test
    void fixturesDecodeAlike() {
        PlistCodec codec = PlistCodec.withDefaults();
        List<byte[]> inputs = List.of(Fixtures.authenticate(), Fixtures.commandReport(),
                codec.encodeXml(PlistRoundTripTest.everyValueType()),
                codec.encodeXml(Map.of("UDID", "00008110-001A2B3C4D5E6F70", "Status", "Idle")));
        for (byte[] input : inputs) {
            Outcome expected = outcome(oracle::read, input);
            assertTrue(expected.value != null, "the oracle reads the fixture: " + expected.refusal);
            assertAgree(input, expected, outcome(reader::read, input));
        }
    }

    @Test
    void randomPlistsDecodeAlike() {
        RandomXmlPlists plists = new RandomXmlPlists(11);
        int accepted = 0;
        for (int i = 0; i < RANDOM_PLISTS; i++) {
            byte[] input = plists.next();
            if (compare(input)) {
                accepted++;
            }
        }
        // the generator must mostly write plists both accept, or this test would only compare refusals
        assertTrue(accepted > RANDOM_PLISTS / 2, accepted + " of " + RANDOM_PLISTS + " accepted");
    }

    @Test
    void damagedPlistsAreReadOrRefusedAlike() {
        RandomXmlPlists plists = new RandomXmlPlists(12);
        List<byte[]> inputs = new ArrayList<>(List.of(Fixtures.authenticate(), Fixtures.commandReport(),
                PlistCodec.withDefaults().encodeXml(PlistRoundTripTest.everyValueType())));
        for (int i = 0; i < RANDOM_PLISTS / 2; i++) {
            inputs.add(plists.next());
        }
        for (byte[] input : inputs) {
            int rounds = input.length > 1000 ? 200 : DAMAGED_PER_INPUT;
            for (int r = 0; r < rounds; r++) {
                compare(plists.damage(input));
            }
        }
    }

    @Test
    void utf16AndByteOrderMarkedPlistsDecodeAlike() {
        RandomXmlPlists plists = new RandomXmlPlists(13);
        for (int i = 0; i < 300; i++) {
            String text = new String(plists.next(), StandardCharsets.UTF_8);
            compare(("\uFEFF" + text).getBytes(StandardCharsets.UTF_8));
            compare(("\uFEFF" + text).getBytes(StandardCharsets.UTF_16BE));
            compare(("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE));
            compare(("\uFEFF" + text.replace("UTF-8", "UTF-16").replace("utf-8", "utf-16")).getBytes(StandardCharsets.UTF_16BE));
            compare(plists.damage(("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE)));
        }
    }

    @Test
    void theDocumentedDifferencesAreTheOnlyOnesFound() {
        // the cases knownDifference allows, shown once each so a reader sees what they are
        assertEquals("a", oracle.read(utf8("<?xml version=\"1.1\"?><string>a</string>")));
        assertTrue(outcome(reader::read, utf8("<?xml version=\"1.1\"?><string>a</string>")).refusal.contains("only XML 1.0"));
        for (String name : List.of("a:", "a:1", "\u02B0", "\uFF41", "a\u203F")) {
            byte[] input = utf8("<plist " + name + "=\"1\"><string>a</string></plist>");
            assertTrue(outcome(oracle::read, input).refusal != null, name);
            assertEquals("a", reader.read(input), name);
        }
        byte[] doctypeFirst = utf8("<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" "
                + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\"><true/>");
        assertTrue(outcome(oracle::read, doctypeFirst).refusal.contains("DOCTYPE other than Apple's"));
        assertEquals(true, oracle.read(withCanonicalDoctype(doctypeFirst)));
        assertEquals(true, reader.read(doctypeFirst));
    }

    @Test
    void knownDifferencesExcuseNothingElse() {
        // were the new reader to accept these, no allowance may cover it
        for (String xml : List.of("<plist a=\"1\"b=\"2\"><string>a</string></plist>", "<plist -a=\"1\"><string>a</string></plist>",
                "<plist a:=\"1\"b=\"2\"><string>a</string></plist>", "<!DOCTYPE plist SYSTEM \"x\"><string>a</string>",
                "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\" []><string>a</string>")) {
            byte[] input = utf8(xml);
            Outcome stax = outcome(oracle::read, input);
            assertTrue(stax.refusal != null, xml);
            assertTrue(!knownDifference(input, stax, new Outcome("a", null)), xml);
        }
    }

    @Test
    void depthAndObjectLimitsRefuseAlike() {
        PlistLimits small = PlistLimits.defaults().withMaxDepth(2).withMaxObjects(5);
        XmlPlistReader smallReader = new XmlPlistReader(small);
        StaxPlistReader smallOracle = new StaxPlistReader(small);
        RandomXmlPlists plists = new RandomXmlPlists(14);
        int refused = 0;
        for (int i = 0; i < RANDOM_PLISTS; i++) {
            byte[] input = plists.next();
            if (outcome(reader::read, input).value != null && !compare(input, smallOracle, smallReader)) {
                refused++; // read with the defaults, refused under the small limits by both
            }
        }
        assertTrue(refused > 100, refused + " refused for their limits");
    }

    /** True if both accepted. */
    private boolean compare(byte[] input) {
        return compare(input, oracle, reader);
    }

    private boolean compare(byte[] input, StaxPlistReader oracle, XmlPlistReader reader) {
        Outcome expected = outcome(oracle::read, input);
        Outcome actual = outcome(reader::read, input);
        if (expected.value == null && actual.value == null || knownDifference(input, expected, actual)) {
            return false;
        }
        assertAgree(input, expected, actual);
        return true;
    }

    private static void assertAgree(byte[] input, Outcome expected, Outcome actual) {
        if (expected.value == null || actual.value == null) {
            throw new AssertionError("readers disagree on " + show(input) + "\n  StAX: " + expected + "\n  new:  " + actual);
        }
        assertEquals(expected.value, actual.value, () -> "readers disagree on " + show(input));
    }

    /** See the class comment. */
    private boolean knownDifference(byte[] input, Outcome stax, Outcome hand) {
        if (stax.value != null && hand.refusal != null) {
            return hand.refusal.contains("XML version '1.1' is not supported");
        }
        if (stax.refusal == null || hand.value == null) {
            return false;
        }
        if (stax.refusal.contains("DOCTYPE other than Apple's")) {
            byte[] canonical = withCanonicalDoctype(input);
            return canonical != null && hand.value.equals(outcome(oracle::read, canonical).value);
        }
        if (stax.refusal.contains("QName") || stax.refusal.contains("must be followed by")) {
            byte[] plain = withPlainNames(input);
            return plain != null && hand.value.equals(outcome(oracle::read, plain).value);
        }
        return false;
    }

    /**
     * {@code input} with every character outside ASCII, and every colon, inside start tags made an
     * {@code a}: names any edition of XML and the QName rule allow. Null if there was none to change.
     */
    private static byte[] withPlainNames(byte[] input) {
        return reencode(input, text -> {
            java.util.regex.Matcher tag = START_TAG.matcher(text);
            StringBuilder sb = new StringBuilder();
            boolean changed = false;
            while (tag.find()) {
                String plain = tag.group().replaceAll("[^\\x00-\\x7F]|:", "a");
                changed |= !plain.equals(tag.group());
                tag.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(plain));
            }
            tag.appendTail(sb);
            return changed ? sb.toString() : null;
        });
    }

    private static final java.util.regex.Pattern START_TAG = java.util.regex.Pattern.compile("<[^<>!?/][^<>]*>");

    private static Outcome outcome(java.util.function.Function<byte[], Object> read, byte[] input) {
        try {
            return new Outcome(Values.comparable(read.apply(input)), null);
        } catch (PlistException e) {
            return new Outcome(null, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("neither value nor PlistException for " + show(input), e);
        }
    }

    /**
     * {@code input} with its DOCTYPE, if it is Apple's by the StAX reader's own pattern, written the usual
     * way and after an XML declaration, where StAX reports it intact; null if it has no such DOCTYPE.
     */
    private static byte[] withCanonicalDoctype(byte[] input) {
        return reencode(input, text -> {
            java.util.regex.Matcher m = APPLE_DOCTYPE.matcher(text);
            if (!m.find()) {
                return null;
            }
            String canonical = "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">";
            String before = text.substring(0, m.start());
            if (!before.matches("(?s)<\\?xml[ \t\r\n].*")) {
                before = "<?xml version=\"1.0\"?>" + before;
            }
            return before + canonical + text.substring(m.end());
        });
    }

    /** {@code input} decoded as the readers decode it, changed, and encoded back the same way; null if unchanged. */
    private static byte[] reencode(byte[] input, java.util.function.UnaryOperator<String> change) {
        java.nio.charset.Charset charset = StandardCharsets.UTF_8;
        int bom = 0;
        if (input.length >= 3 && (input[0] & 0xFF) == 0xEF && (input[1] & 0xFF) == 0xBB && (input[2] & 0xFF) == 0xBF) {
            bom = 3;
        } else if (input.length >= 2 && (input[0] & 0xFF) == 0xFE && (input[1] & 0xFF) == 0xFF) {
            bom = 2;
            charset = StandardCharsets.UTF_16BE;
        } else if (input.length >= 2 && (input[0] & 0xFF) == 0xFF && (input[1] & 0xFF) == 0xFE) {
            bom = 2;
            charset = StandardCharsets.UTF_16LE;
        }
        String changed = change.apply(new String(input, bom, input.length - bom, charset));
        if (changed == null) {
            return null;
        }
        byte[] rest = changed.getBytes(charset);
        byte[] out = java.util.Arrays.copyOf(input, bom + rest.length);
        System.arraycopy(rest, 0, out, bom, rest.length);
        return out;
    }

    /** StaxPlistReader's pattern for Apple's DOCTYPE, with XML's white space for {@code \s}. */
    private static final java.util.regex.Pattern APPLE_DOCTYPE = java.util.regex.Pattern.compile(
            "<!DOCTYPE[ \t\r\n]+plist[ \t\r\n]+PUBLIC[ \t\r\n]+([\"'])-//Apple(?: Computer)?//DTD PLIST 1\\.0//EN\\1[ \t\r\n]+"
                    + "([\"'])(?:https?://www\\.apple\\.com/DTDs/PropertyList-1\\.0\\.dtd"
                    + "|file://localhost/System/Library/DTDs/PropertyList\\.dtd)\\2[ \t\r\n]*>");

    private static String show(byte[] input) {
        return new String(input, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n")
                + " (hex " + HexFormat.of().formatHex(input) + ")";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Outcome(Object value, String refusal) {
    }
}
