package io.verger.simulator.mdm;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

import io.verger.plist.PlistCodec;
import io.verger.simulator.http.Http1Connection;
import io.verger.simulator.http.HttpResponseReader;
import io.verger.simulator.http.RawRequest;
import io.verger.simulator.http.ServerEndpoint;

/**
 * A device's side of the MDM protocol for the realistic (not replay) paths: encode, sign, send, decode. Each call
 * signs its body afresh, as a real device does.
 */
public final class MdmClient implements Closeable {

    public static final String CHECKIN_TYPE = "application/x-apple-aspen-mdm-checkin";
    public static final String REPORT_TYPE = "application/x-apple-aspen-mdm";
    private static final PlistCodec PLIST = PlistCodec.withDefaults();

    private final ServerEndpoint endpoint;
    private final Paths paths;
    private final Http1Connection connection;

    /** Where check-ins and reports go (Verger, NanoMDM: /checkin and /mdm). */
    public record Paths(String checkin, String report) {
        public static final Paths DEFAULT = new Paths("/checkin", "/mdm");
    }

    /** A reply: HTTP status and the decoded command (null for an empty body). */
    public record Reply(int status, Map<String, Object> command, byte[] body) {
    }

    public MdmClient(ServerEndpoint endpoint, Paths paths) {
        this.endpoint = endpoint;
        this.paths = paths;
        this.connection = new Http1Connection(endpoint);
    }

    /** The request bytes of a signed message, ready to send any number of times. */
    public static byte[] signedRequest(ServerEndpoint endpoint, String path, String contentType, byte[] body, MdmSigner signer) {
        return RawRequest.build("PUT", path, endpoint.hostHeader(), contentType, body, Map.of("Mdm-Signature", signer.sign(body)));
    }

    public byte[] checkinRequest(Map<String, Object> message, MdmSigner signer) {
        return signedRequest(endpoint, paths.checkin(), CHECKIN_TYPE, PLIST.encodeXml(message), signer);
    }

    public byte[] reportRequest(Map<String, Object> message, MdmSigner signer) {
        return signedRequest(endpoint, paths.report(), REPORT_TYPE, PLIST.encodeXml(message), signer);
    }

    public Reply checkin(Map<String, Object> message, MdmSigner signer) throws IOException {
        return send(checkinRequest(message, signer));
    }

    public Reply report(Map<String, Object> message, MdmSigner signer) throws IOException {
        return send(reportRequest(message, signer));
    }

    public Reply send(byte[] request) throws IOException {
        HttpResponseReader.Response r = connection.exchange(request, true);
        Map<String, Object> cmd = null;
        if (r.status() == 200 && r.body().length > 0) {
            cmd = PLIST.decodeDictionary(r.body());
        }
        return new Reply(r.status(), cmd, r.body());
    }

    @Override
    public void close() {
        connection.close();
    }
}
