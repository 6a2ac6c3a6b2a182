package io.verger.simulator.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A complete HTTP/1.1 request, headers and body, built once and written to the socket as is, as often as needed. */
public final class RawRequest {

    private RawRequest() {
    }

    /**
     * @param headers extra headers (e.g. {@code Mdm-Signature}, {@code Authorization}); Host, Content-Type and
     *                Content-Length are written here
     */
    public static byte[] build(String method, String path, String host, String contentType, byte[] body, Map<String, String> headers) {
        StringBuilder sb = new StringBuilder(256 + (headers.isEmpty() ? 0 : 4096));
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host).append("\r\n");
        sb.append("User-Agent: verger-simulator\r\n");
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        sb.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(sb.length() + (body == null ? 0 : body.length));
        out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }
}
