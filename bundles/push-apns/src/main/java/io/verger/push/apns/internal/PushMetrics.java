package io.verger.push.apns.internal;

import io.verger.api.push.PushOutcome;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the provider since it was activated. */
final class PushMetrics {

    private final Map<PushOutcome, LongAdder> outcomes = new EnumMap<>(PushOutcome.class);
    final LongAdder sends = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder circuitRejections = new LongAdder();
    final LongAdder circuitOpenings = new LongAdder();
    final LongAdder certificateSwitches = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger inFlightHighWater = new AtomicInteger();

    PushMetrics() {
        for (PushOutcome o : PushOutcome.values()) {
            outcomes.put(o, new LongAdder());
        }
    }

    void outcome(PushOutcome outcome) {
        outcomes.get(outcome).increment();
    }

    long count(PushOutcome outcome) {
        return outcomes.get(outcome).sum();
    }

    /** @return every counter by name, outcomes in lower case (e.g. {@code delivered}), in a stable order */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (PushOutcome o : PushOutcome.values()) {
            m.put(o.name().toLowerCase(java.util.Locale.ROOT), count(o));
        }
        m.put("sends", sends.sum());
        m.put("retries", retries.sum());
        m.put("circuitRejections", circuitRejections.sum());
        m.put("circuitOpenings", circuitOpenings.sum());
        m.put("inFlight", (long) inFlight.get());
        m.put("inFlightHighWater", (long) inFlightHighWater.get());
        return m;
    }
}
