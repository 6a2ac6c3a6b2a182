package io.verger.storage.tck;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.Inventory;
import io.verger.api.storage.InventoryStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour {@link InventoryStore}'s Javadoc specifies. */
public abstract class InventoryStoreConformance extends StoreConformance {

    private InventoryStore store() {
        return stores.inventory();
    }

    @Test
    void nothingReportedMeansNoInventory() {
        assertTrue(store().find(newDevice()).isEmpty());
    }

    @Test
    void updateMergesKeysAndKeepsTheOthers() {
        EnrollmentId id = newDevice();
        store().update(id, Map.of("SerialNumber", "C02X", "OSVersion", "17.4"), at(1));
        store().update(id, Map.of("OSVersion", "17.5", "IsSupervised", true), at(2));
        Inventory inv = store().find(id).orElseThrow();
        assertEquals(id, inv.id());
        assertEquals(Map.of("SerialNumber", "C02X", "OSVersion", "17.5", "IsSupervised", true), inv.values());
        assertEquals(at(2), inv.updatedAt());
    }

    @Test
    void concurrentMergesIntoOneDeviceLoseNoKey() throws Exception {
        EnrollmentId id = newDevice();
        store().update(id, Map.of("SerialNumber", "C02X"), at(1));
        int threads = 6;
        int each = 20;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) { // read-modify-write of one row: unserialised, keys get lost
                        store().update(id, Map.of("K" + thread + "_" + i, (long) i), at(2 + i));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> values = store().find(id).orElseThrow().values();
        assertEquals(1 + threads * each, values.size(), "every merged key is kept");
        assertEquals("C02X", values.get("SerialNumber"));
    }

    @Test
    void olderReportStillMergesButUpdatedAtNeverMovesBack() {
        EnrollmentId id = newDevice();
        store().update(id, Map.of("A", "new"), at(10));
        store().update(id, Map.of("B", "old report"), at(5));
        Inventory inv = store().find(id).orElseThrow();
        assertEquals(Map.of("A", "new", "B", "old report"), inv.values());
        assertEquals(at(10), inv.updatedAt());
    }

    @Test
    void userChannelReadsAndWritesItsDevicesInventory() {
        EnrollmentId device = newDevice();
        EnrollmentId user = device.userChannel("501");
        store().update(user, Map.of("X", 1L), at(1));
        assertEquals(Map.of("X", 1L), store().find(device).orElseThrow().values());
        assertEquals(device, store().find(user).orElseThrow().id());
        assertTrue(store().delete(user));
        assertTrue(store().find(device).isEmpty());
    }

    @Test
    void everyPlistValueTypeRoundTrips() {
        EnrollmentId id = newDevice();
        Instant when = Instant.parse("2024-06-01T12:34:56Z");
        Map<String, Object> values = Map.of(
                "String", "héllo ✓ 𝄞",
                "Integer", Long.MIN_VALUE,
                "Real", 3.25d,
                "Bool", false,
                "Date", when,
                "Array", List.of("a", 2L, List.of(true)),
                "Dict", Map.of("Nested", Map.of("Deep", "x"), "Empty", Map.of()),
                "Data", new byte[] {0, 1, -1});
        store().update(id, values, at(1));
        Map<String, Object> read = store().find(id).orElseThrow().values();
        assertEquals(values.keySet(), read.keySet());
        for (String key : values.keySet()) {
            if (key.equals("Data")) {
                assertArrayEquals((byte[]) values.get(key), (byte[]) read.get(key));
            } else {
                assertEquals(values.get(key), read.get(key), key);
            }
        }
    }

    @Test
    void findBySerialNumberReturnsEveryDeviceWithItInIdOrder() {
        String serial = "SN" + newUuid().substring(0, 8);
        EnrollmentId b = EnrollmentId.device("B-" + newUuid());
        EnrollmentId a = EnrollmentId.device("A-" + newUuid());
        store().update(b, Map.of("SerialNumber", serial), at(1));
        store().update(a, Map.of("SerialNumber", serial), at(1));
        store().update(newDevice(), Map.of("SerialNumber", "other"), at(1));
        assertEquals(List.of(a, b), store().findBySerialNumber(serial));
        store().update(b, Map.of("SerialNumber", "changed"), at(2));
        assertEquals(List.of(a), store().findBySerialNumber(serial));
        assertTrue(store().findBySerialNumber("nobody").isEmpty());
    }

    @Test
    void deleteSaysWhetherThereWasAnInventory() {
        EnrollmentId id = newDevice();
        assertFalse(store().delete(id));
        store().update(id, Map.of("K", "v"), at(1));
        assertTrue(store().delete(id));
        assertTrue(store().find(id).isEmpty());
    }
}
