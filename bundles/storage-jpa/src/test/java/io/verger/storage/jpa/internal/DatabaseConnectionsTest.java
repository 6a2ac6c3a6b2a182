package io.verger.storage.jpa.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's size by default, and requests that outnumber its connections waiting their turn. */
class DatabaseConnectionsTest {

    @TempDir
    Path dataDir;

    @Test
    void poolSizeDefaultsByDatabase() {
        StorageSettings derby = StorageSettings.derby(dataDir);
        assertEquals(StorageSettings.DERBY_POOL, derby.poolSize());
        assertEquals(StorageSettings.SERVER_POOL, derby.withUrl("jdbc:postgresql://127.0.0.1:5432/verger").poolSize());
        StorageSettings three = new StorageSettings(derby.jdbcUrl(), "", "", 3, dataDir, "", 30, 0);
        assertEquals(3, three.poolSize());
        assertThrows(IllegalArgumentException.class, () -> new StorageSettings(derby.jdbcUrl(), "", "", -1, dataDir, "", 30, 0));
    }

    @Test
    void requestsBeyondThePoolWaitAndAllComplete() throws Exception {
        Database db = Database.open(new StorageSettings(StorageSettings.derby(dataDir).jdbcUrl(), "", "", 2, dataDir, "", 30, 0));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                results.add(threads.submit(() -> db.query("test " + n, c -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        holding.countDown();
                        assertTrue(release.await(10, TimeUnit.SECONDS));
                        try (PreparedStatement ps = c.prepareStatement("VALUES " + n); ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getInt(1);
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        inside.decrementAndGet();
                    }
                })));
            }
            assertTrue(holding.await(10, TimeUnit.SECONDS), "two requests hold the two connections");
            // the other six wait for a permit; none of them has a connection
            assertFalse(results.stream().allMatch(Future::isDone));
            assertEquals(2, inside.get());
            release.countDown();
            int sum = 0;
            for (Future<Integer> f : results) {
                sum += f.get(20, TimeUnit.SECONDS);
            }
            assertEquals(28, sum, "every request ran, with its own answer");
            assertEquals(2, most.get(), "never more requests inside than connections");
        } finally {
            threads.shutdownNow();
            db.close();
        }
    }
}
