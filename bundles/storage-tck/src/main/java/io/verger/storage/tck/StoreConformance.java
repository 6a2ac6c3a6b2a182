package io.verger.storage.tck;

import io.verger.api.CommandStatus;
import io.verger.api.EnrollmentId;
import io.verger.api.EnrollmentType;
import io.verger.api.ErrorChainEntry;
import io.verger.api.push.PushTarget;
import io.verger.api.storage.CommandResult;
import io.verger.api.storage.DeviceFacts;
import io.verger.api.storage.QueuedCommand;
import io.verger.api.storage.TokenUpdate;
import org.junit.jupiter.api.BeforeEach;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What every conformance class shares: the fixture, a fixed clock and builders of protocol data.
 * Ids are random per test, so a provider may also reuse one database across tests.
 */
public abstract class StoreConformance {

    /** The time the tests start at; every instant in the tests is an offset from it. */
    protected static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

    protected StorageFixture stores;

    /** @return the provider's stores over an empty database; called before every test */
    protected abstract StorageFixture fixture();

    @BeforeEach
    void openStores() {
        stores = fixture();
    }

    protected static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** @return a new device channel id, unique to this test */
    protected static EnrollmentId newDevice() {
        return EnrollmentId.device("D" + UUID.randomUUID().toString().toUpperCase());
    }

    protected static String newUuid() {
        return UUID.randomUUID().toString().toUpperCase();
    }

    protected static DeviceFacts iPhoneFacts(String serial) {
        return new DeviceFacts(serial, "MLPF3LL/A", "iPhone", "iPhone14,5", "17.4.1", "21E236", "Test iPhone",
                "35 209900 176148 1", null, "com.apple.mgmt.External.test");
    }

    protected static DeviceFacts macFacts(String serial) {
        return new DeviceFacts(serial, "Mac14,2", "MacBook Air", "Mac14,2", "14.5", "23F79", "Test Mac",
                null, null, "com.apple.mgmt.External.test");
    }

    protected static byte[] token(EnrollmentId id, int generation) {
        return ("token-" + id + "-" + generation).getBytes(StandardCharsets.UTF_8);
    }

    protected static TokenUpdate tokenUpdate(EnrollmentId id, int generation, Instant at) {
        return new TokenUpdate(new PushTarget(id, token(id, generation), "magic-" + generation, "com.apple.mgmt.External.test"),
                null, false, null, null, at);
    }

    /** Authenticates and sends the first TokenUpdate of a device channel: an enabled enrollment. */
    protected EnrollmentId enrolledDevice(Instant at) {
        EnrollmentId id = newDevice();
        stores.enrollments().authenticate(id, EnrollmentType.DEVICE, iPhoneFacts("SN" + id.deviceId().substring(1, 9)), at);
        stores.enrollments().tokenUpdate(tokenUpdate(id, 1, at));
        return id;
    }

    protected EnrollmentId enrolledDevice() {
        return enrolledDevice(T0);
    }

    protected static byte[] commandPlist(String uuid, String requestType) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><dict><key>CommandUUID</key><string>"
                + uuid + "</string><key>Command</key><dict><key>RequestType</key><string>" + requestType
                + "</string></dict></dict></plist>").getBytes(StandardCharsets.UTF_8);
    }

    protected static QueuedCommand command(String uuid, Instant createdAt) {
        return QueuedCommand.of(uuid, "DeviceInformation", commandPlist(uuid, "DeviceInformation"), createdAt);
    }

    protected static QueuedCommand command(Instant createdAt) {
        return command(newUuid(), createdAt);
    }

    protected static CommandResult result(EnrollmentId id, String uuid, CommandStatus status, Instant at) {
        byte[] plist = ("<plist><dict><key>Status</key><string>" + status.appleName() + "</string><key>CommandUUID</key><string>"
                + uuid + "</string><key>UDID</key><string>" + id.deviceId() + "</string></dict></plist>").getBytes(StandardCharsets.UTF_8);
        List<ErrorChainEntry> chain = status == CommandStatus.ERROR
                ? List.of(new ErrorChainEntry(12345, "MCProfileErrorDomain", "Le profil est invalide", "The profile is invalid"),
                        new ErrorChainEntry(-1, "", "", null))
                : List.of();
        return new CommandResult(id, uuid, status, plist, chain, at);
    }
}
