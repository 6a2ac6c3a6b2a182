package io.verger.plist;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Hand-crafts binary plists, so tests can say exactly which bytes a hostile device sends. */
final class Bplist {

    private final List<byte[]> objects = new ArrayList<>();
    private int top;
    private Long objectCountOverride;
    private Long tableOffsetOverride;
    private int refSize = 1;

    /** Adds an object given as its raw bytes (marker first); returns its id. */
    Bplist object(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        objects.add(b);
        return this;
    }

    Bplist ascii(String s) {
        int[] b = new int[s.length() + 1];
        b[0] = 0x50 | s.length();
        for (int i = 0; i < s.length(); i++) {
            b[i + 1] = s.charAt(i);
        }
        return object(b);
    }

    Bplist top(int id) {
        this.top = id;
        return this;
    }

    /** Width of object references inside arrays and dicts (the caller writes them); 1 unless set. */
    Bplist refSize(int bytes) {
        this.refSize = bytes;
        return this;
    }

    Bplist claimObjectCount(long count) {
        this.objectCountOverride = count;
        return this;
    }

    Bplist claimTableOffset(long offset) {
        this.tableOffsetOverride = offset;
        return this;
    }

    /** Four-byte offsets. */
    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("bplist00".getBytes());
        int[] offsets = new int[objects.size()];
        for (int i = 0; i < objects.size(); i++) {
            offsets[i] = out.size();
            out.writeBytes(objects.get(i));
        }
        long table = out.size();
        for (int offset : offsets) {
            out.write(offset >> 24);
            out.write(offset >> 16);
            out.write(offset >> 8);
            out.write(offset);
        }
        byte[] trailer = new byte[32];
        trailer[6] = 4;
        trailer[7] = (byte) refSize;
        put(trailer, 8, objectCountOverride != null ? objectCountOverride : objects.size());
        put(trailer, 16, top);
        put(trailer, 24, tableOffsetOverride != null ? tableOffsetOverride : table);
        out.writeBytes(trailer);
        return out.toByteArray();
    }

    private static void put(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + 7 - i] = (byte) (v >>> (8 * i));
        }
    }
}
