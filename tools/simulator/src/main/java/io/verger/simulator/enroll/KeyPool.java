package io.verger.simulator.enroll;

import java.security.KeyPair;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.verger.simulator.fleet.DeviceCa;

/**
 * Device RSA keys: a fresh one per device ({@code size} 0), or {@code size} key pairs per key size shared
 * round-robin by UDID, made when first needed (RSA-2048 generation costs 50–200 ms; a SCEP payload says the size
 * only once the profile is read). Each device still gets its own certificate.
 */
public final class KeyPool {

    private final int size;
    private final Map<Long, KeyPair> pairs = new ConcurrentHashMap<>();

    public KeyPool(int size) {
        this.size = Math.max(0, size);
    }

    public int size() {
        return size;
    }

    public KeyPair get(int bits, String udid) throws Exception {
        if (size == 0) {
            return DeviceCa.rsa(bits);
        }
        long slot = ((long) bits << 32) | Math.floorMod(udid.hashCode(), size);
        KeyPair kp = pairs.get(slot);
        if (kp == null) {
            KeyPair made = DeviceCa.rsa(bits);
            kp = pairs.putIfAbsent(slot, made);
            if (kp == null) {
                kp = made;
            }
        }
        return kp;
    }
}
