package io.verger.core.internal;

import java.util.Map;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.DeviceFacts;

/** Reading the identifying keys of check-in messages and command reports, as Apple defines them. */
final class DeviceMessages {

    /** The UserID a Shared iPad sends for its temporary session user; the short name identifies that user. */
    static final String SHARED_IPAD_USER_ID = "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF";

    private DeviceMessages() {
    }

    /**
     * The channel a message speaks for: the device channel is the UDID (or EnrollmentID for a User Enrollment),
     * a user channel is {@code device:user} (UserID, the short name for a Shared iPad temporary user, or
     * EnrollmentUserID).
     */
    static EnrollmentId enrollmentId(Map<String, Object> message) {
        String device = string(message, "UDID");
        if (device == null) {
            device = string(message, "EnrollmentID");
        }
        if (device == null) {
            throw MdmException.badRequest("message has neither UDID nor EnrollmentID");
        }
        String user = string(message, "UserID");
        if (SHARED_IPAD_USER_ID.equalsIgnoreCase(user) && string(message, "UserShortName") != null) {
            user = string(message, "UserShortName");
        }
        if (user == null) {
            user = string(message, "EnrollmentUserID");
        }
        try {
            return user == null ? EnrollmentId.device(device) : EnrollmentId.user(device, user);
        } catch (IllegalArgumentException e) {
            throw MdmException.badRequest("invalid enrollment id: " + e.getMessage());
        }
    }

    static boolean isUserEnrollment(Map<String, Object> message) {
        return string(message, "UDID") == null && string(message, "EnrollmentID") != null;
    }

    static DeviceFacts facts(Map<String, Object> m) {
        return new DeviceFacts(string(m, "SerialNumber"), string(m, "Model"), string(m, "ModelName"), string(m, "ProductName"),
                string(m, "OSVersion"), string(m, "BuildVersion"), string(m, "DeviceName"), string(m, "IMEI"), string(m, "MEID"),
                string(m, "Topic"));
    }

    /** A string value, or null when absent; a present value of another type is a malformed message. */
    static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        throw MdmException.badRequest(key + " must be a string, got " + typeName(v));
    }

    static String requiredString(Map<String, Object> m, String key, String messageType) {
        String s = string(m, key);
        if (s == null) {
            throw MdmException.badRequest(messageType + " without " + key);
        }
        return s;
    }

    static byte[] data(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b;
        }
        throw MdmException.badRequest(key + " must be data, got " + typeName(v));
    }

    static boolean bool(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw MdmException.badRequest(key + " must be a boolean, got " + typeName(v));
    }

    static String typeName(Object v) {
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Long) {
            return "integer";
        }
        if (v instanceof Double) {
            return "real";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof byte[]) {
            return "data";
        }
        if (v instanceof java.time.Instant) {
            return "date";
        }
        if (v instanceof java.util.List) {
            return "array";
        }
        if (v instanceof Map) {
            return "dictionary";
        }
        return v.getClass().getSimpleName();
    }
}
