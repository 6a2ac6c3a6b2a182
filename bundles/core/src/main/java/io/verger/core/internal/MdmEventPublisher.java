package io.verger.core.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;

import io.verger.api.EnrollmentId;
import io.verger.api.event.MdmEvents;

/**
 * Posts protocol events (asynchronously) when an EventAdmin is installed; does nothing otherwise.
 *
 * <p>Once {@link #gate() gated} (the protocol component is active and is told of every {@code EventHandler}
 * service), an event is only posted when some handler's {@code event.topics} and {@code event.filter} accept it.
 * Felix EventAdmin hands every posted event to a thread of its pool even when no handler wants it, which cost
 * each Idle check-in and each acknowledgement a thread hand-off (two context switches) for nothing.
 */
final class MdmEventPublisher {

    private volatile EventAdmin eventAdmin;
    private volatile boolean gated;
    private final Map<Object, Interest> handlers = new ConcurrentHashMap<>();

    /** What one EventHandler service subscribes to: topics (exact, {@code prefix/*} or {@code *}) and an optional filter. */
    record Interest(List<String> topics, Filter filter, boolean anyFilter) {

        static Interest of(Object topics, Object filter) {
            List<String> list;
            if (topics instanceof String s) {
                list = List.of(s);
            } else if (topics instanceof String[] a) {
                list = List.of(a);
            } else if (topics instanceof Collection<?> c) {
                list = c.stream().filter(String.class::isInstance).map(String.class::cast).toList();
            } else {
                list = List.of(); // EventAdmin delivers nothing to a handler without topics
            }
            Filter parsed = null;
            boolean any = false;
            if (filter instanceof String f && !f.isBlank()) {
                try {
                    parsed = FrameworkUtil.createFilter(f);
                } catch (InvalidSyntaxException e) {
                    any = true; // let EventAdmin judge a filter we cannot read: post what the topics accept
                }
            }
            return new Interest(list, parsed, any);
        }

        boolean wantsTopic(String topic) {
            for (String t : topics) {
                if (t.equals("*") || t.equals(topic) || (t.endsWith("/*") && topic.startsWith(t.substring(0, t.length() - 1)))) {
                    return true;
                }
            }
            return false;
        }

        /** @param props the event's properties with its topic, as EventAdmin matches a filter against them */
        boolean wantsProperties(Map<String, Object> props) {
            return filter == null || anyFilter || filter.matches(props);
        }
    }

    void setEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    /** From now on, post only what a known handler wants (the caller reports every EventHandler service). */
    void gate() {
        gated = true;
    }

    /** An EventHandler service appeared or changed its properties. */
    void handler(Object key, Map<String, Object> properties) {
        handlers.put(key, Interest.of(properties.get(EventConstants.EVENT_TOPIC), properties.get(EventConstants.EVENT_FILTER)));
    }

    void handlerGone(Object key) {
        handlers.remove(key);
    }

    void post(String topic, EnrollmentId id, Instant at, Map<String, Object> extra) {
        EventAdmin admin = eventAdmin;
        if (admin == null || gated && !anyTakes(topic)) {
            return; // before any map is built: no handler takes the topic (every Idle, most of the time)
        }
        Map<String, Object> props = new HashMap<>(extra);
        if (id != null) {
            props.put(MdmEvents.ENROLLMENT_ID, id.format());
            props.put(MdmEvents.DEVICE_ID, id.deviceId());
            props.put(MdmEvents.CHANNEL, id.channel().name());
        }
        props.put(MdmEvents.TIMESTAMP, at.toEpochMilli());
        if (gated && !wanted(topic, props)) {
            return;
        }
        admin.postEvent(new Event(topic, props));
    }

    private boolean anyTakes(String topic) {
        for (Interest interest : handlers.values()) {
            if (interest.wantsTopic(topic)) {
                return true;
            }
        }
        return false;
    }

    private boolean wanted(String topic, Map<String, Object> props) {
        Map<String, Object> withTopic = null;
        for (Interest interest : handlers.values()) {
            if (!interest.wantsTopic(topic)) {
                continue;
            }
            if (interest.filter() != null && !interest.anyFilter() && withTopic == null) {
                withTopic = new HashMap<>(props);
                withTopic.put(EventConstants.EVENT_TOPIC, topic);
            }
            if (interest.wantsProperties(withTopic)) {
                return true;
            }
        }
        return false;
    }
}
