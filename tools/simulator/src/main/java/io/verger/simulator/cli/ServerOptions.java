package io.verger.simulator.cli;

import java.net.URI;
import java.nio.file.Path;

import io.verger.simulator.http.ServerEndpoint;
import io.verger.simulator.mdm.MdmClient;
import picocli.CommandLine.Option;

/** Where the MDM server is, how to trust it, and how to reach its admin API. */
public final class ServerOptions {

    @Option(names = "--url", defaultValue = "https://127.0.0.1:8443", description = "server base URL (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--ca", description = "PEM CA certificate of the server's TLS certificate (Verger: <data>/tls/ca.crt)")
    Path ca;

    @Option(names = "--insecure", description = "trust any server certificate (loopback benchmarks)")
    boolean insecure;

    @Option(names = "--api-key", defaultValue = "${env:VERGER_API_KEY}", description = "admin API key, sent as 'Authorization: Bearer' (default: $VERGER_API_KEY)")
    String apiKey;

    @Option(names = "--checkin-path", defaultValue = "/checkin", description = "check-in path (default: ${DEFAULT-VALUE})")
    String checkinPath;

    @Option(names = "--report-path", defaultValue = "/mdm", description = "command/report path (default: ${DEFAULT-VALUE})")
    String reportPath;

    @Option(names = "--state", defaultValue = "devices.json", description = "the enrolled fleet, reused across runs (default: ${DEFAULT-VALUE})")
    Path state;

    private ServerEndpoint endpoint;

    ServerEndpoint endpoint() throws Exception {
        if (endpoint == null) {
            endpoint = ServerEndpoint.of(url, ca, insecure);
        }
        return endpoint;
    }

    MdmClient.Paths paths() {
        return new MdmClient.Paths(checkinPath, reportPath);
    }

    String apiKey() {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("this needs the admin API key: --api-key or VERGER_API_KEY");
        }
        return apiKey;
    }
}
