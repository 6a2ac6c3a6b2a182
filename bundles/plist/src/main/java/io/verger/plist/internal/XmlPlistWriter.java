package io.verger.plist.internal;

import io.verger.plist.PlistException;
import io.verger.plist.PlistLimits;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes an XML plist the way Apple's CFPropertyList does: UTF-8, Apple's DOCTYPE, tab indentation,
 * base64 data on its own lines, dates to the second. One instance per call.
 */
public final class XmlPlistWriter {

    private static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
            + "<plist version=\"1.0\">\n";
    private static final String FOOTER = "</plist>\n";
    private static final int BASE64_LINE = 68;

    private final ValueGuard guard;
    private final ByteSink out = new ByteSink(1024);

    public XmlPlistWriter(PlistLimits limits) {
        this.guard = new ValueGuard(limits);
    }

    public byte[] write(Object value) {
        out.ascii(HEADER);
        value(value, 0);
        out.write('\n');
        out.ascii(FOOTER);
        return out.toByteArray();
    }

    private void value(Object value, int indent) {
        if (value instanceof Map<?, ?> map) {
            dict(map, indent);
        } else if (value instanceof List<?> list) {
            array(list, indent);
        } else {
            scalar(guard.scalar(value), indent);
        }
    }

    private void dict(Map<?, ?> map, int indent) {
        guard.enter(map);
        if (map.isEmpty()) {
            out.ascii("<dict/>");
        } else {
            out.ascii("<dict>\n");
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = guard.key(entry.getKey());
                tabs(indent + 1);
                out.ascii("<key>");
                text(key);
                out.ascii("</key>\n");
                tabs(indent + 1);
                value(entry.getValue(), indent + 1);
                out.write('\n');
            }
            tabs(indent);
            out.ascii("</dict>");
        }
        guard.exit();
    }

    private void array(List<?> list, int indent) {
        guard.enter(list);
        if (list.isEmpty()) {
            out.ascii("<array/>");
        } else {
            out.ascii("<array>\n");
            int i = 0;
            for (Object element : list) {
                guard.index(i++);
                tabs(indent + 1);
                value(element, indent + 1);
                out.write('\n');
            }
            tabs(indent);
            out.ascii("</array>");
        }
        guard.exit();
    }

    private void scalar(Object value, int indent) {
        if (value instanceof String s) {
            out.ascii("<string>");
            text(s);
            out.ascii("</string>");
        } else if (value instanceof Long l) {
            out.ascii("<integer>");
            out.ascii(Long.toString(l));
            out.ascii("</integer>");
        } else if (value instanceof Double d) {
            out.ascii("<real>");
            out.ascii(real(d));
            out.ascii("</real>");
        } else if (value instanceof Boolean bool) {
            out.ascii(bool ? "<true/>" : "<false/>");
        } else if (value instanceof byte[] bytes) {
            data(bytes, indent);
        } else {
            out.ascii("<date>");
            out.ascii(date((Instant) value));
            out.ascii("</date>");
        }
    }

    private static String real(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        } else if (Double.isInfinite(d)) {
            return d > 0 ? "+infinity" : "-infinity";
        }
        return Double.toString(d);
    }

    private String date(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            throw new PlistException("cannot encode date " + instant + " at " + guard.path
                    + ": XML plist dates have four-digit years");
        }
        char[] c = "0000-00-00T00:00:00Z".toCharArray();
        digits(c, 0, year, 4);
        digits(c, 5, t.getMonthValue(), 2);
        digits(c, 8, t.getDayOfMonth(), 2);
        digits(c, 11, t.getHour(), 2);
        digits(c, 14, t.getMinute(), 2);
        digits(c, 17, t.getSecond(), 2);
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private void data(byte[] bytes, int indent) {
        byte[] b64 = Base64.getEncoder().encode(bytes);
        out.ascii("<data>\n");
        for (int at = 0; at < b64.length; at += BASE64_LINE) {
            tabs(indent);
            out.write(b64, at, Math.min(BASE64_LINE, b64.length - at));
            out.write('\n');
        }
        tabs(indent);
        out.ascii("</data>");
    }

    private void tabs(int n) {
        out.ensure(n);
        for (int i = 0; i < n; i++) {
            out.buf[out.size++] = '\t';
        }
    }

    /** Escapes and UTF-8-encodes string content; refuses characters XML 1.0 cannot carry. */
    private void text(String s) {
        int n = s.length();
        out.ensure((int) Math.min(Integer.MAX_VALUE, 3L * n));
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '&' && c != '<' && c != '>') {
                    out.buf[out.size++] = (byte) c;
                } else if (c == '&') {
                    escape("&amp;", n - i);
                } else if (c == '<') {
                    escape("&lt;", n - i);
                } else if (c == '>') {
                    escape("&gt;", n - i);
                } else if (c == '\r') {
                    escape("&#13;", n - i); // a raw CR would come back as LF
                } else if (c == '\t' || c == '\n') {
                    out.buf[out.size++] = (byte) c;
                } else {
                    throw illegal(c);
                }
            } else if (c < 0x800) {
                out.buf[out.size++] = (byte) (0xC0 | (c >> 6));
                out.buf[out.size++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new PlistException("cannot encode string at " + guard.path + ": unpaired surrogate U+"
                            + String.format("%04X", (int) c) + " at index " + i);
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.buf[out.size++] = (byte) (0xF0 | (cp >> 18));
                out.buf[out.size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out.buf[out.size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out.buf[out.size++] = (byte) (0x80 | (cp & 0x3F));
            } else if (c == 0xFFFE || c == 0xFFFF) {
                throw illegal(c);
            } else {
                out.buf[out.size++] = (byte) (0xE0 | (c >> 12));
                out.buf[out.size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out.buf[out.size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /** Writes an entity; {@code remaining} chars (this one included) still need up to 3 bytes each. */
    private void escape(String entity, int remaining) {
        out.ensure(entity.length() + 3 * remaining);
        out.ascii(entity);
    }

    private PlistException illegal(char c) {
        return new PlistException("cannot encode string at " + guard.path + ": character U+"
                + String.format("%04X", (int) c) + " cannot appear in an XML plist (use <data> or a binary plist)");
    }
}
