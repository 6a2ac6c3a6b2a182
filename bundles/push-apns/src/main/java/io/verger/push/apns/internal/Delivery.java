package io.verger.push.apns.internal;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.verger.api.push.PushOutcome;
import io.verger.api.push.PushResult;
import io.verger.api.push.PushTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One target of a batch, from its first send to its one result: sends, maps APNs' answer, retries 429,
 * 5xx and connection failures with exponential backoff and jitter, and gives back its in-flight permit
 * with the result.
 */
final class Delivery {

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final PushEngine engine;
    private final PushBatch batch;
    private final int index;
    private final PushTarget target;
    private final InFlightLimit limit;
    private final SimpleApnsPushNotification notification;
    private final AtomicBoolean done = new AtomicBoolean();
    private int attempts;
    /** The client whose certificate APNs refused (403); a retry goes out only with another one. */
    private ClientHandle refusedBy;
    private String refusal;

    Delivery(PushEngine engine, PushBatch batch, int index, InFlightLimit limit, ApnsSettings settings) {
        this.engine = engine;
        this.batch = batch;
        this.index = index;
        this.target = batch.targets.get(index);
        this.limit = limit;
        Instant expiration = settings.expiration().isZero() ? Instant.EPOCH : Instant.now().plus(settings.expiration());
        this.notification = new SimpleApnsPushNotification(target.tokenHex(), target.topic(), MdmPayload.of(target.pushMagic()),
                expiration, DeliveryPriority.IMMEDIATE, PushType.MDM);
    }

    void send() {
        try {
            trySend();
        } catch (RuntimeException e) {
            LOG.warn("Push to {} failed unexpectedly", target, e);
            finish(PushResult.failed(target, "push to topic " + target.topic() + " failed unexpectedly: " + e));
        }
    }

    private void trySend() {
        if (done.get()) {
            return;
        }
        if (!engine.running()) {
            finish(PushResult.failed(target, "push provider stopped before the push to topic " + target.topic() + " was sent"));
            return;
        }
        TopicClients topics = engine.topics();
        TopicChannel channel = topics.channel(target.topic());
        long now = System.nanoTime();
        String open = channel.breaker.rejection(now);
        if (open != null) {
            engine.metrics.circuitRejections.increment();
            finish(PushResult.failed(target, open + " [topic " + target.topic() + ", server " + topics.settings.server() + "]"));
            return;
        }
        TopicChannel.Lease lease;
        try {
            lease = channel.lease(now);
        } catch (PushUnavailableException e) {
            if (topics != engine.topics() && engine.running()) {
                trySend(); // the configuration changed meanwhile: try the new one
                return;
            }
            finish(PushResult.failed(target, e.getMessage()));
            return;
        }
        ClientHandle handle = lease.handle();
        if (handle == refusedBy) {
            handle.release();
            finish(new PushResult(target, PushOutcome.FAILED, null, null, refusal));
            return;
        }
        attempts++;
        engine.metrics.sends.increment();
        try {
            handle.client.sendNotification(notification).whenComplete((response, error) -> {
                handle.release();
                answered(topics.settings, channel, handle, response, error);
            });
        } catch (RuntimeException e) {
            handle.release();
            answered(topics.settings, channel, handle, null, e);
        }
    }

