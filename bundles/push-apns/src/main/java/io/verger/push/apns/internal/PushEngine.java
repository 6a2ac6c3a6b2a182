package io.verger.push.apns.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.verger.api.push.PushResult;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.PushCertStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The sending machinery behind the component: one shared Netty event loop group, one dispatcher thread
 * that admits notifications as in-flight permits free up, one scheduler for retries, one thread that
 * completes the callers' stages.
 *
 * <p>No queue of notifications grows without bound: the batches waiting for the dispatcher are the
 * callers' own collections (one entry per pending {@code push} call), and every notification past the
 * dispatcher holds a permit, retries waiting for their backoff included.
 */
final class PushEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PushEngine.class);
    /** Targets sent from one batch before the next batch gets its turn: a large bulk push does not starve a single-device one. */
    private static final int SLICE = 256;
    private static final long STOP_GRACE_MILLIS = 2_000;

    final PushMetrics metrics = new PushMetrics();
    private final Supplier<PushCertStore> store;
    private final EventLoopGroup eventLoopGroup;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService completion;
    private final LinkedBlockingQueue<PushBatch> batches = new LinkedBlockingQueue<>();
    private final Set<Delivery> live = ConcurrentHashMap.newKeySet();
    private final Thread dispatcher;
    private volatile TopicClients topics;
    private volatile InFlightLimit limit;
    private volatile boolean running = true;
    private Map<String, Long> lastLogged = Map.of();

    PushEngine(ApnsSettings settings, Supplier<PushCertStore> store) {
        this.store = store;
        this.eventLoopGroup = new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("verger-apns", true));
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("verger-push-retry"));
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        this.completion = Executors.newSingleThreadExecutor(daemon("verger-push-results"));
        this.topics = new TopicClients(settings, store, eventLoopGroup);
        this.limit = new InFlightLimit(settings.concurrency(), metrics.inFlight, metrics.inFlightHighWater);
        this.dispatcher = daemon("verger-push-dispatch").newThread(this::dispatch);
        this.dispatcher.start();
        scheduler.scheduleAtFixedRate(this::logMetrics, 60, 60, TimeUnit.SECONDS);
    }

    CompletionStage<List<PushResult>> push(Collection<PushTarget> targets) {
        Objects.requireNonNull(targets, "targets");
        List<PushTarget> list = new ArrayList<>(targets.size());
        for (PushTarget t : targets) {
            list.add(Objects.requireNonNull(t, "a push target is null"));
        }
        if (list.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        PushBatch batch = new PushBatch(list, completion);
        if (running) {
            batches.add(batch);
            if (!running && batches.remove(batch)) { // raced with stop()
                batch.failUnsent("push provider stopped");
            }
        } else {
            batch.failUnsent("push provider stopped");
        }
        return batch.future;
    }

    /** Applies a new configuration: new sends use new clients; the old ones close once drained. */
    void reconfigure(ApnsSettings settings) {
        TopicClients old = topics;
        topics = new TopicClients(settings, store, eventLoopGroup);
        if (settings.concurrency() != limit.permits) {
            // notifications in flight give their permit back to the limit they took it from
            limit = new InFlightLimit(settings.concurrency(), metrics.inFlight, metrics.inFlightHighWater);
        }
        old.close();
        LOG.info("APNs push now goes to {} with at most {} notifications in flight", settings.server(), settings.concurrency());
    }

    TopicClients topics() {
        return topics;
    }

    boolean running() {
        return running;
    }

    /** @return {@code false} if the provider is stopping and the task will not run */
    boolean schedule(Runnable task, long delayMillis) {
        try {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    void finished(Delivery delivery) {
        live.remove(delivery);
    }

    private void dispatch() {
        PushBatch batch = null;
        try {
            while (running) {
                batch = batches.take();
                for (int n = 0; n < SLICE && batch.hasNext(); n++) {
                    InFlightLimit l = limit;
                    l.acquire();
                    if (!running) {
                        l.release();
                        batches.add(batch);
                        return;
                    }
                    Delivery delivery = new Delivery(this, batch, batch.next++, l, topics.settings);
                    live.add(delivery);
                    delivery.send();
                }
                if (batch.hasNext()) {
                    batches.add(batch);
                }
                batch = null;
            }
        } catch (InterruptedException e) {
            // stop() fails the batches left
            if (batch != null && batch.hasNext()) {
                batches.add(batch);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("APNs push dispatcher died; pushes fail until the component restarts", e);
            running = false;
            if (batch != null) {
                batches.add(batch);
            }
            failPending("push dispatcher failed: " + e);
        }
    }

    /**
     * Stops: sends no more, waits a little for the notifications in flight, and gives everything else a
     * FAILED result, so that no caller waits forever.
     */
    void stop() {
        running = false;
        dispatcher.interrupt();
        try {
            dispatcher.join(STOP_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failPending("push provider stopped before sending");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS);
        while (!live.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Delivery d : List.copyOf(live)) {
            d.abort("push provider stopped before APNs answered");
        }
        scheduler.shutdownNow();
        topics.close();
        eventLoopGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        completion.shutdown();
        try {
            completion.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("APNs push provider stopped: {}", metrics.snapshot());
    }

    private void failPending(String detail) {
        PushBatch b;
        while ((b = batches.poll()) != null) {
            b.failUnsent(detail);
        }
    }

    private void logMetrics() {
        Map<String, Long> now = metrics.snapshot();
        if (!now.equals(lastLogged)) {
            lastLogged = now;
            LOG.debug("APNs push: {} (topics in use: {})", now, topics.topicCount());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
