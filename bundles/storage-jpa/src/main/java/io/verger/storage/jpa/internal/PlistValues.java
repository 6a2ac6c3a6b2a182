package io.verger.storage.jpa.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compact binary form of plain-Java plist values (inventory, policy settings, error chains):
 * a tag byte per value. Not a plist, so that the store needs no plist library.
 */
final class PlistValues {

    private static final int STRING = 'S', LONG = 'L', DOUBLE = 'D', TRUE = 'T', FALSE = 'F', DATA = 'B', DATE = 'd',
            ARRAY = 'A', DICT = 'M';
    private static final int MAX_DEPTH = 64;

    private PlistValues() {
    }

    static byte[] encode(Map<String, ?> dict) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, dict, 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            return (Map<String, Object>) read(in, 0);
        } catch (IOException e) {
            throw new io.verger.api.storage.StorageException("stored plist values are corrupt: " + e.getMessage(), e);
        }
    }

    private static void write(DataOutputStream out, Object value, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("plist value nests deeper than " + MAX_DEPTH);
        }
        if (value instanceof String s) {
            out.write(STRING);
            writeString(out, s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.write(LONG);
            out.writeLong(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            out.write(DOUBLE);
            out.writeDouble(((Number) value).doubleValue());
        } else if (value instanceof Boolean b) {
            out.write(b ? TRUE : FALSE);
        } else if (value instanceof byte[] b) {
            out.write(DATA);
            out.writeInt(b.length);
            out.write(b);
        } else if (value instanceof Instant t) {
            out.write(DATE);
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        } else if (value instanceof List<?> list) {
            out.write(ARRAY);
            out.writeInt(list.size());
            for (Object item : list) {
                write(out, item, depth + 1);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.write(DICT);
            out.writeInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("plist dictionary key is not a string: " + e.getKey());
                }
                writeString(out, key);
                write(out, e.getValue(), depth + 1);
            }
        } else {
            throw new IllegalArgumentException("not a plist value: " + (value == null ? "null" : value.getClass().getName()));
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Object read(DataInputStream in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("nesting deeper than " + MAX_DEPTH);
        }
        int tag = in.read();
        switch (tag) {
            case STRING:
                return readString(in);
            case LONG:
                return in.readLong();
            case DOUBLE:
                return in.readDouble();
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case DATA: {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                return b;
            }
            case DATE:
                return Instant.ofEpochSecond(in.readLong(), in.readInt());
            case ARRAY: {
                int n = in.readInt();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read(in, depth + 1));
                }
                return Collections.unmodifiableList(list);
            }
            case DICT: {
                int n = in.readInt();
                Map<String, Object> map = new LinkedHashMap<>(n * 2);
                for (int i = 0; i < n; i++) {
                    String key = readString(in);
                    map.put(key, read(in, depth + 1));
                }
                return Collections.unmodifiableMap(map);
            }
            default:
                throw new IOException("unknown value tag " + tag);
        }
    }
}
