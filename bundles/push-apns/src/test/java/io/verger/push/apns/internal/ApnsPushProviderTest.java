package io.verger.push.apns.internal;

import com.eatthepath.pushy.apns.server.RejectionReason;
import io.verger.api.EnrollmentId;
import io.verger.api.push.PushOutcome;
import io.verger.api.push.PushResult;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.PushCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The provider against Pushy's MockApnsServer over real TLS and HTTP/2 on 127.0.0.1. */
class ApnsPushProviderTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final AtomicLong TOKENS = new AtomicLong();
    private static TestPki pki;

    @TempDir
    Path tmp;
    private Path caPem;
    private MockApns mock;
    private InMemoryPushCertStore store;
    private final List<ApnsPushProvider> providers = new ArrayList<>();
    private final List<MockApns> mocks = new ArrayList<>();

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
    }

    @BeforeEach
    void setUp() throws Exception {
        caPem = pki.caPemFile(tmp);
        mock = mock(4);
        store = new InMemoryPushCertStore();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ApnsPushProvider p : providers) {
            p.deactivate();
        }
        for (MockApns m : mocks) {
            m.close();
        }
    }

    @Test
    void deliversMdmPushWithPathTopicPushTypePriorityExpirationAndPayload() throws Exception {
        String topic = TestPki.newTopic();
        store.store(pki.pushCertificate(topic));
        ApnsPushProvider provider = provider(config().set("expirationSeconds", 3600L));
        PushTarget target = target(topic, "4F0A1B2C-PUSH-MAGIC");

        Instant before = Instant.now();
        PushResult result = await(provider.push(List.of(target))).get(0);

        assertEquals(PushOutcome.DELIVERED, result.outcome(), result::toString);
        assertNotNull(result.apnsId(), "apns-id");
        assertNull(result.detail());
        assertEquals(1, mock.requests.size());
        MockApns.Request r = mock.requests.get(0);
        long expiration = Long.parseLong(r.expiration());
        assertAll(
                () -> assertEquals("/3/device/" + target.tokenHex(), r.path()),
                () -> assertEquals(topic, r.topic()),
                () -> assertEquals("mdm", r.pushType()),
                () -> assertEquals("10", r.priority()),
                () -> assertEquals("{\"mdm\":\"4F0A1B2C-PUSH-MAGIC\"}", r.payload()),
                () -> assertTrue(expiration >= before.getEpochSecond() + 3600 - 1 && expiration <= Instant.now().getEpochSecond() + 3600,
                        "apns-expiration " + expiration),
                () -> assertEquals(store.find(topic).orElseThrow().version(), r.clientCertificate()));
    }

    @Test
    void payloadEscapesPushMagicAsJson() {
        assertEquals("{\"mdm\":\"a\\\"b\\\\c\\u000a\"}", MdmPayload.of("a\"b\\c\n"));
    }

    @Test
    void rejectionsMapToOutcomesAndRetriesEndAsApnsLastSaid() throws Exception {
        String topic = TestPki.newTopic();
        store.store(pki.pushCertificate(topic));
        ApnsPushProvider provider = provider(config().set("maxAttempts", 4));
        PushTarget ok = target(topic, "m");
        PushTarget gone = target(topic, "m");
        PushTarget bad = target(topic, "m");
        PushTarget notForTopic = target(topic, "m");
        PushTarget throttledTwice = target(topic, "m");
        PushTarget errorTwice = target(topic, "m");
        PushTarget alwaysThrottled = target(topic, "m");
        PushTarget alwaysError = target(topic, "m");
        PushTarget forbiddenTopic = target(topic, "m");
        mock.alwaysReject(gone.tokenHex(), RejectionReason.UNREGISTERED);
        mock.alwaysReject(bad.tokenHex(), RejectionReason.BAD_DEVICE_TOKEN);
        mock.alwaysReject(notForTopic.tokenHex(), RejectionReason.DEVICE_TOKEN_NOT_FOR_TOPIC);
        mock.script(throttledTwice.tokenHex(), RejectionReason.TOO_MANY_REQUESTS, RejectionReason.TOO_MANY_REQUESTS);
        mock.script(errorTwice.tokenHex(), RejectionReason.INTERNAL_SERVER_ERROR, RejectionReason.SERVICE_UNAVAILABLE);
        mock.alwaysReject(alwaysThrottled.tokenHex(), RejectionReason.TOO_MANY_REQUESTS);
        mock.alwaysReject(alwaysError.tokenHex(), RejectionReason.INTERNAL_SERVER_ERROR);
        mock.alwaysReject(forbiddenTopic.tokenHex(), RejectionReason.TOPIC_DISALLOWED);

        List<PushTarget> targets = List.of(ok, gone, bad, notForTopic, throttledTwice, errorTwice, alwaysThrottled, alwaysError,
                forbiddenTopic, ok);
        List<PushResult> results = await(provider.push(targets));

        assertEquals(targets.size(), results.size());
        for (int i = 0; i < targets.size(); i++) {
            assertEquals(targets.get(i), results.get(i).target(), "result " + i + " in the order of the targets");
        }
        assertAll(
                () -> assertOutcome(PushOutcome.DELIVERED, null, results.get(0)),
                () -> assertOutcome(PushOutcome.UNREGISTERED, "Unregistered", results.get(1)),
                () -> assertOutcome(PushOutcome.BAD_TOKEN, "BadDeviceToken", results.get(2)),
                () -> assertOutcome(PushOutcome.BAD_TOKEN, "DeviceTokenNotForTopic", results.get(3)),
                () -> assertOutcome(PushOutcome.DELIVERED, null, results.get(4)),
                () -> assertOutcome(PushOutcome.DELIVERED, null, results.get(5)),
                () -> assertOutcome(PushOutcome.THROTTLED, "TooManyRequests", results.get(6)),
                () -> assertOutcome(PushOutcome.FAILED, "InternalServerError", results.get(7)),
                () -> assertOutcome(PushOutcome.FAILED, "TopicDisallowed", results.get(8)),
                () -> assertOutcome(PushOutcome.DELIVERED, null, results.get(9)),
                () -> assertTrue(results.get(1).outcome().tokenUnusable() && results.get(2).outcome().tokenUnusable()),
                () -> assertTrue(results.get(7).detail().contains("500") && results.get(7).detail().contains("4 attempts"),
                        results.get(7).detail()),
                // no retry for 410 and 400; 429 and 5xx retried up to maxAttempts
                () -> assertEquals(1, mock.countFor(gone.tokenHex())),
                () -> assertEquals(1, mock.countFor(bad.tokenHex())),
                () -> assertEquals(1, mock.countFor(forbiddenTopic.tokenHex())),
                () -> assertEquals(3, mock.countFor(throttledTwice.tokenHex())),
                () -> assertEquals(3, mock.countFor(errorTwice.tokenHex())),
                () -> assertEquals(4, mock.countFor(alwaysThrottled.tokenHex())),
                () -> assertEquals(4, mock.countFor(alwaysError.tokenHex())),
                () -> assertEquals(2, mock.countFor(ok.tokenHex()), "a target given twice is pushed twice"));
        Map<String, Long> m = provider.metrics();
        assertEquals(4L, m.get("delivered"));
        assertEquals(1L, m.get("unregistered"));
        assertEquals(2L, m.get("bad_token"));
        assertEquals(1L, m.get("throttled"));
        assertEquals(2L, m.get("failed"));
        assertEquals(0L, m.get("inFlight"));
    }

    @Test
    void topicWithoutCertificateFailsWithDetailAndEmptyPushCompletesAtOnce() throws Exception {
        ApnsPushProvider provider = provider(config());
        String topic = TestPki.newTopic();

        List<PushResult> results = await(provider.push(List.of(target(topic, "m"), target(topic, "m"))));

        for (PushResult r : results) {
            assertEquals(PushOutcome.FAILED, r.outcome());
            assertEquals("no push certificate for topic " + topic, r.detail());
        }
        assertTrue(mock.requests.isEmpty());
        assertEquals(List.of(), provider.push(List.of()).toCompletableFuture().getNow(null));
        assertThrows(NullPointerException.class, () -> provider.push(null));
        List<PushTarget> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> provider.push(withNull));
    }

    @Test
    void twoTopicsUseTwoClientsEachWithItsOwnCertificate() throws Exception {
        String topicA = TestPki.newTopic();
        String topicB = TestPki.newTopic();
        PushCertificate certA = pki.pushCertificate(topicA);
        PushCertificate certB = pki.pushCertificate(topicB);
        store.store(certA);
        store.store(certB);
        ApnsPushProvider provider = provider(config());
        List<PushTarget> targets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            targets.add(target(i % 2 == 0 ? topicA : topicB, "m" + i));
        }

        List<PushResult> results = await(provider.push(targets));

        assertTrue(results.stream().allMatch(r -> r.outcome() == PushOutcome.DELIVERED), results::toString);
        assertEquals(Map.of(topicA + "@" + certA.version(), 25L, topicB + "@" + certB.version(), 25L), mock.topicsByCertificate());
        assertEquals(2, mock.connections.get(), "one connection per topic");
    }

    @Test
    void bulkPushCompletesWithBoundedInFlight() throws Exception {
        String topic = TestPki.newTopic();
        store.store(pki.pushCertificate(topic));
        int concurrency = 64;
        ApnsPushProvider provider = provider(config().set("concurrency", concurrency));
        List<PushTarget> targets = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            targets.add(target(topic, "magic-" + i));
        }
        // a second caller meanwhile: it is not starved by the bulk push
        CompletableFuture<List<PushResult>> bulk = provider.push(targets).toCompletableFuture();
        List<PushResult> single = await(provider.push(List.of(target(topic, "single"))));

        List<PushResult> results = bulk.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(PushOutcome.DELIVERED, single.get(0).outcome());
        assertEquals(5_000, results.size());
        assertTrue(results.stream().allMatch(r -> r.outcome() == PushOutcome.DELIVERED));
        assertEquals(5_001, mock.requests.size());
        long highWater = provider.metrics().get("inFlightHighWater");
        assertTrue(highWater <= concurrency && highWater > 1, "in flight at most " + concurrency + ", saw " + highWater);
    }

    @Test
    void renewedCertificateTakesOverWhilePushesAreInFlightAndNoneIsLost() throws Exception {
        String topic = TestPki.newTopic();
        PushCertificate old = pki.pushCertificate(topic);
        PushCertificate renewed = pki.pushCertificate(topic);
        store.store(old);
        ApnsPushProvider provider = provider(config().set("concurrency", 50).set("certificateCheckMillis", 0L));
        mock.gate(old.version()); // answers to the old certificate's pushes stay in flight until the renewal
        List<PushTarget> targets = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            targets.add(target(topic, "magic-" + i));
        }

        CompletableFuture<List<PushResult>> pending = provider.push(targets).toCompletableFuture();
        waitFor(() -> provider.metrics().get("sends") == 50, "50 pushes in flight with the old certificate");
        store.store(renewed);
        mock.openGate();
        List<PushResult> results = pending.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

        assertTrue(results.stream().allMatch(r -> r.outcome() == PushOutcome.DELIVERED), results::toString);
        assertEquals(400, mock.requests.size(), "each notification sent once");
        assertEquals(50, mock.countBy(old.version()), "the pushes in flight went out (and were answered) with the old certificate");
        assertEquals(350, mock.countBy(renewed.version()), "every later push went out with the renewed certificate");

        PushResult later = await(provider.push(List.of(target(topic, "later")))).get(0);
        assertEquals(PushOutcome.DELIVERED, later.outcome());
        assertEquals(renewed.version(), mock.requests.get(mock.requests.size() - 1).clientCertificate());
    }

    @Test
    void renewedCertificateIsPickedUpWithinTheCheckInterval() throws Exception {
        String topic = TestPki.newTopic();
        PushCertificate old = pki.pushCertificate(topic);
        PushCertificate renewed = pki.pushCertificate(topic);
        store.store(old);
        ApnsPushProvider provider = provider(config().set("certificateCheckMillis", 200L));
        assertEquals(PushOutcome.DELIVERED, await(provider.push(List.of(target(topic, "a")))).get(0).outcome());

        store.store(renewed);
        waitFor(() -> {
            try {
                await(provider.push(List.of(target(topic, "b"))));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return renewed.version().equals(mock.requests.get(mock.requests.size() - 1).clientCertificate());
        }, "a push with the renewed certificate");
    }

    @Test
    void circuitOpensAfterRepeatedFailuresAndClosesAfterCoolDown() throws Exception {
        String topic = TestPki.newTopic();
        store.store(pki.pushCertificate(topic));
        ApnsPushProvider provider = provider(config().set("maxAttempts", 1).set("circuitFailureThreshold", 3)
                .set("circuitOpenMillis", 3_000L).set("concurrency", 1));
        mock.rejectEveryone(RejectionReason.INTERNAL_SERVER_ERROR);

        List<PushResult> failing = await(provider.push(List.of(target(topic, "1"), target(topic, "2"), target(topic, "3"))));
        PushResult fastFail = await(provider.push(List.of(target(topic, "4")))).get(0);

        assertTrue(failing.stream().allMatch(r -> r.outcome() == PushOutcome.FAILED && "InternalServerError".equals(r.reason())),
                failing::toString);
        assertEquals(PushOutcome.FAILED, fastFail.outcome());
        assertTrue(fastFail.detail().contains("APNs circuit open"), fastFail.detail());
        assertEquals(3, mock.requests.size(), "an open circuit sends nothing");
        assertEquals(1L, provider.metrics().get("circuitOpenings"));

        mock.rejectEveryone(null);
        waitFor(() -> {
            try {
                return await(provider.push(List.of(target(topic, "probe")))).get(0).outcome() == PushOutcome.DELIVERED;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the circuit to close after its cool-down");
        assertEquals(PushOutcome.DELIVERED, await(provider.push(List.of(target(topic, "5")))).get(0).outcome());
    }

    @Test
    void configurationChangeAppliesWithoutRestart() throws Exception {
        MockApns second = mock(2);
        String topic = TestPki.newTopic();
        store.store(pki.pushCertificate(topic));
        ApnsPushProvider provider = provider(config());
        assertEquals(PushOutcome.DELIVERED, await(provider.push(List.of(target(topic, "first")))).get(0).outcome());

        provider.modified(TestConfig.forMock(second, caPem).set("concurrency", 10).build());
        PushResult moved = await(provider.push(List.of(target(topic, "second")))).get(0);

        assertEquals(PushOutcome.DELIVERED, moved.outcome(), moved::toString);
        assertEquals(1, mock.requests.size());
        assertEquals(1, second.requests.size());
        assertEquals("{\"mdm\":\"second\"}", second.requests.get(0).payload());
    }

    @Test
    void unreachableApnsFailsAfterRetriesWithDetail() throws Exception {
        String topic = TestPki.newTopic();
        store.store(pki.pushCertificate(topic));
        int closedPort = mock.port;
        mock.close();
        mocks.remove(mock);
        ApnsPushProvider provider = provider(TestConfig.forMock(mock, caPem).set("port", closedPort).set("maxAttempts", 2)
                .set("connectTimeoutMillis", 2_000L));

        PushResult r = await(provider.push(List.of(target(topic, "m")))).get(0);

        assertEquals(PushOutcome.FAILED, r.outcome());
        assertTrue(r.detail().contains("127.0.0.1:" + closedPort) && r.detail().contains("2 attempts"), r.detail());
    }

    @Test
    void stoppingCompletesEveryPendingPush() throws Exception {
        String topic = TestPki.newTopic();
        PushCertificate cert = pki.pushCertificate(topic);
        store.store(cert);
        ApnsPushProvider provider = provider(config().set("concurrency", 5));
        mock.gate(cert.version());
        List<PushTarget> targets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            targets.add(target(topic, "m" + i));
        }
        CompletableFuture<List<PushResult>> pending = provider.push(targets).toCompletableFuture();
        waitFor(() -> provider.metrics().get("sends") == 5, "5 pushes in flight");

        provider.deactivate();
        providers.remove(provider);
        List<PushResult> results = pending.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

        assertEquals(20, results.size());
        assertTrue(results.stream().allMatch(r -> r.outcome() == PushOutcome.FAILED && r.detail().contains("stopped")),
                results::toString);
        List<PushResult> afterStop = await(provider.push(List.of(target(topic, "late"))));
        assertEquals(PushOutcome.FAILED, afterStop.get(0).outcome());
    }

    // --- helpers

    private TestConfig config() {
        return TestConfig.forMock(mock, caPem);
    }

    private ApnsPushProvider provider(TestConfig config) {
        ApnsPushProvider p = new ApnsPushProvider(config.build(), store);
        providers.add(p);
        return p;
    }

    private MockApns mock(int threads) throws Exception {
        MockApns m = new MockApns(pki, threads);
        mocks.add(m);
        return m;
    }

    static PushTarget target(String topic, String pushMagic) {
        byte[] token = new byte[32];
        long n = TOKENS.incrementAndGet();
        for (int i = 0; i < 8; i++) {
            token[31 - i] = (byte) (n >>> (8 * i));
        }
        token[0] = (byte) 0xA5;
        return new PushTarget(new EnrollmentId("UDID-" + HexFormat.of().toHexDigits(n), null), token, pushMagic, topic);
    }

    private static List<PushResult> await(java.util.concurrent.CompletionStage<List<PushResult>> stage) throws Exception {
        return stage.toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private static void assertOutcome(PushOutcome outcome, String reason, PushResult r) {
        assertEquals(outcome, r.outcome(), r::toString);
        assertEquals(reason, r.reason(), r::toString);
        if (outcome != PushOutcome.DELIVERED) {
            assertNotNull(r.detail());
            assertFalse(r.detail().isBlank());
        }
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
