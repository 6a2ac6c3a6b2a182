package io.verger.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.verger.api.EnrollmentId;
import io.verger.api.event.MdmEvents;
import io.verger.api.push.PushOutcome;
import io.verger.api.push.PushProvider;
import io.verger.api.push.PushResult;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.EnrollmentStore;

/**
 * Wakes enrollments through whatever {@link PushProvider} is installed, and applies what APNs answered: a token
 * APNs refused is marked invalid so it is not pushed again until the next TokenUpdate.
 */
@Component(service = PushDispatcher.class)
public class PushDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(PushDispatcher.class);
    static final long TIMEOUT_SECONDS = 30;

    /** One enrollment's outcome: empty error means delivered; {@code id} is APNs' id or a provider detail. */
    record Outcome(String pushId, String error) {
    }

    /** Thrown when no push provider is installed. */
    static final class NoPushProvider extends Exception {
        private static final long serialVersionUID = 1L;

        NoPushProvider() {
            super("no push module installed (a PushProvider service, e.g. the push-apns bundle)");
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushProvider provider;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EnrollmentStore enrollments;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MdmProtocol protocol;

    boolean available() {
        return provider != null;
    }

    /** Pushes to every id and waits (bounded) for the outcomes, one per id in the order given. */
    Map<EnrollmentId, Outcome> push(Collection<EnrollmentId> ids) throws NoPushProvider {
        PushProvider p = provider;
        if (p == null) {
            throw new NoPushProvider();
        }
        EnrollmentStore store = enrollments;
        if (store == null) {
            throw MdmException.unavailable("no EnrollmentStore installed (storage module missing)");
        }
        Map<EnrollmentId, Outcome> out = new LinkedHashMap<>();
        for (EnrollmentId id : ids) {
            out.put(id, new Outcome(null, "no push token: not enrolled, checked out, or its token was refused by APNs"));
        }
        List<PushTarget> targets = store.pushTargets(ids);
        if (targets.isEmpty()) {
            return out;
        }
        List<PushResult> results;
        try {
            results = p.push(targets).toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MdmException.unavailable("interrupted while pushing");
        } catch (ExecutionException | TimeoutException e) {
            for (PushTarget t : targets) {
                out.put(t.enrollmentId(), new Outcome(null, "push failed: " + e));
            }
            return out;
        }
        List<EnrollmentId> invalid = new ArrayList<>();
        for (PushResult r : results) {
            PushTarget t = r.target();
            if (r.outcome().tokenUnusable()) {
                if (store.invalidateToken(t.enrollmentId(), t.token())) {
                    invalid.add(t.enrollmentId());
                }
            }
            if (r.outcome() == PushOutcome.DELIVERED) {
                out.put(t.enrollmentId(), new Outcome(r.apnsId() == null ? "delivered" : r.apnsId(), null));
            } else {
                StringBuilder why = new StringBuilder(r.outcome().name());
                if (r.reason() != null) {
                    why.append(": ").append(r.reason());
                }
                if (r.detail() != null) {
                    why.append(" (").append(r.detail()).append(')');
                }
                out.put(t.enrollmentId(), new Outcome(null, why.toString()));
            }
        }
        MdmProtocol proto = protocol;
        for (EnrollmentId id : invalid) {
            LOG.info("APNs refused the push token of {}; not pushing it again until its next TokenUpdate", id.format());
            if (proto != null) {
                proto.events.post(MdmEvents.ENROLLMENT_TOKEN_INVALID, id, Instant.now(), Map.of());
            }
        }
        return out;
    }
}
