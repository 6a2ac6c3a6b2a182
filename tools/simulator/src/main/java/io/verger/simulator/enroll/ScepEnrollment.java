package io.verger.simulator.enroll;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import io.verger.plist.PlistCodec;
import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.Hardware;
import io.verger.simulator.fleet.Pem;
import io.verger.simulator.http.Http1Connection;
import io.verger.simulator.http.HttpResponseReader;
import io.verger.simulator.http.RawRequest;
import io.verger.simulator.http.ServerEndpoint;
import io.verger.simulator.mdm.CheckinMessages;
import io.verger.simulator.mdm.MdmClient;
import io.verger.simulator.mdm.MdmSigner;

/**
 * Enrollment the way an iPhone does it from an enrollment link: fetch the enrollment profile
 * ({@code GET <enroll-url>?token=…}), verify its CMS signature, read the SCEP payload (URL, Challenge, Subject,
 * Keysize, Key Usage, CAFingerprint) and the MDM payload (CheckInURL, Topic, SignMessage); SCEP per RFC 8894
 * (GetCACaps, GetCACert, PKIOperation with a PKCSReq carrying the challenge); then Authenticate and TokenUpdate to
 * the CheckInURL, signed with the new identity ({@code Mdm-Signature}) when SignMessage is true, else with the
 * identity as TLS client certificate.
 *
 * <p>Each step is public so that {@code bench enroll --mode scep} can run the server's part of every step for all
 * devices on the clock and do the device's RSA work (keys, CSR, PKCSReq, CertRep, signing) between the steps.
 * Thread-safe; HTTP connections are kept per thread and origin and closed by {@link #close}.
 */
public final class ScepEnrollment implements Enrollment, AutoCloseable {

    public static final String PROFILE_MEDIA_TYPE = "application/x-apple-aspen-config";
    private static final PlistCodec PLIST = PlistCodec.withDefaults();

    /** Where enrollment tokens come from: one per device (Verger's admin API), or the same static secret for all. */
    @FunctionalInterface
    public interface Tokens {
        String next() throws Exception;
    }

    /**
     * @param serverUrl      the server (--url); the enrollment profile is {@code <serverUrl>/enroll} unless {@code enrollUrl}
     * @param enrollUrl      the enrollment profile's URL, or null; {@code token=…} is added to its query
     * @param tlsCa          PEM CA of the server's TLS certificate, or null (JDK trust store)
     * @param profileAnchors what the profile's signer should chain to; empty: the chain is not checked
     * @param strictProfile  refuse a profile whose signer is not trusted by {@code profileAnchors} (a valid signature is always required)
     */
    public record Settings(URI serverUrl, URI enrollUrl, Path tlsCa, boolean insecure, List<X509Certificate> profileAnchors, boolean strictProfile) {
    }

    /** A device between SCEP steps: its key, the request sent and what the answer must echo. */
    public record ScepRequest(Hardware hardware, SignedProfile profile, KeyPair keys, X509Certificate selfSigned, CaCertificatesAndCaps ca,
            ScepMessages.PkiMessage message, URI scepUrl, byte[] httpRequest) {
    }

    /** GetCACaps and GetCACert as one device saw them. */
    public record CaCertificatesAndCaps(ScepMessages.Capabilities caps, ScepMessages.CaCertificates certificates) {
    }

    private final Settings settings;
    private final Tokens tokens;
    private final KeyPool keys;
    private final Map<String, ServerEndpoint> endpoints = new ConcurrentHashMap<>();
    private final ThreadLocal<Map<String, Http1Connection>> connections = ThreadLocal.withInitial(HashMap::new);
    private final Queue<Http1Connection> opened = new ConcurrentLinkedQueue<>();
    private final AtomicReference<SignedProfile> firstProfile = new AtomicReference<>();
    private final AtomicInteger profilesRead = new AtomicInteger();
    private final AtomicInteger untrusted = new AtomicInteger();
    private final AtomicInteger mtls = new AtomicInteger();

    public ScepEnrollment(Settings settings, Tokens tokens, KeyPool keys) {
        if (settings.strictProfile() && settings.profileAnchors().isEmpty()) {
            throw new IllegalArgumentException("--strict-profile needs the CA the profile signer must chain to: --ca (Verger signs profiles with its "
                    + "TLS identity) or --profile-ca");
        }
        this.settings = settings;
        this.tokens = tokens;
        this.keys = keys;
    }

