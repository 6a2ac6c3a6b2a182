package io.verger.api.storage;

import java.util.Optional;

import io.verger.api.Platform;

/**
 * What a device says about itself in {@code Authenticate} (and later {@code DeviceInformation}). Every field
 * may be {@code null}: devices send different subsets (a User Enrollment sends no serial number or UDID, a Mac
 * no IMEI).
 *
 * @param serialNumber {@code SerialNumber}
 * @param model        {@code Model}, e.g. {@code MLPF3LL/A}
 * @param modelName    {@code ModelName}, e.g. {@code iPhone}
 * @param productName  {@code ProductName}, e.g. {@code iPhone14,5}
 * @param osVersion    {@code OSVersion}, e.g. {@code 17.4.1}
 * @param buildVersion {@code BuildVersion}, e.g. {@code 21E236}
 * @param deviceName   {@code DeviceName}
 * @param imei         {@code IMEI}
 * @param meid         {@code MEID}
 * @param topic        {@code Topic}: the APNs topic of the MDM push certificate the device enrolled with
 */
public record DeviceFacts(String serialNumber, String model, String modelName, String productName, String osVersion,
        String buildVersion, String deviceName, String imei, String meid, String topic) {

    /** Facts of a device that told nothing about itself. */
    public static final DeviceFacts NONE = new DeviceFacts(null, null, null, null, null, null, null, null, null, null);

    /** @return the platform derived from {@link #productName()}, or empty when it is unknown */
    public Optional<Platform> platform() {
        return Platform.ofProductName(productName);
    }
}
