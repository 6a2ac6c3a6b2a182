package io.verger.plist;

import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDate;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Comparing decoded values (byte[] has no value equality, map order matters) and bridging to dd-plist. */
final class Values {

    private Values() {
    }

    /** Equal values, equal types, equal dictionary order. */
    static void assertSameValue(Object expected, Object actual) {
        assertEquals(comparable(expected), comparable(actual));
    }

    /** A form with value equality that keeps types and key order visible: maps become lists of [key, value]. */
    static Object comparable(Object v) {
        if (v instanceof Map<?, ?> m) {
            List<Object> entries = new ArrayList<>();
            entries.add("dict");
            m.forEach((k, val) -> entries.add(List.of(k, comparable(val))));
            return entries;
        } else if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            out.add("array");
            l.forEach(e -> out.add(comparable(e)));
            return out;
        } else if (v instanceof byte[] b) {
            return "data:" + HexFormat.of().formatHex(b);
        }
        return v;
    }

    /** Our values as dd-plist objects (for dd-plist to write). */
    static NSObject toDd(Object v) {
        if (v instanceof Map<?, ?> m) {
            NSDictionary d = new NSDictionary();
            m.forEach((k, val) -> d.put((String) k, toDd(val)));
            return d;
        } else if (v instanceof List<?> l) {
            NSArray a = new NSArray(l.size());
            for (int i = 0; i < l.size(); i++) {
                a.setValue(i, toDd(l.get(i)));
            }
            return a;
        } else if (v instanceof String s) {
            return new NSString(s);
        } else if (v instanceof Long n) {
            return new NSNumber(n);
        } else if (v instanceof Double n) {
            return new NSNumber(n);
        } else if (v instanceof Boolean b) {
            return new NSNumber(b);
        } else if (v instanceof byte[] b) {
            return new NSData(b);
        } else if (v instanceof Instant t) {
            return new NSDate(Date.from(t));
        }
        throw new IllegalArgumentException(String.valueOf(v));
    }

    /** dd-plist's objects as our values (for comparing what dd-plist read). */
    static Object fromDd(NSObject o) {
        if (o instanceof NSDictionary d) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            d.forEach((k, val) -> m.put(k, fromDd(val)));
            return m;
        } else if (o instanceof NSArray a) {
            List<Object> l = new ArrayList<>();
            for (NSObject e : a.getArray()) {
                l.add(fromDd(e));
            }
            return l;
        } else if (o instanceof NSString s) {
            return s.getContent();
        } else if (o instanceof NSNumber n) {
            return n.isBoolean() ? (Object) n.boolValue() : n.isInteger() ? (Object) n.longValue() : (Object) n.doubleValue();
        } else if (o instanceof NSData d) {
            return d.bytes();
        } else if (o instanceof NSDate d) {
            return d.getDate().toInstant();
        }
        throw new IllegalArgumentException(String.valueOf(o));
    }
}
