package io.verger.push.apns.internal;

import io.netty.channel.EventLoopGroup;
import io.verger.api.storage.PushCertStore;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/** The topics in use under one configuration. A configuration change replaces the whole set. */
final class TopicClients {

    final ApnsSettings settings;
    private final Supplier<PushCertStore> store;
    private final ApnsClientFactory factory;
    private final ConcurrentMap<String, TopicChannel> channels = new ConcurrentHashMap<>();

    TopicClients(ApnsSettings settings, Supplier<PushCertStore> store, EventLoopGroup eventLoopGroup) {
        this.settings = settings;
        this.store = store;
        this.factory = new ApnsClientFactory(settings, eventLoopGroup);
    }

    TopicChannel channel(String topic) {
        return channels.computeIfAbsent(topic, t -> new TopicChannel(t, settings, store, factory));
    }

    /** Retires every client: each closes once its notifications in flight are answered. */
    void close() {
        channels.values().forEach(TopicChannel::close);
    }

    int topicCount() {
        return channels.size();
    }
}
