package io.verger.plist.internal;

import io.verger.plist.PlistException;
import io.verger.plist.PlistLimits;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;

/**
 * Decodes XML plists with {@link XmlScanner}, walking its tags straight into Java values.
 *
 * <p>Why not the JDK's StAX parser, which this replaced: creating a StAX reader (its property and entity
 * managers, buffers and symbol tables) cost more than parsing a check-in, several microseconds per
 * message, and about a tenth of the server's CPU went to it. The plist dialect needs a small part of
 * XML, and that part is read here without DTD machinery at all: nothing can be declared, expanded or
 * fetched, so safety rests on absence rather than on settings. Tests keep the StAX reader as an oracle
 * and check both agree.
 *
 * <p>Stateless apart from its limits; each {@link #read} has its own scanner and walker.
 */
public final class XmlPlistReader {

    /** The elements of a plist; their indices are the codes below. */
    private static final String[] ELEMENTS = {"key", "string", "dict", "integer", "true", "false", "array", "data", "date", "real", "plist"};
    private static final int KEY = 0;
    private static final int STRING = 1;
    private static final int DICT = 2;
    private static final int INTEGER = 3;
    private static final int TRUE = 4;
    private static final int FALSE = 5;
    private static final int ARRAY = 6;
    private static final int DATA = 7;
    private static final int DATE = 8;
    private static final int REAL = 9;
    private static final int PLIST = 10;
    private static final byte[][] ELEMENT_NAMES = new byte[ELEMENTS.length][];

