package io.verger.plist.internal;

import io.verger.plist.PlistException;
import io.verger.plist.PlistLimits;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one binary plist ({@code bplist00}, as CFBinaryPList.c writes it) into Java values. One
 * instance per call.
 *
 * <p>Why not dd-plist's parser: version 1.30 turns non-string dictionary keys into strings, wraps
 * 128-bit integers above {@code Long.MAX_VALUE} into negative longs, and shares objects referenced more
 * than once, so a small plist whose arrays reference the same array twice, level after level, would
 * expand exponentially on conversion. This reader checks every offset, length and reference against the
 * bounds before it reads or allocates, refuses any object that is its own ancestor, limits depth, counts
 * every use of a shared object against {@link PlistLimits#maxObjects()} and every copied {@code <data>}
 * byte against {@link PlistLimits#maxInputBytes()}.
 */
public final class BinaryPlistReader {

    private static final int TRAILER = 32;
    private static final long APPLE_EPOCH = 978_307_200L; // 2001-01-01T00:00:00Z
    private static final byte[] MAGIC = {'b', 'p', 'l', 'i', 's', 't', '0', '0'};

    private final byte[] b;
    private final int maxDepth;
    private final int maxObjects;
    private final long maxDataBytes;
    private final KeyPath path = new KeyPath();

    private int offsetSize;
    private int refSize;
    private int numObjects;
    private int tableOffset; // objects live in [8, tableOffset)
    private Object[] immutables; // decoded strings, numbers, dates, booleans, by object id
    private Frame[] open = new Frame[8]; // the containers being filled, root first
    private int depth;
    private int objects;
    private long dataBytes;

    public BinaryPlistReader(byte[] plist, PlistLimits limits) {
        this.b = plist;
        this.maxDepth = limits.maxDepth();
        this.maxObjects = limits.maxObjects();
        this.maxDataBytes = limits.maxInputBytes();
    }

    /** A dictionary or array being filled: its id, where its references start, how many, how far. */
    private static final class Frame {
        int id;
        int start;
        int count;
        int next;
        List<Object> array;
        Map<String, Object> dict;
    }

    public Object read() {
        try {
            int top = trailer();
            immutables = new Object[numObjects];
            return readTree(top);
        } catch (PlistException e) {
            throw e;
        } catch (RuntimeException e) {
            // Every read is bounds-checked first; this only keeps the promise of "PlistException and nothing else".
            throw new PlistException("malformed binary plist: " + e, e);
        }
    }

    /** Validates header and trailer, returns the top object's id. */
    private int trailer() {
        if (b.length < MAGIC.length + 1 + TRAILER) {
            if (b.length < MAGIC.length || !Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw header();
            }
            throw new PlistException("binary plist truncated: " + b.length + " bytes cannot hold an object and the trailer");
        }
        if (!Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw header();
        }
        int t = b.length - TRAILER;
        offsetSize = b[t + 6] & 0xFF;
        refSize = b[t + 7] & 0xFF;
        long count = readLong(t + 8);
        long top = readLong(t + 16);
        long table = readLong(t + 24);
        if (offsetSize < 1 || offsetSize > 8 || refSize < 1 || refSize > 8) {
            throw new PlistException("binary plist truncated or corrupt: trailer gives offset size " + offsetSize
                    + " and reference size " + refSize + " (each must be 1 to 8)");
        }
        if (table < MAGIC.length + 1 || table > t) {
            throw new PlistException("binary plist truncated: offset table at " + Long.toUnsignedString(table)
                    + " beyond end of data (" + t + " bytes before the trailer)");
        }
        if (count < 1 || count > t || table + count * offsetSize > t) {
            throw new PlistException("binary plist truncated: offset table of " + Long.toUnsignedString(count)
                    + " objects beyond end of data");
        }
        if (top < 0 || top >= count) {
            throw new PlistException("binary plist corrupt: top object " + Long.toUnsignedString(top)
                    + " is not one of its " + count + " objects");
        }
        numObjects = (int) count;
        tableOffset = (int) table;
        return (int) top;
    }

    private PlistException header() {
        int n = Math.min(b.length, MAGIC.length);
        return new PlistException("not a supported binary plist: header "
                + PlistTypes.quote(new String(b, 0, n, StandardCharsets.ISO_8859_1)) + ", expected 'bplist00'");
    }

    /**
     * Decodes the object graph without recursion, so no nesting, however deep or hostile, can exhaust the
     * thread's stack; the depth limit is checked on the explicit stack instead.
     */
    private Object readTree(int top) {
        Object root = readObject(top);
        while (depth > 0) {
            Frame f = open[depth - 1];
            if (f.next == f.count) {
                exit();
                continue;
            }
            int i = f.next++;
            if (f.dict != null) {
                String key = readKey(readRef(f.id, f.start + i * refSize));
                path.key(key);
                Object value = readObject(readRef(f.id, f.start + (f.count + i) * refSize));
                if (f.dict.putIfAbsent(key, value) != null) {
                    throw fail("duplicate key");
                }
            } else {
                path.index(i);
                f.array.add(readObject(readRef(f.id, f.start + i * refSize)));
            }
        }
        return root;
    }

    /** A scalar, or a new empty container pushed onto the stack for {@link #readTree} to fill. */
    private Object readObject(int id) {
        if (++objects > maxObjects) {
            throw fail("plist holds more than " + maxObjects + " objects");
        }
        Object known = immutables[id];
        if (known != null) {
            return known;
        }
        int off = offsetOf(id);
        int marker = b[off] & 0xFF;
        int info = marker & 0x0F;
        switch (marker >> 4) {
            case 0x0:
                if (info == 0x8 || info == 0x9) {
                    return immutables[id] = info == 0x9;
                }
                throw unsupported(id, marker, info == 0 ? "null" : "fill or unknown simple value");
            case 0x1:
                return immutables[id] = readInteger(id, off, info);
            case 0x2:
                return immutables[id] = readReal(id, off, info);
            case 0x3:
                return immutables[id] = readDate(id, off, info);
            case 0x4:
                return readData(id, off, info);
            case 0x5:
            case 0x6:
                return readString(id, off);
            case 0x8:
                throw unsupported(id, marker, "UID (NSKeyedArchiver)");
            case 0xA:
                return readArray(id, off, info);
            case 0xB:
            case 0xC:
                throw unsupported(id, marker, "set");
            case 0xD:
                return readDict(id, off, info);
            default:
                throw unsupported(id, marker, "unknown type");
        }
    }

    private Long readInteger(int id, int off, int info) {
        if (info > 4) {
            throw fail("object " + id + " is an integer of unsupported width 2^" + info + " bytes");
        }
        int width = 1 << info;
        need(id, off + 1L, width);
        switch (width) {
            case 1:
            case 2:
            case 4:
                return readUnsigned(off + 1, width);
            case 8:
                return readLong(off + 1);
            default:
                long high = readLong(off + 1);
                long low = readLong(off + 9);
                if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
                    return low;
                }
                throw fail("integer object " + id + " does not fit in a signed 64-bit integer");
        }
    }

    private Double readReal(int id, int off, int info) {
        if (info == 2) {
            need(id, off + 1L, 4);
            return (double) Float.intBitsToFloat((int) readUnsigned(off + 1, 4));
        } else if (info == 3) {
            need(id, off + 1L, 8);
            return Double.longBitsToDouble(readLong(off + 1));
        }
        throw fail("object " + id + " is a real of unsupported width 2^" + info + " bytes");
    }

    private Instant readDate(int id, int off, int info) {
        if (info != 3) {
            throw fail("object " + id + " is a date with unsupported marker info " + info);
        }
        need(id, off + 1L, 8);
        double seconds = Double.longBitsToDouble(readLong(off + 1));
        if (!(Math.abs(seconds) < 3.0e16)) { // also refuses NaN; Instant spans about +-3.15e16 s
            throw fail("date object " + id + " is out of range (" + seconds + " s from 2001)");
        }
        long whole = (long) Math.floor(seconds);
        // a double carries about 16 digits: microseconds are real, the rest is rounding noise
        long micros = Math.round((seconds - whole) * 1e6);
        if (micros == 1_000_000) {
            whole++;
            micros = 0;
        }
        return Instant.ofEpochSecond(APPLE_EPOCH + whole, micros * 1000);
    }

    private byte[] readData(int id, int off, int info) {
        long lengthAndStart = lengthOf(id, off, info);
        int length = (int) (lengthAndStart >>> 32);
        int start = (int) lengthAndStart;
        need(id, start, length);
        dataBytes += length;
        if (dataBytes > maxDataBytes) {
            throw fail("binary plist expands to more than " + maxDataBytes + " bytes of <data> (shared references)");
        }
        return Arrays.copyOfRange(b, start, start + length);
    }

    private String readString(int id, int off) {
        int marker = b[off] & 0xFF;
        long lengthAndStart = lengthOf(id, off, marker & 0xF);
        int length = (int) (lengthAndStart >>> 32);
        int start = (int) lengthAndStart;
        String s;
        if (marker >> 4 == 0x5) {
            need(id, start, length);
            s = new String(b, start, length, StandardCharsets.ISO_8859_1);
        } else {
            need(id, start, 2L * length);
            s = new String(b, start, 2 * length, StandardCharsets.UTF_16BE);
        }
        immutables[id] = s;
        return s;
    }

    private List<Object> readArray(int id, int off, int info) {
        long lengthAndStart = lengthOf(id, off, info);
        int count = (int) (lengthAndStart >>> 32);
        int start = (int) lengthAndStart;
        need(id, start, (long) count * refSize);
        Frame f = enter(id, start, count);
        f.array = new ArrayList<>(count);
        return f.array;
    }

    private Map<String, Object> readDict(int id, int off, int info) {
        long lengthAndStart = lengthOf(id, off, info);
        int count = (int) (lengthAndStart >>> 32);
        int start = (int) lengthAndStart;
        need(id, start, 2L * count * refSize);
        Frame f = enter(id, start, count);
        f.dict = new LinkedHashMap<>((int) (count / 0.75f) + 1);
        return f.dict;
    }

    private String readKey(int id) {
        Object known = immutables[id];
        if (known instanceof String s) {
            return s;
        }
        int off = offsetOf(id);
        int type = (b[off] & 0xFF) >> 4;
        if (type != 0x5 && type != 0x6) {
            throw fail("dictionary key object " + id + " is not a string (marker 0x"
                    + Integer.toHexString(b[off] & 0xFF) + ")");
        }
        return readString(id, off);
    }

    /** Checks depth, refuses an object that is its own ancestor, and that {@code count} children fit the budget. */
    private Frame enter(int id, int start, int count) {
        for (int i = 0; i < depth; i++) {
            if (open[i].id == id) {
                throw fail("binary plist object " + id + " references itself (cyclic reference)");
            }
        }
        if (depth >= maxDepth) {
            throw fail("plist nesting deeper than " + maxDepth + " levels");
        }
        if (count > maxObjects - objects) {
            throw fail("plist holds more than " + maxObjects + " objects");
        }
        if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
        }
        Frame f = open[depth];
        if (f == null) {
            f = open[depth] = new Frame();
        }
        f.id = id;
        f.start = start;
        f.count = count;
        f.next = 0;
        f.array = null;
        f.dict = null;
        depth++;
        path.push();
        return f;
    }

    private void exit() {
        Frame f = open[--depth];
        f.array = null;
        f.dict = null;
        path.pop();
    }

    /**
     * The element count (or byte or UTF-16 unit count) of a data, string, array or dict object and where its
     * content starts, packed as {@code count << 32 | start}.
     */
    private long lengthOf(int id, int off, int info) {
        if (info != 0xF) {
            return ((long) info << 32) | (off + 1);
        }
        need(id, off + 1L, 1);
        int marker = b[off + 1] & 0xFF;
        int widthLog = marker & 0xF;
        if (marker >> 4 != 0x1 || widthLog > 3) {
            throw fail("object " + id + " has a malformed length (marker 0x" + Integer.toHexString(marker) + ")");
        }
        int width = 1 << widthLog;
        need(id, off + 2L, width);
        long length = width == 8 ? readLong(off + 2) : readUnsigned(off + 2, width);
        int start = off + 2 + width;
        if (length < 0 || length > tableOffset - start) {
            throw fail("binary plist truncated: object " + id + " claims " + Long.toUnsignedString(length)
                    + " elements, beyond end of data");
        }
        return (length << 32) | start;
    }

    private int offsetOf(int id) {
        long offset = readUnsigned(tableOffset + id * offsetSize, offsetSize);
        if (offset < MAGIC.length || offset >= tableOffset) {
            throw fail("binary plist truncated or corrupt: object " + id + " at offset "
                    + Long.toUnsignedString(offset) + " outside the object area (8 to " + tableOffset + ")");
        }
        return (int) offset;
    }

    private int readRef(int container, int at) {
        long ref = readUnsigned(at, refSize);
        if (ref < 0 || ref >= numObjects) {
            throw fail("binary plist corrupt: object " + container + " references object "
                    + Long.toUnsignedString(ref) + " of " + numObjects);
        }
        return (int) ref;
    }

    /** Refuses content of {@code length} bytes at {@code start} that does not end before the offset table. */
    private void need(int id, long start, long length) {
        if (start + length > tableOffset) {
            throw fail("binary plist truncated: object " + id + " extends beyond end of data");
        }
    }

    private long readUnsigned(int at, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    private long readLong(int at) {
        return readUnsigned(at, 8);
    }

    private PlistException unsupported(int id, int marker, String what) {
        return fail("binary plist object " + id + " is a " + what + " (marker 0x" + Integer.toHexString(marker)
                + "), which is not a plist value this codec accepts");
    }

    private PlistException fail(String message) {
        return new PlistException(message + " at " + path);
    }
}
