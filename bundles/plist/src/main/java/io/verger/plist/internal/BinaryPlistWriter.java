package io.verger.plist.internal;

import io.verger.plist.PlistException;
import io.verger.plist.PlistLimits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a binary plist ({@code bplist00}) the way CFBinaryPList.c does: objects numbered depth-first
 * from the root, equal strings, numbers, booleans and dates stored once, smallest integer widths, ASCII
 * strings as bytes and all others as UTF-16. One instance per call.
 */
public final class BinaryPlistWriter {

    private static final long APPLE_EPOCH = 978_307_200L;

    private final ValueGuard guard;
    /** Per object id: a scalar (String, Long, Double, Boolean, byte[], Instant), an {@link ArrayRefs} or a {@link DictRefs}. */
    private final List<Object> objects = new ArrayList<>();
    private final Map<Object, Integer> unique = new HashMap<>();

    private record ArrayRefs(int[] refs) {
    }

    private record DictRefs(int[] keys, int[] values) {
    }

    public BinaryPlistWriter(PlistLimits limits) {
        this.guard = new ValueGuard(limits);
    }

    public byte[] write(Object value) {
        flatten(value);
        return serialize();
    }

    private int flatten(Object value) {
        if (value instanceof Map<?, ?> map) {
            guard.enter(map);
            int id = reserve();
            int n = map.size();
            int[] keys = new int[n];
            int[] values = new int[n];
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (i == n) {
                    throw concurrentlyModified();
                }
                keys[i] = scalarId(guard.key(entry.getKey()));
                values[i++] = flatten(entry.getValue());
            }
            if (i != n) {
                throw concurrentlyModified();
            }
            guard.exit();
            objects.set(id, new DictRefs(keys, values));
            return id;
        } else if (value instanceof List<?> list) {
            guard.enter(list);
            int id = reserve();
            int n = list.size();
            int[] refs = new int[n];
            int i = 0;
            for (Object element : list) {
                if (i == n) {
                    throw concurrentlyModified();
                }
                guard.index(i);
                refs[i++] = flatten(element);
            }
            if (i != n) {
                throw concurrentlyModified();
            }
            guard.exit();
            objects.set(id, new ArrayRefs(refs));
            return id;
        }
        Object scalar = guard.scalar(value);
        if (scalar instanceof byte[]) {
            int id = reserve();
            objects.set(id, scalar);
            return id;
        }
        return scalarId(scalar);
    }

    /** Id of an immutable scalar, shared by equal values (Double equality is by bits, so -0.0 stays apart from 0.0). */
    private int scalarId(Object scalar) {
        Integer known = unique.get(scalar);
        if (known != null) {
            return known;
        }
        int id = reserve();
        objects.set(id, scalar);
        unique.put(scalar, id);
        return id;
    }

    private int reserve() {
        objects.add(null);
        return objects.size() - 1;
    }

    private PlistException concurrentlyModified() {
        return new PlistException("cannot encode value at " + guard.path + ": a collection changed while it was encoded");
    }

    private byte[] serialize() {
        int count = objects.size();
        int refSize = width(count - 1);
        ByteSink out = new ByteSink(64 + count * 16);
        out.ascii("bplist00");
        long[] offsets = new long[count];
        for (int id = 0; id < count; id++) {
            offsets[id] = out.size();
            writeObject(out, objects.get(id), refSize);
        }
        long tableOffset = out.size();
        int offsetSize = width(offsets[count - 1]);
        for (long offset : offsets) {
            out.bigEndian(offset, offsetSize);
        }
        out.bigEndian(0, 6); // 5 unused bytes and the sort version
        out.write(offsetSize);
        out.write(refSize);
        out.bigEndian(count, 8);
        out.bigEndian(0, 8); // the root is object 0
        out.bigEndian(tableOffset, 8);
        return out.toByteArray();
    }

    private static void writeObject(ByteSink out, Object object, int refSize) {
        if (object instanceof String s) {
            if (isAscii(s)) {
                header(out, 0x50, s.length());
                out.ascii(s);
            } else {
                header(out, 0x60, s.length());
                for (int i = 0; i < s.length(); i++) {
                    out.bigEndian(s.charAt(i), 2);
                }
            }
        } else if (object instanceof Long l) {
            integer(out, l);
        } else if (object instanceof Double d) {
            out.write(0x23);
            out.bigEndian(Double.doubleToRawLongBits(d), 8);
        } else if (object instanceof Boolean bool) {
            out.write(bool ? 0x09 : 0x08);
        } else if (object instanceof byte[] bytes) {
            header(out, 0x40, bytes.length);
            out.write(bytes);
        } else if (object instanceof Instant instant) {
            double seconds = (instant.getEpochSecond() - APPLE_EPOCH) + instant.getNano() / 1e9;
            out.write(0x33);
            out.bigEndian(Double.doubleToRawLongBits(seconds), 8);
        } else if (object instanceof ArrayRefs array) {
            header(out, 0xA0, array.refs.length);
            for (int ref : array.refs) {
                out.bigEndian(ref, refSize);
            }
        } else {
            DictRefs dict = (DictRefs) object;
            header(out, 0xD0, dict.keys.length);
            for (int ref : dict.keys) {
                out.bigEndian(ref, refSize);
            }
            for (int ref : dict.values) {
                out.bigEndian(ref, refSize);
            }
        }
    }

    /** A marker with its count in the low nibble, or 0xF and the count as an integer object. */
    private static void header(ByteSink out, int marker, int count) {
        if (count < 15) {
            out.write(marker | count);
        } else {
            out.write(marker | 0xF);
            integer(out, count);
        }
    }

    private static void integer(ByteSink out, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            out.write(0x13);
            out.bigEndian(value, 8);
        } else {
            int width = width(value);
            out.write(0x10 | Integer.numberOfTrailingZeros(width));
            out.bigEndian(value, width);
        }
    }

    /** Bytes needed for an unsigned value: 1, 2, 4 or 8. */
    private static int width(long value) {
        if (value < 0x100) {
            return 1;
        } else if (value < 0x1_0000) {
            return 2;
        } else if (value < 0x1_0000_0000L) {
            return 4;
        }
        return 8;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
