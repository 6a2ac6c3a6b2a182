package io.verger.simulator.enroll;

import java.net.URI;

import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.Hardware;
import io.verger.simulator.mdm.MdmClient;

/**
 * Enrollment the way an iPhone does it: fetch the enrollment profile ({@code GET <enroll-url>?token=…}), verify
 * its CMS signature, read the SCEP payload (URL, Challenge, Subject, Keysize), enroll a key with SCEP (RFC 8894:
 * GetCACert, then PKCSReq in a PKCS#7 envelope, PENDING/GetCertInitial polling), and send the signed check-ins
 * ({@link CheckinEnrollment}).
 *
 * <p>Not implemented yet: Verger's /enroll and /scep are being built. This class is where it slots in; the CLI
 * accepts {@code --mode scep} and stops with a clear message.
 */
public final class ScepEnrollment implements Enrollment {

    private final URI enrollUrl;
    private final String token;

    public ScepEnrollment(URI enrollUrl, String token) {
        this.enrollUrl = enrollUrl;
        this.token = token;
    }

    @Override
    public EnrolledDevice enroll(Hardware hardware, MdmClient client) {
        throw new UnsupportedOperationException("SCEP enrollment is not implemented yet (would fetch " + (enrollUrl == null ? "the --enroll-url profile" : enrollUrl)
                + (token == null ? "" : " with a token") + "); use --ca-cert/--ca-key with a device CA the server trusts");
    }
}
