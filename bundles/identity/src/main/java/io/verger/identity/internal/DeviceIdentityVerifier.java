package io.verger.identity.internal;

import io.verger.api.EnrollmentId;
import io.verger.api.identity.CertificateAuthority;
import io.verger.api.identity.CertificateFingerprint;
import io.verger.api.identity.IdentitySource;
import io.verger.api.identity.IdentityVerificationException;
import io.verger.api.identity.IdentityVerificationException.Reason;
import io.verger.api.identity.IdentityVerifier;
import io.verger.api.identity.VerifiedIdentity;
import io.verger.api.storage.CertAuthStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Verifies device identities and holds each certificate to its enrollment (cert-auth).
 *
 * <p>Trusted issuers: the issuing certificate of the {@link CertificateAuthority} (not its root, so
 * a CA under a corporate root does not make every certificate of that root a device identity), and
 * the CA certificates of the PEM files in {@code trustedCas}.
 *
 * <p>Both references are mandatory, dynamic and greedy: without a cert-auth store no binding can be
 * checked, so the verifier must not exist (the transport then answers 503 rather than letting a
 * device act unchecked); with one, a storage or CA bundle replaced at runtime is swapped in without
 * deactivating the verifier or failing requests in flight.
 *
 * <p>Renewed identities: a new identity from re-enrollment (a new profile, a new SCEP PKCSReq) is bound
 * by the device's next Authenticate ({@link #bind}). A SCEP renewal signed with the device's current,
 * still valid identity is bound by the SCEP server to that identity's enrollment as soon as it is
 * issued (possession of the old key proves it is the same device), so the device may use it at once
 * without an Authenticate; the old binding is kept until the old certificate expires.
 */
@Component(service = IdentityVerifier.class, configurationPid = IdentityConfiguration.PID)
public class DeviceIdentityVerifier implements IdentityVerifier {

    static final String TRUSTED_CAS_PROPERTY = "verger.trusted.cas";
    static final String TRUSTED_PROXIES_PROPERTY = "verger.trusted.proxies";

    private static final Logger LOG = LoggerFactory.getLogger(DeviceIdentityVerifier.class);

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile CertificateAuthority certificateAuthority;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile CertAuthStore certAuthStore;

    private final Provider provider = BouncyCastle.PROVIDER;
    private final Clock clock;
    private volatile List<X509Certificate> configuredCas = List.of();
    private volatile TrustedProxies trustedProxies = TrustedProxies.parse("");
    private volatile boolean allowSharedIdentity;
    private volatile boolean allowRetroactiveBinding;

    public DeviceIdentityVerifier() {
        this.clock = Clock.systemUTC();
    }

    /** Construction without OSGi; call {@link #start} next. */
    DeviceIdentityVerifier(CertificateAuthority certificateAuthority, CertAuthStore certAuthStore, Clock clock) {
        this.certificateAuthority = certificateAuthority;
        this.certAuthStore = certAuthStore;
        this.clock = clock;
    }

    @Activate
    void activate(BundleContext context, IdentityConfiguration config) {
        start(config, context::getProperty);
    }

    /** Activation without OSGi: {@code frameworkProperties} answers framework property names. */
    void start(IdentityConfiguration config, Function<String, String> frameworkProperties) {
        String cas = config.trustedCas().isBlank() ? frameworkProperties.apply(TRUSTED_CAS_PROPERTY) : config.trustedCas();
        String proxies = config.trustedProxies().isBlank() ? frameworkProperties.apply(TRUSTED_PROXIES_PROPERTY) : config.trustedProxies();
        // a bad entry only narrows whom we trust: log it and keep the others working
        trustedProxies = TrustedProxies.parse(proxies, e -> LOG.error("trustedProxies: ignoring an entry: {}", e.getMessage()));
        configuredCas = loadTrustedCas(cas);
        allowSharedIdentity = config.allowSharedIdentity();
        allowRetroactiveBinding = config.allowRetroactiveBinding();
        bindings.clear(); // entries cached without expiry while shared identities were off must not outlive that setting
        LOG.info("identity verifier active: {} additional trusted CA(s), Client-Cert header {}{}{}", configuredCas.size(),
                trustedProxies.isEmpty() ? "refused (no trusted proxy)" : "accepted from " + trustedProxies,
                allowSharedIdentity ? ", shared identities allowed" : "", allowRetroactiveBinding ? ", retroactive binding allowed" : "");
    }

