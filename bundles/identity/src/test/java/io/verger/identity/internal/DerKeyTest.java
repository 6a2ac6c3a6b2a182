package io.verger.identity.internal;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key of the decoded-certificate cache: equal bytes, equal keys; any other bytes, another key. */
class DerKeyTest {

    @Test
    void equalBytesInOtherArraysAreTheSameKey() {
        byte[] a = new Random(1).ints(1013, 0, 256).collect(() -> new java.io.ByteArrayOutputStream(),
                (o, i) -> o.write(i), (x, y) -> { }).toByteArray();
        byte[] b = a.clone();
        assertEquals(new MdmSignature.Der(a), new MdmSignature.Der(b));
        assertEquals(new MdmSignature.Der(a).hashCode(), new MdmSignature.Der(b).hashCode());
    }

    @Test
    void everyByteAndTheLengthCount() {
        byte[] base = new byte[1021];
        new Random(2).nextBytes(base);
        MdmSignature.Der key = new MdmSignature.Der(base);
        Set<Integer> hashes = new HashSet<>();
        hashes.add(key.hashCode());
        for (int i = 0; i < base.length; i++) { // the 8-byte steps and the tail alike
            byte[] changed = base.clone();
            changed[i] ^= 1;
            MdmSignature.Der other = new MdmSignature.Der(changed);
            assertNotEquals(key, other, "byte " + i);
            hashes.add(other.hashCode());
        }
        assertNotEquals(key, new MdmSignature.Der(java.util.Arrays.copyOf(base, base.length - 1)));
        assertNotEquals(key, new MdmSignature.Der(java.util.Arrays.copyOf(base, base.length + 1)));
        // a hash that ignored some bytes would repeat; allow a few 32-bit collisions by chance, not hundreds
        assertTrue(hashes.size() > base.length - 5, hashes.size() + " distinct hashes for " + (base.length + 1) + " inputs");
    }
}
