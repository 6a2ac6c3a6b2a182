package io.verger.plist.internal;

import io.verger.plist.PlistException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The XML 1.0 a plist is written in, read by hand from its UTF-8 bytes: tags, attributes (checked and
 * ignored), text with the five predefined entities and character references, CDATA sections, comments,
 * processing instructions, the XML declaration and Apple's plist DOCTYPE.
 *
 * <p>What it never does: read a DTD, or declare, expand or fetch an entity. The only DOCTYPE it takes is
 * Apple's, matched byte for byte; any other, and any entity reference other than the five predefined
 * ones, is refused. It has no file or network access to give away.
 *
 * <p>Well-formedness is checked as a conforming XML 1.0 parser checks it: matching end tags, unique
 * attributes, only characters XML allows (in character references too), no {@code ]]>} in text, no
 * {@code --} in comments, nothing but comments, processing instructions and white space outside the root
 * element. The bytes must be well-formed UTF-8, checked as strictly as the JDK's decoder checks them
 * (no overlong forms, surrogates or values above U+10FFFF), wherever they are read. Line ends are
 * normalised ({@code \r\n} and a lone {@code \r} become {@code \n}) in text and CDATA. Names follow the
 * XML 1.0 fifth edition.
 *
 * <p>A pull reader for {@link XmlPlistReader}: it reports start tags, end tags and text, and keeps the
 * open elements' names on its own stack (no recursion), so the depth is whatever the caller allows.
 * Strings are made straight from the input bytes. One instance reads one document.
 */
final class XmlScanner {

    /** {@link #nextTag()} read a start tag or an empty-element tag; its name is {@link #name()}. */
    static final int START = 1;
    /** {@link #nextTag()} read the end tag of the innermost open element (or that element was {@code <x/>}). */
    static final int END = 2;
    /** {@link #nextTag()} found text other than white space where only elements belong: {@link #strayText()}. */
    static final int TEXT = 3;

    private static final String DOCTYPE_REFUSED = "XML plist refused: DOCTYPE other than Apple's plist DOCTYPE"
            + " (internal subsets, entity declarations and external DTDs are not allowed)";
    private static final byte[][] APPLE_PUBLIC_IDS = ascii("-//Apple//DTD PLIST 1.0//EN", "-//Apple Computer//DTD PLIST 1.0//EN");
    private static final byte[][] APPLE_SYSTEM_IDS = ascii("http://www.apple.com/DTDs/PropertyList-1.0.dtd",
            "https://www.apple.com/DTDs/PropertyList-1.0.dtd", "file://localhost/System/Library/DTDs/PropertyList.dtd");
    /** Up to this many attributes on one tag are checked for duplicates pairwise, beyond it with a set. */
    private static final int PAIRWISE_ATTRIBUTES = 8;

    /**
     * By byte ({@code b & 0xFF}): true for the ASCII characters text may hold as they are, all XML
     * characters but {@code < & ] \r}; false for those and for every byte of a multi-byte character.
     */
    private static final boolean[] PLAIN_TEXT = new boolean[256];
    /** By byte: ASCII name characters (a first one, any one); false for multi-byte characters, looked at apart. */
    private static final boolean[] NAME_START = new boolean[256];
    private static final boolean[] NAME_CHAR = new boolean[256];
    /** By byte: XML white space. */
    private static final boolean[] SPACE = new boolean[256];

