package io.verger.plist;

import com.dd.plist.BinaryPropertyListParser;
import com.dd.plist.XMLPropertyListParser;
import io.verger.plist.internal.StaxPlistReader;

import java.util.function.Supplier;

/**
 * Prints rough decode and encode costs for a check-in sized plist. Run on demand, not part of the unit
 * tests:
 * {@code java -cp target/classes:target/test-classes:$HOME/.m2/repository/com/googlecode/plist/dd-plist/1.30/dd-plist-1.30.jar io.verger.plist.DecodeSpeed}
 */
public final class DecodeSpeed {

    private DecodeSpeed() {
    }

    public static void main(String[] args) throws Exception {
        PlistCodec codec = PlistCodec.withDefaults();
        StaxPlistReader stax = new StaxPlistReader(PlistLimits.defaults()); // the reader before XmlPlistReader
        byte[] idleXml = codec.encodeXml(java.util.Map.of("UDID", "00008110-001A2B3C4D5E6F70", "Status", "Idle"));
        byte[] authXml = Fixtures.authenticate();
        byte[] reportXml = Fixtures.commandReport();
        Object report = codec.decode(reportXml);
        byte[] authBin = codec.encodeBinary(codec.decode(authXml));
        byte[] reportBin = codec.encodeBinary(report);
        System.out.printf("sizes: Authenticate XML %d B, binary %d B; command report XML %d B, binary %d B%n",
                authXml.length, authBin.length, reportXml.length, reportBin.length);
        for (int round = 0; round < 3; round++) {
            System.out.println("-- round " + round);
            time("decode Idle XML (codec)", () -> codec.decode(idleXml));
            time("decode Idle XML (StAX, before)", () -> stax.read(idleXml));
            time("decode Authenticate XML (codec)", () -> codec.decode(authXml));
            time("decode Authenticate XML (StAX, before)", () -> stax.read(authXml));
            time("decode Authenticate binary (codec)", () -> codec.decode(authBin));
            time("decode command report XML (codec)", () -> codec.decode(reportXml));
            time("decode command report XML (StAX, before)", () -> stax.read(reportXml));
            time("decode command report binary (codec)", () -> codec.decode(reportBin));
            time("dd-plist XML parse, no conversion", () -> parseDd(reportXml, false));
            time("dd-plist binary parse, no conversion", () -> parseDd(reportBin, true));
            time("encode command report XML", () -> codec.encodeXml(report));
            time("encode command report binary", () -> codec.encodeBinary(report));
        }
    }

    private static Object parseDd(byte[] b, boolean binary) {
        try {
            return binary ? BinaryPropertyListParser.parse(b) : XMLPropertyListParser.parse(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void time(String what, Supplier<Object> op) {
        int n = 20_000;
        Object sink = null;
        for (int i = 0; i < n; i++) {
            sink = op.get();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink = op.get();
        }
        long ns = (System.nanoTime() - t0) / n;
        System.out.printf("%-42s %8d ns/op%s%n", what, ns, sink == null ? "?" : "");
    }
}
