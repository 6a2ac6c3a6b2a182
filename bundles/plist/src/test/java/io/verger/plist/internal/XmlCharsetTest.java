package io.verger.plist.internal;

import io.verger.plist.PlistException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written declared-encoding check finds what the regular expression it replaced found. */
class XmlCharsetTest {

    private static final String[] PIECES = {"<?xml", " ", "\t", "\n", "\r", "\u000B", "\f", "encoding", "=", "\"", "'", ">", "?>",
            "UTF-8", "utf8", "ISO-8859-1", "latin1", "UTF-16", "US-ASCII", "version=\"1.0\"", "x", "\u00e9", "\u65E5", "\uD83D\uDE00",
            "<plist>", "<string>", "</string>"};

    @Test
    void findsTheDeclaredEncodingAsTheRegularExpressionDid() {
        Random random = new Random(21);
        int refused = 0;
        for (int round = 0; round < 20_000; round++) {
            String text = random.nextBoolean() ? pieces(random) : nearMiss(random);
            String expected = refusal(() -> StaxCharset.decode(text.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, refusal(() -> XmlCharset.utf8(text.getBytes(StandardCharsets.UTF_8))), text);
            assertEquals(refusal(() -> StaxCharset.decode(("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE))),
                    refusal(() -> XmlCharset.utf8(("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE))), text);
            if (expected != null) {
                refused++;
            }
        }
        assertTrue(refused > 2000, "only " + refused + " refusals: the generator does not reach the interesting cases");
    }

    /** Random pieces, most of them of a declaration. */
    private static String pieces(Random random) {
        StringBuilder sb = new StringBuilder(random.nextInt(4) > 0 ? "<?xml" : "");
        int pieces = random.nextInt(12);
        for (int i = 0; i < pieces; i++) {
            sb.append(pick(random, PIECES));
        }
        return sb.toString();
    }

    /** {@code <?xml ... encoding = "name" ...} with each part now and then changed, left out or padded. */
    private static String nearMiss(Random random) {
        String[] spaces = {"", " ", "  ", "\t", "\n", "\r\n", "\u000B", "\f"};
        StringBuilder sb = new StringBuilder(random.nextInt(20) > 0 ? "<?xml" : "<?xml-stylesheet");
        sb.append(random.nextInt(10) > 0 ? " version=\"1.0\"" : random.nextBoolean() ? ">" : "");
        if (random.nextInt(4) == 0) {
            int padding = 180 + random.nextInt(90);
            sb.append(random.nextBoolean() ? " ".repeat(padding) : random.nextBoolean() ? "\uD83D\uDE00".repeat(padding / 2) : "\u00e9".repeat(padding));
        }
        sb.append(random.nextInt(10) > 0 ? pick(random, new String[]{" ", "\t", "\n", "\r", "\u000B", "\f"}) : pick(random, new String[]{"", "x", ">"}));
        sb.append(random.nextInt(15) > 0 ? "encoding" : "Encoding");
        sb.append(pick(random, spaces)).append(random.nextInt(15) > 0 ? "=" : ":").append(pick(random, spaces));
        sb.append(random.nextInt(15) > 0 ? pick(random, new String[]{"\"", "'"}) : "");
        sb.append(pick(random, new String[]{"UTF-8", "utf-8", "UTF8", "US-ASCII", "ascii", "ISO-8859-1", "latin1", "UTF-16", "utf-16le",
                "", "x>y", "\u00e9", "UTF-8 "}));
        sb.append(random.nextInt(15) > 0 ? pick(random, new String[]{"\"", "'"}) : "");
        sb.append(pick(random, new String[]{"?>", " ?>", "?><true/>", "", ">", " encoding=\"latin1\"?>"}));
        return sb.toString();
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    @Test
    void aSurrogatePairAcrossThe256thCharacterIsOutsideTheRegion() {
        for (int pad = 230; pad < 260; pad++) {
            for (String value : new String[]{"\uD83D\uDE00", "ab", "\u00e9"}) {
                String text = "<?xml version=\"1.0\"" + " ".repeat(pad - 30) + " encoding=\"latin" + value + "\"?><true/>";
                assertEquals(refusal(() -> StaxCharset.decode(text.getBytes(StandardCharsets.UTF_8))),
                        refusal(() -> XmlCharset.utf8(text.getBytes(StandardCharsets.UTF_8))), pad + value);
            }
        }
    }

    private static String refusal(Runnable decode) {
        try {
            decode.run();
            return null;
        } catch (PlistException e) {
            return e.getMessage();
        }
    }
}
