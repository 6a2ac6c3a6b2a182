package io.verger.simulator.mdm;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.verger.simulator.http.Http1Connection;
import io.verger.simulator.http.HttpResponseReader;
import io.verger.simulator.http.RawRequest;
import io.verger.simulator.http.ServerEndpoint;

/**
 * The admin API: NanoMDM's {@code PUT /v1/enqueue/<id,id,…>?nopush=1} with a raw command plist, and Verger's
 * {@code POST /api/v1/enrollment-tokens} (one-time tokens for {@code /enroll?token=…}). Not thread-safe: one connection.
 */
public final class AdminApi implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerEndpoint endpoint;
    private final String apiKey;
    private final Http1Connection connection;

    public AdminApi(ServerEndpoint endpoint, String apiKey) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.connection = new Http1Connection(endpoint);
    }

    /** Enqueues {@code commandPlist} for the given devices without a push; throws with the server's answer on non-2xx. */
    public void enqueue(List<String> udids, byte[] commandPlist) throws IOException {
        String path = "/v1/enqueue/" + String.join(",", udids) + "?nopush=1";
        byte[] req = RawRequest.build("PUT", path, endpoint.hostHeader(), "application/xml", commandPlist, Map.of("Authorization", "Bearer " + apiKey));
        HttpResponseReader.Response r = connection.exchange(req, true);
        if (r.status() / 100 != 2) {
            throw new IOException("enqueue to " + udids.size() + " device(s) refused: HTTP " + r.status() + " "
                    + new String(r.body(), 0, Math.min(300, r.body().length), StandardCharsets.UTF_8));
        }
    }

    /** {@code PUT /v1/pushcert} with the certificate and key as PEM; throws with the server's answer on non-2xx. */
    public void uploadPushCertificate(String pem) throws IOException {
        byte[] req = RawRequest.build("PUT", "/v1/pushcert", endpoint.hostHeader(), "application/x-pem-file", pem.getBytes(StandardCharsets.US_ASCII),
                Map.of("Authorization", "Bearer " + apiKey));
        HttpResponseReader.Response r = connection.exchange(req, true);
        if (r.status() / 100 != 2) {
            throw new IOException("PUT /v1/pushcert refused: HTTP " + r.status() + " "
                    + new String(r.body(), 0, Math.min(300, r.body().length), StandardCharsets.UTF_8));
        }
    }

    /** A new one-time enrollment token (Verger: {@code 201 {"token", "url", "expiresAt"}}); throws with the server's answer otherwise. */
    public String createEnrollmentToken() throws IOException {
        byte[] req = RawRequest.build("POST", "/api/v1/enrollment-tokens", endpoint.hostHeader(), null, null, Map.of("Authorization", "Bearer " + apiKey));
        HttpResponseReader.Response r = connection.exchange(req, true);
        String body = new String(r.body(), StandardCharsets.UTF_8);
        if (r.status() != 201 && r.status() != 200) {
            throw new IOException("POST /api/v1/enrollment-tokens refused: HTTP " + r.status() + " " + body.substring(0, Math.min(300, body.length())));
        }
        JsonNode token = JSON.readTree(body).path("token");
        if (!token.isTextual() || token.asText().isEmpty()) {
            throw new IOException("POST /api/v1/enrollment-tokens answered no token: " + body.substring(0, Math.min(300, body.length())));
        }
        return token.asText();
    }

    @Override
    public void close() {
        connection.close();
    }
}
