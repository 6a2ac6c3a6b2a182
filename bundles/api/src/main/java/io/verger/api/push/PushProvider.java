package io.verger.api.push;

import org.osgi.annotation.versioning.ConsumerType;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sends MDM wake-up pushes: for each target, an APNs notification of push type {@code mdm} with the
 * payload {@code {"mdm":"<PushMagic>"}} to the device token, on the topic's push certificate.
 *
 * <p>The server has one active provider; it is replaced at runtime like any other service.
 * Thread-safety: {@link #push} is called from many threads at once and must be thread-safe.
 */
// Consumer type: a vendor may swap the provider (e.g. a push relay) and only the core calls it; we
// keep the interface stable for such implementations, any change to it is a major version.
@ConsumerType
public interface PushProvider {

    /**
     * Pushes to every target, asynchronously and in bulk.
     *
     * <p>The method must return at once, without waiting for the network: connections, sending and
     * retries happen on the provider's own threads. The provider sends each target with the push
     * certificate of the target's topic, reusing one long-lived HTTP/2 connection per topic, and
     * picks up a replaced certificate without a restart. It retries {@code 429} and {@code 5xx}
     * answers with backoff for a bounded time before it reports {@link PushOutcome#THROTTLED} or
     * {@link PushOutcome#FAILED}.
     *
     * <p>The returned stage completes with exactly one {@link PushResult} per target, in the
     * iteration order of {@code targets} (a target given twice gets two results). It never completes
     * exceptionally: a failure that hits every target (no certificate for a topic, APNs unreachable)
     * gives each target {@link PushOutcome#FAILED} with a detail that says so. It completes on a
     * provider thread: a caller must not block in dependent stages.
     *
     * @param targets the targets; may be empty (the stage then completes at once with an empty list)
     * @return the results, one per target
     * @throws NullPointerException if {@code targets} or one of its elements is {@code null}
     */
    CompletionStage<List<PushResult>> push(Collection<PushTarget> targets);
}
