package io.verger.simulator.mdm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.verger.simulator.fleet.EnrolledDevice;

/**
 * What a simulated device answers to DeviceInformation: a realistic value for each query key of Apple's schema
 * (mdm/commands/information.device.yaml) that an iPhone or iPad reports. Only the queried keys are answered, and
 * keys the device does not know are left out, as iOS does.
 */
public final class DeviceFacts {

    private final Map<String, Object> all = new LinkedHashMap<>();

    public DeviceFacts(EnrolledDevice d) {
        int h = d.udid().hashCode() & 0x7FFFFFFF;
        boolean iPad = d.productName().startsWith("iPad");
        all.put("UDID", d.udid());
        all.put("DeviceName", d.deviceName());
        all.put("OSVersion", d.osVersion());
        all.put("BuildVersion", d.buildVersion());
        all.put("ModelName", iPad ? "iPad" : "iPhone");
        all.put("Model", iPad ? "MK2K3LL/A" : "MQ9T3LL/A");
        all.put("ModelNumber", iPad ? "MK2K3" : "MQ9T3");
        all.put("ProductName", d.productName());
        all.put("SerialNumber", d.serialNumber());
        all.put("DeviceCapacity", 119.2);
        all.put("AvailableDeviceCapacity", 61.5 + (h % 400) / 10.0);
        all.put("BatteryLevel", (h % 100) / 100.0);
        all.put("HasBattery", true);
        all.put("CellularTechnology", iPad ? 0L : 3L);
        if (!iPad) {
            all.put("IMEI", String.format("35 %06d %06d %d", h % 1_000_000, (h / 7) % 1_000_000, h % 10));
            all.put("MEID", String.format("35%012d", h % 1_000_000_000_000L));
            all.put("ModemFirmwareVersion", "2.04.02");
            all.put("ICCID", String.format("8901 2603 %04d %04d %04d", h % 10000, (h / 3) % 10000, (h / 11) % 10000));
            all.put("PhoneNumber", String.format("+1 (555) %03d-%04d", h % 1000, (h / 13) % 10000));
            all.put("CurrentCarrierNetwork", "T-Mobile");
            all.put("SIMCarrierNetwork", "T-Mobile");
            all.put("SubscriberCarrierNetwork", "T-Mobile");
            all.put("CarrierSettingsVersion", "60.0");
            all.put("CurrentMCC", "310");
            all.put("CurrentMNC", "260");
            all.put("SubscriberMCC", "310");
            all.put("SubscriberMNC", "260");
            all.put("SIMMCC", "310");
            all.put("SIMMNC", "260");
            all.put("DataRoamingEnabled", false);
            all.put("VoiceRoamingEnabled", true);
            all.put("PersonalHotspotEnabled", false);
            all.put("IsRoaming", false);
            all.put("IsNetworkTethered", false);
        }
        all.put("IsSupervised", true);
        all.put("IsMultiUser", false);
        all.put("IsDeviceLocatorServiceEnabled", true);
        all.put("IsActivationLockEnabled", false);
        all.put("IsDoNotDisturbInEffect", false);
        all.put("IsCloudBackupEnabled", false);
        all.put("IsMDMLostModeEnabled", false);
        all.put("AwaitingConfiguration", false);
        all.put("iTunesStoreAccountIsActive", false);
        all.put("PINRequiredForEraseDevice", false);
        all.put("PINRequiredForDeviceLock", false);
        all.put("SupportsiOSAppInstalls", true);
        all.put("DiagnosticSubmissionEnabled", false);
        all.put("AppAnalyticsEnabled", false);
        all.put("TimeZone", "Europe/Berlin");
        all.put("WiFiMAC", mac(h, 0));
        all.put("BluetoothMAC", mac(h, 1));
        all.put("EASDeviceIdentifier", String.format("%032X", (long) h * 2654435761L).substring(0, 32));
        all.put("LastCloudBackupDate", Instant.parse("2024-11-02T03:14:15Z"));
        all.put("PushToken", d.pushToken().getBytes(StandardCharsets.UTF_8));
        all.put("ServiceSubscriptions", List.of());
        all.put("OSUpdateSettings", Map.of("AutoCheckEnabled", true, "BackgroundDownloadEnabled", true, "AutomaticAppInstallationEnabled", true,
                "AutomaticOSInstallationEnabled", false, "AutomaticSecurityUpdatesEnabled", true, "CatalogURL", "", "IsDefaultCatalog", true,
                "PreviousScanResult", "0", "PerformPeriodicCheck", true));
        all.put("MDMOptions", Map.of("ActivationLockAllowedWhileSupervised", false));
    }

    private static String mac(int h, int salt) {
        int x = h * 31 + salt * 7919;
        return String.format("f0:%02x:%02x:%02x:%02x:%02x", (x >> 24) & 0xFF, (x >> 16) & 0xFF, (x >> 8) & 0xFF, x & 0xFF, salt * 17 & 0xFF);
    }

    /** QueryResponses for the given Queries: only those keys, and only the ones this device knows. */
    public Map<String, Object> answer(List<?> queries) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object q : queries) {
            if (q instanceof String k && all.containsKey(k)) {
                out.put(k, all.get(k));
            }
        }
        return out;
    }

    public void lostMode(boolean on) {
        all.put("IsMDMLostModeEnabled", on);
    }

    public boolean lostMode() {
        return Boolean.TRUE.equals(all.get("IsMDMLostModeEnabled"));
    }
}
