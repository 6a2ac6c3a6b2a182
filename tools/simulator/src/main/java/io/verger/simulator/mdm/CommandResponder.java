package io.verger.simulator.mdm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import io.verger.simulator.fleet.EnrolledDevice;

/**
 * How one simulated device answers the commands it receives: the report body it sends back for a command
 * dictionary. A fraction of commands ({@code notNowRate}) is answered NotNow, as a busy or locked device does.
 */
public final class CommandResponder {

    private final EnrolledDevice device;
    private final DeviceFacts facts;
    private final ProfileStore profiles;
    private final double notNowRate;
    private final RandomGenerator random;

    public CommandResponder(EnrolledDevice device, double notNowRate, RandomGenerator random) {
        this.device = device;
        this.facts = new DeviceFacts(device);
        this.profiles = ProfileStore.withEnrollmentProfile(device.udid());
        this.notNowRate = notNowRate;
        this.random = random;
    }

    public ProfileStore profiles() {
        return profiles;
    }

    public DeviceFacts facts() {
        return facts;
    }

    /** The Idle report that starts a connection. */
    public Map<String, Object> idle() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("UDID", device.udid());
        r.put("Status", "Idle");
        return r;
    }

    /** The report answering {@code command} (the server's dictionary with CommandUUID and Command). */
    public Map<String, Object> answer(Map<String, Object> command) {
        String uuid = String.valueOf(command.get("CommandUUID"));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("UDID", device.udid());
        r.put("CommandUUID", uuid);
        if (!(command.get("Command") instanceof Map<?, ?> body) || !(body.get("RequestType") instanceof String type)) {
            r.put("Status", "CommandFormatError");
            return r;
        }
        if (notNowRate > 0 && random.nextDouble() < notNowRate) {
            r.put("Status", "NotNow");
            return r;
        }
        r.put("Status", "Acknowledged");
        switch (type) {
            case "DeviceInformation" -> r.put("QueryResponses", facts.answer(body.get("Queries") instanceof List<?> q ? q : List.of()));
            case "SecurityInfo" -> r.put("SecurityInfo", securityInfo());
            case "ProfileList" -> r.put("ProfileList", profiles.list());
            case "InstallProfile" -> {
                if (body.get("Payload") instanceof byte[] payload) {
                    try {
                        profiles.install(payload);
                    } catch (RuntimeException e) {
                        error(r, "MCProfileErrorDomain", 1000, "The profile could not be installed: " + e.getMessage());
                    }
                } else {
                    r.put("Status", "CommandFormatError");
                }
            }
            case "RemoveProfile" -> {
                if (!(body.get("Identifier") instanceof String id)) {
                    r.put("Status", "CommandFormatError");
                } else if (!profiles.remove(id)) {
                    error(r, "MCProfileErrorDomain", 1001, "The profile “" + id + "” could not be found.");
                }
            }
            case "EnableLostMode" -> facts.lostMode(true);
            case "DisableLostMode" -> facts.lostMode(false);
            case "DeviceLocation" -> {
                if (facts.lostMode()) {
                    r.put("Latitude", 52.5200);
                    r.put("Longitude", 13.4050);
                    r.put("HorizontalAccuracy", 12.0);
                    r.put("VerticalAccuracy", 8.0);
                    r.put("Altitude", 34.0);
                    r.put("Speed", 0.0);
                    r.put("Course", -1.0);
                    r.put("Timestamp", java.time.Instant.now().toString());
                } else {
                    error(r, "MCMDMErrorDomain", 12067, "The device is not in lost mode.");
                }
            }
            case "CertificateList" -> r.put("CertificateList", List.of(Map.of("CommonName", device.udid(), "IsIdentity", true,
                    "Data", der(device))));
            case "InstalledApplicationList" -> r.put("InstalledApplicationList", List.of(
                    Map.of("Identifier", "com.apple.Pages", "Name", "Pages", "ShortVersion", "14.2", "Version", "7342", "BundleSize", 512_000_000L),
                    Map.of("Identifier", "com.example.field", "Name", "Field Service", "ShortVersion", "3.1.0", "Version", "310", "BundleSize", 48_000_000L)));
            case "DeviceLock", "EraseDevice", "PlayLostModeSound", "ClearPasscode", "RestartDevice", "ShutDownDevice", "Settings",
                    "ClearRestrictionsPassword", "ScheduleOSUpdateScan", "DeviceConfigured" -> {
                // acknowledged with no payload, as iOS does
            }
            default -> error(r, "MCMDMErrorDomain", 12021, "Unknown command “" + type + "”.");
        }
        return r;
    }

    private static byte[] der(EnrolledDevice d) {
        try {
            return d.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(Map<String, Object> r, String domain, int code, String message) {
        r.put("Status", "Error");
        r.put("ErrorChain", List.of(Map.of("ErrorDomain", domain, "ErrorCode", (long) code, "LocalizedDescription", message,
                "USEnglishDescription", message)));
    }

    private Map<String, Object> securityInfo() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("HardwareEncryptionCaps", 3L);
        s.put("PasscodePresent", true);
        s.put("PasscodeCompliant", true);
        s.put("PasscodeCompliantWithProfiles", true);
        s.put("PasscodeLockGracePeriodEnforced", 0L);
        s.put("ManagementStatus", Map.of("EnrolledViaDEP", false, "IsUserEnrollment", false, "UserApprovedEnrollment", true));
        s.put("EnrolledViaDEP", false);
        s.put("IsUserEnrollment", false);
        s.put("FDE_Enabled", true);
        return s;
    }
}