    static {
        for (int i = 0; i < ELEMENTS.length; i++) {
            ELEMENT_NAMES[i] = ELEMENTS[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final PlistLimits limits;

    public XmlPlistReader(PlistLimits limits) {
        this.limits = limits;
    }

    public Object read(byte[] xml) {
        return new Walk(new XmlScanner(XmlCharset.utf8(xml)), limits).document();
    }

    /** The code of the element whose tag {@code xml} just read, -1 if it is none of a plist's. */
    private static int element(XmlScanner xml) {
        int candidate;
        switch (xml.nameLength()) {
            case 3:
                candidate = KEY;
                break;
            case 4:
                switch (xml.nameByte(0)) {
                    case 't':
                        candidate = TRUE;
                        break;
                    case 'r':
                        candidate = REAL;
                        break;
                    case 'd':
                        candidate = xml.nameByte(1) == 'i' ? DICT : xml.nameByte(3) == 'e' ? DATE : DATA;
                        break;
                    default:
                        return -1;
                }
                break;
            case 5:
                candidate = xml.nameByte(0) == 'f' ? FALSE : xml.nameByte(0) == 'a' ? ARRAY : PLIST;
                break;
            case 6:
                candidate = STRING;
                break;
            case 7:
                candidate = INTEGER;
                break;
            default:
                return -1;
        }
        return xml.nameIs(ELEMENT_NAMES[candidate]) ? candidate : -1;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ssZ}, the form Apple writes, as {@link Instant#parse} reads it but several
     * times faster; null for any other form (fractions, offsets, lower case, leap seconds, 24:00),
     * which {@code Instant.parse} then reads or refuses.
     */
    static Instant plainDate(String t) {
        if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second);
    }

    /** The ASCII digits at {@code from}, or -1 if any is not one. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The state of one decode. */
    private static final class Walk {

        private final XmlScanner xml;
        private final int maxDepth;
        private final int maxObjects;
        private final KeyPath path = new KeyPath();
        private int objects;
        /** The dictionaries and arrays being filled, root first; which of them are dictionaries. */
        private Object[] open = new Object[8];
        private boolean[] dict = new boolean[8];
        private int depth;

        Walk(XmlScanner xml, PlistLimits limits) {
            this.xml = xml;
            this.maxDepth = limits.maxDepth();
            this.maxObjects = limits.maxObjects();
        }

        Object document() {
            xml.prolog();
            Object value;
            if (element() == PLIST) {
                if (nextTag() != XmlScanner.START) {
                    throw fail("<plist> holds no value");
                }
                value = readValue();
                if (nextTag() != XmlScanner.END) {
                    throw fail("<plist> holds more than one value (found a second <" + PlistTypes.clean(xml.name()) + ">)");
                }
            } else {
                value = readValue(); // a bare value as root, which Apple's parser accepts too
            }
            xml.epilog();
            return value;
        }

        /** The code of the element whose tag was just read, -1 if it is none of a plist's. */
        private int element() {
            return XmlPlistReader.element(xml);
        }

        /** Next start or end tag; text other than white space between elements is refused. */
        private int nextTag() {
            int event = xml.nextTag();
            if (event == XmlScanner.TEXT) {
                throw fail("unexpected text " + PlistTypes.quote(xml.strayText().strip()) + " between elements");
            }
            return event;
        }

        /** The text content of the element just started, which may hold no elements, up to its end tag. */
        private String text(int element) {
            String text = xml.text();
            if (text == null) {
                throw fail("<" + ELEMENTS[element] + "> may hold only text, found <" + PlistTypes.clean(xml.name()) + ">");
            }
            return text;
        }

        /** The text of {@code <data>}, white space left out. */
        private byte[] base64() {
            byte[] base64 = xml.textWithoutSpace();
            if (base64 == null) {
                throw fail("<data> may hold only text, found <" + PlistTypes.clean(xml.name()) + ">");
            }
            return base64;
        }

        /**
         * Reads the value whose start tag was just read, up to its end tag. Iterative, so no nesting,
         * however deep or hostile, can exhaust the thread's stack; the depth limit is checked on the explicit
         * stack instead.
         */
        @SuppressWarnings("unchecked") // what enter() pushed: a LinkedHashMap where dict is set, else an ArrayList
        private Object readValue() {
            Object root = startValue(element());
            while (depth > 0) {
                if (nextTag() == XmlScanner.END) { // the scanner has checked it closes this container
                    depth--;
                    open[depth] = null;
                    path.pop();
                } else if (dict[depth - 1]) {
                    // cast to the class, not the interface: an interface check scans the class's supertypes
                    LinkedHashMap<String, Object> map = (LinkedHashMap<String, Object>) open[depth - 1];
                    if (element() != KEY) {
                        throw fail("expected <key> in <dict>, found <" + PlistTypes.clean(xml.name()) + ">");
                    }
                    String key = text(KEY);
                    path.key(key);
                    if (nextTag() != XmlScanner.START) {
                        throw fail("<key> has no value");
                    }
                    if (map.putIfAbsent(key, startValue(element())) != null) {
                        throw fail("duplicate key");
                    }
                } else {
                    ArrayList<Object> array = (ArrayList<Object>) open[depth - 1];
                    path.index(array.size());
                    array.add(startValue(element()));
                }
            }
            return root;
        }

        /**
         * A scalar read up to its end tag, or a new empty dictionary or array pushed for {@link #readValue}
         * to fill.
         */
        private Object startValue(int element) {
            switch (element) {
                case STRING:
                    count();
                    return text(STRING);
                case DICT:
                    return enter(new LinkedHashMap<String, Object>(), true);
                case INTEGER:
                    count();
                    return parseInteger(text(INTEGER));
                case TRUE:
                    return empty(TRUE, Boolean.TRUE);
                case FALSE:
                    return empty(FALSE, Boolean.FALSE);
                case ARRAY:
                    return enter(new ArrayList<Object>(), false);
                case DATA:
                    count();
                    return parseData(base64());
                case DATE:
                    count();
                    return parseDate(text(DATE));
                case REAL:
                    count();
                    return parseReal(text(REAL));
                case KEY:
                    throw fail("<key> outside a <dict>");
                default:
                    throw fail("unknown plist element <" + PlistTypes.clean(xml.name()) + ">");
            }
        }

        private Object enter(Object container, boolean isDict) {
            if (depth >= maxDepth) {
                throw fail("plist nesting deeper than " + maxDepth + " levels");
            }
            count();
            if (depth == open.length) {
                open = Arrays.copyOf(open, depth * 2);
                dict = Arrays.copyOf(dict, depth * 2);
            }
            dict[depth] = isDict;
            open[depth++] = container;
            path.push();
            return container;
        }

        private void count() {
            if (++objects > maxObjects) {
                throw fail("plist holds more than " + maxObjects + " objects");
            }
        }

        /** {@code <true/>} or {@code <false/>}, which may hold white space, comments and PIs but nothing else. */
        private Boolean empty(int element, Boolean value) {
            count();
            if (nextTag() != XmlScanner.END) {
                throw fail("<" + ELEMENTS[element] + "/> must be empty");
            }
            return value;
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
            boolean word = !t.isEmpty() && t.charAt(t.length() - 1) >= 'A'; // nan, inf, infinity; a number ends in a digit or '.'
            switch (word ? t.toLowerCase(java.util.Locale.ROOT) : "") {
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
            Instant plain = plainDate(t);
            if (plain != null) {
                return plain;
            }
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw fail("<date> " + PlistTypes.quote(t) + " is not an ISO 8601 UTC date (yyyy-MM-ddTHH:mm:ssZ)");
            }
        }

        private byte[] parseData(byte[] base64) {
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw fail("<data> is not valid base64");
            }
        }

        private PlistException fail(String message) {
            return new PlistException("XML plist: " + message + " at " + path + " (line " + xml.line() + ", column "
                    + xml.column() + ")");
        }
    }
}
