package io.verger.push.apns.internal;

import io.verger.api.push.PushResult;
import io.verger.api.push.PushTarget;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/** The targets of one {@code push} call and their results, in the caller's order. */
final class PushBatch {

    final List<PushTarget> targets;
    final CompletableFuture<List<PushResult>> future = new CompletableFuture<>();
    private final PushResult[] results;
    private final AtomicInteger remaining;
    private final Executor completion;
    /** The next target to send; read and written by the dispatcher thread only. */
    int next;

    PushBatch(List<PushTarget> targets, Executor completion) {
        this.targets = targets;
        this.results = new PushResult[targets.size()];
        this.remaining = new AtomicInteger(targets.size());
        this.completion = completion;
    }

    boolean hasNext() {
        return next < targets.size();
    }

    void complete(int index, PushResult result) {
        results[index] = result;
        if (remaining.decrementAndGet() == 0) {
            List<PushResult> all = List.of(Arrays.copyOf(results, results.length));
            // Off the Netty threads: the caller's dependent stages may do real work.
            try {
                completion.execute(() -> future.complete(all));
            } catch (RejectedExecutionException e) {
                future.complete(all);
            }
        }
    }

    /** Gives every target not yet sent a FAILED result. Dispatcher thread (or after it stopped) only. */
    void failUnsent(String detail) {
        while (hasNext()) {
            int i = next++;
            complete(i, PushResult.failed(targets.get(i), detail));
        }
    }
}
