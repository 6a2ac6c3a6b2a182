package io.verger.plist.internal;

import io.verger.plist.PlistException;
import io.verger.plist.PlistLimits;

import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The XML reader Verger used before {@link XmlPlistReader}, unchanged but for its name and its charset
 * helper ({@link StaxCharset}, the former XmlCharset): kept in the tests only, as the oracle the
 * hand-written reader is checked against ({@code XmlReaderDifferentialTest}).
 *
 * <p>Decodes XML plists with the JDK's StAX parser, walking the events straight into Java values.
 *
 * <p>Safety does not rest on any one setting: the parser is told not to process DTDs at all
 * ({@code SUPPORT_DTD=false}: an internal subset is skipped, never interpreted, and no external DTD is
 * fetched), not to support external entities, to allow no external access, and to refuse any resolution
 * request; on top of that the walker refuses every DOCTYPE except Apple's plist DOCTYPE as soon as the
 * parser reports it, and refuses every entity reference other than the five predefined ones.
 *
 * <p>The factory is configured once and then only used to create readers, each confined to one call.
 */
public final class StaxPlistReader {

    /** What Apple software writes, then and now. No internal subset can match. */
    private static final Pattern APPLE_DOCTYPE = Pattern.compile(
            "<!DOCTYPE\\s+plist\\s+PUBLIC\\s+([\"'])-//Apple(?: Computer)?//DTD PLIST 1\\.0//EN\\1\\s+"
                    + "([\"'])(?:https?://www\\.apple\\.com/DTDs/PropertyList-1\\.0\\.dtd"
                    + "|file://localhost/System/Library/DTDs/PropertyList\\.dtd)\\2\\s*>");

    private final XMLInputFactory factory;
    private final PlistLimits limits;

