package io.verger.plist.internal;

import io.verger.plist.PlistException;

import java.util.Arrays;

/** An unsynchronized growable byte buffer for the writers. */
final class ByteSink {

    private static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    byte[] buf;
    int size;

    ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Makes room for {@code n} more bytes. */
    void ensure(int n) {
        if (n > buf.length - size) {
            long needed = (long) size + n;
            if (needed > MAX_SIZE) {
                throw new PlistException("encoded plist would be larger than 2 GB");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(needed, (long) buf.length * 2)));
        }
    }

    void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, size, len);
        size += len;
    }

    /** Writes a string known to be ASCII. */
    void ascii(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int at = size;
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) s.charAt(i);
        }
        size = at + n;
    }

    /** Writes {@code value} big-endian in {@code width} bytes. */
    void bigEndian(long value, int width) {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            buf[size++] = (byte) (value >>> (8 * i));
        }
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
