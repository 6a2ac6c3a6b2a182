package io.verger.push.apns.internal;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.bootstrap.ServerBootstrap;
import io.verger.api.identity.CertificateFingerprint;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Pushy's MockApnsServer on 127.0.0.1 with client-certificate authentication, recording every request
 * (path, headers, payload, the client certificate presented) and answering chosen tokens with rejections.
 */
final class MockApns implements AutoCloseable {

    /** One request as the mock saw it. */
    record Request(String path, String topic, String pushType, String priority, String expiration, String payload,
            CertificateFingerprint clientCertificate) {

        String token() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    final List<Request> requests = new java.util.concurrent.CopyOnWriteArrayList<>() /* reads happen after the pushes complete */;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger received = new AtomicInteger();
    /** The benchmark turns recording off: it only counts. */
    volatile boolean recordRequests = true;
    final int port;
    private final MockApnsServer server;
    private final EventLoopGroup group;
    /** Per token: the answers to give, in order; an empty or missing script accepts. */
    private final Map<String, Deque<RejectionReason>> scripts = new ConcurrentHashMap<>();
    private final Map<String, RejectionReason> always = new ConcurrentHashMap<>();
    private volatile RejectionReason everyone;
    private volatile CertificateFingerprint gatedCertificate;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    MockApns(TestPki pki) throws Exception {
        this(pki, 4);
    }

    MockApns(TestPki pki, int threads) throws Exception {
        group = new NioEventLoopGroup(threads);
        server = new MockApnsServerBuilder()
                .setServerCredentials(new X509Certificate[] {pki.server}, pki.serverKey.getPrivate(), null)
                .setTrustedClientCertificateChain(pki.caPem())
                .setEventLoopGroup(group)
                .setHandlerFactory(this::handler)
                .build();
        port = startOnLoopback(server);
    }

    /**
     * MockApnsServer.start(port) binds every interface; these tests must listen on loopback only, so
     * bind its bootstrap ourselves (the same steps as start, with an address).
     */
    private static int startOnLoopback(MockApnsServer server) throws Exception {
        Class<?> base = server.getClass().getSuperclass();
        Field bootstrapField = base.getDeclaredField("bootstrap");
        Field channelsField = base.getDeclaredField("allChannels");
        bootstrapField.setAccessible(true);
        channelsField.setAccessible(true);
        ServerBootstrap bootstrap = (ServerBootstrap) bootstrapField.get(server);
        Channel channel = bootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        ((ChannelGroup) channelsField.get(server)).add(channel);
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The next answers for {@code tokenHex}, then acceptance. */
    void script(String tokenHex, RejectionReason... answers) {
        scripts.put(tokenHex, new ArrayDeque<>(List.of(answers)));
    }

    void alwaysReject(String tokenHex, RejectionReason reason) {
        always.put(tokenHex, reason);
    }

    /** Rejects every request with {@code reason}, or accepts again with {@code null}. */
    void rejectEveryone(RejectionReason reason) {
        everyone = reason;
    }

    /** Holds every request made with {@code certificate} until {@link #openGate}: its answers stay in flight. */
    void gate(CertificateFingerprint certificate) {
        gate = new CountDownLatch(1);
        gatedCertificate = certificate;
    }

    void openGate() {
        gate.countDown();
    }

    long countBy(CertificateFingerprint certificate) {
        return requests.stream().filter(r -> certificate.equals(r.clientCertificate())).count();
    }

    long countFor(String tokenHex) {
        return requests.stream().filter(r -> r.token().equals(tokenHex)).count();
    }

    Map<String, Long> topicsByCertificate() {
        return requests.stream().collect(Collectors.groupingBy(r -> r.topic() + "@" + r.clientCertificate(), Collectors.counting()));
    }

    private PushNotificationHandler handler(SSLSession session) {
        connections.incrementAndGet();
        CertificateFingerprint client;
        try {
            client = CertificateFingerprint.of((X509Certificate) session.getPeerCertificates()[0]);
        } catch (SSLPeerUnverifiedException e) {
            throw new IllegalStateException("the mock requires a client certificate", e);
        }
        return (headers, payload) -> {
            Request r = new Request(str(headers.path()), str(headers.get("apns-topic")), str(headers.get("apns-push-type")),
                    str(headers.get("apns-priority")), str(headers.get("apns-expiration")), payload.toString(StandardCharsets.UTF_8),
                    client);
            received.incrementAndGet();
            if (recordRequests) {
                requests.add(r);
            }
            if (client.equals(gatedCertificate)) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            RejectionReason reason = everyone;
            if (reason == null) {
                reason = always.get(r.token());
            }
            if (reason == null) {
                Deque<RejectionReason> script = scripts.get(r.token());
                reason = script == null ? null : script.poll();
            }
            if (reason == RejectionReason.UNREGISTERED) {
                throw new UnregisteredDeviceTokenException(Instant.now());
            }
            if (reason != null) {
                throw new RejectedNotificationException(reason);
            }
        };
    }

    private static String str(CharSequence s) {
        return s == null ? null : s.toString();
    }

    @Override
    public void close() throws Exception {
        openGate();
        server.shutdown().get(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}
