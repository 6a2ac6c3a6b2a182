package io.verger.simulator.fleet;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A device the simulator has enrolled: its identity (key and certificate, PEM), its hardware facts, and the push
 * token and magic it sent in TokenUpdate. What the state file keeps, one per device.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrolledDevice(String udid, String serialNumber, String model, String productName, String osVersion, String buildVersion,
        String deviceName, String topic, String pushToken, String pushMagic, String keyPem, String certPem) {

    @JsonIgnore
    public PrivateKey privateKey() {
        return Pem.privateKey(keyPem);
    }

    @JsonIgnore
    public X509Certificate certificate() {
        return Pem.certificate(certPem);
    }
}
