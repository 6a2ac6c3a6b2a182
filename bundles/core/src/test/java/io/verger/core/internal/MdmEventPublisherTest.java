package io.verger.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;

import io.verger.api.EnrollmentId;
import io.verger.api.event.MdmEvents;

class MdmEventPublisherTest {

    static final EnrollmentId DEVICE = EnrollmentId.device("0000FE00-0A1B2C3D4E5F6071");
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    MdmEventPublisher publisher;
    List<String> posted;

    @BeforeEach
    void setUp() {
        publisher = new MdmEventPublisher();
        posted = new ArrayList<>();
        publisher.setEventAdmin(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event.getTopic() + " " + event.getProperty(MdmEvents.COMMAND_UUID));
            }

            @Override
            public void sendEvent(Event event) {
                postEvent(event);
            }
        });
    }

    void ack(String uuid, String requestType) {
        publisher.post(MdmEvents.COMMAND_ACKNOWLEDGED, DEVICE, NOW,
                Map.of(MdmEvents.COMMAND_UUID, uuid, MdmEvents.REQUEST_TYPE, requestType));
    }

    @Test
    void ungatedPostsEverything() {
        publisher.post(MdmEvents.COMMAND_IDLE, DEVICE, NOW, Map.of());
        ack("A", "DeviceInformation");
        assertEquals(List.of("verger/command/IDLE null", "verger/command/ACKNOWLEDGED A"), posted);
    }

    @Test
    void gatedWithoutHandlersPostsNothing() {
        publisher.gate();
        publisher.post(MdmEvents.COMMAND_IDLE, DEVICE, NOW, Map.of());
        ack("A", "DeviceInformation");
        assertEquals(List.of(), posted);
    }

    @Test
    void topicsExactPrefixAndAll() {
        publisher.gate();
        publisher.handler("exact", Map.of(EventConstants.EVENT_TOPIC, MdmEvents.COMMAND_ACKNOWLEDGED));
        publisher.post(MdmEvents.COMMAND_IDLE, DEVICE, NOW, Map.of());
        ack("A", "DeviceInformation");
        assertEquals(List.of("verger/command/ACKNOWLEDGED A"), posted);

        publisher.handler("prefix", Map.of(EventConstants.EVENT_TOPIC, new String[] {"verger/enrollment/*", MdmEvents.COMMAND_ALL}));
        publisher.post(MdmEvents.COMMAND_IDLE, DEVICE, NOW, Map.of());
        publisher.post("verger/commandX", DEVICE, NOW, Map.of()); // "verger/command/*" is not a prefix of it
        assertEquals(List.of("verger/command/ACKNOWLEDGED A", "verger/command/IDLE null"), posted);

        publisher.handlerGone("prefix");
        publisher.handler("all", Map.of(EventConstants.EVENT_TOPIC, List.of("*")));
        publisher.post("verger/commandX", DEVICE, NOW, Map.of());
        assertEquals(3, posted.size());

        publisher.handlerGone("all");
        publisher.handlerGone("exact");
        ack("B", "DeviceInformation");
        assertEquals(3, posted.size());
    }

    @Test
    void filterDecidesLikeEventAdmin() {
        publisher.gate();
        // the policy engine's subscription
        publisher.handler("engine", Map.of(EventConstants.EVENT_TOPIC, new String[] {MdmEvents.ENROLLMENT_ENROLLED, MdmEvents.COMMAND_ACKNOWLEDGED},
                EventConstants.EVENT_FILTER, "(|(!(command.uuid=*))(command.uuid=vp.*)(command.requestType=ProfileList))"));
        ack("DRAIN-1", "DeviceInformation");
        ack("vp.i.wifi.3.abc", "InstallProfile");
        ack("LIST-1", "ProfileList");
        publisher.post(MdmEvents.ENROLLMENT_ENROLLED, DEVICE, NOW, Map.of());
        publisher.post(MdmEvents.COMMAND_IDLE, DEVICE, NOW, Map.of());
        assertEquals(List.of("verger/command/ACKNOWLEDGED vp.i.wifi.3.abc", "verger/command/ACKNOWLEDGED LIST-1",
                MdmEvents.ENROLLMENT_ENROLLED + " null"), posted);
    }

    @Test
    void filterOnTheTopicAndUnreadableFilters() {
        publisher.gate();
        publisher.handler("topicFilter", Map.of(EventConstants.EVENT_TOPIC, MdmEvents.COMMAND_ALL,
                EventConstants.EVENT_FILTER, "(event.topics=verger/command/ERROR)"));
        ack("A", "DeviceInformation");
        publisher.post(MdmEvents.COMMAND_ERROR, DEVICE, NOW, Map.of(MdmEvents.COMMAND_UUID, "E"));
        assertEquals(List.of("verger/command/ERROR E"), posted);
        // a filter we cannot parse: EventAdmin judges, so the topic alone decides here
        publisher.handler("broken", Map.of(EventConstants.EVENT_TOPIC, MdmEvents.COMMAND_ACKNOWLEDGED, EventConstants.EVENT_FILTER, "(oops"));
        ack("B", "DeviceInformation");
        assertEquals(List.of("verger/command/ERROR E", "verger/command/ACKNOWLEDGED B"), posted);
        // no topics: EventAdmin delivers nothing to it
        publisher.handlerGone("broken");
        publisher.handler("none", Map.of());
        ack("C", "DeviceInformation");
        assertEquals(2, posted.size());
    }
}
