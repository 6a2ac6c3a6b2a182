package io.verger.plist;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * Random damage to valid plists: every result must be a value or a PlistException, never another
 * exception, an error or a hang. Fixed seeds, so a failure reproduces.
 */
class PlistFuzzTest {

    private static final int BINARY_ROUNDS = 4000;
    private static final int XML_ROUNDS = 1500; // each XML refusal costs the JDK parser an exception or two
    private final PlistCodec codec = PlistCodec.withDefaults();

    @Test
    void mutatedBinaryPlistsYieldAValueOrPlistException() {
        Object report = codec.decode(Fixtures.commandReport());
        fuzz(codec.encodeBinary(report), 1, BINARY_ROUNDS);
        fuzz(codec.encodeBinary(PlistRoundTripTest.everyValueType()), 2, BINARY_ROUNDS);
        fuzz(Fixtures.resource("command-report.bplist"), 3, BINARY_ROUNDS);
    }

    @Test
    void mutatedXmlPlistsYieldAValueOrPlistException() {
        fuzz(Fixtures.commandReport(), 4, XML_ROUNDS);
        fuzz(Fixtures.authenticate(), 5, XML_ROUNDS);
        fuzz(codec.encodeXml(PlistRoundTripTest.everyValueType()), 6, XML_ROUNDS);
    }

    private void fuzz(byte[] valid, long seed, int rounds) {
        Random random = new Random(seed);
        for (int round = 0; round < rounds; round++) {
            byte[] input = mutate(valid, random);
            try {
                codec.decode(input);
            } catch (PlistException expected) {
                // refused: fine
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " round " + round + ": " + t + " for input "
                        + HexFormat.of().formatHex(input), t);
            }
        }
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            switch (random.nextInt(6)) {
                case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                case 1 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                case 2 -> { // damage the end, where a binary plist keeps its trailer and offset table
                    int at = Math.max(0, b.length - 1 - random.nextInt(Math.min(b.length, 48)));
                    b[at] = (byte) random.nextInt(256);
                }
                case 3 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 4 -> { // cut a slice out
                    if (b.length > 2) {
                        int from = random.nextInt(b.length - 1);
                        int to = from + 1 + random.nextInt(Math.min(16, b.length - from - 1) + 1);
                        byte[] cut = new byte[b.length - (to - from)];
                        System.arraycopy(b, 0, cut, 0, from);
                        System.arraycopy(b, to, cut, from, b.length - to);
                        b = cut;
                    }
                }
                default -> { // duplicate a slice
                    if (b.length > 2) {
                        int from = random.nextInt(b.length - 1);
                        int len = 1 + random.nextInt(Math.min(16, b.length - from));
                        byte[] grown = new byte[b.length + len];
                        System.arraycopy(b, 0, grown, 0, from + len);
                        System.arraycopy(b, from, grown, from + len, b.length - from);
                        b = grown;
                    }
                }
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }

}