    private void answered(ApnsSettings settings, TopicChannel channel, ClientHandle handle,
            PushNotificationResponse<SimpleApnsPushNotification> response, Throwable error) {
        try {
            if (error != null) {
                failedToSend(settings, channel, unwrap(error));
            } else if (response.isAccepted()) {
                channel.breaker.success();
                finish(PushResult.delivered(target, response.getApnsId() == null ? null : response.getApnsId().toString()));
            } else {
                rejected(settings, channel, handle, response);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot handle APNs' answer for {}", target, e);
            finish(PushResult.failed(target, "cannot handle APNs' answer for topic " + target.topic() + ": " + e));
        }
    }

    private void failedToSend(ApnsSettings settings, TopicChannel channel, Throwable cause) {
        String what = "cannot send to APNs at " + settings.server() + ": " + describe(cause);
        if (hasCause(cause, SSLException.class)) {
            // a TLS failure may be a revoked or expired certificate: look for a renewed one
            channel.recheckCertificate();
        }
        countFailure(channel, what);
        retryOrFinish(PushOutcome.FAILED, null, null, what);
    }

    private void rejected(ApnsSettings settings, TopicChannel channel, ClientHandle handle,
            PushNotificationResponse<SimpleApnsPushNotification> response) {
        int status = response.getStatusCode();
        String reason = response.getRejectionReason().orElse(null);
        String apnsId = response.getApnsId() == null ? null : response.getApnsId().toString();
        String answer = status + (reason == null ? "" : " " + reason);
        if (status == 410) {
            channel.breaker.success();
            String since = response.getTokenInvalidationTimestamp().map(t -> " since " + t).orElse("");
            finish(new PushResult(target, PushOutcome.UNREGISTERED, apnsId, reason,
                    "APNs: the device token is no longer active for topic " + target.topic() + since + " (" + answer + ")"));
        } else if (status == 400 && ("BadDeviceToken".equals(reason) || "DeviceTokenNotForTopic".equals(reason))) {
            channel.breaker.success();
            finish(new PushResult(target, PushOutcome.BAD_TOKEN, apnsId, reason,
                    "APNs rejected the device token for topic " + target.topic() + " (" + answer + ")"));
        } else if (status == 429) {
            channel.breaker.success();
            retryOrFinish(PushOutcome.THROTTLED, apnsId, reason, "APNs kept throttling pushes to this device token (" + answer + ")");
        } else if (status >= 500) {
            String what = "APNs at " + settings.server() + " answered " + answer;
            countFailure(channel, what);
            retryOrFinish(PushOutcome.FAILED, apnsId, reason, what);
        } else if (status == 403) {
            channel.breaker.success();
            channel.recheckCertificate();
            refusedBy = handle;
            refusal = "APNs refused the push certificate of topic " + target.topic() + " (" + answer
                    + "); is it revoked, expired or for the other environment (production/sandbox)?";
            // a retry goes out only if the store now holds another certificate (see trySend)
            retryOrFinish(PushOutcome.FAILED, apnsId, reason, refusal, 0);
        } else {
            channel.breaker.success();
            finish(new PushResult(target, PushOutcome.FAILED, apnsId, reason,
                    "APNs rejected the push to topic " + target.topic() + " (" + answer + ")"));
        }
    }

    private void countFailure(TopicChannel channel, String what) {
        if (channel.breaker.failure(System.nanoTime(), what)) {
            engine.metrics.circuitOpenings.increment();
            LOG.warn("APNs circuit for topic {} opened: {}", channel.topic, what);
        }
    }

    private void retryOrFinish(PushOutcome outcome, String apnsId, String reason, String detail) {
        retryOrFinish(outcome, apnsId, reason, detail, -1);
    }

    private void retryOrFinish(PushOutcome outcome, String apnsId, String reason, String detail, long delayMillis) {
        ApnsSettings settings = engine.topics().settings;
        if (attempts >= settings.maxAttempts() || !engine.running()) {
            finish(new PushResult(target, outcome, apnsId, reason,
                    detail + "; gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts")));
            return;
        }
        engine.metrics.retries.increment();
        long delay = delayMillis >= 0 ? delayMillis : backoffMillis(attempts, settings);
        if (!engine.schedule(this::send, delay)) {
            finish(new PushResult(target, outcome, apnsId, reason, detail + "; push provider stopped before a retry"));
        }
    }

    /** Exponential backoff with jitter: half of {@code initial * 2^(n-1)} (capped) plus a random part up to that half. */
    static long backoffMillis(int attemptsMade, ApnsSettings settings) {
        long initial = settings.retryInitial().toMillis();
        long max = settings.retryMax().toMillis();
        long base = attemptsMade >= 31 ? max : Math.min(max, initial << (attemptsMade - 1));
        long half = Math.max(1, base / 2);
        return half + ThreadLocalRandom.current().nextLong(half + 1);
    }

    void abort(String detail) {
        finish(PushResult.failed(target, detail + " (topic " + target.topic() + ")"));
    }

    /** Ends this delivery with {@code result}, once; later calls (a late answer after a stop) do nothing. */
    void finish(PushResult result) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        engine.finished(this);
        limit.release();
        engine.metrics.outcome(result.outcome());
        if (result.outcome() != PushOutcome.DELIVERED && LOG.isDebugEnabled()) {
            LOG.debug("Push to {}: {} {}", target, result.outcome(), result.detail());
        }
        batch.complete(index, result);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : " " + msg);
    }
}
