package io.verger.plist.internal;

import io.verger.plist.PlistException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Hands an XML plist to {@link XmlScanner} as UTF-8. Apple writes UTF-8; UTF-16 with a byte-order mark is
 * accepted too, nothing else, and the encoding the XML declaration names must be what the bytes are.
 *
 * <p>UTF-8 (the usual case) is passed on as it is, without a copy or a decoding pass: the scanner checks
 * it strictly where it reads it, refusing malformed bytes instead of letting them become U+FFFD. UTF-16
 * is decoded strictly here and re-encoded.
 */
final class XmlCharset {

    /** The declared encoding is looked for in this many leading characters, as the XML declaration must be there. */
    private static final int DECLARATION_REGION = 256;

    private XmlCharset() {
    }

    /** The plist as UTF-8 without a byte-order mark: {@code xml} itself unless it had a mark or was UTF-16. */
    static byte[] utf8(byte[] xml) {
        byte[] utf8;
        String actual;
        int b0 = xml.length > 0 ? xml[0] & 0xFF : -1;
        int b1 = xml.length > 1 ? xml[1] & 0xFF : -1;
        if (b0 == 0xEF && b1 == 0xBB && xml.length > 2 && (xml[2] & 0xFF) == 0xBF) {
            utf8 = Arrays.copyOfRange(xml, 3, xml.length);
            actual = "UTF-8";
        } else if (b0 == 0xFE && b1 == 0xFF) {
            utf8 = decode(xml, StandardCharsets.UTF_16BE).getBytes(StandardCharsets.UTF_8);
            actual = "UTF-16";
        } else if (b0 == 0xFF && b1 == 0xFE) {
            utf8 = decode(xml, StandardCharsets.UTF_16LE).getBytes(StandardCharsets.UTF_8);
            actual = "UTF-16";
        } else {
            utf8 = xml;
            actual = "UTF-8";
        }
        checkDeclared(utf8, actual);
        return utf8;
    }

    /** Strictly: a lone surrogate or odd trailing byte is refused, not replaced. */
    private static String decode(byte[] xml, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(xml, 2, xml.length - 2))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PlistException("XML plist is not valid UTF-16 (" + e.getMessage() + ")");
        }
    }

    /**
     * The encoding the XML declaration names, if any, must be what the bytes are. Finds the first
     * {@code <?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']} within the first 256 characters, as a regular
     * expression would ({@code \s} being ASCII white space); matched on the UTF-8 bytes, which for this
     * pattern is the same as matching the characters.
     */
    static void checkDeclared(byte[] b, String actual) {
        if (!startsWith(b, 0, "<?xml")) {
            return;
        }
        Region region = new Region(b);
        for (int at = 5; region.holds(at) && b[at] != '>'; at++) {
            if (!isRegexSpace(b[at]) || !startsWith(b, at + 1, "encoding")) {
                continue;
            }
            int i = skipRegexSpace(b, at + 9, region);
            if (!region.holds(i) || b[i] != '=') {
                continue;
            }
            i = skipRegexSpace(b, i + 1, region);
            if (!region.holds(i) || !isQuote(b[i])) {
                continue;
            }
            int from = ++i;
            while (region.holds(i) && !isQuote(b[i])) {
                i++;
            }
            if (!region.holds(i)) {
                continue;
            }
            if (!fits(b, from, i, actual)) {
                String name = new String(b, from, i - from, StandardCharsets.UTF_8);
                throw new PlistException("XML plist declares encoding " + PlistTypes.quote(name) + " but is " + actual
                        + " (plists are UTF-8, or UTF-16 with a byte-order mark)");
            }
            return;
        }
    }

    /** Whether the name in {@code b[from, to)} is an encoding the bytes may be declared as. */
    private static boolean fits(byte[] b, int from, int to, String actual) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) { // upper case outside ASCII can land inside it (\u0131 is I): as String.toUpperCase does
                String declared = new String(b, from, to - from, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
                return actual.equals("UTF-8")
                        ? declared.equals("UTF-8") || declared.equals("UTF8") || declared.equals("US-ASCII") || declared.equals("ASCII")
                        : declared.startsWith("UTF-16");
            }
        }
        return actual.equals("UTF-8")
                ? isAsciiUpper(b, from, to, "UTF-8") || isAsciiUpper(b, from, to, "UTF8") || isAsciiUpper(b, from, to, "US-ASCII")
                || isAsciiUpper(b, from, to, "ASCII")
                : to - from >= 6 && isAsciiUpper(b, from, from + 6, "UTF-16");
    }

    /** ASCII {@code b[from, to)} in upper case is {@code upper}. */
    private static boolean isAsciiUpper(byte[] b, int from, int to, String upper) {
        if (to - from != upper.length()) {
            return false;
        }
        for (int i = 0; i < upper.length(); i++) {
            int c = b[from + i];
            if ((c >= 'a' && c <= 'z' ? c - 32 : c) != upper.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Which bytes lie within the first 256 characters; counted only if the search gets that far. */
    private static final class Region {
        private final byte[] b;
        private int limit = -1;

        Region(byte[] b) {
            this.b = b;
        }

        boolean holds(int i) {
            if (i < DECLARATION_REGION || i >= b.length) { // a byte's character index is never above its own
                return i < b.length;
            }
            if (limit < 0) {
                int chars = 0;
                int k = 0;
                for (; k < b.length && chars < DECLARATION_REGION; k++) {
                    if ((b[k] & 0xC0) != 0x80) { // not a continuation byte: a character starts, two for a 4-byte sequence
                        chars += (b[k] & 0xF8) == 0xF0 ? 2 : 1;
                    }
                }
                while (k < b.length && (b[k] & 0xC0) == 0x80) {
                    k++; // the rest of the last character
                }
                limit = chars > DECLARATION_REGION ? k - 4 : k; // a surrogate pair cut in half by the region is outside it
            }
            return i < limit;
        }
    }

    private static int skipRegexSpace(byte[] b, int i, Region region) {
        while (region.holds(i) && isRegexSpace(b[i])) {
            i++;
        }
        return i;
    }

    private static boolean isRegexSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isQuote(byte c) {
        return c == '"' || c == '\'';
    }

    private static boolean startsWith(byte[] b, int at, String prefix) {
        if (at + prefix.length() > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

}
