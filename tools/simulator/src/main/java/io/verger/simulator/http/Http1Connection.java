package io.verger.simulator.http;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.ssl.SSLSocket;

/**
 * One keep-alive HTTP/1.1 connection over TLS (or plain TCP): write ready-made request bytes, read the response.
 * Reconnects transparently when the server closed the connection between requests. Not thread-safe: one per
 * driver thread.
 */
public final class Http1Connection implements Closeable {

    private final ServerEndpoint endpoint;
    private Socket socket;
    private OutputStream out;
    private HttpResponseReader reader;
    private int connects;

    public Http1Connection(ServerEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    public HttpResponseReader.Response exchange(byte[] request, boolean keepBody) throws IOException {
        boolean fresh = socket == null;
        if (fresh) {
            open();
        }
        try {
            out.write(request);
            out.flush();
            HttpResponseReader.Response r = reader.read(keepBody);
            if (r.close()) {
                close();
            }
            return r;
        } catch (IOException e) {
            close();
            if (fresh) {
                throw e;
            }
            // a keep-alive connection the server dropped while idle: one retry on a new connection
            open();
            out.write(request);
            out.flush();
            HttpResponseReader.Response r = reader.read(keepBody);
            if (r.close()) {
                close();
            }
            return r;
        }
    }

    /** Opens the connection (TLS handshake included) if it is not open, so the first timed request does not pay for it. */
    public void connect() throws IOException {
        if (socket == null) {
            open();
        }
    }

    private void open() throws IOException {
        Socket s;
        if (endpoint.tls()) {
            SSLSocket ssl = (SSLSocket) endpoint.sslContext().getSocketFactory().createSocket();
            ssl.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 10_000);
            ssl.setTcpNoDelay(true);
            ssl.startHandshake();
            s = ssl;
        } else {
            s = new Socket();
            s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 10_000);
            s.setTcpNoDelay(true);
        }
        s.setSoTimeout(60_000);
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
        reader = new HttpResponseReader(s.getInputStream());
        connects++;
    }

    /** How many TCP/TLS connections this object opened (1 when keep-alive held throughout). */
    public int connects() {
        return connects;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
