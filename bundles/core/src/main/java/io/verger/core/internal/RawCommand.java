package io.verger.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.verger.plist.PlistCodec;
import io.verger.plist.PlistException;

/**
 * A raw command plist as admins send it ({@code CommandUUID} and {@code Command} with {@code RequestType}):
 * checked, its CommandUUID kept or generated, and the bytes the device will receive.
 */
record RawCommand(String commandUuid, String requestType, byte[] plist) {

    static RawCommand parse(byte[] body, PlistCodec codec) {
        Map<String, Object> dict;
        try {
            dict = codec.decodeDictionary(body);
        } catch (PlistException e) {
            throw MdmException.badRequest("command is not a valid plist dictionary: " + e.getMessage());
        }
        if (!(dict.get("Command") instanceof Map<?, ?> command)) {
            throw MdmException.badRequest("command plist has no Command dictionary");
        }
        if (!(command.get("RequestType") instanceof String requestType) || requestType.isBlank()) {
            throw MdmException.badRequest("Command has no RequestType string");
        }
        Object uuidValue = dict.get("CommandUUID");
        if (uuidValue != null && !(uuidValue instanceof String)) {
            throw MdmException.badRequest("CommandUUID must be a string");
        }
        String uuid = (String) uuidValue;
        if (uuid != null && (uuid.isBlank() || uuid.length() > 255 || !uuid.chars().allMatch(c -> c > 32 && c < 127))) {
            throw MdmException.badRequest("CommandUUID must be 1 to 255 printable ASCII characters without spaces");
        }
        if (uuid == null) {
            uuid = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
            Map<String, Object> withUuid = new LinkedHashMap<>();
            withUuid.put("CommandUUID", uuid);
            dict.forEach((k, v) -> {
                if (!"CommandUUID".equals(k)) {
                    withUuid.put(k, v);
                }
            });
            return new RawCommand(uuid, requestType, codec.encodeXml(withUuid));
        }
        // keep the admin's bytes when they carry everything; binary plists are re-encoded as XML for devices
        boolean xml = body.length > 0 && body[0] != 'b';
        return new RawCommand(uuid, requestType, xml ? body : codec.encodeXml(dict));
    }
}
