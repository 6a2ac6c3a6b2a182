package io.verger.simulator.mdm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.verger.plist.PlistCodec;
import io.verger.simulator.fleet.DeviceCa;
import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.Hardware;
import io.verger.simulator.fleet.Pem;

class CommandResponderTest {

    private static final PlistCodec PLIST = PlistCodec.withDefaults();
    private static EnrolledDevice device;

    @BeforeAll
    static void enroll() throws Exception {
        DeviceCa ca = DeviceCa.create("Test CA");
        KeyPair kp = DeviceCa.rsa(2048);
        Hardware hw = Hardware.of("t", 0); // an iPhone
        device = new EnrolledDevice(hw.udid(), hw.serialNumber(), hw.model(), hw.productName(), hw.osVersion(), hw.buildVersion(), hw.deviceName(),
                "com.apple.mgmt.test", "0a0b", "MAGIC", Pem.write(kp.getPrivate()), Pem.write(ca.issue(kp.getPublic(), hw.udid())));
    }

    private static Map<String, Object> command(String type, Object... kv) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("RequestType", type);
        for (int i = 0; i < kv.length; i += 2) {
            c.put((String) kv[i], kv[i + 1]);
        }
        return Map.of("CommandUUID", "CMD-" + type, "Command", c);
    }

    private static CommandResponder responder() {
        return new CommandResponder(device, 0, new SplittableRandom(1));
    }

    @Test
    void deviceInformationAnswersOnlyTheQueriedKeysItKnows() {
        Map<String, Object> r = responder().answer(command("DeviceInformation", "Queries", List.of("DeviceName", "OSVersion", "NoSuchKey", "IMEI")));
        assertEquals("Acknowledged", r.get("Status"));
        assertEquals("CMD-DeviceInformation", r.get("CommandUUID"));
        assertEquals(device.udid(), r.get("UDID"));
        Map<?, ?> q = (Map<?, ?>) r.get("QueryResponses");
        assertEquals(List.of("DeviceName", "OSVersion", "IMEI"), List.copyOf(q.keySet()));
        assertEquals(device.osVersion(), q.get("OSVersion"));
        PLIST.encodeXml(r); // every value is a plist value
    }

    @Test
    void notNowComesAtTheConfiguredRate() {
        CommandResponder busy = new CommandResponder(device, 0.25, new SplittableRandom(99));
        int notNow = 0;
        for (int i = 0; i < 4000; i++) {
            if ("NotNow".equals(busy.answer(command("SecurityInfo")).get("Status"))) {
                notNow++;
            }
        }
        assertTrue(notNow > 900 && notNow < 1100, "about a quarter NotNow, was " + notNow + "/4000");
        for (int i = 0; i < 100; i++) {
            assertEquals("Acknowledged", responder().answer(command("SecurityInfo")).get("Status"), "rate 0 never says NotNow");
        }
    }

    @Test
    void profilesAreInstalledListedAndRemovedOverTheLocalStore() {
        CommandResponder d = responder();
        assertEquals(1, ((List<?>) d.answer(command("ProfileList")).get("ProfileList")).size(), "the enrollment profile");
        Map<String, Object> profile = Map.of("PayloadType", "Configuration", "PayloadIdentifier", "com.example.wifi", "PayloadUUID", "U-1",
                "PayloadVersion", 1L, "PayloadDisplayName", "Wi-Fi", "PayloadContent",
                List.of(Map.of("PayloadType", "com.apple.wifi.managed", "PayloadIdentifier", "com.example.wifi.p", "PayloadUUID", "U-2", "PayloadVersion", 1L)));
        assertEquals("Acknowledged", d.answer(command("InstallProfile", "Payload", PLIST.encodeXml(profile))).get("Status"));
        List<?> list = (List<?>) d.answer(command("ProfileList")).get("ProfileList");
        assertEquals(2, list.size());
        Map<?, ?> wifi = (Map<?, ?>) list.get(1);
        assertEquals("com.example.wifi", wifi.get("PayloadIdentifier"));
        assertEquals("com.apple.wifi.managed", ((Map<?, ?>) ((List<?>) wifi.get("PayloadContent")).get(0)).get("PayloadType"));
        // installing the same identifier again replaces it
        d.answer(command("InstallProfile", "Payload", PLIST.encodeBinary(profile)));
        assertEquals(2, d.profiles().size());

        assertEquals("Acknowledged", d.answer(command("RemoveProfile", "Identifier", "com.example.wifi")).get("Status"));
        assertEquals(1, d.profiles().size());
        Map<String, Object> again = d.answer(command("RemoveProfile", "Identifier", "com.example.wifi"));
        assertEquals("Error", again.get("Status"), "removing a profile that is not there is an error");
        assertFalse(((List<?>) again.get("ErrorChain")).isEmpty());
        assertEquals("Error", d.answer(command("InstallProfile", "Payload", "not a plist".getBytes())).get("Status"));
    }

    @Test
    void lockEraseAndLostModeAreAcknowledgedAndLostModeEnablesLocation() {
        CommandResponder d = responder();
        assertEquals("Acknowledged", d.answer(command("DeviceLock", "Message", "hi")).get("Status"));
        assertEquals("Acknowledged", d.answer(command("EraseDevice")).get("Status"));
        assertEquals("Error", d.answer(command("DeviceLocation")).get("Status"), "location only in lost mode");
        assertEquals("Acknowledged", d.answer(command("EnableLostMode", "Message", "lost")).get("Status"));
        Map<String, Object> loc = d.answer(command("DeviceLocation"));
        assertEquals("Acknowledged", loc.get("Status"));
        assertTrue(loc.containsKey("Latitude"));
        assertEquals(true, ((Map<?, ?>) d.answer(command("DeviceInformation", "Queries", List.of("IsMDMLostModeEnabled"))).get("QueryResponses"))
                .get("IsMDMLostModeEnabled"));
        assertEquals("Acknowledged", d.answer(command("DisableLostMode")).get("Status"));
    }

    @Test
    void unknownAndMalformedCommandsAreRefused() {
        assertEquals("Error", responder().answer(command("NoSuchCommand")).get("Status"));
        assertEquals("CommandFormatError", responder().answer(Map.of("CommandUUID", "X", "Command", Map.of())).get("Status"));
    }

    @Test
    void theMdmSignatureIsADetachedCmsSignatureOverTheExactBody() throws Exception {
        byte[] body = PLIST.encodeXml(responder().idle());
        String sig = new MdmSigner(device.privateKey(), device.certificate()).sign(body);
        CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(body), Base64.getDecoder().decode(sig));
        SignerInformation si = signed.getSignerInfos().getSigners().iterator().next();
        assertTrue(si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(device.certificate())));
        assertEquals(1, signed.getCertificates().getMatches(null).size(), "carries the device certificate");
        CMSSignedData other = new CMSSignedData(new CMSProcessableByteArray("other".getBytes()), Base64.getDecoder().decode(sig));
        boolean verifies;
        try {
            verifies = other.getSignerInfos().getSigners().iterator().next().verify(new JcaSimpleSignerInfoVerifierBuilder().build(device.certificate()));
        } catch (org.bouncycastle.cms.CMSSignerDigestMismatchException e) {
            verifies = false;
        }
        assertFalse(verifies, "the signature does not cover another body");
    }
}