    @Override
    public EnrolledDevice enroll(Hardware hw, MdmClient unused) throws Exception {
        URI profileUrl = profileUrl(tokens.next());
        SignedProfile profile = readProfile(exchange(profileUrl, profileRequest(profileUrl)), profileUrl);
        URI scepUrl = scepUrl(profile);
        ServerEndpoint scep = endpoint(scepUrl);
        ScepMessages.Capabilities caps = readCaps(exchange(scepUrl, caCapsRequest(scep, scepUrl)), scepUrl);
        ScepMessages.CaCertificates ca = readCaCert(exchange(scepUrl, caCertRequest(scep, scepUrl, profile)), scepUrl, profile);
        ScepRequest request = prepareRequest(hw, profile, new CaCertificatesAndCaps(caps, ca), scepUrl);
        EnrolledDevice device = complete(request, exchange(scepUrl, request.httpRequest()));
        checkIn(device, profile);
        return device;
    }

    // ---- step 1: the enrollment profile

    /** The profile URL for {@code token}: --enroll-url (or {@code <url>/enroll}) with {@code token=…} added to its query. */
    public URI profileUrl(String token) {
        URI base = settings.enrollUrl() != null ? settings.enrollUrl() : settings.serverUrl().resolve("/enroll");
        if (token == null || token.isEmpty()) {
            return base;
        }
        String query = base.getRawQuery();
        String add = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + (base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath())
                + "?" + (query == null || query.isEmpty() ? add : query + "&" + add));
    }

    public byte[] profileRequest(URI profileUrl) throws Exception {
        return RawRequest.build("GET", target(profileUrl, null), endpoint(profileUrl).hostHeader(), null, null, Map.of("Accept", "*/*"));
    }

    /** Checks the answer to the profile request and reads the profile; throws with the status and body for a refusal. */
    public SignedProfile readProfile(HttpResponseReader.Response r, URI profileUrl) throws Exception {
        String step = "GET " + redacted(profileUrl);
        if (r.status() != 200) {
            throw EnrollmentFailure.http(step, r);
        }
        if (settings.strictProfile() && !PROFILE_MEDIA_TYPE.equals(r.mediaType())) {
            throw new EnrollmentFailure(step + ": Content-Type " + r.contentType() + ", a device expects " + PROFILE_MEDIA_TYPE + " (--strict-profile)");
        }
        SignedProfile p;
        try {
            p = SignedProfile.read(r.body(), settings.profileAnchors());
        } catch (SignedProfile.ProfileException e) {
            throw new EnrollmentFailure(step + ": " + e.getMessage(), e);
        }
        profilesRead.incrementAndGet();
        firstProfile.compareAndSet(null, p);
        if (!p.trust().trusted()) {
            untrusted.incrementAndGet();
            if (settings.strictProfile()) {
                throw new EnrollmentFailure(step + ": the profile is signed by " + p.signer().getSubjectX500Principal() + ", " + p.trust().description()
                        + " (--strict-profile)");
            }
        }
        return p;
    }

    // ---- step 2: GetCACaps and GetCACert

    public URI scepUrl(SignedProfile profile) throws EnrollmentFailure {
        try {
            URI u = URI.create(profile.scep().url());
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new EnrollmentFailure("the SCEP payload's URL " + profile.scep().url() + " is unusable: " + e.getMessage(), e);
        }
    }

    public static byte[] caCapsRequest(ServerEndpoint endpoint, URI scepUrl) {
        return RawRequest.build("GET", target(scepUrl, "operation=GetCACaps"), endpoint.hostHeader(), null, null, Map.of());
    }

    /** GetCACert, with the payload's Name as the CA-IDENT message when it has one. */
    public static byte[] caCertRequest(ServerEndpoint endpoint, URI scepUrl, SignedProfile profile) {
        String name = profile.scep().name();
        String query = "operation=GetCACert" + (name == null || name.isEmpty() ? "" : "&message=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        return RawRequest.build("GET", target(scepUrl, query), endpoint.hostHeader(), null, null, Map.of());
    }

    public ScepMessages.Capabilities readCaps(HttpResponseReader.Response r, URI scepUrl) throws EnrollmentFailure {
        if (r.status() != 200) {
            throw EnrollmentFailure.http("SCEP GetCACaps " + scepUrl, r);
        }
        return ScepMessages.Capabilities.parse(ScepMessages.ascii(r.body()));
    }

    /** Reads GetCACert and checks the payload's CAFingerprint against it, as a device does. */
    public ScepMessages.CaCertificates readCaCert(HttpResponseReader.Response r, URI scepUrl, SignedProfile profile) throws EnrollmentFailure {
        if (r.status() != 200) {
            throw EnrollmentFailure.http("SCEP GetCACert " + scepUrl, r);
        }
        ScepMessages.CaCertificates ca;
        try {
            ca = ScepMessages.CaCertificates.parse(r.mediaType(), r.body());
        } catch (ScepMessages.ScepException e) {
            throw new EnrollmentFailure("SCEP GetCACert " + scepUrl + ": " + e.getMessage(), e);
        }
        byte[] fingerprint = profile.scep().caFingerprint();
        if (fingerprint != null && !ca.matchesFingerprint(fingerprint)) {
            throw new EnrollmentFailure("SCEP GetCACert " + scepUrl + ": no CA certificate matches the payload's CAFingerprint "
                    + HexFormat.of().formatHex(fingerprint));
        }
        return ca;
    }

    // ---- step 3: PKIOperation (PKCSReq → CertRep)

    /** The device's RSA work before PKIOperation: key (or a pooled one), CSR with the challenge, self-signed certificate, PKCSReq. */
    public ScepRequest prepareRequest(Hardware hw, SignedProfile profile, CaCertificatesAndCaps ca, URI scepUrl) throws Exception {
        SignedProfile.ScepPayload payload = profile.scep();
        if (payload.keysize() < 1024 || payload.keysize() > 8192) {
            throw new EnrollmentFailure("the SCEP payload's Keysize " + payload.keysize() + " is not a usable RSA key size");
        }
        X500Name subject;
        try {
            subject = ScepMessages.subject(payload.subject());
        } catch (IllegalArgumentException e) {
            throw new EnrollmentFailure(e.getMessage(), e);
        }
        KeyPair kp = keys.get((int) payload.keysize(), hw.udid());
        String alg = ca.caps().signatureAlgorithm(kp.getPrivate());
        PKCS10CertificationRequest csr = ScepMessages.csr(kp, subject, payload.challenge(), payload.keyUsage(), alg);
        X509Certificate self = ScepMessages.selfSigned(kp, subject, alg);
        ScepMessages.PkiMessage msg = ScepMessages.pkcsReq(csr, kp, self, ca.certificates().recipient(), ca.caps(), ScepMessages.newTransactionId());
        ServerEndpoint e = endpoint(scepUrl);
        byte[] http;
        if (ca.caps().postPkiOperation()) {
            http = RawRequest.build("POST", target(scepUrl, "operation=PKIOperation"), e.hostHeader(), "application/x-pki-message", msg.der(), Map.of());
        } else {
            String b64 = URLEncoder.encode(Base64.getEncoder().encodeToString(msg.der()), StandardCharsets.UTF_8);
            http = RawRequest.build("GET", target(scepUrl, "operation=PKIOperation&message=" + b64), e.hostHeader(), null, null, Map.of());
        }
        return new ScepRequest(hw, profile, kp, self, ca, msg, scepUrl, http);
    }

    /** The device's work after PKIOperation: check and open the CertRep; the device as the state file keeps it. */
    public EnrolledDevice complete(ScepRequest request, HttpResponseReader.Response r) throws EnrollmentFailure {
        String step = "SCEP PKIOperation (PKCSReq, transaction " + request.message().transactionId() + ") " + request.scepUrl();
        if (r.status() != 200) {
            throw EnrollmentFailure.http(step, r);
        }
        ScepMessages.CertRep rep;
        try {
            rep = ScepMessages.certRep(r.body(), request.message(), request.keys(), request.selfSigned(), request.ca().certificates());
        } catch (ScepMessages.ScepException e) {
            throw new EnrollmentFailure(step + ": " + e.getMessage(), e);
        }
        Hardware hw = request.hardware();
        SignedProfile.MdmPayload mdm = request.profile().mdm();
        byte[] token = new byte[32];
        ThreadLocalRandom.current().nextBytes(token);
        return new EnrolledDevice(hw.udid(), hw.serialNumber(), hw.model(), hw.productName(), hw.osVersion(), hw.buildVersion(), hw.deviceName(),
                mdm.topic(), HexFormat.of().formatHex(token), UUID.randomUUID().toString().toUpperCase(), Pem.write(request.keys().getPrivate()),
                Pem.write(rep.issued()), mdm.serverUrl(), mdm.checkInUrl());
    }

    // ---- step 4: Authenticate and TokenUpdate

    /** Authenticate and TokenUpdate, signed with the new identity, as request bytes for {@code endpoint(checkInUrl)}. */
    public PreparedEnrollment signedCheckins(EnrolledDevice d) throws Exception {
        URI checkIn = URI.create(d.checkInUrl());
        ServerEndpoint e = endpoint(checkIn);
        MdmSigner signer = new MdmSigner(d.privateKey(), d.certificate());
        String path = target(checkIn, null);
        return new PreparedEnrollment(d,
                MdmClient.signedRequest(e, path, MdmClient.CHECKIN_TYPE, PLIST.encodeXml(CheckinMessages.authenticate(d)), signer),
                MdmClient.signedRequest(e, path, MdmClient.CHECKIN_TYPE, PLIST.encodeXml(CheckinMessages.tokenUpdate(d)), signer));
    }

    /** Throws with the step, status and body unless the check-in was answered 200. */
    public static void expectCheckin(HttpResponseReader.Response r, String what, EnrolledDevice d) throws EnrollmentFailure {
        if (r.status() != 200) {
            throw EnrollmentFailure.http(what + " of " + d.udid() + " to " + d.checkInUrl(), r);
        }
    }

    private void checkIn(EnrolledDevice d, SignedProfile profile) throws Exception {
        URI checkIn = URI.create(d.checkInUrl());
        if (profile.mdm().signMessage()) {
            PreparedEnrollment p = signedCheckins(d);
            expectCheckin(exchange(checkIn, p.authenticateRequest()), "Authenticate", d);
            expectCheckin(exchange(checkIn, p.tokenUpdateRequest()), "TokenUpdate", d);
            return;
        }
        // SignMessage false: the identity authenticates as the TLS client certificate, on a connection of its own
        mtls.incrementAndGet();
        ServerEndpoint e = ServerEndpoint.of(checkIn, settings.tlsCa(), settings.insecure(), d.privateKey(), d.certificate());
        String path = target(checkIn, null);
        try (Http1Connection c = new Http1Connection(e)) {
            expectCheckin(c.exchange(RawRequest.build("PUT", path, e.hostHeader(), MdmClient.CHECKIN_TYPE,
                    PLIST.encodeXml(CheckinMessages.authenticate(d)), Map.of()), true), "Authenticate (TLS client certificate)", d);
            expectCheckin(c.exchange(RawRequest.build("PUT", path, e.hostHeader(), MdmClient.CHECKIN_TYPE,
                    PLIST.encodeXml(CheckinMessages.tokenUpdate(d)), Map.of()), true), "TokenUpdate (TLS client certificate)", d);
        }
    }

    // ---- plumbing

    /** The endpoint (host, port, TLS trust) serving {@code url}; one per origin. */
    public ServerEndpoint endpoint(URI url) throws Exception {
        String origin = origin(url);
        ServerEndpoint e = endpoints.get(origin);
        if (e == null) {
            e = ServerEndpoint.of(url, settings.tlsCa(), settings.insecure());
            ServerEndpoint had = endpoints.putIfAbsent(origin, e);
            if (had != null) {
                e = had;
            }
        }
        return e;
    }

    private HttpResponseReader.Response exchange(URI url, byte[] request) throws Exception {
        Map<String, Http1Connection> mine = connections.get();
        String origin = origin(url);
        Http1Connection c = mine.get(origin);
        if (c == null) {
            c = new Http1Connection(endpoint(url));
            mine.put(origin, c);
            opened.add(c);
        }
        return c.exchange(request, true);
    }

    private static String origin(URI u) {
        return (u.getScheme() == null ? "" : u.getScheme().toLowerCase()) + "://" + (u.getHost() == null ? "" : u.getHost().toLowerCase()) + ":" + u.getPort();
    }

    /** The request target of {@code u} (path and query) with {@code query} appended to its query. */
    static String target(URI u, String query) {
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        String q = u.getRawQuery();
        if (query != null) {
            q = q == null || q.isEmpty() ? query : q + "&" + query;
        }
        return q == null ? path : path + "?" + q;
    }

    /** The URL with a token's value shortened, for messages. */
    static String redacted(URI u) {
        return u.toString().replaceAll("(token=[^&]{4})[^&]*", "$1…");
    }

    /** What the profiles read so far said about their signer, for the summary line. */
    @Override
    public String summary() {
        SignedProfile p = firstProfile.get();
        if (p == null) {
            return "no enrollment profile read";
        }
        int n = profilesRead.get();
        int u = untrusted.get();
        return String.format("enrollment profile signed by %s: %s%s; SCEP %s, key %s %d, check-in %s (%s), topic %s",
                p.signer().getSubjectX500Principal(), p.trust().description(),
                u == 0 || p.trust().description().startsWith("not checked") ? "" : " (" + u + " of " + n + " profiles untrusted)",
                p.scep().url(), p.scep().keyType(), p.scep().keysize(), p.mdm().checkInUrl(),
                p.mdm().signMessage() ? "Mdm-Signature" : "TLS client certificate" + (mtls.get() > 0 ? ", " + mtls.get() + " devices" : ""),
                p.mdm().topic());
    }

    /** The first profile read, or null. */
    public SignedProfile firstProfile() {
        return firstProfile.get();
    }

    @Override
    public void close() {
        if (tokens instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        Http1Connection c;
        while ((c = opened.poll()) != null) {
            c.close();
        }
    }
}
