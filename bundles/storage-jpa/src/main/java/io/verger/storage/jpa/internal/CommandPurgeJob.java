package io.verger.storage.jpa.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the queue tables bounded: marks expired commands {@code EXPIRED} and deletes history older
 * than the retention setting, periodically (first run a minute after start, jittered so that several
 * nodes do not run at the same instant; running on several nodes at once is safe).
 */
@Component(service = {}, immediate = true, configurationPid = Database.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class CommandPurgeJob {

    private static final Logger LOG = LoggerFactory.getLogger(CommandPurgeJob.class);

    private final JdbcCommandQueue queue;
    private final Duration retention;
    private final ScheduledExecutorService scheduler;

    @Activate
    public CommandPurgeJob(@Reference Database db, Database.Config config) {
        this(new JdbcCommandQueue(db), Duration.ofDays(config.commandRetentionDays()), config.purgeIntervalSeconds());
    }

    CommandPurgeJob(JdbcCommandQueue queue, Duration retention, long intervalSeconds) {
        this.queue = queue;
        this.retention = retention;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verger-storage-purge");
            t.setDaemon(true);
            return t;
        });
        if (intervalSeconds > 0) {
            long first = Math.min(60, intervalSeconds) + ThreadLocalRandom.current().nextLong(Math.max(1, intervalSeconds / 10));
            scheduler.scheduleWithFixedDelay(this::runOnce, first, intervalSeconds, TimeUnit.SECONDS);
        }
    }

    /** @return how many records were deleted */
    int runOnce() {
        try {
            Instant now = Instant.now();
            int expired = queue.markExpired(now);
            int purged = queue.purge(now.minus(retention));
            if (expired > 0 || purged > 0) {
                LOG.info("command queue: {} commands expired, {} records older than {} days purged", expired, purged, retention.toDays());
            }
            return purged;
        } catch (RuntimeException e) {
            LOG.warn("command purge failed; retrying at the next interval: {}", e.getMessage(), e);
            return 0;
        }
    }

    @Deactivate
    void stop() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
