package io.verger.identity.internal;

import io.verger.api.storage.EnrollmentSecretStore;
import io.verger.api.storage.EnrollmentSecretStore.Kind;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Function;

/**
 * Who may enroll: one-time enrollment tokens and SCEP challenges (in the shared
 * {@link EnrollmentSecretStore}, so any node accepts what any node issued), the operator's static
 * secrets, and the SCEP transaction IDs seen (replay protection), plus the enrollment settings.
 */
@Component(service = EnrollmentSecrets.class, configurationPid = EnrollmentConfiguration.PID)
@Designate(ocd = EnrollmentConfiguration.class)
public class EnrollmentSecrets {

    static final String PRODUCT_NAME_PROPERTY = "verger.product.name";
    static final String PUBLIC_URL_PROPERTY = "verger.public.url";
    static final String ORGANIZATION_PROPERTY = "verger.organization.name";
    /** How long an answered SCEP transaction ID is remembered; a replay after that fails on its used challenge anyway. */
    static final Duration TRANSACTION_MEMORY = Duration.ofDays(30);
    /**
     * How often expired secrets are purged, at most. A purge on Derby reads the whole table (its planner does not use
     * the expiry index for the DELETE), so purging before every token made issuing tokens for a large fleet slower with
     * every enrollment the server had ever seen: ~80 % of the Derby time of a token batch after 12,000 enrollments.
     */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentSecrets.class);

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EnrollmentSecretStore store;

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private volatile EnrollmentConfiguration config;
    private volatile Function<String, String> frameworkProperties = k -> null;
    /** When expired secrets were last purged; null: not yet. */
    private final java.util.concurrent.atomic.AtomicReference<Instant> lastPurge = new java.util.concurrent.atomic.AtomicReference<>();

    public EnrollmentSecrets() {
        this.clock = Clock.systemUTC();
    }

    /** Construction without OSGi; call {@link #start} next. */
    EnrollmentSecrets(EnrollmentSecretStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Activate
    @Modified
    void activate(BundleContext context, EnrollmentConfiguration configuration) {
        start(configuration, context::getProperty);
    }

    void start(EnrollmentConfiguration configuration, Function<String, String> properties) {
        if (configuration.tokenTtlMinutes() < 1 || configuration.challengeTtlMinutes() < 1) {
            throw new IllegalArgumentException(EnrollmentConfiguration.PID + ": tokenTtlMinutes and challengeTtlMinutes must be at least 1, are "
                    + configuration.tokenTtlMinutes() + " and " + configuration.challengeTtlMinutes());
        }
        this.config = configuration;
        this.frameworkProperties = properties;
        LOG.info("enrollment: tokens valid {} min, SCEP challenges {} min{}{}{}", configuration.tokenTtlMinutes(),
                configuration.challengeTtlMinutes(), configuration._staticChallenge().isEmpty() ? "" : ", static SCEP challenge set",
                configuration._staticEnrollmentSecret().isEmpty() ? "" : ", static enrollment secret set",
                configuration.pkcs12Identity() ? ", PKCS#12 identities instead of SCEP" : "");
    }

    EnrollmentConfiguration config() {
        return Objects.requireNonNull(config, "enrollment settings not active");
    }

    String frameworkProperty(String name) {
        return frameworkProperties.apply(name);
    }

    String productName() {
        String configured = config().productName();
        if (!configured.isBlank()) {
            return configured;
        }
        String property = frameworkProperty(PRODUCT_NAME_PROPERTY);
        return property == null || property.isBlank() ? "Verger" : property;
    }

    /** @return the configured organization, else the framework property verger.organization.name (VERGER_ORGANIZATION), else the product name */
    String organizationName() {
        String configured = config().organizationName();
        if (!configured.isBlank()) {
            return configured;
        }
        String property = frameworkProperty(ORGANIZATION_PROPERTY);
        return property == null || property.isBlank() ? productName() : property;
    }

    /** A new one-time enrollment token. */
    Issued newToken() {
        purgeIfDue();
        return issue(Kind.ENROLLMENT_TOKEN, Duration.ofMinutes(config().tokenTtlMinutes()));
    }

    /** A new one-time SCEP challenge. */
    Issued newChallenge() {
        purgeIfDue();
        return issue(Kind.SCEP_CHALLENGE, Duration.ofMinutes(config().challengeTtlMinutes()));
    }

    /**
     * Removes expired tokens, challenges and transaction IDs, at most once per {@link #PURGE_INTERVAL} (on this node;
     * each node of a cluster purges on its own). An expired secret is refused whether purged or not; purging only
     * keeps the table small. A failed purge is logged and retried at the next issue after the interval.
     */
    void purgeIfDue() {
        Instant now = clock.instant();
        Instant last = lastPurge.get();
        if (last != null && now.isBefore(last.plus(PURGE_INTERVAL)) && !now.isBefore(last)) {
            return;
        }
        if (!lastPurge.compareAndSet(last, now)) {
            return; // another thread purges now
        }
        try {
            int purged = store().purgeExpired(now);
            if (purged > 0) {
                LOG.debug("purged {} expired enrollment secrets", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("purging expired enrollment secrets failed; retried in {} s", PURGE_INTERVAL.toSeconds(), e);
        }
    }

    /** @return {@code true} if the token is the static enrollment secret, or a one-time token now used up */
    boolean acceptToken(String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        return matchesStatic(config()._staticEnrollmentSecret(), token) || store().consume(Kind.ENROLLMENT_TOKEN, token, clock.instant());
    }

    /** @return {@code true} if the challenge is the static SCEP challenge, or a one-time challenge now used up */
    boolean acceptChallenge(String challenge) {
        if (challenge == null || challenge.isBlank()) {
            return false;
        }
        return matchesStatic(config()._staticChallenge(), challenge) || store().consume(Kind.SCEP_CHALLENGE, challenge, clock.instant());
    }

    /** @return {@code true} if the transaction ID was not seen before (it is now recorded); {@code false} for a replay */
    boolean firstUseOfTransaction(String transactionId) {
        return store().create(Kind.SCEP_TRANSACTION, transactionId, clock.instant().plus(TRANSACTION_MEMORY));
    }

    Instant now() {
        return clock.instant();
    }

    private Issued issue(Kind kind, Duration ttl) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = clock.instant().plus(ttl);
        if (!store().create(kind, secret, expiresAt)) {
            throw new IllegalStateException("a random 192-bit " + kind + " collided; the random source is broken");
        }
        return new Issued(secret, expiresAt);
    }

    private static boolean matchesStatic(String configured, String presented) {
        return !configured.isEmpty() && MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private EnrollmentSecretStore store() {
        EnrollmentSecretStore current = store;
        if (current == null) {
            throw new IllegalStateException("no EnrollmentSecretStore service (storage module missing)");
        }
        return current;
    }

    /** A secret handed out, with its expiry. */
    record Issued(String secret, Instant expiresAt) {
    }
}
