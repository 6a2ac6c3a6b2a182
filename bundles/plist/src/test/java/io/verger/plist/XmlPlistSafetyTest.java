package io.verger.plist;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XmlPlistSafetyTest {

    private final PlistCodec codec = PlistCodec.withDefaults();
    private ConnectionRecorder server;

    @BeforeEach
    void startServer() throws IOException {
        server = new ConnectionRecorder();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void xxeReadingLocalFileIsRefused(@TempDir Path dir) throws Exception {
        String secret = "VERGER-SECRET-" + UUID.randomUUID();
        Path file = Files.writeString(dir.resolve("secret.txt"), secret);
        String uri = file.toUri().toString();
        List<String> attacks = List.of(
                "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY xxe SYSTEM \"" + uri + "\">]>"
                        + "<plist version=\"1.0\"><dict><key>UDID</key><string>&xxe;</string></dict></plist>",
                // Apple's own DOCTYPE line with an internal subset smuggled in
                "<?xml version=\"1.0\"?><!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                        + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\" [<!ENTITY xxe SYSTEM \"" + uri + "\">]>"
                        + "<plist version=\"1.0\"><dict><key>UDID</key><string>&xxe;</string></dict></plist>",
                // the entity in a key
                "<!DOCTYPE plist [<!ENTITY xxe SYSTEM \"" + uri + "\">]><plist version=\"1.0\"><dict><key>&xxe;</key><true/></dict></plist>");
        for (String attack : attacks) {
            byte[] xml = attack.getBytes(StandardCharsets.UTF_8);
            // the payload is real: a parser with default settings does read the file
            assertTrue(unhardenedParserText(xml).contains(secret), "test payload should work against a default parser");
            PlistException e = assertThrows(PlistException.class, () -> codec.decode(xml));
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret leaked into " + t);
            }
        }
        PlistException e = assertThrows(PlistException.class, () -> codec.decode(attacks.get(0).getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void externalDtdAndEntitiesAreNeverFetched() throws Exception {
        String url = server.url();
        List<String> attacks = List.of(
                "<?xml version=\"1.0\"?><!DOCTYPE plist SYSTEM \"" + url + "\"><plist><string>x</string></plist>",
                "<?xml version=\"1.0\"?><!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"" + url + "\"><plist><string>x</string></plist>",
                "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY % remote SYSTEM \"" + url + "\"> %remote;]><plist><string>x</string></plist>",
                "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY remote SYSTEM \"" + url + "\">]><plist><string>&remote;</string></plist>",
                "<?xml version=\"1.0\"?><plist xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"" + url + "\"/></plist>");
        // the harness is real: a parser with default settings does connect
        unhardenedParserText(attacks.get(0).getBytes(StandardCharsets.UTF_8));
        server.awaitConnections(1, Duration.ofSeconds(5));
        int before = server.connections();
        assertTrue(before >= 1, "test server should see the default parser's request");

        for (String attack : attacks) {
            assertThrows(PlistException.class, () -> codec.decode(attack.getBytes(StandardCharsets.UTF_8)), attack);
        }
        // a stylesheet PI is harmless text to a plist reader: accepted, never followed
        assertEquals("x", codec.decode(("<?xml version=\"1.0\"?><?xml-stylesheet href=\"" + url + "\"?><plist><string>x</string></plist>")
                .getBytes(StandardCharsets.UTF_8)));
        Thread.sleep(200); // give a late connection time to be counted
        assertEquals(before, server.connections(), "the codec must never connect anywhere");
    }

    @Test
    void billionLaughsEntityExpansionIsRefusedQuickly() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE plist [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        byte[] xml = ("<?xml version=\"1.0\"?>" + dtd + "]><plist><string>&lol9;</string></plist>").getBytes(StandardCharsets.UTF_8);
        PlistException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(PlistException.class, () -> codec.decode(xml)));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void entityReferencesWithoutDeclarationAreRefused() {
        PlistException e = assertThrows(PlistException.class,
                () -> codec.decode("<plist><string>&foo;</string></plist>".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("entity reference &foo;"), e.getMessage());
    }

    @Test
    void doctypesOtherThanApplesAreRefused() {
        for (String doctype : List.of("<!DOCTYPE plist>", "<!DOCTYPE html>", "<!DOCTYPE plist SYSTEM \"PropertyList-1.0.dtd\">",
                "<!DOCTYPE plist PUBLIC \"-//Evil//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
                "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\" []>")) {
            byte[] xml = (doctype + "<plist><true/></plist>").getBytes(StandardCharsets.UTF_8);
            PlistException e = assertThrows(PlistException.class, () -> codec.decode(xml), doctype);
            assertTrue(e.getMessage().contains("DOCTYPE other than Apple's plist DOCTYPE"), e.getMessage());
        }
    }

    @Test
    void xmlNestingDeeperThanLimitIsRefused() {
        assertEquals(64, depthOf(codec.decode(nestedArrays(64))));
        PlistException e = assertThrows(PlistException.class, () -> codec.decode(nestedArrays(65)));
        assertTrue(e.getMessage().contains("plist nesting deeper than 64 levels"), e.getMessage());
        // far deeper than any stack could recurse: refused at the limit, not by a StackOverflowError
        assertThrows(PlistException.class, () -> codec.decode(nestedArrays(200_000)));
        PlistCodec shallow = PlistCodec.withLimits(PlistLimits.defaults().withMaxDepth(2));
        assertThrows(PlistException.class, () -> shallow.decode("<dict><key>a</key><array><dict/></array></dict>".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void inputLargerThanLimitIsRefusedBeforeParsing() throws Exception {
        PlistCodec small = PlistCodec.withLimits(PlistLimits.defaults().withMaxInputBytes(1000));
        byte[] garbage = new byte[1001]; // not even a plist: the size check must come first
        PlistException e = assertThrows(PlistException.class, () -> small.decode(garbage));
        assertEquals("plist larger than 1000 bytes (1001 bytes)", e.getMessage());
        assertEquals("x", small.decode("<plist><string>x</string></plist>".getBytes(StandardCharsets.UTF_8)));

        CountingEndlessStream endless = new CountingEndlessStream();
        e = assertThrows(PlistException.class, () -> small.decode(endless));
        assertEquals("plist larger than 1000 bytes", e.getMessage());
        assertTrue(endless.served <= 1001 + 8192, "read " + endless.served + " bytes of an endless stream");
    }

    @Test
    void tooManyObjectsAreRefused() {
        PlistCodec few = PlistCodec.withLimits(PlistLimits.defaults().withMaxObjects(10));
        assertEquals(10, ((List<?>) few.decode(("<array>" + "<true/>".repeat(9) + "</array>").getBytes(StandardCharsets.UTF_8))).size() + 1);
        PlistException e = assertThrows(PlistException.class,
                () -> few.decode(("<array>" + "<true/>".repeat(10) + "</array>").getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("more than 10 objects"), e.getMessage());
    }

    @Test
    void integersThatDoNotFitALongAreRefused() {
        assertEquals(Long.MAX_VALUE, codec.decode("<integer>9223372036854775807</integer>".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Long.MIN_VALUE, codec.decode("<integer>-9223372036854775808</integer>".getBytes(StandardCharsets.UTF_8)));
        for (String n : List.of("9223372036854775808", "-9223372036854775809", "18446744073709551615", "0x10000000000000000",
                "1".repeat(400))) {
            PlistException e = assertThrows(PlistException.class,
                    () -> codec.decode(("<dict><key>Big</key><integer>" + n + "</integer></dict>").getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("does not fit in a signed 64-bit integer"), e.getMessage());
            assertTrue(e.getMessage().contains(" at Big "), e.getMessage());
        }
    }

    @Test
    void malformedXmlIsRefusedWithAClearMessage() {
        String[][] cases = {
                {"", "plist is empty"},
                {"<plist>", "malformed XML plist"},
                {"<plist><dict><key>a</key></dict></plist>", "<key> has no value"},
                {"<plist><dict><string>a</string></dict></plist>", "expected <key> in <dict>, found <string>"},
                {"<plist><dict><key>a</key><true/><key>a</key><false/></dict></plist>", "duplicate key at a "},
                {"<plist><array>text</array></plist>", "unexpected text 'text'"},
                {"<plist><string><b/></string></plist>", "<string> may hold only text, found <b>"},
                {"<plist><integer>12a</integer></plist>", "<integer> '12a' is not an integer"},
                {"<plist><integer>١٢</integer></plist>", "is not an integer"},
                {"<plist><real>0x1p3</real></plist>", "<real> '0x1p3' is not a number"},
                {"<plist><real></real></plist>", "is not a number"},
                {"<plist><date>yesterday</date></plist>", "<date> 'yesterday' is not an ISO 8601"},
                {"<plist><data>!!!!</data></plist>", "<data> is not valid base64"},
                {"<plist><true>yes</true></plist>", "unexpected text 'yes'"},
                {"<plist><key>a</key></plist>", "<key> outside a <dict>"},
                {"<plist><set/></plist>", "unknown plist element <set>"},
                {"<plist></plist>", "<plist> holds no value"},
                {"<plist><true/><false/></plist>", "<plist> holds more than one value"},
                {"<plist><x:dict xmlns:x=\"urn:x\"/></plist>", "unknown plist element <x:dict>"},
                {"<!-- nothing -->", "malformed XML plist"},
        };
        for (String[] c : cases) {
            PlistException e = assertThrows(PlistException.class, () -> codec.decode(c[0].getBytes(StandardCharsets.UTF_8)), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void errorsNameTheKeyPathAndLine() {
        String xml = "<plist>\n<dict>\n<key>QueryResponses</key>\n<dict>\n<key>Apps</key>\n<array>\n<true/>\n<integer>x</integer>\n</array>\n</dict>\n</dict>\n</plist>";
        PlistException e = assertThrows(PlistException.class, () -> codec.decode(xml.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("at QueryResponses.Apps[1] (line 8"), e.getMessage());
    }

    @Test
    void malformedUtf8IsRefusedWithoutWritingToTheConsole() {
        java.io.PrintStream console = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            byte[] latin1 = "<plist><string>caf\u00e9</string></plist>".getBytes(StandardCharsets.ISO_8859_1);
            PlistException e = assertThrows(PlistException.class, () -> codec.decode(latin1));
            assertTrue(e.getMessage().startsWith("XML plist is not valid UTF-8"), e.getMessage());
        } finally {
            System.setErr(console);
        }
        assertEquals("", captured.toString(), "the JDK parser must not get the chance to print");
        // a genuine U+FFFD is fine
        assertEquals("\uFFFD", codec.decode("<string>\uFFFD</string>".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void encodingsOtherThanUtf8AndUtf16AreRefused() {
        byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><plist><string>x</string></plist>".getBytes(StandardCharsets.ISO_8859_1);
        PlistException e = assertThrows(PlistException.class, () -> codec.decode(latin1));
        assertEquals("XML plist declares encoding 'ISO-8859-1' but is UTF-8 (plists are UTF-8, or UTF-16 with a byte-order mark)", e.getMessage());
        assertEquals("x", codec.decode("<?xml version='1.0' encoding='utf-8'?><plist><string>x</string></plist>".getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] nestedArrays(int depth) {
        return ("<plist>" + "<array>".repeat(depth) + "</array>".repeat(depth) + "</plist>").getBytes(StandardCharsets.UTF_8);
    }

    static int depthOf(Object v) {
        int d = 0;
        while (v instanceof List<?> l) {
            d++;
            v = l.isEmpty() ? null : l.get(0);
        }
        return d;
    }

    /**
     * Parses with the JDK's DOM defaults (no hardening; only the Apple DTD is not loaded, as this machine
     * may be offline) and returns all text, or "" if it failed.
     */
    private static String unhardenedParserText(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            if (new String(xml, StandardCharsets.UTF_8).contains("www.apple.com")) {
                factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            }
            javax.xml.parsers.DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document doc = builder.parse(new ByteArrayInputStream(xml));
            return doc.getDocumentElement().getTextContent() + doc.getDocumentElement().getAttribute("version");
        } catch (Exception e) {
            return "";
        }
    }

    /** Accepts and counts TCP connections on 127.0.0.1, answering none of them. */
    static final class ConnectionRecorder implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger count = new AtomicInteger();
        private final Thread acceptor;

        ConnectionRecorder() throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        count.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "xxe-connection-recorder");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/PropertyList-1.0.dtd";
        }

        int connections() {
            return count.get();
        }

        void awaitConnections(int n, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (count.get() < n && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Serves zeros forever, counting them. */
    static final class CountingEndlessStream extends InputStream {
        long served;

        @Override
        public int read() {
            served++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            served += len;
            java.util.Arrays.fill(b, off, off + len, (byte) 0);
            return len;
        }
    }
}
