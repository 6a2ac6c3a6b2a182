package io.verger.simulator.fleet;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A device the simulator has enrolled: its identity (key and certificate, PEM), its hardware facts, the push
 * token and magic it sent in TokenUpdate, and — when it enrolled through the server's profile (scep mode) — the
 * profile's ServerURL and CheckInURL. What the state file keeps, one per device.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrolledDevice(String udid, String serialNumber, String model, String productName, String osVersion, String buildVersion,
        String deviceName, String topic, String pushToken, String pushMagic, String keyPem, String certPem,
        @JsonInclude(JsonInclude.Include.NON_NULL) String serverUrl, @JsonInclude(JsonInclude.Include.NON_NULL) String checkInUrl) {

    /** A device whose identity did not come with an enrollment profile (ca mode): no server URLs recorded. */
    public EnrolledDevice(String udid, String serialNumber, String model, String productName, String osVersion, String buildVersion,
            String deviceName, String topic, String pushToken, String pushMagic, String keyPem, String certPem) {
        this(udid, serialNumber, model, productName, osVersion, buildVersion, deviceName, topic, pushToken, pushMagic, keyPem, certPem, null, null);
    }

    @JsonIgnore
    public PrivateKey privateKey() {
        return Pem.privateKey(keyPem);
    }

    @JsonIgnore
    public X509Certificate certificate() {
        return Pem.certificate(certPem);
    }
}
