package io.verger.storage.jpa.internal;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationsTest {

    @TempDir
    Path dir;

    private DataSource derby() {
        Database.Derby.configureSystem(dir);
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("db").toString());
        ds.setCreateDatabase("create");
        return ds;
    }

    @Test
    void scriptsOfBothDialectsAreListedInOrder() {
        for (Dialect d : Dialect.values()) {
            List<Migrations.Script> scripts = new Migrations(d, null).scripts();
            assertEquals(1, scripts.get(0).version());
            assertTrue(scripts.get(0).statements().size() > 10, d + " V1 has its statements");
        }
    }

    /** @return the version of the last script, which is also how many scripts a fresh database runs */
    private static int latest(Dialect dialect) {
        List<Migrations.Script> scripts = new Migrations(dialect, null).scripts();
        return scripts.get(scripts.size() - 1).version();
    }

    @Test
    void bothDialectsHaveTheSameVersions() {
        assertEquals(new Migrations(Dialect.DERBY, null).scripts().stream().map(Migrations.Script::version).toList(),
                new Migrations(Dialect.POSTGRESQL, null).scripts().stream().map(Migrations.Script::version).toList());
    }

    @Test
    void secondRunIsANoOp() throws Exception {
        DataSource ds = derby();
        int latest = latest(Dialect.DERBY);
        assertEquals(latest, new Migrations(Dialect.DERBY, ds).migrate());
        assertEquals(0, new Migrations(Dialect.DERBY, ds).migrate());
        assertEquals(latest, new Migrations(Dialect.DERBY, ds).currentVersion());
        Database.Derby.shutdown(dir.resolve("db").toString());
    }

    @Test
    void databaseReopensOnAnExistingSchema() {
        StorageSettings s = StorageSettings.derby(dir);
        Database.open(s).close();
        Database db = Database.open(s);
        try {
            int version = db.query("schema version", c -> new Migrations(Dialect.DERBY, db.dataSource()).currentVersion());
            assertEquals(latest(Dialect.DERBY), version);
        } finally {
            db.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void secondConcurrentRunnerWaitsOnDerby() throws Exception {
        concurrentRunners(Dialect.DERBY, derby());
        Database.Derby.shutdown(dir.resolve("db").toString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void secondConcurrentRunnerWaitsOnPostgreSql() throws Exception {
        PostgreSqlTestDatabase pg = PostgreSqlTestDatabase.create();
        try {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(pg.url());
            ds.setUser(PostgreSqlTestDatabase.USER);
            concurrentRunners(Dialect.POSTGRESQL, ds);
        } finally {
            pg.drop();
        }
    }

    /** The first runner holds the lock until released; the second must wait for it, then find nothing to do. */
    private static void concurrentRunners(Dialect dialect, DataSource ds) throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> migrate(new Migrations(dialect, ds, () -> {
            locked.countDown();
            await(release);
        })));
        assertTrue(locked.await(20, TimeUnit.SECONDS), "first runner took the lock");
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> migrate(new Migrations(dialect, ds)));
        assertThrows(TimeoutException.class, () -> second.get(700, TimeUnit.MILLISECONDS), "the second runner waits");
        assertFalse(second.isDone());
        release.countDown();
        assertEquals(latest(dialect), first.get(20, TimeUnit.SECONDS));
        assertEquals(0, second.get(20, TimeUnit.SECONDS), "the waiting runner finds the schema current");
    }

    private static int migrate(Migrations m) {
        try {
            return m.migrate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
