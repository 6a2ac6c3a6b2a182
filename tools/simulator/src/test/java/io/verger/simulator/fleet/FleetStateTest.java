package io.verger.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetStateTest {

    @TempDir
    Path tmp;

    @Test
    void enrolledDevicesSurviveARoundTripWithUsableKeysAndCertificates() throws Exception {
        DeviceCa ca = DeviceCa.create("Test CA");
        KeyPair kp = DeviceCa.rsa(2048);
        Hardware hw = Hardware.of("t", 7);
        EnrolledDevice d = new EnrolledDevice(hw.udid(), hw.serialNumber(), hw.model(), hw.productName(), hw.osVersion(), hw.buildVersion(),
                hw.deviceName(), "com.apple.mgmt.test", "abcd", "MAGIC", Pem.write(kp.getPrivate()), Pem.write(ca.issue(kp.getPublic(), hw.udid())));
        Path file = tmp.resolve("sub/devices.json");
        FleetState.save(file, "https://127.0.0.1:8443", List.of(d));
        List<EnrolledDevice> back = FleetState.load(file);
        assertEquals(List.of(d), back);
        assertTrue(back.get(0).certificate().getSubjectX500Principal().getName().contains(hw.udid()));
        back.get(0).certificate().verify(ca.certificate().getPublicKey());
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(back.get(0).privateKey());
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(back.get(0).certificate().getPublicKey());
        s.update(new byte[] {1, 2, 3});
        assertTrue(s.verify(sig), "the stored key matches the stored certificate");
        assertTrue(Files.list(file.getParent()).noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file left");
    }

    @Test
    void theServerUrlsOfAScepEnrolledDeviceAreKeptAndCaModeFilesStayAsTheyWere() throws Exception {
        Hardware hw = Hardware.of("t", 8);
        EnrolledDevice scep = new EnrolledDevice(hw.udid(), hw.serialNumber(), hw.model(), hw.productName(), hw.osVersion(), hw.buildVersion(),
                hw.deviceName(), "com.apple.mgmt.test", "abcd", "MAGIC", "key", "cert", "https://localhost:8443/mdm", "https://localhost:8443/checkin");
        EnrolledDevice ca = new EnrolledDevice(hw.udid(), hw.serialNumber(), hw.model(), hw.productName(), hw.osVersion(), hw.buildVersion(),
                hw.deviceName(), "com.apple.mgmt.test", "abcd", "MAGIC", "key", "cert");
        Path file = tmp.resolve("mixed.json");
        FleetState.save(file, "https://127.0.0.1:8443", List.of(scep, ca));
        assertEquals(List.of(scep, ca), FleetState.load(file));
        String json = Files.readString(file);
        assertEquals(1, json.split("serverUrl", -1).length - 1, "no serverUrl written for the ca-mode device: " + json);
    }

    @Test
    void aMissingStateFileIsAnEmptyFleet() throws Exception {
        assertTrue(FleetState.load(tmp.resolve("none.json")).isEmpty());
    }

    @Test
    void theCaIsWrittenAndReadBack() throws Exception {
        DeviceCa ca = DeviceCa.create("Round Trip CA");
        ca.writeTo(tmp);
        DeviceCa back = DeviceCa.load(tmp.resolve(DeviceCa.CERT_FILE), tmp.resolve(DeviceCa.KEY_FILE));
        assertEquals(ca.certificate(), back.certificate());
        assertEquals(ca.key(), back.key());
    }

    @Test
    void hardwareIsDeterministicAndDistinctPerDevice() {
        assertEquals(Hardware.of("fleet", 3), Hardware.of("fleet", 3));
        assertNotEquals(Hardware.of("fleet", 3).udid(), Hardware.of("fleet", 4).udid());
        assertNotEquals(Hardware.of("fleet", 3).udid(), Hardware.of("other", 3).udid());
        assertEquals(25, Hardware.of("fleet", 3).udid().length());
    }
}
