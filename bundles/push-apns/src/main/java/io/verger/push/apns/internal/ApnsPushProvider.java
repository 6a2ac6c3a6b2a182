package io.verger.push.apns.internal;

import io.verger.api.push.PushProvider;
import io.verger.api.push.PushResult;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.PushCertStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The {@link PushProvider} over Pushy: HTTP/2 to APNs with each topic's MDM push certificate, read from
 * the {@link PushCertStore} and replaced at runtime when the store holds a new one.
 *
 * <p>The certificate store is an optional, dynamic reference: without it the provider stays registered
 * (the server's push module is there) and keeps sending with the certificates it already read; a topic
 * it has never read fails with a detail that names the missing store.
 */
@Component(service = PushProvider.class, configurationPid = ApnsPushProvider.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ApnsPushProvider.Config.class)
public final class ApnsPushProvider implements PushProvider {

    static final String PID = "io.verger.push.apns";

    private static final Logger LOG = LoggerFactory.getLogger(ApnsPushProvider.class);

    @ObjectClassDefinition(name = "Verger APNs push",
            description = "Sends MDM wake-up pushes to APNs over HTTP/2 with the push certificate of each topic.")
    @interface Config {

        @AttributeDefinition(description = "APNs host: api.push.apple.com (production), api.sandbox.push.apple.com, or a relay")
        String host() default ApnsSettings.PRODUCTION_HOST;

        @AttributeDefinition(description = "Use the APNs sandbox (api.sandbox.push.apple.com) when host is left at production")
        boolean sandbox() default false;

        @AttributeDefinition(description = "APNs port: 443, or 2197")
        int port() default 443;

        @AttributeDefinition(required = false,
                description = "PEM file of CA certificates to trust instead of the JDK's: for a non-Apple APNs server (tests, private relays)")
        String trustedServerCa() default "";

        @AttributeDefinition(description = "Notifications in flight at most (waiting retries included); more wait for a free slot")
        int concurrency() default 1000;

        @AttributeDefinition(description = "Seconds APNs keeps a push for an offline device (apns-expiration); 0: try once only")
        long expirationSeconds() default 86_400;

        @AttributeDefinition(description = "Sends per notification at most, for 429, 5xx and connection failures")
        int maxAttempts() default 5;

        @AttributeDefinition(description = "Backoff before the first retry, in milliseconds; doubles with each retry, with jitter")
        long retryInitialMillis() default 500;

        @AttributeDefinition(description = "Longest backoff between retries, in milliseconds")
        long retryMaxMillis() default 30_000;

        @AttributeDefinition(description = "Consecutive failures (5xx, connection or TLS errors) that open a topic's circuit")
        int circuitFailureThreshold() default 50;

        @AttributeDefinition(description = "Failures further apart than this many milliseconds do not count as consecutive")
        long circuitWindowMillis() default 60_000;

        @AttributeDefinition(description = "Milliseconds an open circuit fails pushes fast before it tries APNs again")
        long circuitOpenMillis() default 30_000;

        @AttributeDefinition(description = "At most how often (milliseconds) the certificate store is asked whether a topic's certificate changed")
        long certificateCheckMillis() default 1_000;

        @AttributeDefinition(description = "HTTP/2 connections per topic")
        int connectionsPerTopic() default 1;

        @AttributeDefinition(description = "Connect (TCP and TLS) timeout in milliseconds")
        long connectTimeoutMillis() default 10_000;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushCertStore certStore;

    private final PushEngine engine;

    @Activate
    public ApnsPushProvider(Config config) {
        ApnsSettings settings = ApnsSettings.from(config);
        this.engine = new PushEngine(settings, () -> certStore);
        LOG.info("APNs push provider started: server {}, at most {} notifications in flight", settings.server(),
                settings.concurrency());
    }

    /** Test and embedding constructor: a fixed certificate store instead of the service reference. */
    ApnsPushProvider(Config config, PushCertStore store) {
        this.certStore = store;
        this.engine = new PushEngine(ApnsSettings.from(config), () -> certStore);
    }

    @Modified
    void modified(Config config) {
        ApnsSettings settings;
        try {
            settings = ApnsSettings.from(config);
        } catch (IllegalArgumentException e) {
            // keep pushing with the last good configuration rather than stopping all pushes
            LOG.error("{}; keeping the previous APNs configuration", e.getMessage());
            return;
        }
        engine.reconfigure(settings);
    }

    @Deactivate
    void deactivate() {
        engine.stop();
    }

    @Override
    public CompletionStage<List<PushResult>> push(Collection<PushTarget> targets) {
        return engine.push(targets);
    }

    /**
     * @return the counters since activation: one per outcome ({@code delivered}, {@code unregistered},
     *         {@code bad_token}, {@code throttled}, {@code failed}), {@code sends}, {@code retries},
     *         {@code circuitRejections}, {@code circuitOpenings}, {@code inFlight}, {@code inFlightHighWater}
     */
    public Map<String, Long> metrics() {
        return engine.metrics.snapshot();
    }
}
