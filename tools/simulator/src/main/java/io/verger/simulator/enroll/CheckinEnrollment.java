package io.verger.simulator.enroll;

import java.nio.charset.StandardCharsets;

import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.mdm.CheckinMessages;
import io.verger.simulator.mdm.MdmClient;
import io.verger.simulator.mdm.MdmSigner;

/** The check-in half of every enrollment: Authenticate, then TokenUpdate, both signed by the device identity. */
public final class CheckinEnrollment {

    private CheckinEnrollment() {
    }

    public static Enrollment.PreparedEnrollment prepare(EnrolledDevice d, MdmClient client) {
        MdmSigner signer = new MdmSigner(d.privateKey(), d.certificate());
        return new Enrollment.PreparedEnrollment(d, client.checkinRequest(CheckinMessages.authenticate(d), signer),
                client.checkinRequest(CheckinMessages.tokenUpdate(d), signer));
    }

    /** Sends prepared check-ins; throws with the status and body when the server refuses one. */
    public static void send(Enrollment.PreparedEnrollment p, MdmClient client) throws Exception {
        expect200(client.send(p.authenticateRequest()), "Authenticate", p.device());
        expect200(client.send(p.tokenUpdateRequest()), "TokenUpdate", p.device());
    }

    private static void expect200(MdmClient.Reply r, String what, EnrolledDevice d) {
        if (r.status() != 200) {
            throw new IllegalStateException(what + " of " + d.udid() + " refused: HTTP " + r.status() + " "
                    + new String(r.body(), 0, Math.min(r.body().length, 300), StandardCharsets.UTF_8));
        }
    }
}
