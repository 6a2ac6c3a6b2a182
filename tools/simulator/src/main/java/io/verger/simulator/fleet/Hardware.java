package io.verger.simulator.fleet;

import java.util.Locale;
import java.util.Random;

/** Realistic, deterministic hardware facts for simulated device number {@code n}: UDID, serial, model, OS. */
public record Hardware(String udid, String serialNumber, String model, String productName, String osVersion, String buildVersion,
        String deviceName) {

    private static final String[][] MODELS = {
        {"iPhone", "iPhone15,2", "17.5.1", "21F90"},
        {"iPhone", "iPhone16,1", "18.1", "22B83"},
        {"iPhone", "iPhone14,5", "17.4", "21E219"},
        {"iPad", "iPad13,18", "18.1", "22B83"},
        {"iPad", "iPad14,3", "17.6.1", "21G93"},
    };
    private static final String SERIAL_ALPHABET = "BCDFGHJKLMNPQRTVWXYZ0123456789";

    /** @param prefix distinguishes fleets of different runs, so they can share one server */
    public static Hardware of(String prefix, int n) {
        Random r = new Random(prefix.hashCode() * 31L + n);
        String[] m = MODELS[n % MODELS.length];
        // iPhone-style UDID: 8 hex digits, dash, 16 hex digits (25 characters)
        String udid = String.format(Locale.ROOT, "%08X-%016X", 0x00008000 + (n % 4096), ((long) prefix.hashCode() << 32) ^ (n * 0x9E3779B97F4A7C15L) ^ r.nextLong())
                .toUpperCase(Locale.ROOT);
        StringBuilder serial = new StringBuilder(12);
        for (int i = 0; i < 10; i++) {
            serial.append(SERIAL_ALPHABET.charAt(r.nextInt(SERIAL_ALPHABET.length())));
        }
        serial.append(String.format(Locale.ROOT, "%02d", n % 100));
        return new Hardware(udid, serial.toString(), m[0], m[1], m[2], m[3], m[0] + " " + (n + 1));
    }
}
