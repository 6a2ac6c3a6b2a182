package io.verger.simulator.jmh;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import io.verger.plist.PlistCodec;
import io.verger.simulator.fleet.DeviceCa;
import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.Hardware;
import io.verger.simulator.fleet.Pem;
import io.verger.simulator.mdm.CheckinMessages;
import io.verger.simulator.mdm.CommandResponder;

/** Realistic message bodies for the hot-path benchmarks: what devices send most. */
final class Fixtures {

    static final PlistCodec PLIST = PlistCodec.withDefaults();

    private Fixtures() {
    }

    static EnrolledDevice device() throws Exception {
        DeviceCa ca = DeviceCa.create("JMH CA");
        KeyPair kp = DeviceCa.rsa(2048);
        Hardware hw = Hardware.of("jmh", 1);
        return new EnrolledDevice(hw.udid(), hw.serialNumber(), hw.model(), hw.productName(), hw.osVersion(), hw.buildVersion(), hw.deviceName(),
                "com.apple.mgmt.External.jmh", "00112233445566778899aabbccddeeff", "MAGIC-1", Pem.write(kp.getPrivate()),
                Pem.write(ca.issue(kp.getPublic(), hw.udid())));
    }

    static Map<String, Object> idle(EnrolledDevice d) {
        return Map.of("UDID", d.udid(), "Status", "Idle");
    }

    static Map<String, Object> authenticate(EnrolledDevice d) {
        return CheckinMessages.authenticate(d);
    }

    /** A DeviceInformation report with 25 query responses: the largest common report. */
    static Map<String, Object> deviceInformationReport(EnrolledDevice d) {
        CommandResponder r = new CommandResponder(d, 0, new java.util.SplittableRandom(1));
        return r.answer(Map.of("CommandUUID", "0A1B2C3D-0000-4000-8000-000000000001", "Command", Map.of("RequestType", "DeviceInformation",
                "Queries", List.of("UDID", "DeviceName", "OSVersion", "BuildVersion", "ModelName", "Model", "ProductName", "SerialNumber",
                        "DeviceCapacity", "AvailableDeviceCapacity", "BatteryLevel", "IMEI", "MEID", "ICCID", "WiFiMAC", "BluetoothMAC",
                        "IsSupervised", "IsActivationLockEnabled", "IsCloudBackupEnabled", "TimeZone", "PhoneNumber", "CurrentCarrierNetwork",
                        "OSUpdateSettings", "LastCloudBackupDate", "PushToken"))));
    }
}
