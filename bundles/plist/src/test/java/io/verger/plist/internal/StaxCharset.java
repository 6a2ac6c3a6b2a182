package io.verger.plist.internal;

import io.verger.plist.PlistException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * XmlCharset as it was for {@link StaxPlistReader}, kept with it as part of the test oracle.
 *
 * <p>Turns an XML plist's bytes into text before the XML parser sees them. Apple writes UTF-8; UTF-16
 * with a byte-order mark is accepted too, nothing else.
 *
 * <p>Why not let the parser decode: the JDK's parser prints "[Fatal Error]" lines to System.err for
 * malformed UTF-8, whatever reporter is configured, so every hostile body would write to the server's
 * console. Decoding here also refuses malformed bytes instead of letting them become U+FFFD.
 */
final class StaxCharset {

    private static final Pattern ENCODING = Pattern.compile("^<\\?xml[^>]*?\\sencoding\\s*=\\s*[\"']([^\"']*)[\"']");

    private StaxCharset() {
    }

    static String decode(byte[] xml) {
        if (startsWith(xml, 0xEF, 0xBB, 0xBF)) {
            return decode(xml, 3, StandardCharsets.UTF_8, "UTF-8");
        } else if (startsWith(xml, 0xFE, 0xFF)) {
            return decode(xml, 2, StandardCharsets.UTF_16BE, "UTF-16");
        } else if (startsWith(xml, 0xFF, 0xFE)) {
            return decode(xml, 2, StandardCharsets.UTF_16LE, "UTF-16");
        }
        String text = new String(xml, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            text = decode(xml, 0, StandardCharsets.UTF_8, "UTF-8"); // a real U+FFFD, or malformed bytes?
        }
        checkDeclared(text, "UTF-8");
        return text;
    }

    private static String decode(byte[] xml, int offset, Charset charset, String name) {
        String text;
        try {
            text = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(xml, offset, xml.length - offset))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PlistException("XML plist is not valid " + name + " (" + e.getMessage() + ")");
        }
        checkDeclared(text, name);
        return text;
    }

    /** The encoding the XML declaration names, if any, must be what the bytes are. */
    private static void checkDeclared(String text, String actual) {
        if (!text.startsWith("<?xml")) {
            return;
        }
        Matcher m = ENCODING.matcher(text);
        m.region(0, Math.min(text.length(), 256));
        if (!m.find()) {
            return;
        }
        String declared = m.group(1).toUpperCase(Locale.ROOT);
        boolean fits = actual.equals("UTF-8")
                ? declared.equals("UTF-8") || declared.equals("UTF8") || declared.equals("US-ASCII") || declared.equals("ASCII")
                : declared.startsWith("UTF-16");
        if (!fits) {
            throw new PlistException("XML plist declares encoding " + PlistTypes.quote(m.group(1)) + " but is " + actual
                    + " (plists are UTF-8, or UTF-16 with a byte-order mark)");
        }
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
