package io.verger.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.EnrollmentFilter;

/**
 * Re-pushes enrollments that have pending commands (NotNow'd ones included) but have not connected for a while:
 * a lost or ignored push must not leave a command waiting forever. Runs every {@code intervalSeconds} with a
 * little jitter so that several nodes do not sweep at the same instant.
 */
@Component(configurationPid = PushSweep.PID, immediate = true)
@Designate(ocd = PushSweep.Config.class)
public final class PushSweep {

    static final String PID = "io.verger.push.sweep";
    private static final Logger LOG = LoggerFactory.getLogger(PushSweep.class);
    static final int PAGE = 1000;

    @ObjectClassDefinition(name = "Verger push sweep", description = "Re-push enrollments that have pending commands but have not connected")
    @interface Config {
        @AttributeDefinition(description = "Seconds between sweeps; 0 turns the sweep off")
        int intervalSeconds() default 300;

        @AttributeDefinition(description = "Re-push an enrollment with pending commands that has not connected for this many seconds")
        int repushAfterSeconds() default 900;

        @AttributeDefinition(description = "Most enrollments pushed per sweep")
        int maxPerSweep() default 50_000;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushDispatcher push;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MdmProtocol protocol;

    private ScheduledExecutorService scheduler;
    private volatile Config config;

    @Activate
    @Modified
    synchronized void configure(Config config) {
        this.config = config;
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (config.intervalSeconds() <= 0) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verger-push-sweep");
            t.setDaemon(true);
            return t;
        });
        long period = config.intervalSeconds() * 1000L;
        long first = period / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, period / 2));
        scheduler.scheduleWithFixedDelay(this::sweepSafely, first, period, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    synchronized void deactivate() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void sweepSafely() {
        try {
            int n = sweep(Instant.now());
            if (n > 0) {
                LOG.info("Push sweep re-pushed {} enrollment(s) with pending commands", n);
            }
        } catch (PushDispatcher.NoPushProvider e) {
            LOG.debug("Push sweep skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Push sweep failed: {}", e.toString());
        }
    }

    /** One sweep; returns how many enrollments were pushed. */
    int sweep(Instant now) throws PushDispatcher.NoPushProvider {
        PushDispatcher p = push;
        MdmProtocol proto = protocol;
        Config c = config;
        if (p == null || !p.available() || proto == null || c == null) {
            return 0;
        }
        EnrollmentFilter stale = EnrollmentFilter.ALL.withEnabled(true).withSeenBefore(now.minus(Duration.ofSeconds(c.repushAfterSeconds())));
        List<EnrollmentId> due = new ArrayList<>();
        EnrollmentId after = null;
        while (due.size() < c.maxPerSweep()) {
            List<Enrollment> page = proto.enrollments().list(stale, after, PAGE);
            for (Enrollment e : page) {
                if (!proto.queue().pending(e.id(), now).isEmpty()) {
                    due.add(e.id());
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        for (int i = 0; i < due.size(); i += PAGE) {
            p.push(due.subList(i, Math.min(due.size(), i + PAGE)));
        }
        return due.size();
    }
}
