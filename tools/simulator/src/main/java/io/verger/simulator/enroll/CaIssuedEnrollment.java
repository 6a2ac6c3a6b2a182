package io.verger.simulator.enroll;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import io.verger.simulator.fleet.DeviceCa;
import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.Hardware;
import io.verger.simulator.fleet.Pem;
import io.verger.simulator.mdm.MdmClient;

/**
 * Enrollment with an identity issued by a device CA the server trusts (Verger: {@code VERGER_TRUSTED_CAS}), as
 * when an operator's own PKI hands out identities; then the signed check-ins.
 *
 * <p>RSA-2048 key generation costs 50–200 ms; with {@code keyPool > 0} that many key pairs are made once and shared
 * round-robin (each device still has its own certificate), which makes enrolling 10,000 devices take seconds.
 */
public final class CaIssuedEnrollment implements Enrollment {

    private final DeviceCa ca;
    private final String topic;
    private final KeyPair[] pool;

    public CaIssuedEnrollment(DeviceCa ca, String topic, int keyPool) throws Exception {
        this.ca = ca;
        this.topic = topic;
        this.pool = new KeyPair[Math.max(0, keyPool)];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = DeviceCa.rsa(2048);
        }
    }

    @Override
    public EnrolledDevice enroll(Hardware hw, MdmClient client) throws Exception {
        PreparedEnrollment p = prepare(hw, client);
        CheckinEnrollment.send(p, client);
        return p.device();
    }

    @Override
    public PreparedEnrollment prepare(Hardware hw, MdmClient client) throws Exception {
        KeyPair kp = pool.length > 0 ? pool[Math.floorMod(hw.udid().hashCode(), pool.length)] : DeviceCa.rsa(2048);
        X509Certificate cert = ca.issue(kp.getPublic(), hw.udid());
        byte[] token = new byte[32];
        ThreadLocalRandom.current().nextBytes(token);
        EnrolledDevice d = new EnrolledDevice(hw.udid(), hw.serialNumber(), hw.model(), hw.productName(), hw.osVersion(), hw.buildVersion(),
                hw.deviceName(), topic, HexFormat.of().formatHex(token), java.util.UUID.randomUUID().toString().toUpperCase(),
                Pem.write(kp.getPrivate()), Pem.write(cert));
        return CheckinEnrollment.prepare(d, client);
    }
}
