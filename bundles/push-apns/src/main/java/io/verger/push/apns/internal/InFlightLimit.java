package io.verger.push.apns.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the notifications in flight: a permit is taken before the first send and given back with the
 * final outcome, so retries waiting for their backoff count too. The sender blocks for a permit; that is
 * the back-pressure, and no queue of notifications grows behind it.
 */
final class InFlightLimit {

    final int permits;
    private final Semaphore semaphore;
    private final AtomicInteger inFlight;
    private final AtomicInteger highWater;

    InFlightLimit(int permits, AtomicInteger inFlight, AtomicInteger highWater) {
        this.permits = permits;
        this.semaphore = new Semaphore(permits);
        this.inFlight = inFlight;
        this.highWater = highWater;
    }

    void acquire() throws InterruptedException {
        semaphore.acquire();
        int now = inFlight.incrementAndGet();
        highWater.accumulateAndGet(now, Math::max);
    }

    void release() {
        inFlight.decrementAndGet();
        semaphore.release();
    }
}
