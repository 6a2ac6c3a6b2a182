package io.verger.simulator.mdm;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.verger.simulator.fleet.EnrolledDevice;

/** The check-in messages an enrolling device sends, with the keys an iPhone sends. */
public final class CheckinMessages {

    private CheckinMessages() {
    }

    public static Map<String, Object> authenticate(EnrolledDevice d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("MessageType", "Authenticate");
        m.put("UDID", d.udid());
        m.put("Topic", d.topic());
        m.put("SerialNumber", d.serialNumber());
        m.put("ProductName", d.productName());
        m.put("Model", d.productName());
        m.put("ModelName", d.model());
        m.put("OSVersion", d.osVersion());
        m.put("BuildVersion", d.buildVersion());
        m.put("DeviceName", d.deviceName());
        return m;
    }

    public static Map<String, Object> tokenUpdate(EnrolledDevice d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("MessageType", "TokenUpdate");
        m.put("UDID", d.udid());
        m.put("Topic", d.topic());
        m.put("Token", d.pushToken().getBytes(StandardCharsets.UTF_8));
        m.put("PushMagic", d.pushMagic());
        m.put("AwaitingConfiguration", false);
        return m;
    }
}