    public StaxPlistReader(PlistLimits limits) {
        this.limits = limits;
        // The JDK's own implementation, whatever else is on the class path or in the framework.
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        f.setProperty(XMLInputFactory.IS_VALIDATING, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not allowed in a plist");
        });
        this.factory = f;
    }

    public Object read(byte[] xml) {
        String text = StaxCharset.decode(xml);
        XMLStreamReader reader;
        try {
            reader = factory.createXMLStreamReader(new StringReader(text));
        } catch (XMLStreamException | RuntimeException e) {
            throw malformed(e);
        }
        try {
            return new Walk(reader, limits).document();
        } catch (PlistException e) {
            throw e;
        } catch (XMLStreamException | RuntimeException e) {
            throw malformed(e);
        } finally {
            try {
                reader.close();
            } catch (XMLStreamException | RuntimeException ignored) {
                // nothing was opened that closing could release
            }
        }
    }

    private static PlistException malformed(Exception e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // The JDK's message reads "ParseError at [row,col]:[3,9]\nMessage: ..."
        detail = detail.replace('\n', ' ').replace('\r', ' ');
        if (detail.length() > 300) {
            detail = detail.substring(0, 300) + "...";
        }
        return new PlistException("malformed XML plist: " + detail, e);
    }

    /** The state of one decode. */
    private static final class Walk {

        private final XMLStreamReader r;
        private final int maxDepth;
        private final int maxObjects;
        private final KeyPath path = new KeyPath();
        private int objects;
        /** The dictionaries and arrays being filled, root first. */
        private Object[] open = new Object[8];
        private int depth;

        Walk(XMLStreamReader r, PlistLimits limits) {
            this.r = r;
            this.maxDepth = limits.maxDepth();
            this.maxObjects = limits.maxObjects();
        }

        Object document() throws XMLStreamException {
            int event = prolog();
            if (event != XMLStreamConstants.START_ELEMENT) {
                throw fail("XML plist has no root element");
            }
            Object value;
            if ("plist".equals(r.getLocalName())) {
                if (nextTag() != XMLStreamConstants.START_ELEMENT) {
                    throw fail("<plist> holds no value");
                }
                value = readValue();
                if (nextTag() != XMLStreamConstants.END_ELEMENT) {
                    throw fail("<plist> holds more than one value (found a second <" + r.getLocalName() + ">)");
                }
            } else {
                value = readValue(); // a bare value as root, which Apple's parser accepts too
            }
            while (r.hasNext()) {
                event = r.next();
                if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw fail("unexpected content after the root element");
                }
            }
            return value;
        }

        /** Skips to the root element, checking the DOCTYPE on the way. */
        private int prolog() throws XMLStreamException {
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT:
                        return event;
                    case XMLStreamConstants.DTD:
                        if (!APPLE_DOCTYPE.matcher(r.getText()).matches()) {
                            throw new PlistException("XML plist refused: DOCTYPE other than Apple's plist DOCTYPE"
                                    + " (internal subsets, entity declarations and external DTDs are not allowed)");
                        }
                        break;
                    case XMLStreamConstants.ENTITY_REFERENCE:
                        throw entityReference();
                    case XMLStreamConstants.CHARACTERS:
                        if (!r.isWhiteSpace()) {
                            throw fail("text before the root element");
                        }
                        break;
                    default:
                        break; // comments, processing instructions, white space
                }
            }
            return XMLStreamConstants.END_DOCUMENT;
        }

        /** Next START_ELEMENT or END_ELEMENT, allowing only white space, comments and PIs in between. */
        private int nextTag() throws XMLStreamException {
            while (true) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT:
                    case XMLStreamConstants.END_ELEMENT:
                        return event;
                    case XMLStreamConstants.CHARACTERS:
                    case XMLStreamConstants.CDATA:
                        if (!r.isWhiteSpace()) {
                            throw fail("unexpected text " + PlistTypes.quote(r.getText().strip())
                                    + " between elements");
                        }
                        break;
                    case XMLStreamConstants.SPACE:
                    case XMLStreamConstants.COMMENT:
                    case XMLStreamConstants.PROCESSING_INSTRUCTION:
                        break;
                    case XMLStreamConstants.ENTITY_REFERENCE:
                        throw entityReference();
                    default:
                        throw fail("unexpected XML event " + event);
                }
            }
        }

        /** The text content of the current element, which may hold no elements. Ends on its END_ELEMENT. */
        private String text() throws XMLStreamException {
            String element = r.getLocalName();
            String first = null;
            StringBuilder more = null;
            while (true) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.CHARACTERS:
                    case XMLStreamConstants.CDATA:
                    case XMLStreamConstants.SPACE:
                        if (first == null) {
                            first = r.getText();
                        } else {
                            if (more == null) {
                                more = new StringBuilder(first);
                            }
                            more.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                        }
                        break;
                    case XMLStreamConstants.COMMENT:
                    case XMLStreamConstants.PROCESSING_INSTRUCTION:
                        break;
                    case XMLStreamConstants.END_ELEMENT:
                        return more != null ? more.toString() : first != null ? first : "";
                    case XMLStreamConstants.ENTITY_REFERENCE:
                        throw entityReference();
                    case XMLStreamConstants.START_ELEMENT:
                        throw fail("<" + element + "> may hold only text, found <" + r.getLocalName() + ">");
                    default:
                        throw fail("unexpected XML event " + event + " in <" + element + ">");
                }
            }
        }

        /**
         * Reads the value whose START_ELEMENT is current, up to its END_ELEMENT. Iterative, so no nesting,
         * however deep or hostile, can exhaust the thread's stack; the depth limit is checked on the explicit
         * stack instead.
         */
        private Object readValue() throws XMLStreamException {
            Object root = startValue();
            while (depth > 0) {
                Object container = open[depth - 1];
                if (nextTag() == XMLStreamConstants.END_ELEMENT) { // the parser has checked it closes this container
                    depth--;
                    open[depth] = null;
                    path.pop();
                } else if (container instanceof Map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> dict = (Map<String, Object>) container;
                    if (!"key".equals(r.getLocalName())) {
                        throw fail("expected <key> in <dict>, found <" + r.getLocalName() + ">");
                    }
                    String key = text();
                    path.key(key);
                    if (nextTag() != XMLStreamConstants.START_ELEMENT) {
                        throw fail("<key> has no value");
                    }
                    if (dict.putIfAbsent(key, startValue()) != null) {
                        throw fail("duplicate key");
                    }
                } else {
                    @SuppressWarnings("unchecked")
                    List<Object> array = (List<Object>) container;
                    path.index(array.size());
                    array.add(startValue());
                }
            }
            return root;
        }

        /**
         * A scalar read up to its END_ELEMENT, or a new empty dictionary or array pushed for
         * {@link #readValue} to fill.
         */
        private Object startValue() throws XMLStreamException {
            String name = r.getLocalName();
            switch (name) {
                case "dict":
                    return enter(new LinkedHashMap<String, Object>());
                case "array":
                    return enter(new ArrayList<Object>());
                case "string":
                    count();
                    return text();
                case "integer":
                    count();
                    return parseInteger(text());
                case "real":
                    count();
                    return parseReal(text());
                case "true":
                    count();
                    empty(name);
                    return Boolean.TRUE;
                case "false":
                    count();
                    empty(name);
                    return Boolean.FALSE;
                case "date":
                    count();
                    return parseDate(text());
                case "data":
                    count();
                    return parseData(text());
                case "key":
                    throw fail("<key> outside a <dict>");
                default:
                    throw fail("unknown plist element <" + name + ">");
            }
        }

        private Object enter(Object container) {
            if (depth >= maxDepth) {
                throw fail("plist nesting deeper than " + maxDepth + " levels");
            }
            count();
            if (depth == open.length) {
                open = java.util.Arrays.copyOf(open, depth * 2);
            }
            open[depth++] = container;
            path.push();
            return container;
        }

        private void count() {
            if (++objects > maxObjects) {
                throw fail("plist holds more than " + maxObjects + " objects");
            }
        }

        private void empty(String element) throws XMLStreamException {
            if (nextTag() != XMLStreamConstants.END_ELEMENT) {
                throw fail("<" + element + "/> must be empty");
            }
        }

        private Long parseInteger(String text) {
            String t = text.strip();
            int i = 0;
            int n = t.length();
            if (n > 0 && (t.charAt(0) == '-' || t.charAt(0) == '+')) {
                i++;
            }
            int radix = 10;
            int digits = i;
            if (n - i > 2 && t.charAt(i) == '0' && (t.charAt(i + 1) == 'x' || t.charAt(i + 1) == 'X')) {
                radix = 16;
                digits = i + 2;
            }
            if (digits == n) {
                throw fail("<integer> " + PlistTypes.quote(t) + " is not an integer");
            }
            for (int k = digits; k < n; k++) {
                if (!isAsciiDigit(t.charAt(k), radix)) {
                    throw fail("<integer> " + PlistTypes.quote(t) + " is not an integer");
                }
            }
            String number = radix == 16 ? t.substring(0, i) + t.substring(digits) : t;
            try {
                return Long.parseLong(number, radix);
            } catch (NumberFormatException e) {
                throw fail("<integer> " + PlistTypes.quote(t) + " does not fit in a signed 64-bit integer");
            }
        }

        private static boolean isAsciiDigit(char c, int radix) {
            return (c >= '0' && c <= '9')
                    || (radix == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
        }

        private Double parseReal(String text) {
            String t = text.strip();
            switch (t.toLowerCase(java.util.Locale.ROOT)) {
                case "nan":
                    return Double.NaN;
                case "inf":
                case "+inf":
                case "infinity":
                case "+infinity":
                    return Double.POSITIVE_INFINITY;
                case "-inf":
                case "-infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
            boolean digit = false;
            for (int k = 0; k < t.length(); k++) {
                char c = t.charAt(k);
                if (c >= '0' && c <= '9') {
                    digit = true;
                } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                    digit = false;
                    break;
                }
            }
            if (digit) {
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    // falls through to the refusal
                }
            }
            throw fail("<real> " + PlistTypes.quote(t) + " is not a number");
        }

        private Instant parseDate(String text) {
            String t = text.strip();
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw fail("<date> " + PlistTypes.quote(t) + " is not an ISO 8601 UTC date (yyyy-MM-ddTHH:mm:ssZ)");
            }
        }

        private byte[] parseData(String text) {
            int n = text.length();
            int kept = 0;
            for (int k = 0; k < n; k++) {
                if (!isXmlSpace(text.charAt(k))) {
                    kept++;
                }
            }
            try {
                if (kept == n) {
                    return Base64.getDecoder().decode(text);
                }
                byte[] b64 = new byte[kept];
                int j = 0;
                for (int k = 0; k < n; k++) {
                    char c = text.charAt(k);
                    if (!isXmlSpace(c)) {
                        b64[j++] = c < 0x80 ? (byte) c : (byte) '?';
                    }
                }
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw fail("<data> is not valid base64");
            }
        }

        private static boolean isXmlSpace(char c) {
            return c == ' ' || c == '\n' || c == '\t' || c == '\r';
        }

        private PlistException entityReference() {
            return new PlistException("XML plist refused: entity reference &" + PlistTypes.clean(r.getLocalName())
                    + "; (only &amp; &lt; &gt; &quot; &apos; and character references are allowed)");
        }

        private PlistException fail(String message) {
            Location at = r.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNumber() + ", column " + at.getColumnNumber() + ")";
            return new PlistException("XML plist: " + message + " at " + path + where);
        }
    }
}
