package io.verger.plist.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Names of plist value kinds for messages. */
public final class PlistTypes {

    private PlistTypes() {
    }

    /** The XML element a decoded value comes from, e.g. {@code <dict>}. */
    public static String elementOf(Object value) {
        if (value instanceof Map) {
            return "<dict>";
        } else if (value instanceof List) {
            return "<array>";
        } else if (value instanceof String) {
            return "<string>";
        } else if (value instanceof Long) {
            return "<integer>";
        } else if (value instanceof Double) {
            return "<real>";
        } else if (value instanceof Boolean) {
            return "<" + value + "/>";
        } else if (value instanceof byte[]) {
            return "<data>";
        } else if (value instanceof Instant) {
            return "<date>";
        }
        return value == null ? "null" : value.getClass().getName();
    }

    /** Text taken from input, shortened, de-controlled and quoted, so a message stays one readable line. */
    static String quote(String text) {
        return "'" + clean(text) + "'";
    }

    /** As {@link #quote}, without the quotes. */
    static String clean(String text) {
        int max = 64;
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max) + 3);
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        if (text.length() > max) {
            sb.append("...");
        }
        return sb.toString();
    }
}