    /** A file that cannot be read is logged and skipped: the other issuers keep working. */
    static List<X509Certificate> loadTrustedCas(String paths) {
        List<X509Certificate> cas = new ArrayList<>();
        if (paths == null) {
            return cas;
        }
        for (String entry : paths.split(",")) {
            String path = entry.strip();
            if (path.isEmpty()) {
                continue;
            }
            try {
                List<X509Certificate> certificates = Pem.readCertificates(Path.of(path));
                int before = cas.size();
                for (X509Certificate certificate : certificates) {
                    if (certificate.getBasicConstraints() < 0 && certificate.getVersion() >= 3) {
                        LOG.warn("trusted CA file {}: skipping {}, which is not a CA certificate", path, certificate.getSubjectX500Principal());
                    } else {
                        cas.add(certificate);
                    }
                }
                if (cas.size() == before) {
                    LOG.error("trusted CA file {} holds no CA certificate; identities it should vouch for will be refused", path);
                } else {
                    LOG.info("trusted CA file {}: {} CA certificate(s)", path, cas.size() - before);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot read trusted CA file {}; identities it should vouch for will be refused: {}", path, e.getMessage());
            }
        }
        return List.copyOf(cas);
    }

    /** @return the trusted issuers now: the device CA's issuing certificate, then the configured CAs */
    List<X509Certificate> trustedIssuers() {
        List<X509Certificate> issuers = new ArrayList<>();
        CertificateAuthority ca = certificateAuthority;
        if (ca != null) {
            List<X509Certificate> chain = ca.certificateChain();
            if (!chain.isEmpty()) {
                issuers.add(chain.get(0));
            }
        }
        issuers.addAll(configuredCas);
        return issuers;
    }

    @Override
    public VerifiedIdentity verify(List<X509Certificate> chain, IdentitySource source) throws IdentityVerificationException {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(source, "source");
        if (source == IdentitySource.MDM_SIGNATURE) {
            throw new IllegalArgumentException("an Mdm-Signature is verified with verifyMdmSignature, which checks it over the body");
        }
        if (source == IdentitySource.CLIENT_CERT_HEADER && trustedProxies.isEmpty()) {
            throw new IdentityVerificationException(Reason.UNTRUSTED, "a Client-Cert header identity was presented, but no trusted proxy "
                    + "is configured (trustedProxies / verger.trusted.proxies), so the header is never accepted");
        }
        if (chain.stream().anyMatch(Objects::isNull)) {
            throw new IdentityVerificationException(Reason.MALFORMED, "the presented certificate chain contains a null entry");
        }
        return verified(chain, source);
    }

    /**
     * Verifies an identity from the RFC 9440 headers of a TLS-terminating proxy, accepted only from a
     * trusted proxy address. (Proposed for {@link IdentityVerifier} 1.1.)
     *
     * @param clientCert      the {@code Client-Cert} header value, or null if absent
     * @param clientCertChain the {@code Client-Cert-Chain} header values, one per header line; empty if absent
     * @param remoteAddress   the IP address of the peer that sent the request, as {@code getRemoteAddr()} gives it
     * @throws IdentityVerificationException UNTRUSTED if the peer is not a trusted proxy, MISSING without
     *                                       {@code Client-Cert}, MALFORMED if a header is not RFC 9440,
     *                                       else as {@link #verify}
     */
    @Override
    public VerifiedIdentity verifyClientCertHeader(String clientCert, List<String> clientCertChain, String remoteAddress)
            throws IdentityVerificationException {
        Objects.requireNonNull(clientCertChain, "clientCertChain");
        TrustedProxies proxies = trustedProxies;
        if (!proxies.contains(remoteAddress)) {
            throw new IdentityVerificationException(Reason.UNTRUSTED, "a " + ClientCertHeader.CLIENT_CERT + " header came from " + remoteAddress
                    + ", which is not a trusted proxy " + proxies);
        }
        return verified(ClientCertHeader.parse(clientCert, clientCertChain), IdentitySource.CLIENT_CERT_HEADER);
    }

    @Override
    public VerifiedIdentity verifyMdmSignature(byte[] signature, byte[] body) throws IdentityVerificationException {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(body, "body");
        return verified(MdmSignature.verify(signature, body), IdentitySource.MDM_SIGNATURE);
    }

    /**
     * Chains that passed path validation recently: a device presents the same identity on every request, and PKIX
     * path building is costly. An entry holds for {@link #VALIDATION_CACHE_SECONDS} at most, never past the
     * certificate's expiry, and only for the same set of trusted issuers; the cache is bounded.
     */
    private final java.util.concurrent.ConcurrentHashMap<ValidatedKey, Long> validated = new java.util.concurrent.ConcurrentHashMap<>();
    static final long VALIDATION_CACHE_SECONDS = 300;
    static final int VALIDATION_CACHE_LIMIT = 100_000;

    private record ValidatedKey(List<X509Certificate> chain, List<X509Certificate> issuers) {
    }

    private void validate(List<X509Certificate> chain) throws IdentityVerificationException {
        List<X509Certificate> issuers = trustedIssuers();
        long now = clock.millis();
        ValidatedKey key = new ValidatedKey(List.copyOf(chain), issuers);
        Long until = validated.get(key);
        if (until != null && now < until) {
            return;
        }
        IdentityChainValidator.validate(chain, issuers, clock.instant());
        if (validated.size() >= VALIDATION_CACHE_LIMIT) {
            validated.clear();
        }
        validated.put(key, Math.min(now + VALIDATION_CACHE_SECONDS * 1000, chain.get(0).getNotAfter().getTime()));
    }

    /**
     * Recent answers of {@link CertAuthStore#enrollmentOf}: a device presents the same certificate on every request, and
     * the lookup was a sixth of an idle request's cost. Bindings are only ever added, so a cached binding can only be
     * outdated by the same certificate being bound to another enrollment as well, which only shared identities allow;
     * this node forgets the entry when it binds, other nodes of a cluster within {@link #BINDING_CACHE_MILLIS}. Without
     * shared identities a certificate's binding never changes, so the entry is kept until the bound pushes it out (a
     * device that checks in every few hours found it expired each time, and so did every device of a drain benchmark).
     * Unbound certificates are not cached. Bounded.
     */
    private final java.util.concurrent.ConcurrentHashMap<CertificateFingerprint, CachedBinding> bindings = new java.util.concurrent.ConcurrentHashMap<>();
    static final long BINDING_CACHE_MILLIS = 30_000;
    static final int BINDING_CACHE_LIMIT = 100_000;

    private record CachedBinding(EnrollmentId enrollment, long until) {
    }

    /**
     * Fingerprints of identity certificates: a device presents the same certificate (the same decoded instance, see
     * {@link MdmSignature}) with every request; hashing and hex-encoding it each time was 4 % of a request. An
     * {@code X509Certificate} caches its hash code and compares by its encoding. Bounded like the binding cache.
     */
    private final java.util.concurrent.ConcurrentHashMap<X509Certificate, CertificateFingerprint> fingerprints =
            new java.util.concurrent.ConcurrentHashMap<>();

    private CertificateFingerprint fingerprintOf(X509Certificate certificate) {
        CertificateFingerprint fingerprint = fingerprints.get(certificate);
        if (fingerprint == null) {
            fingerprint = CertificateFingerprint.of(certificate);
            if (fingerprints.size() >= BINDING_CACHE_LIMIT) {
                fingerprints.clear();
            }
            fingerprints.put(certificate, fingerprint);
        }
        return fingerprint;
    }

    private VerifiedIdentity verified(List<X509Certificate> chain, IdentitySource source) throws IdentityVerificationException {
        validate(chain);
        CertificateFingerprint fingerprint = fingerprintOf(chain.get(0));
        long now = clock.millis();
        CachedBinding cached = bindings.get(fingerprint);
        EnrollmentId boundTo;
        if (cached != null && now < cached.until()) {
            boundTo = cached.enrollment();
        } else {
            boundTo = store().enrollmentOf(fingerprint).map(EnrollmentId::deviceChannel).orElse(null);
            if (boundTo != null) {
                if (bindings.size() >= BINDING_CACHE_LIMIT) {
                    bindings.clear();
                }
                bindings.put(fingerprint, new CachedBinding(boundTo, allowSharedIdentity ? now + BINDING_CACHE_MILLIS : Long.MAX_VALUE));
            } else if (cached != null) {
                bindings.remove(fingerprint, cached);
            }
        }
        return new VerifiedIdentity(chain, source, boundTo);
    }

    @Override
    public void bind(VerifiedIdentity identity, EnrollmentId enrollmentId) throws IdentityVerificationException {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        if (enrollmentId.isUserChannel()) {
            throw new IllegalArgumentException("identities are bound at the device channel's Authenticate, not to user channel " + enrollmentId);
        }
        CertAuthStore store = store();
        CertificateFingerprint fingerprint = identity.fingerprint();
        // identity.boundTo() was looked up moments ago, and bindings are never removed: bound to this enrollment then
        // means bound now. Unbound then (never cached): one fresh lookup answers both "bound here meanwhile?" and
        // "bound elsewhere?". Bound elsewhere (or to several enrollments, shared identities): ask about this pair.
        EnrollmentId known = identity.boundTo();
        boolean bound = enrollmentId.equals(known) || known != null && store.isBound(enrollmentId, fingerprint);
        Optional<EnrollmentId> other = bound ? Optional.empty() : store.enrollmentOf(fingerprint);
        if (bound || other.isPresent() && other.get().equals(enrollmentId)) {
            LOG.debug("enrollment {} authenticated again with its certificate {}", enrollmentId, fingerprint);
            return;
        }
        if (other.isPresent()) {
            if (!allowSharedIdentity) {
                LOG.warn("cert-auth: refused Authenticate of {} with certificate {} {}: it is bound to enrollment {}",
                        enrollmentId, fingerprint, identity.certificate().getSubjectX500Principal(), other.get());
                throw new IdentityVerificationException(Reason.BOUND_ELSEWHERE, "certificate " + IdentityChainValidator.describe(identity.certificate())
                        + " is bound to enrollment " + other.get() + " and may not enroll " + enrollmentId);
            }
            LOG.info("cert-auth: certificate {} bound to {} is also bound to {} (shared identities allowed)", fingerprint, other.get(), enrollmentId);
        }
        boolean rebinding = store.hasBinding(enrollmentId);
        store.bind(enrollmentId, fingerprint);
        bindings.remove(fingerprint);
        LOG.info("cert-auth: {} enrollment {} to certificate {} {}", rebinding ? "re-bound" : "bound", enrollmentId, fingerprint,
                identity.certificate().getSubjectX500Principal());
    }

    @Override
    public void checkBinding(VerifiedIdentity identity, EnrollmentId enrollmentId) throws IdentityVerificationException {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        CertAuthStore store = store();
        EnrollmentId device = enrollmentId.deviceChannel();
        if (device.equals(identity.boundTo())) {
            // looked up when the identity was verified, moments ago: the common case costs no second query
            return;
        }
        CertificateFingerprint fingerprint = identity.fingerprint();
        if (store.isBound(device, fingerprint)) {
            return;
        }
        Optional<EnrollmentId> other = store.enrollmentOf(fingerprint);
        if (other.isPresent()) {
            LOG.warn("cert-auth: refused request for {} with certificate {} {}: it is bound to enrollment {}",
                    enrollmentId, fingerprint, identity.certificate().getSubjectX500Principal(), other.get());
            throw new IdentityVerificationException(Reason.BOUND_ELSEWHERE, "certificate " + IdentityChainValidator.describe(identity.certificate())
                    + " is bound to enrollment " + other.get() + ", not to " + device);
        }
        if (store.hasBinding(device)) {
            // A new identity for an enrollment that has one arrives with an Authenticate (re-enrollment, or
            // the enrollment profile reinstalled to renew it); outside of it, it is another device's certificate.
            LOG.warn("cert-auth: refused request for {} with certificate {} {}: the enrollment is bound to another certificate",
                    enrollmentId, fingerprint, identity.certificate().getSubjectX500Principal());
            throw new IdentityVerificationException(Reason.NOT_BOUND, "enrollment " + device + " is bound to another certificate than "
                    + IdentityChainValidator.describe(identity.certificate()) + "; a new identity must be presented with an Authenticate");
        }
        if (!allowRetroactiveBinding) {
            LOG.warn("cert-auth: refused request for {} with certificate {}: the enrollment has no certificate bound and must Authenticate first",
                    enrollmentId, fingerprint);
            throw new IdentityVerificationException(Reason.NOT_BOUND, "enrollment " + device + " has no certificate bound; certificate "
                    + IdentityChainValidator.describe(identity.certificate()) + " may act for it only after an Authenticate");
        }
        store.bind(device, fingerprint);
        bindings.remove(fingerprint);
        LOG.info("cert-auth: bound enrollment {} retroactively to certificate {} {}", device, fingerprint,
                identity.certificate().getSubjectX500Principal());
    }

    private CertAuthStore store() {
        CertAuthStore store = certAuthStore;
        if (store == null) {
            throw new IllegalStateException("no CertAuthStore service: cert-auth cannot be checked");
        }
        return store;
    }
}
