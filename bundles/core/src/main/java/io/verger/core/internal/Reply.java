package io.verger.core.internal;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

/** What the server answers a device: status, content type (null for no body) and body. */
record Reply(int status, String contentType, byte[] body) {

    static final String PLIST = "application/xml; charset=UTF-8";
    private static final byte[] NONE = new byte[0];

    static Reply empty() {
        return new Reply(200, null, NONE);
    }

    static Reply plist(byte[] body) {
        return new Reply(200, PLIST, body);
    }

    static Reply text(int status, String message) {
        return new Reply(status, "text/plain; charset=UTF-8", (message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void write(HttpServletResponse resp) throws IOException {
        resp.setStatus(status);
        if (contentType != null) {
            resp.setContentType(contentType);
        }
        resp.setContentLength(body.length);
        if (body.length > 0) {
            resp.getOutputStream().write(body);
        }
    }
}
