package io.verger.simulator.mdm;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.verger.simulator.http.Http1Connection;
import io.verger.simulator.http.HttpResponseReader;
import io.verger.simulator.http.RawRequest;
import io.verger.simulator.http.ServerEndpoint;

/** NanoMDM's admin API as Verger serves it: {@code PUT /v1/enqueue/<id,id,…>?nopush=1} with a raw command plist. */
public final class AdminApi implements Closeable {

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

    @Override
    public void close() {
        connection.close();
    }
}
