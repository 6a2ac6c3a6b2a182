package io.verger.simulator.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HttpResponseReaderTest {

    private static HttpResponseReader reader(String s) {
        return new HttpResponseReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** A stream that hands out at most {@code chunk} bytes per read, like a TLS socket does with records. */
    private static InputStream trickle(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void anEmpty200IsReadAndTheConnectionStaysOpen() throws IOException {
        HttpResponseReader.Response r = reader("HTTP/1.1 200 OK\r\nDate: x\r\nContent-Length: 0\r\n\r\n").read(true);
        assertEquals(200, r.status());
        assertFalse(r.hasBody());
        assertFalse(r.close());
        assertEquals(0, r.body().length);
    }

    @Test
    void theBodyIsReadByContentLengthAndKeptOrSkipped() throws IOException {
        String body = "<plist><dict/></plist>";
        String resp = "HTTP/1.1 200 OK\r\ncontent-type: application/xml\r\nCONTENT-LENGTH: " + body.length() + "\r\n\r\n" + body;
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), reader(resp).read(true).body());
        HttpResponseReader.Response skipped = reader(resp).read(false);
        assertNull(skipped.body());
        assertEquals(body.length(), skipped.contentLength());
    }

    @Test
    void theContentTypeIsKeptAndItsMediaTypeReadWithoutParameters() throws IOException {
        HttpResponseReader.Response r = reader("HTTP/1.1 200 OK\r\nContent-Type: Application/X-X509-CA-RA-Cert; charset=x\r\nContent-Length: 0\r\n\r\n")
                .read(true);
        assertEquals("Application/X-X509-CA-RA-Cert; charset=x", r.contentType());
        assertEquals("application/x-x509-ca-ra-cert", r.mediaType());
        assertEquals("", reader("HTTP/1.1 204 No Content\r\n\r\n").read(true).mediaType());
    }

    @Test
    void keepAliveResponsesFollowOneAnotherEvenWhenTheyArriveInPieces() throws IOException {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String body = "body-" + i;
            all.append("HTTP/1.1 ").append(i % 2 == 0 ? "200 OK" : "401 Unauthorized").append("\r\nContent-Length: ").append(body.length())
                    .append("\r\n\r\n").append(body);
        }
        HttpResponseReader r = new HttpResponseReader(trickle(all.toString().getBytes(StandardCharsets.ISO_8859_1), 7));
        for (int i = 0; i < 50; i++) {
            HttpResponseReader.Response resp = r.read(true);
            assertEquals(i % 2 == 0 ? 200 : 401, resp.status());
            assertEquals("body-" + i, new String(resp.body(), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aBodyLargerThanTheBufferIsReadWhole() throws IOException {
        byte[] body = new byte[100_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        assertArrayEquals(body, new HttpResponseReader(trickle(all, 5000)).read(true).body());
    }

    @Test
    void connectionCloseIsReported() throws IOException {
        assertTrue(reader("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").read(false).close());
    }

    @Test
    void chunkedAndLengthlessResponsesAreRefused() {
        assertThrows(IOException.class, () -> reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").read(true));
        assertThrows(IOException.class, () -> reader("HTTP/1.1 200 OK\r\n\r\n").read(true));
        assertEquals(204, assertDoesNotThrow(() -> reader("HTTP/1.1 204 No Content\r\n\r\n").read(true)).status());
    }

    @Test
    void aClosedConnectionIsAnEof() {
        assertThrows(EOFException.class, () -> reader("HTTP/1.1 200 OK\r\nContent-Le").read(true));
        assertThrows(EOFException.class, () -> reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").read(true));
        assertThrows(IOException.class, () -> reader("garbage that is no status line\r\n\r\n").read(true));
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }

    @Test
    void aRawRequestCarriesTheHeadersAndTheExactBody() {
        byte[] body = "<plist/>".getBytes(StandardCharsets.UTF_8);
        String req = new String(RawRequest.build("PUT", "/mdm", "localhost:8443", "application/x-apple-aspen-mdm", body,
                Map.of("Mdm-Signature", "c2ln")), StandardCharsets.ISO_8859_1);
        assertTrue(req.startsWith("PUT /mdm HTTP/1.1\r\nHost: localhost:8443\r\n"), req);
        assertTrue(req.contains("\r\nContent-Type: application/x-apple-aspen-mdm\r\n"));
        assertTrue(req.contains("\r\nContent-Length: 8\r\n"));
        assertTrue(req.contains("\r\nMdm-Signature: c2ln\r\n"));
        assertTrue(req.endsWith("\r\n\r\n<plist/>"));
    }
}
