package io.verger.simulator.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads HTTP/1.1 responses from a keep-alive stream with as little work as possible: the status line, the
 * {@code Content-Length} and {@code Connection} headers, and the body (kept or skipped). Chunked bodies are not
 * supported: MDM servers answer device requests with a known length, and a response without one is refused.
 * One reader per connection; not thread-safe.
 */
public final class HttpResponseReader {

    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;

    public HttpResponseReader(InputStream in) {
        this.in = in;
    }

    /**
     * The parts of a response the driver looks at. {@code body} is null when it was skipped; {@code contentType} is
     * null when the response had none (the enrollment path tells a CA certificate from a PKCS#7 bundle by it).
     */
    public record Response(int status, int contentLength, boolean close, byte[] body, String contentType) {
        public Response(int status, int contentLength, boolean close, byte[] body) {
            this(status, contentLength, close, body, null);
        }

        public boolean hasBody() {
            return contentLength > 0;
        }

        /** The media type without parameters, lower case ({@code "application/x-x509-ca-cert"}), or "" when absent. */
        public String mediaType() {
            if (contentType == null) {
                return "";
            }
            int semi = contentType.indexOf(';');
            return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Reads one response.
     *
     * @param keepBody whether to return the body bytes; when false they are read and dropped
     * @throws EOFException when the server closed the connection before a complete response
     */
    public Response read(boolean keepBody) throws IOException {
        int status = -1;
        int contentLength = -1;
        boolean close = false;
        String contentType = null;
        boolean first = true;
        while (true) {
            int lineEnd = findLineEnd(); // may compact the buffer, moving the line to 0
            int lineStart = pos;
            int len = lineEnd - lineStart;
            if (first) {
                // "HTTP/1.1 200 OK"
                if (len < 12 || buf[lineStart] != 'H' || buf[lineStart + 8] != ' ') {
                    throw new IOException("not an HTTP/1.x status line: " + ascii(lineStart, len));
                }
                status = (buf[lineStart + 9] - '0') * 100 + (buf[lineStart + 10] - '0') * 10 + (buf[lineStart + 11] - '0');
                first = false;
            } else if (len == 0) {
                break;
            } else if (headerIs(lineStart, len, "content-length:")) {
                contentLength = parseInt(lineStart + 15, lineEnd);
            } else if (headerIs(lineStart, len, "content-type:")) {
                contentType = ascii(lineStart + 13, len - 13).trim();
            } else if (headerIs(lineStart, len, "connection:")) {
                close = ascii(lineStart + 11, len - 11).trim().equalsIgnoreCase("close");
            } else if (headerIs(lineStart, len, "transfer-encoding:")) {
                throw new IOException("chunked responses are not supported: " + ascii(lineStart, len));
            }
            pos = lineEnd + 2;
        }
        pos += 2;
        if (contentLength < 0) {
            if (status == 204 || status == 304 || status / 100 == 1) {
                contentLength = 0;
            } else {
                throw new IOException("response " + status + " without Content-Length");
            }
        }
        byte[] body = keepBody ? new byte[contentLength] : null;
        int remaining = contentLength;
        int off = 0;
        while (remaining > 0) {
            if (pos == limit) {
                fill();
            }
            int n = Math.min(remaining, limit - pos);
            if (body != null) {
                System.arraycopy(buf, pos, body, off, n);
            }
            pos += n;
            off += n;
            remaining -= n;
        }
        return new Response(status, contentLength, close, body, contentType);
    }

    /** Index of the CR of the next CRLF at or after pos, reading more as needed (compacting the buffer). */
    private int findLineEnd() throws IOException {
        int scan = pos;
        while (true) {
            for (; scan + 1 < limit; scan++) {
                if (buf[scan] == '\r' && buf[scan + 1] == '\n') {
                    return scan;
                }
            }
            if (pos > 0) {
                int shift = pos;
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= shift;
                scan -= shift;
                pos = 0;
            }
            if (limit == buf.length) {
                throw new IOException("response header line longer than " + buf.length + " bytes");
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                throw new EOFException("connection closed by server");
            }
            limit += n;
        }
    }

    private void fill() throws IOException {
        pos = 0;
        limit = 0;
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("connection closed by server in the body");
        }
        limit = n;
    }

    private boolean headerIs(int start, int len, String lowerName) {
        int n = lowerName.length();
        if (len < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = buf[start + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int parseInt(int from, int to) throws IOException {
        int v = 0;
        boolean digits = false;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
                digits = true;
            } else if (b != ' ' && b != '\t') {
                throw new IOException("bad Content-Length: " + ascii(from, to - from));
            }
        }
        if (!digits) {
            throw new IOException("empty Content-Length");
        }
        return v;
    }

    private String ascii(int start, int len) {
        return new String(buf, start, Math.max(0, Math.min(len, 200)), StandardCharsets.ISO_8859_1);
    }
}
