package io.verger.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.checkin.CheckinReply;
import io.verger.api.command.CommandDescription;
import io.verger.api.command.CommandReport;
import io.verger.api.command.CommandType;
import io.verger.api.event.MdmEvents;
import io.verger.api.identity.VerifiedIdentity;
import io.verger.api.storage.CommandRecord;
import io.verger.api.storage.CommandState;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.QueuedCommand;
import io.verger.plist.PlistCodec;

class MdmProtocolTest {

    static final String UDID = "0000FE00-0A1B2C3D4E5F6071";
    static final EnrollmentId DEVICE = EnrollmentId.device(UDID);
    static final PlistCodec PLIST = PlistCodec.withDefaults();

    InMemoryStores.Enrollments enrollments;
    InMemoryStores.Queue queue;
    InMemoryStores.BootstrapTokens bootstrap;
    TestIdentities identities;
    List<Event> events;
    MdmProtocol protocol;
    VerifiedIdentity device;
    Instant now = Instant.parse("2026-11-01T10:00:00Z");

    @BeforeEach
    void setUp() {
        enrollments = new InMemoryStores.Enrollments();
        queue = new InMemoryStores.Queue(enrollments);
        bootstrap = new InMemoryStores.BootstrapTokens();
        identities = new TestIdentities();
        events = new ArrayList<>();
        protocol = new MdmProtocol();
        protocol.setEnrollmentStore(enrollments);
        protocol.setCommandQueue(queue);
        protocol.setBootstrapTokenStore(bootstrap);
        protocol.setIdentityVerifier(identities);
        protocol.setEventAdmin(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        });
        protocol.setClock(new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        });
        device = TestIdentities.identity(TestIdentities.certificate("device-1"));
        protocol.setLastSeenResolution(java.time.Duration.ZERO);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    static byte[] plist(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return PLIST.encodeXml(m);
    }

    Reply checkin(VerifiedIdentity who, Object... kv) {
        now = now.plusSeconds(1);
        return protocol.checkin(who, plist(kv));
    }

    Reply report(VerifiedIdentity who, Object... kv) {
        now = now.plusSeconds(1);
        return protocol.report(who, plist(kv));
    }

    void enroll() {
        checkin(device, "MessageType", "Authenticate", "UDID", UDID, "Topic", "com.apple.mgmt.test", "SerialNumber", "C02XYZ",
                "ProductName", "iPhone14,5", "OSVersion", "17.4", "DeviceName", "Test iPhone", "Model", "MLPF3LL/A");
        checkin(device, "MessageType", "TokenUpdate", "UDID", UDID, "Topic", "com.apple.mgmt.test", "Token", new byte[] {1, 2, 3},
                "PushMagic", "magic-1", "UnlockToken", new byte[] {9, 9});
    }

    String enqueue(EnrollmentId id, String requestType) {
        String uuid = "cmd-" + requestType + "-" + queue.queues.getOrDefault(id, new LinkedHashMap<>()).size();
        return enqueue(id, requestType, uuid, 0);
    }

    String enqueue(EnrollmentId id, String requestType, String uuid, int priority) {
        now = now.plusSeconds(1);
        byte[] cmd = plist("CommandUUID", uuid, "Command", Map.of("RequestType", requestType));
        assertTrue(queue.enqueue(QueuedCommand.of(uuid, requestType, cmd, now).withPriority(priority), List.of(id)).isEmpty());
        return uuid;
    }

    static String commandUuid(Reply reply) {
        assertEquals(200, reply.status());
        if (reply.body().length == 0) {
            return null;
        }
        return (String) PLIST.decodeDictionary(reply.body()).get("CommandUUID");
    }

    Reply idle() {
        return report(device, "UDID", UDID, "Status", "Idle");
    }

    Reply status(String status, String uuid, Object... extra) {
        Object[] kv = new Object[6 + extra.length];
        kv[0] = "UDID";
        kv[1] = UDID;
        kv[2] = "Status";
        kv[3] = status;
        kv[4] = "CommandUUID";
        kv[5] = uuid;
        System.arraycopy(extra, 0, kv, 6, extra.length);
        return report(device, kv);
    }

    List<String> topics() {
        List<String> t = new ArrayList<>();
        events.forEach(e -> t.add(e.getTopic()));
        return t;
    }

    // ---- check-in ----------------------------------------------------------------------------------------

    @Test
    void authenticateStoresFactsButEnrollmentIsNotActiveUntilTokenUpdate() {
        Reply r = checkin(device, "MessageType", "Authenticate", "UDID", UDID, "Topic", "com.apple.mgmt.test", "SerialNumber", "C02XYZ",
                "ProductName", "iPhone14,5", "OSVersion", "17.4");
        assertEquals(200, r.status());
        assertEquals(0, r.body().length);
        Enrollment e = enrollments.find(DEVICE).orElseThrow();
        assertFalse(e.enabled(), "not active before TokenUpdate");
        assertEquals("C02XYZ", e.facts().serialNumber());
        assertEquals("17.4", e.facts().osVersion());
        assertEquals(EnrollmentType.DEVICE, e.type());
        assertTrue(topics().contains(MdmEvents.CHECKIN_AUTHENTICATE));
        assertEquals(1, queue.enqueue(QueuedCommand.of("x", "DeviceInformation", plist("a", "b"), now), List.of(DEVICE)).size(),
                "nothing can be queued for an inactive enrollment");
    }

    @Test
    void tokenUpdateActivatesStoresPushDataAndCountsFirstAsEnrollmentComplete() {
        enroll();
        Enrollment e = enrollments.find(DEVICE).orElseThrow();
        assertTrue(e.enabled());
        assertEquals(1, e.tokenUpdates());
        assertEquals("com.apple.mgmt.test", e.topic());
        assertArrayEquals(new byte[] {9, 9}, enrollments.unlockToken(DEVICE).orElseThrow());
        assertEquals("magic-1", enrollments.pushTargets(List.of(DEVICE)).get(0).pushMagic());
        assertTrue(topics().contains(MdmEvents.ENROLLMENT_ENROLLED));

        events.clear();
        checkin(device, "MessageType", "TokenUpdate", "UDID", UDID, "Topic", "com.apple.mgmt.test", "Token", new byte[] {4},
                "PushMagic", "magic-2");
        assertEquals(2, enrollments.find(DEVICE).orElseThrow().tokenUpdates());
        assertFalse(topics().contains(MdmEvents.ENROLLMENT_ENROLLED), "a token refresh is not a new enrollment");
        assertEquals("magic-2", enrollments.pushTargets(List.of(DEVICE)).get(0).pushMagic());
    }

    @Test
    void userChannelTokenUpdateCreatesUserEnrollment() {
        enroll();
        checkin(device, "MessageType", "TokenUpdate", "UDID", UDID, "UserID", "USER-GUID-1", "UserShortName", "alice",
                "UserLongName", "Alice A", "Topic", "com.apple.mgmt.test", "Token", new byte[] {7}, "PushMagic", "umagic");
        EnrollmentId user = EnrollmentId.user(UDID, "USER-GUID-1");
        Enrollment u = enrollments.find(user).orElseThrow();
        assertTrue(u.enabled());
        assertEquals("alice", u.userShortName());
        assertEquals(1, enrollments.userChannels(DEVICE).size());
    }

    @Test
    void tokenUpdateWithoutTokenIsRefused() {
        checkin(device, "MessageType", "Authenticate", "UDID", UDID);
        MdmException e = assertThrows(MdmException.class,
                () -> checkin(device, "MessageType", "TokenUpdate", "UDID", UDID, "Topic", "t", "PushMagic", "m"));
        assertEquals(400, e.status());
        assertFalse(enrollments.find(DEVICE).orElseThrow().enabled());
    }

    @Test
    void checkOutDisablesDeviceAndItsUserChannels() {
        enroll();
        checkin(device, "MessageType", "TokenUpdate", "UDID", UDID, "UserID", "U1", "Topic", "t", "Token", new byte[] {7}, "PushMagic", "m");
        checkin(device, "MessageType", "CheckOut", "UDID", UDID, "Topic", "com.apple.mgmt.test");
        assertFalse(enrollments.find(DEVICE).orElseThrow().enabled());
        assertFalse(enrollments.find(EnrollmentId.user(UDID, "U1")).orElseThrow().enabled());
        assertTrue(enrollments.pushTargets(List.of(DEVICE)).isEmpty());
        assertTrue(topics().contains(MdmEvents.ENROLLMENT_UNENROLLED));
    }

    @Test
    void checkOutThenNewAuthenticateReEnrollsWithAnEmptyQueue() {
        enroll();
        String old = enqueue(DEVICE, "DeviceLock");
        checkin(device, "MessageType", "CheckOut", "UDID", UDID);
        checkin(device, "MessageType", "Authenticate", "UDID", UDID, "SerialNumber", "C02XYZ");
        assertFalse(enrollments.find(DEVICE).orElseThrow().enabled(), "re-enrolled but not active before TokenUpdate");
        assertEquals(CommandState.CANCELLED, queue.find(DEVICE, old).orElseThrow().state(), "the old queue is cleared");
        checkin(device, "MessageType", "TokenUpdate", "UDID", UDID, "Topic", "t", "Token", new byte[] {5}, "PushMagic", "m3");
        assertTrue(enrollments.find(DEVICE).orElseThrow().enabled());
        assertEquals(1, enrollments.find(DEVICE).orElseThrow().tokenUpdates(), "counting restarts with the new enrollment");
        assertEquals(null, commandUuid(idle()), "the old command is not delivered to the new enrollment");
    }

    @Test
    void reEnrollmentWithoutCheckOutClearsTheOldQueue() {
        enroll();
        String old = enqueue(DEVICE, "InstallProfile");
        checkin(device, "MessageType", "Authenticate", "UDID", UDID);
        assertEquals(CommandState.CANCELLED, queue.find(DEVICE, old).orElseThrow().state());
    }

    @Test
    void anotherCertificateClaimingTheSameUdidIsRefusedWith403() {
        enroll();
        VerifiedIdentity intruder = TestIdentities.identity(TestIdentities.certificate("intruder"));
        enqueue(DEVICE, "DeviceLock");
        MdmException e = assertThrows(MdmException.class, () -> report(intruder, "UDID", UDID, "Status", "Idle"));
        assertEquals(403, e.status());
        assertTrue(topics().contains(MdmEvents.ENROLLMENT_IDENTITY_REJECTED));
        MdmException e2 = assertThrows(MdmException.class,
                () -> checkin(intruder, "MessageType", "TokenUpdate", "UDID", UDID, "Topic", "t", "Token", new byte[] {1}, "PushMagic", "evil"));
        assertEquals(403, e2.status());
        assertEquals("magic-1", enrollments.pushTargets(List.of(DEVICE)).get(0).pushMagic(), "nothing stored from the intruder");
    }

    @Test
    void aDeviceCannotAnswerAnotherDevicesCommand() {
        enroll();
        String uuid = enqueue(DEVICE, "EraseDevice");
        VerifiedIdentity other = TestIdentities.identity(TestIdentities.certificate("device-2"));
        String udid2 = "OTHER-UDID";
        checkin(other, "MessageType", "Authenticate", "UDID", udid2);
        checkin(other, "MessageType", "TokenUpdate", "UDID", udid2, "Topic", "t", "Token", new byte[] {2}, "PushMagic", "m");
        // the other device reports Acknowledged for the first device's command under its own UDID
        assertEquals(null, commandUuid(report(other, "UDID", udid2, "Status", "Acknowledged", "CommandUUID", uuid)));
        assertEquals(CommandState.QUEUED, queue.find(DEVICE, uuid).orElseThrow().state(), "untouched");
        // and cannot claim the first device's UDID
        assertEquals(403, assertThrows(MdmException.class,
                () -> report(other, "UDID", UDID, "Status", "Acknowledged", "CommandUUID", uuid)).status());
        assertEquals(uuid, commandUuid(idle()), "still delivered to its own device");
    }

    @Test
    void malformedOrIncompleteMessagesAreRefusedWith400() {
        assertEquals(400, assertThrows(MdmException.class, () -> protocol.checkin(device, "not a plist".getBytes(StandardCharsets.UTF_8))).status());
        assertEquals(400, assertThrows(MdmException.class, () -> protocol.checkin(device, new byte[0])).status());
        assertEquals(400, assertThrows(MdmException.class, () -> checkin(device, "MessageType", "Bogus", "UDID", UDID)).status());
        assertEquals(400, assertThrows(MdmException.class, () -> checkin(device, "UDID", UDID)).status());
        assertEquals(400, assertThrows(MdmException.class, () -> checkin(device, "MessageType", "Authenticate")).status());
        assertEquals(400, assertThrows(MdmException.class, () -> checkin(device, "MessageType", "Authenticate", "UDID", 42L)).status());
        assertEquals(400, assertThrows(MdmException.class,
                () -> checkin(device, "MessageType", "Authenticate", "UDID", UDID, "UserID", "u")).status());
        assertTrue(enrollments.map.isEmpty(), "nothing stored");
        enroll();
        assertEquals(400, assertThrows(MdmException.class, () -> report(device, "UDID", UDID)).status());
        assertEquals(400, assertThrows(MdmException.class, () -> report(device, "UDID", UDID, "Status", "Maybe")).status());
        assertEquals(400, assertThrows(MdmException.class, () -> report(device, "UDID", UDID, "Status", "Acknowledged")).status());
        assertEquals(400, assertThrows(MdmException.class, () -> report(device, "Status", "Idle")).status());
    }

    @Test
    void missingStorageAnswers503() {
        protocol.unsetEnrollmentStore(enrollments);
        assertEquals(503, assertThrows(MdmException.class, () -> checkin(device, "MessageType", "Authenticate", "UDID", UDID)).status());
    }

    // ---- the queue ---------------------------------------------------------------------------------------

    @Test
    void idleGetsTheFirstCommandAcknowledgedGetsTheNextThenAnEmptyAnswer() {
        enroll();
        String a = enqueue(DEVICE, "DeviceInformation");
        String b = enqueue(DEVICE, "SecurityInfo");
        assertEquals(a, commandUuid(idle()));
        assertEquals(b, commandUuid(status("Acknowledged", a, "QueryResponses", Map.of("OSVersion", "17.4"))));
        Reply last = status("Acknowledged", b);
        assertEquals(null, commandUuid(last));
        assertEquals(0, last.body().length, "empty 200 when the queue is empty");
        assertEquals(CommandState.ACKNOWLEDGED, queue.find(DEVICE, a).orElseThrow().state());
        assertTrue(topics().contains(MdmEvents.COMMAND_ACKNOWLEDGED));
        assertTrue(enrollments.find(DEVICE).orElseThrow().lastSeenAt().equals(now), "connects update last seen");
    }

    @Test
    void lastSeenIsWrittenAtMostOncePerResolutionInterval() {
        enroll();
        protocol.setLastSeenResolution(java.time.Duration.ofSeconds(30));
        Instant firstWrite = enrollments.find(DEVICE).orElseThrow().lastSeenAt();
        idle();
        idle();
        assertEquals(firstWrite, enrollments.find(DEVICE).orElseThrow().lastSeenAt(), "connects within 30 s are not written again");
        now = now.plusSeconds(31);
        idle();
        assertEquals(firstWrite, enrollments.find(DEVICE).orElseThrow().lastSeenAt(), "written behind, not during the request");
        assertEquals(1, protocol.lastSeen.queued());
        assertEquals(1, protocol.lastSeen.flush());
        assertEquals(now, enrollments.find(DEVICE).orElseThrow().lastSeenAt(), "after the interval the next connect is written");
        assertEquals(0, protocol.lastSeen.flush(), "nothing left to write");
    }

    @Test
    void theReplyIsTheQueuedCommandPlistWithCommandUuidAndRequestType() {
        enroll();
        String a = enqueue(DEVICE, "DeviceLock");
        Map<String, Object> cmd = PLIST.decodeDictionary(idle().body());
        assertEquals(a, cmd.get("CommandUUID"));
        assertEquals("DeviceLock", ((Map<?, ?>) cmd.get("Command")).get("RequestType"));
    }

    @Test
    void notNowKeepsTheCommandForTheNextConnectAndMovesOn() {
        enroll();
        String a = enqueue(DEVICE, "InstallApplication");
        String b = enqueue(DEVICE, "DeviceInformation");
        assertEquals(a, commandUuid(idle()));
        assertEquals(b, commandUuid(status("NotNow", a)), "NotNow moves on to the next command in this connect");
        assertEquals(null, commandUuid(status("Acknowledged", b)), "the NotNow'd command waits for a later connect");
        assertEquals(CommandState.NOT_NOW, queue.find(DEVICE, a).orElseThrow().state());
        assertEquals(a, commandUuid(idle()), "the next Idle gets it again");
        assertEquals(null, commandUuid(status("Acknowledged", a)));
        assertEquals(CommandState.ACKNOWLEDGED, queue.find(DEVICE, a).orElseThrow().state());
    }

    @Test
    void higherPriorityIsDeliveredFirstThenFifo() {
        enroll();
        String low1 = enqueue(DEVICE, "ProfileList", "low-1", 0);
        String high = enqueue(DEVICE, "DeviceLock", "high", 10);
        String low2 = enqueue(DEVICE, "CertificateList", "low-2", 0);
        assertEquals(high, commandUuid(idle()));
        assertEquals(low1, commandUuid(status("Acknowledged", high)));
        assertEquals(low2, commandUuid(status("Acknowledged", low1)));
    }

    @Test
    void errorCompletesTheCommandAndKeepsTheErrorChain() {
        enroll();
        String a = enqueue(DEVICE, "InstallProfile");
        idle();
        status("Error", a, "ErrorChain", List.of(Map.of("ErrorCode", 4001L, "ErrorDomain", "MCProfileErrorDomain",
                "LocalizedDescription", "The profile is invalid.")));
        CommandRecord r = queue.find(DEVICE, a).orElseThrow();
        assertEquals(CommandState.ERROR, r.state());
        assertEquals(4001L, r.lastResult().errorChain().get(0).code());
        assertEquals("MCProfileErrorDomain", r.lastResult().errorChain().get(0).domain());
        assertEquals(null, commandUuid(idle()), "an errored command is not delivered again");
    }

    @Test
    void commandFormatErrorCompletesTheCommand() {
        enroll();
        String a = enqueue(DEVICE, "Bogus");
        idle();
        status("CommandFormatError", a);
        assertEquals(CommandState.COMMAND_FORMAT_ERROR, queue.find(DEVICE, a).orElseThrow().state());
        assertEquals(null, commandUuid(idle()));
    }

    @Test
    void aDuplicateReportIsHarmless() {
        enroll();
        String a = enqueue(DEVICE, "DeviceInformation");
        String b = enqueue(DEVICE, "SecurityInfo");
        idle();
        assertEquals(b, commandUuid(status("Acknowledged", a)));
        assertEquals(b, commandUuid(status("Acknowledged", a)), "the same report again: still the next pending command");
        assertEquals(CommandState.ACKNOWLEDGED, queue.find(DEVICE, a).orElseThrow().state());
        assertEquals(CommandState.QUEUED, queue.find(DEVICE, b).orElseThrow().state());
    }

    @Test
    void aReportForAnUnknownCommandUuidIsIgnoredAndTheNextCommandGiven() {
        enroll();
        String a = enqueue(DEVICE, "DeviceInformation");
        assertEquals(a, commandUuid(status("Acknowledged", "no-such-command")));
        assertTrue(queue.find(DEVICE, "no-such-command").isEmpty(), "nothing stored for an unknown command");
        assertTrue(topics().contains(MdmEvents.COMMAND_ACKNOWLEDGED), "the report is still an event, without a request type");
    }

    @Test
    void aReportForACancelledCommandIsRecordedAndItIsNotDeliveredAgain() {
        enroll();
        String a = enqueue(DEVICE, "EraseDevice");
        assertEquals(a, commandUuid(idle()));
        assertTrue(queue.cancel(DEVICE, a, now));
        assertEquals(null, commandUuid(status("Acknowledged", a)));
        assertEquals(CommandState.ACKNOWLEDGED, queue.find(DEVICE, a).orElseThrow().state(),
                "the device had received it and ran it: the result is kept");
        String b = enqueue(DEVICE, "DeviceLock");
        queue.cancel(DEVICE, b, now);
        assertEquals(null, commandUuid(idle()), "a cancelled command is never delivered");
    }

    @Test
    void resultsReachTheCommandTypeAndAFailingHandlerDoesNotBreakTheConnect() {
        enroll();
        List<CommandReport> seen = new ArrayList<>();
        protocol.addCommandType(new CommandType() {
            @Override
            public String requestType() {
                return "DeviceInformation";
            }

            @Override
            public CommandDescription describe() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void handleResult(CommandReport report) {
                seen.add(report);
                throw new IllegalStateException("inventory full");
            }
        });
        String a = enqueue(DEVICE, "DeviceInformation");
        String b = enqueue(DEVICE, "SecurityInfo");
        idle();
        assertEquals(b, commandUuid(status("Acknowledged", a, "QueryResponses", Map.of("DeviceName", "Phone"))));
        assertEquals(1, seen.size());
        assertEquals("Phone", ((Map<?, ?>) seen.get(0).response().get("QueryResponses")).get("DeviceName"));
        assertTrue(topics().contains(MdmEvents.COMMAND_HANDLER_FAILED));
    }

    // ---- other check-in messages -------------------------------------------------------------------------

    @Test
    void bootstrapTokenIsEscrowedAndReturned() {
        enroll();
        assertEquals(0, checkin(device, "MessageType", "GetBootstrapToken", "UDID", UDID).body().length, "none escrowed yet");
        checkin(device, "MessageType", "SetBootstrapToken", "UDID", UDID, "BootstrapToken", new byte[] {1, 2, 3, 4});
        Reply r = checkin(device, "MessageType", "GetBootstrapToken", "UDID", UDID);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, (byte[]) PLIST.decodeDictionary(r.body()).get("BootstrapToken"));
        for (Event e : events) {
            if (e.getTopic().equals(MdmEvents.CHECKIN_SET_BOOTSTRAP_TOKEN)) {
                assertEquals(null, e.getProperty(MdmEvents.RAW_PLIST), "the secret token is not put into events");
            }
        }
    }

    @Test
    void userAuthenticateIsAnsweredWithAnEmptyDigestChallengeThenAccepted() {
        enroll();
        Reply first = checkin(device, "MessageType", "UserAuthenticate", "UDID", UDID, "UserID", "U1");
        assertEquals("", PLIST.decodeDictionary(first.body()).get("DigestChallenge"));
        Reply second = checkin(device, "MessageType", "UserAuthenticate", "UDID", UDID, "UserID", "U1", "DigestResponse", "x");
        assertEquals(200, second.status());
        assertEquals(0, second.body().length);
    }

    @Test
    void declarativeManagementWithoutAModuleGetsAClearNotSupported() {
        enroll();
        Reply r = checkin(device, "MessageType", "DeclarativeManagement", "UDID", UDID, "Endpoint", "tokens");
        assertEquals(501, r.status());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("DeclarativeManagement"));
        protocol.setDeclarativeManagement((id, endpoint, data) -> CheckinReply.json(("{\"endpoint\":\"" + endpoint + "\"}").getBytes()));
        Reply ok = checkin(device, "MessageType", "DeclarativeManagement", "UDID", UDID, "Endpoint", "tokens");
        assertEquals(200, ok.status());
        assertEquals("{\"endpoint\":\"tokens\"}", new String(ok.body(), StandardCharsets.UTF_8));
    }

    @Test
    void getTokenWithoutATokenServiceGetsAClearError() {
        enroll();
        Reply r = checkin(device, "MessageType", "GetToken", "UDID", UDID, "TokenServiceType", "com.apple.maid");
        assertEquals(501, r.status());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("com.apple.maid"));
    }

    @Test
    void everyCheckinAndReportIsAnEvent() {
        enroll();
        String a = enqueue(DEVICE, "DeviceInformation");
        idle();
        status("Acknowledged", a);
        List<String> t = topics();
        assertTrue(t.contains(MdmEvents.CHECKIN_AUTHENTICATE));
        assertTrue(t.contains(MdmEvents.CHECKIN_TOKEN_UPDATE));
        assertTrue(t.contains(MdmEvents.COMMAND_IDLE));
        assertTrue(t.contains(MdmEvents.COMMAND_ACKNOWLEDGED));
        Event ack = events.stream().filter(e -> e.getTopic().equals(MdmEvents.COMMAND_ACKNOWLEDGED)).findFirst().orElseThrow();
        assertEquals(a, ack.getProperty(MdmEvents.COMMAND_UUID));
        assertEquals("DeviceInformation", ack.getProperty(MdmEvents.REQUEST_TYPE));
        assertEquals(UDID, ack.getProperty(MdmEvents.ENROLLMENT_ID));
    }

    @Test
    void userEnrollmentUsesEnrollmentIdAsDeviceChannel() {
        X509Certificate cert = TestIdentities.certificate("byod");
        VerifiedIdentity byod = TestIdentities.identity(cert);
        checkin(byod, "MessageType", "Authenticate", "EnrollmentID", "ENR-123", "Topic", "t");
        Enrollment e = enrollments.find(EnrollmentId.device("ENR-123")).orElseThrow();
        assertEquals(EnrollmentType.USER_ENROLLMENT, e.type());
    }
}
