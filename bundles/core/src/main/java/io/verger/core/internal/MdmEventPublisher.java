package io.verger.core.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.verger.api.EnrollmentId;
import io.verger.api.event.MdmEvents;

/** Posts protocol events (asynchronously) when an EventAdmin is installed; does nothing otherwise. */
final class MdmEventPublisher {

    private volatile EventAdmin eventAdmin;

    void setEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    void post(String topic, EnrollmentId id, Instant at, Map<String, Object> extra) {
        EventAdmin admin = eventAdmin;
        if (admin == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>(extra);
        if (id != null) {
            props.put(MdmEvents.ENROLLMENT_ID, id.format());
            props.put(MdmEvents.DEVICE_ID, id.deviceId());
            props.put(MdmEvents.CHANNEL, id.channel().name());
        }
        props.put(MdmEvents.TIMESTAMP, at.toEpochMilli());
        admin.postEvent(new Event(topic, props));
    }
}