    static {
        SPACE[' '] = true;
        SPACE['\t'] = true;
        SPACE['\n'] = true;
        SPACE['\r'] = true;
        PLAIN_TEXT['\t'] = true;
        PLAIN_TEXT['\n'] = true;
        for (char c = 0x20; c < 0x80; c++) {
            PLAIN_TEXT[c] = c != '<' && c != '&' && c != ']';
            NAME_START[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
            NAME_CHAR[c] = NAME_START[c] || (c >= '0' && c <= '9') || c == '-' || c == '.';
        }
    }

    /** UTF-8. */
    private final byte[] in;
    private final int end;
    private int pos;

    /** Start and end offsets of the open elements' names, outermost first. */
    private int[] open = new int[32];
    private int depth;
    /** The last start tag was {@code <x/>}: its END is due without reading anything. */
    private boolean endPending;
    private int nameStart;
    private int nameEnd;
    private String strayText;
    private StringBuilder buffer;
    private final int[] attributes = new int[2 * PAIRWISE_ATTRIBUTES];
    private Set<String> manyAttributes;
    /** The value of the XML declaration's pseudo-attribute just read. */
    private int valueStart;
    private int valueEnd;

    /** @param utf8 the document, UTF-8 without byte-order mark; read, never changed */
    XmlScanner(byte[] utf8) {
        this.in = utf8;
        this.end = utf8.length;
    }

    /** The name of the tag just read. */
    String name() {
        return string(nameStart, nameEnd);
    }

    int nameLength() {
        return nameEnd - nameStart;
    }

    /** Byte {@code i} of the name of the tag just read. */
    byte nameByte(int i) {
        return in[nameStart + i];
    }

    /** Whether the name of the tag just read is {@code name} (ASCII). */
    boolean nameIs(byte[] name) {
        if (name.length != nameEnd - nameStart) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (in[nameStart + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** After {@link #TEXT}: the text, up to the next markup or reference. */
    String strayText() {
        return strayText;
    }

    /**
     * Reads the XML declaration, comments, processing instructions and Apple's DOCTYPE, then the root
     * element's start tag.
     */
    void prolog() {
        if (startsWith("<?xml", 0) && end > 5 && isSpace(in[5])) {
            xmlDeclaration();
        }
        boolean doctype = false;
        while (true) {
            skipSpace();
            if (pos >= end) {
                throw malformed(pos, "the document has no root element");
            }
            if (in[pos] != '<') {
                throw malformed(pos, isXmlCharAt(pos) ? "text before the root element" : invalidCharacterAt(pos));
            }
            int next = pos + 1 < end ? in[pos + 1] : 0;
            if (next == '?') {
                processingInstruction();
            } else if (next == '!' && startsWith("<!--", pos)) {
                comment();
            } else if (next == '!' && startsWith("<!DOCTYPE", pos)) {
                if (doctype) {
                    throw malformed(pos, "a second DOCTYPE");
                }
                appleDoctype();
                doctype = true;
            } else {
                startTag();
                return;
            }
        }
    }

    /**
     * The next start or end tag inside the open elements, passing over white space (also as character
     * references or CDATA), comments and processing instructions; {@link #TEXT} for any other text.
     */
    int nextTag() {
        if (endPending) {
            endPending = false;
            depth--;
            return END;
        }
        while (true) {
            skipSpace();
            if (pos >= end) {
                throw unclosed();
            }
            byte b = in[pos];
            if (b == '<') {
                int next = pos + 1 < end ? in[pos + 1] : 0;
                if (next == '/') {
                    endTag();
                    return END;
                } else if (next == '?') {
                    processingInstruction();
                } else if (next == '!' && startsWith("<!--", pos)) {
                    comment();
                } else if (next == '!' && startsWith("<![CDATA[", pos)) {
                    int from = pos + 9;
                    int to = cdataEnd(from);
                    pos = to + 3;
                    if (!isAllSpace(from, to)) {
                        strayText = string(from, to);
                        return TEXT;
                    }
                } else {
                    startTag();
                    return START;
                }
            } else if (b == '&') {
                int c = reference();
                if (!isSpace(c)) {
                    strayText = new String(Character.toChars(c));
                    return TEXT;
                }
            } else {
                int from = pos;
                pos = scanText(pos);
                strayText = string(from, pos);
                return TEXT;
            }
        }
    }

    /**
     * The text of the element whose start tag was just read, up to and including its end tag; or null if
     * the element holds an element, whose start tag has then been read.
     */
    String text() {
        if (endPending) {
            endPending = false;
            depth--;
            return "";
        }
        int from = pos;
        int i = scanText(from);
        if (i + 1 < end && in[i] == '<' && in[i + 1] == '/') { // plain text, the usual case: one copy, into the value
            pos = i;
            endTag();
            return string(from, i);
        }
        return text(from, i);
    }

    /**
     * As {@link #text()}, leaving out XML white space and turning every other character outside ASCII
     * into {@code '?'}: base64 as bytes, for {@code <data>}.
     */
    byte[] textWithoutSpace() {
        String text;
        if (endPending) {
            text = text();
        } else {
            int from = pos;
            int i = scanText(from);
            if (i + 1 < end && in[i] == '<' && in[i + 1] == '/') { // plain text: straight from the input
                pos = i;
                endTag();
                byte[] kept = new byte[i - from];
                int n = 0;
                for (int k = from; k < i; k++) {
                    byte b = in[k];
                    if (!isSpace(b)) {
                        if (b < 0) {
                            b = '?';
                            k += (utf8(k) >>> 24) - 1;
                        }
                        kept[n++] = b;
                    }
                }
                return n == kept.length ? kept : Arrays.copyOf(kept, n);
            }
            text = text(from, i);
        }
        if (text == null) {
            return null;
        }
        byte[] kept = new byte[text.length()];
        int n = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (!isSpace(c)) {
                kept[n++] = c < 0x80 ? (byte) c : (byte) '?';
            }
        }
        return n == kept.length ? kept : Arrays.copyOf(kept, n);
    }

    /** The rest of {@link #text()}, once the text is more than one plain run: {@code [from, i)} was. */
    private String text(int from, int i) {
        StringBuilder sb = buffer();
        appendText(sb, from, i);
        pos = i;
        while (true) {
            if (pos >= end) {
                throw unclosed();
            }
            byte b = in[pos];
            if (b == '<') {
                int next = pos + 1 < end ? in[pos + 1] : 0;
                if (next == '/') {
                    endTag();
                    return sb.toString();
                } else if (next == '?') {
                    processingInstruction();
                } else if (next == '!' && startsWith("<!--", pos)) {
                    comment();
                } else if (next == '!' && startsWith("<![CDATA[", pos)) {
                    int to = cdataEnd(pos + 9);
                    appendText(sb, pos + 9, to);
                    pos = to + 3;
                } else {
                    startTag();
                    return null;
                }
            } else if (b == '&') {
                sb.appendCodePoint(reference());
            } else if (b == '\r') {
                sb.append('\n');
                pos++;
                if (pos < end && in[pos] == '\n') {
                    pos++;
                }
            } else {
                i = scanText(pos);
                appendText(sb, pos, i);
                pos = i;
            }
        }
    }

    /** After the root element: nothing but comments, processing instructions and white space may follow. */
    void epilog() {
        while (true) {
            skipSpace();
            if (pos >= end) {
                return;
            }
            if (startsWith("<?", pos)) {
                processingInstruction();
            } else if (startsWith("<!--", pos)) {
                comment();
            } else {
                throw malformed(pos, isXmlCharAt(pos) ? "content after the root element" : invalidCharacterAt(pos));
            }
        }
    }

    /** Line of the reading position, from 1. */
    int line() {
        return lineOf(pos);
    }

    /** Column of the reading position, from 1, in characters. */
    int column() {
        return columnOf(pos);
    }

    // --- markup

    private void xmlDeclaration() {
        int i = skipSpace(5);
        if (!startsWith("version", i)) {
            throw malformed(i, "the XML declaration must begin with the version");
        }
        i = declarationValue(i + 7);
        if (!isValue("1.0")) {
            throw malformed(i, "XML version " + PlistTypes.quote(value()) + " is not supported, only XML 1.0 is");
        }
        boolean space = i < end && isSpace(in[i]);
        i = skipSpace(i);
        if (space && startsWith("encoding", i)) {
            i = declarationValue(i + 8);
            if (!isEncodingName()) {
                throw malformed(i, "encoding name " + PlistTypes.quote(value()) + " is not valid");
            }
            space = i < end && isSpace(in[i]);
            i = skipSpace(i);
        }
        if (space && startsWith("standalone", i)) {
            i = declarationValue(i + 10);
            if (!isValue("yes") && !isValue("no")) {
                throw malformed(i, "standalone must be \"yes\" or \"no\", not " + PlistTypes.quote(value()));
            }
            i = skipSpace(i);
        }
        if (!startsWith("?>", i)) {
            throw malformed(i, "the XML declaration holds only version, encoding and standalone, and ends with '?>'");
        }
        pos = i + 2;
    }

    /** {@code S? = S? 'value'} of a pseudo-attribute of the XML declaration, from just after its name. */
    private int declarationValue(int i) {
        i = skipSpace(i);
        if (i >= end || in[i] != '=') {
            throw malformed(i, "'=' expected in the XML declaration");
        }
        i = skipSpace(i + 1);
        int quote = i < end ? in[i] : 0;
        if (quote != '"' && quote != '\'') {
            throw malformed(i, "quoted value expected in the XML declaration");
        }
        int close = i + 1;
        while (close < end && in[close] != quote) {
            close++;
        }
        if (close >= end) {
            throw malformed(end, "the XML declaration is not closed");
        }
        valueStart = i + 1;
        valueEnd = close;
        return close + 1;
    }

    private boolean isValue(String expected) {
        return valueEnd - valueStart == expected.length() && startsWith(expected, valueStart);
    }

    private String value() {
        return string(valueStart, valueEnd);
    }

    /** {@code [A-Za-z] ([A-Za-z0-9._] | '-')*} */
    private boolean isEncodingName() {
        for (int i = valueStart; i < valueEnd; i++) {
            byte c = in[i];
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter && (i == valueStart || !((c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))) {
                return false;
            }
        }
        return valueEnd > valueStart;
    }

    /** Apple's DOCTYPE, exactly, or a refusal; nothing of any other DOCTYPE is read. */
    private void appleDoctype() {
        int i = space(pos + 9, true);
        i = space(word(i, "plist"), true);
        i = space(word(i, "PUBLIC"), true);
        i = space(quoted(i, APPLE_PUBLIC_IDS), true);
        i = space(quoted(i, APPLE_SYSTEM_IDS), false);
        i = word(i, ">");
        if (i < 0) {
            throw new PlistException(DOCTYPE_REFUSED);
        }
        pos = i;
    }

    private int space(int i, boolean required) {
        if (i < 0 || (required && (i >= end || !isSpace(in[i])))) {
            return -1;
        }
        return skipSpace(i);
    }

    private int word(int i, String word) {
        return i >= 0 && startsWith(word, i) ? i + word.length() : -1;
    }

    private int quoted(int i, byte[][] choices) {
        int quote = i >= 0 && i < end ? in[i] : 0;
        if (quote != '"' && quote != '\'') {
            return -1;
        }
        for (byte[] choice : choices) {
            int close = i + 1 + choice.length;
            if (close < end && in[close] == quote && Arrays.equals(in, i + 1, close, choice, 0, choice.length)) {
                return close + 1;
            }
        }
        return -1;
    }

    private static byte[][] ascii(String... strings) {
        byte[][] bytes = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            bytes[i] = strings[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }

    /** From {@code <!--} to {@code -->}. */
    private void comment() {
        int i = pos + 4;
        while (i < end) {
            if (in[i] == '-' && i + 1 < end && in[i + 1] == '-') {
                if (i + 2 < end && in[i + 2] == '>') {
                    pos = i + 3;
                    return;
                }
                throw malformed(i, "\"--\" inside a comment");
            }
            i = xmlChar(i);
        }
        throw malformed(end, "a comment is not closed");
    }

    /** From {@code <?} to {@code ?>}. */
    private void processingInstruction() {
        int target = pos + 2;
        int i = nameEnd(target);
        if (i == target) {
            throw malformed(target, "a processing instruction must begin with its target's name");
        }
        if (i - target == 3 && string(target, i).equalsIgnoreCase("xml")) {
            throw malformed(target, "an XML declaration may only open the document");
        }
        if (startsWith("?>", i)) {
            pos = i + 2;
            return;
        }
        if (i >= end || !isSpace(in[i])) {
            throw malformed(i, "white space must follow a processing instruction's target");
        }
        pos = closing("?>", i, "a processing instruction is not closed") + 2;
    }

    /** The offset of the {@code ]]>} that closes a CDATA section whose text starts at {@code from}. */
    private int cdataEnd(int from) {
        return closing("]]>", from, "a CDATA section is not closed");
    }

    /** The offset of the first {@code close} at or after {@code from}, checking the XML characters before it. */
    private int closing(String close, int from, String notClosed) {
        char first = close.charAt(0);
        int i = from;
        while (i < end) {
            if (in[i] == first && startsWith(close, i)) {
                return i;
            }
            i = xmlChar(i);
        }
        throw malformed(end, notClosed);
    }

    /** {@code <name (S attribute)* S? (> | />)}, from its {@code <}. */
    private void startTag() {
        int i = pos + 1;
        int n = nameEnd(i);
        if (n == i) {
            throw malformed(i, i < end && !isXmlCharAt(i) ? invalidCharacterAt(i)
                    : "'<' must open a tag, a comment, a CDATA section or a processing instruction (write &lt; in text)");
        }
        nameStart = i;
        nameEnd = n;
        i = n;
        int count = 0;
        while (true) {
            int c = i < end ? in[i] : -1;
            if (c == '>') {
                i++;
                endPending = false;
                break;
            } else if (c == '/' && i + 1 < end && in[i + 1] == '>') {
                i += 2;
                endPending = true;
                break;
            } else if (!isSpace(c)) {
                throw c < 0 && i >= end ? unclosedTag() : afterName(i);
            }
            i = skipSpace(i);
            c = i < end ? in[i] : -1;
            if (c != '>' && c != '/') {
                i = attribute(i, count++);
            }
        }
        if (2 * depth == open.length) {
            open = Arrays.copyOf(open, 4 * depth);
        }
        open[2 * depth] = nameStart;
        open[2 * depth + 1] = nameEnd;
        depth++;
        pos = i;
    }

    private PlistException afterName(int i) {
        return malformed(i, "<" + PlistTypes.clean(name()) + " must be followed by attributes, '>' or '/>'");
    }

    /** {@code name S? = S? "value"}, checked and dropped: no plist element has attributes that mean anything. */
    private int attribute(int i, int index) {
        int n = nameEnd(i);
        if (n == i) {
            throw i >= end ? unclosedTag() : afterName(i);
        }
        unique(i, n, index);
        int at = skipSpace(n);
        if (at >= end || in[at] != '=') {
            throw malformed(at, "attribute " + PlistTypes.clean(string(i, n)) + " must be followed by '='");
        }
        at = skipSpace(at + 1);
        int quote = at < end ? in[at] : 0;
        if (quote != '"' && quote != '\'') {
            throw malformed(at, "the value of attribute " + PlistTypes.clean(string(i, n)) + " must be quoted");
        }
        at++;
        while (true) {
            if (at >= end) {
                throw unclosedTag();
            }
            byte b = in[at];
            if (b == quote) {
                return at + 1;
            } else if (b == '<') {
                throw malformed(at, "'<' in the value of attribute " + PlistTypes.clean(string(i, n)));
            } else if (b == '&') {
                pos = at;
                reference();
                at = pos;
            } else {
                at = xmlChar(at);
            }
        }
    }

    private void unique(int from, int to, int index) {
        int length = to - from;
        if (index < PAIRWISE_ATTRIBUTES) {
            for (int k = 0; k < index; k++) {
                int other = attributes[2 * k];
                if (attributes[2 * k + 1] - other == length && regionEquals(other, from, length)) {
                    throw duplicateAttribute(from, to);
                }
            }
            attributes[2 * index] = from;
            attributes[2 * index + 1] = to;
            return;
        }
        if (index == PAIRWISE_ATTRIBUTES) {
            manyAttributes = new HashSet<>();
            for (int k = 0; k < PAIRWISE_ATTRIBUTES; k++) {
                manyAttributes.add(string(attributes[2 * k], attributes[2 * k + 1]));
            }
        }
        if (!manyAttributes.add(string(from, to))) {
            throw duplicateAttribute(from, to);
        }
    }

    private PlistException duplicateAttribute(int from, int to) {
        return malformed(from, "attribute " + PlistTypes.clean(string(from, to)) + " appears twice in <"
                + PlistTypes.clean(name()) + ">");
    }

    /** {@code </name S? >} of the innermost open element, from its {@code <}. */
    private void endTag() {
        int i = pos + 2;
        int openStart = open[2 * depth - 2];
        int length = open[2 * depth - 1] - openStart;
        int n = i + length;
        if (n < end && in[n] == '>' && regionEquals(i, openStart, length)) { // </name>, the usual form
            nameStart = i;
            nameEnd = n;
            pos = n + 1;
            depth--;
            return;
        }
        if (n > end || !regionEquals(i, openStart, length) || nameChar(n, false) != n) {
            String expected = PlistTypes.clean(string(openStart, openStart + length));
            throw n > end && regionEquals(i, openStart, end - i) ? unclosed()
                    : malformed(i, "<" + expected + "> must be closed by </" + expected + ">");
        }
        nameStart = i;
        nameEnd = n;
        i = skipSpace(n);
        if (i >= end || in[i] != '>') {
            throw i >= end ? unclosed() : malformed(i, "an end tag must end with '>'");
        }
        pos = i + 1;
        depth--;
    }

    /** A character or entity reference, from its {@code &}; returns the code point it stands for. */
    private int reference() {
        int i = pos + 1;
        if (i < end && in[i] == '#') {
            i++;
            int radix = 10;
            if (i < end && in[i] == 'x') {
                radix = 16;
                i++;
            }
            int digits = i;
            int value = 0;
            while (i < end) {
                int d = digit(in[i], radix);
                if (d < 0) {
                    break;
                }
                value = Math.min(value * radix + d, Character.MAX_CODE_POINT + 1);
                i++;
            }
            if (i == digits) {
                throw malformed(i, radix == 16 ? "hexadecimal digits must follow \"&#x\"" : "decimal digits must follow \"&#\"");
            }
            if (i >= end || in[i] != ';') {
                throw malformed(i, "a character reference must end with ';'");
            }
            if (!isXmlChar(value)) {
                throw malformed(i, "character reference " + PlistTypes.quote(string(pos, i + 1))
                        + " is not a character XML allows");
            }
            pos = i + 1;
            return value;
        }
        int n = nameEnd(i);
        if (n == i) {
            throw malformed(i, "'&' must begin a reference (write &amp; for '&' in text)");
        }
        if (n >= end || in[n] != ';') {
            throw malformed(n, "the reference to entity " + PlistTypes.quote(string(i, n)) + " must end with ';'");
        }
        int c = predefined(i, n - i);
        if (c < 0) {
            throw new PlistException("XML plist refused: entity reference &" + PlistTypes.clean(string(i, n))
                    + "; (only &amp; &lt; &gt; &quot; &apos; and character references are allowed)");
        }
        pos = n + 1;
        return c;
    }

    private int predefined(int i, int length) {
        switch (length) {
            case 2:
                return startsWith("lt", i) ? '<' : startsWith("gt", i) ? '>' : -1;
            case 3:
                return startsWith("amp", i) ? '&' : -1;
            case 4:
                return startsWith("quot", i) ? '"' : startsWith("apos", i) ? '\'' : -1;
            default:
                return -1;
        }
    }

    private static int digit(byte c, int radix) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        } else if (radix == 16 && c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        } else if (radix == 16 && c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    // --- characters

    /**
     * The end of the text run from {@code i}: the offset of the next {@code <}, {@code &}, {@code \r} or
     * the end of input. Refuses characters XML does not allow, malformed UTF-8 and {@code ]]>}.
     */
    private int scanText(int i) {
        final byte[] in = this.in;
        final int end = this.end;
        while (i < end) {
            byte b = in[i];
            if (PLAIN_TEXT[b & 0xFF]) {
                i++;
            } else if (b < 0) {
                i = xmlChar(i);
            } else if (b == ']') {
                if (startsWith("]]>", i)) {
                    throw malformed(i, "\"]]>\" in text (it may only close a CDATA section)");
                }
                i++;
            } else if (b == '<' || b == '&' || b == '\r') {
                return i;
            } else {
                throw malformed(i, invalidCharacterAt(i));
            }
        }
        return i;
    }

    /** The offset after the XML character at {@code i}, or a refusal. */
    private int xmlChar(int i) {
        byte b = in[i];
        if (b >= 0) {
            if (b >= 0x20 || b == '\t' || b == '\n' || b == '\r') {
                return i + 1;
            }
            throw malformed(i, invalidCharacterAt(i));
        }
        int sequence = utf8(i);
        int c = sequence & 0x1FFFFF;
        if (c == 0xFFFE || c == 0xFFFF) {
            throw malformed(i, invalidCharacterAt(i));
        }
        return i + (sequence >>> 24);
    }

    /**
     * The code point of the multi-byte UTF-8 sequence at {@code i}, with its length in the top byte; a
     * refusal if the sequence is malformed, overlong, a surrogate or above U+10FFFF.
     */
    private int utf8(int i) {
        int b1 = in[i] & 0xFF;
        if (b1 >= 0xC2 && b1 <= 0xDF) {
            if (i + 1 < end && isContinuation(in[i + 1])) {
                return 2 << 24 | (b1 & 0x1F) << 6 | (in[i + 1] & 0x3F);
            }
        } else if (b1 >= 0xE0 && b1 <= 0xEF) {
            if (i + 2 < end && isContinuation(in[i + 1]) && isContinuation(in[i + 2])) {
                int b2 = in[i + 1] & 0xFF;
                if ((b1 != 0xE0 || b2 >= 0xA0) && (b1 != 0xED || b2 < 0xA0)) {
                    return 3 << 24 | (b1 & 0x0F) << 12 | (b2 & 0x3F) << 6 | (in[i + 2] & 0x3F);
                }
            }
        } else if (b1 >= 0xF0 && b1 <= 0xF4) {
            if (i + 3 < end && isContinuation(in[i + 1]) && isContinuation(in[i + 2]) && isContinuation(in[i + 3])) {
                int b2 = in[i + 1] & 0xFF;
                if ((b1 != 0xF0 || b2 >= 0x90) && (b1 != 0xF4 || b2 < 0x90)) {
                    return 4 << 24 | (b1 & 0x07) << 18 | (b2 & 0x3F) << 12 | (in[i + 2] & 0x3F) << 6 | (in[i + 3] & 0x3F);
                }
            }
        }
        throw new PlistException("XML plist is not valid UTF-8 (malformed byte sequence at byte " + i + ")");
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static boolean isXmlChar(int c) {
        return c >= 0x20 ? c <= 0xD7FF || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= Character.MAX_CODE_POINT)
                : c == '\t' || c == '\n' || c == '\r';
    }

    private boolean isXmlCharAt(int i) {
        return isXmlChar(codePointAt(i));
    }

    private int codePointAt(int i) {
        return in[i] >= 0 ? in[i] : utf8(i) & 0x1FFFFF;
    }

    private String invalidCharacterAt(int i) {
        return String.format("character U+%04X is not allowed in XML", codePointAt(i));
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }

    private boolean isAllSpace(int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isSpace(in[i])) {
                return false;
            }
        }
        return true;
    }

    private void skipSpace() {
        pos = skipSpace(pos);
    }

    private int skipSpace(int i) {
        final byte[] in = this.in;
        while (i < end && SPACE[in[i] & 0xFF]) {
            i++;
        }
        return i;
    }

    /** The offset after the XML name starting at {@code i}, or {@code i} if none starts there. */
    private int nameEnd(int i) {
        int n = i < end && NAME_START[in[i] & 0xFF] ? i + 1 : nameChar(i, true);
        if (n == i) {
            return i;
        }
        final byte[] in = this.in;
        while (n < end) {
            byte b = in[n];
            if (NAME_CHAR[b & 0xFF]) {
                n++;
            } else if (b >= 0) {
                return n;
            } else {
                int next = nameChar(n, false);
                if (next == n) {
                    return n;
                }
                n = next;
            }
        }
        return n;
    }

    /** The offset after the name character at {@code i} (a first one if {@code first}), or {@code i}. */
    private int nameChar(int i, boolean first) {
        if (i >= end) {
            return i;
        }
        byte b = in[i];
        if (b >= 0) {
            return (first ? NAME_START : NAME_CHAR)[b] ? i + 1 : i;
        }
        int sequence = utf8(i);
        int c = sequence & 0x1FFFFF;
        boolean start = (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF)
                || (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D)
                || (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF)
                || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
        boolean other = c == 0xB7 || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
        return start || (!first && other) ? i + (sequence >>> 24) : i;
    }

    // --- bytes

    /** Already checked UTF-8 as a string. */
    private String string(int from, int to) {
        return new String(in, from, to - from, StandardCharsets.UTF_8);
    }

    /** Appends already checked UTF-8 text, with its line ends normalised. */
    private void appendText(StringBuilder sb, int from, int to) {
        int i = from;
        while (i < to) {
            byte b = in[i];
            if (b >= 0) {
                if (b == '\r') {
                    sb.append('\n');
                    if (i + 1 < to && in[i + 1] == '\n') {
                        i++;
                    }
                } else {
                    sb.append((char) b);
                }
                i++;
            } else {
                int sequence = utf8(i);
                sb.appendCodePoint(sequence & 0x1FFFFF);
                i += sequence >>> 24;
            }
        }
    }

    private boolean startsWith(String prefix, int at) {
        int n = prefix.length();
        if (at < 0 || at > end - n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (in[at + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private boolean regionEquals(int a, int b, int length) {
        for (int k = 0; k < length; k++) {
            if (in[a + k] != in[b + k]) {
                return false;
            }
        }
        return true;
    }

    private StringBuilder buffer() {
        if (buffer == null) {
            buffer = new StringBuilder(64);
        } else {
            buffer.setLength(0);
        }
        return buffer;
    }

    // --- errors

    private PlistException unclosed() {
        String element = depth == 0 ? "the root element"
                : "<" + PlistTypes.clean(string(open[2 * depth - 2], open[2 * depth - 1])) + ">";
        return malformed(end, "the document ends inside " + element);
    }

    private PlistException unclosedTag() {
        return malformed(end, "the document ends inside the tag <" + PlistTypes.clean(name()));
    }

    private PlistException malformed(int at, String what) {
        return new PlistException("malformed XML plist: " + what + " (line " + lineOf(at) + ", column " + columnOf(at) + ")");
    }

    private int lineOf(int at) {
        int line = 1;
        for (int i = 0; i < at && i < end; i++) {
            if (in[i] == '\n' || (in[i] == '\r' && (i + 1 >= end || in[i + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }

    private int columnOf(int at) {
        int i = Math.min(at, end);
        int column = 1;
        while (i > 0 && in[i - 1] != '\n' && in[i - 1] != '\r') {
            i--;
            if (!isContinuation(in[i])) {
                column++;
            }
        }
        return column;
    }
}
