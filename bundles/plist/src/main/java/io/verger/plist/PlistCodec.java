package io.verger.plist;

import io.verger.plist.internal.BinaryPlistReader;
import io.verger.plist.internal.BinaryPlistWriter;
import io.verger.plist.internal.PlistTypes;
import io.verger.plist.internal.XmlPlistReader;
import io.verger.plist.internal.XmlPlistWriter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes XML and binary property lists to plain Java values and encodes them back.
 *
 * <p>Decoded values: dictionary &rarr; {@code LinkedHashMap<String,Object>} (document order), array
 * &rarr; {@code ArrayList<Object>}, string &rarr; {@code String}, integer &rarr; {@code Long}, real &rarr;
 * {@code Double}, true/false &rarr; {@code Boolean}, data &rarr; {@code byte[]}, date &rarr;
 * {@link java.time.Instant}. The collections are new and belong to the caller.
 *
 * <p>Encoding accepts the same types, plus {@code Integer}, {@code Short}, {@code Byte}, {@code Float}
 * and a {@code BigInteger} that fits a long, any {@code Map} with {@code String} keys and any
 * {@code List}. Anything else, {@code null}, a collection that contains itself, or nesting deeper than
 * the limit is refused with a {@link PlistException} naming the key path.
 *
 * <p>Refused on decode, before any file or network access: any DOCTYPE other than Apple's plist DOCTYPE
 * (so internal subsets, entity declarations and external DTDs), entity references, XML or binary input
 * over {@link PlistLimits#maxInputBytes()}, nesting over {@link PlistLimits#maxDepth()}, more than
 * {@link PlistLimits#maxObjects()} values, integers that do not fit a long, duplicate or non-string
 * dictionary keys, binary plists that are truncated, point outside themselves or reference their own
 * ancestors, and binary-only types that are not plist values (UID, set, null).
 *
 * <p>Dates: XML carries whole seconds (Apple's format; sub-second parts are dropped on encoding);
 * binary carries a double of seconds, decoded to the microsecond.
 *
 * <p>Instances are immutable and thread-safe; one can serve every request of a server.
 */
public final class PlistCodec {

    private static final PlistCodec DEFAULT = new PlistCodec(PlistLimits.defaults());
    private static final byte[] BINARY_MAGIC = {'b', 'p', 'l', 'i', 's', 't'};

    private final PlistLimits limits;
    private final XmlPlistReader xmlReader;

    private PlistCodec(PlistLimits limits) {
        this.limits = limits;
        this.xmlReader = new XmlPlistReader(limits);
    }

    /** A codec with {@link PlistLimits#defaults()}. */
    public static PlistCodec withDefaults() {
        return DEFAULT;
    }

    public static PlistCodec withLimits(PlistLimits limits) {
        return new PlistCodec(Objects.requireNonNull(limits, "limits"));
    }

    public PlistLimits limits() {
        return limits;
    }

    /**
     * Decodes an XML or binary plist; the format is recognised by the {@code bplist} magic.
     *
     * @throws PlistException if the plist is malformed, hostile or over a limit
     */
    public Object decode(byte[] plist) {
        Objects.requireNonNull(plist, "plist");
        if (plist.length > limits.maxInputBytes()) {
            throw new PlistException("plist larger than " + limits.maxInputBytes() + " bytes (" + plist.length + " bytes)");
        }
        if (plist.length == 0) {
            throw new PlistException("plist is empty");
        }
        return isBinary(plist)
                ? new BinaryPlistReader(plist, limits).read()
                : xmlReader.read(plist);
    }

    /**
     * Decodes a plist whose root must be a dictionary, as every check-in message and command report is.
     *
     * @throws PlistException if the plist is malformed, hostile, over a limit, or its root is not a dictionary
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> decodeDictionary(byte[] plist) {
        Object root = decode(plist);
        if (root instanceof Map) {
            return (Map<String, Object>) root;
        }
        throw new PlistException("plist root is " + PlistTypes.elementOf(root) + ", expected <dict>");
    }

    /**
     * Reads at most {@link PlistLimits#maxInputBytes()} + 1 bytes from {@code in} (which stays open) and
     * decodes them; a longer stream is refused without reading the rest.
     *
     * @throws IOException    if reading fails
     * @throws PlistException as {@link #decode(byte[])}
     */
    public Object decode(InputStream in) throws IOException {
        return decode(readBounded(in));
    }

    /** As {@link #decodeDictionary(byte[])}, reading from a stream as {@link #decode(InputStream)} does. */
    public Map<String, Object> decodeDictionary(InputStream in) throws IOException {
        return decodeDictionary(readBounded(in));
    }

    /**
     * Encodes an XML plist as Apple writes it: UTF-8, Apple's DOCTYPE, tab indentation.
     *
     * @throws PlistException if the value holds an unsupported type, null, a cycle, a string with a
     *                        character XML cannot carry, or is nested deeper than the limit
     */
    public byte[] encodeXml(Object value) {
        return new XmlPlistWriter(limits).write(value);
    }

    /**
     * Encodes a binary plist ({@code bplist00}).
     *
     * @throws PlistException if the value holds an unsupported type, null, a cycle, or is nested deeper
     *                        than the limit
     */
    public byte[] encodeBinary(Object value) {
        return new BinaryPlistWriter(limits).write(value);
    }

    /** Encodes in the given format; see {@link #encodeXml(Object)} and {@link #encodeBinary(Object)}. */
    public byte[] encode(Object value, PlistFormat format) {
        return switch (Objects.requireNonNull(format, "format")) {
            case XML -> encodeXml(value);
            case BINARY -> encodeBinary(value);
        };
    }

    @Override
    public String toString() {
        return "PlistCodec(" + limits + ")";
    }

    private static boolean isBinary(byte[] plist) {
        return plist.length >= BINARY_MAGIC.length
                && Arrays.equals(plist, 0, BINARY_MAGIC.length, BINARY_MAGIC, 0, BINARY_MAGIC.length);
    }

    private byte[] readBounded(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        int max = limits.maxInputBytes();
        byte[] buf = new byte[(int) Math.min((long) max + 1, 8192)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n > max) {
                    throw new PlistException("plist larger than " + max + " bytes");
                }
                buf = Arrays.copyOf(buf, (int) Math.min((long) max + 1, (long) n * 2));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return n == buf.length ? buf : Arrays.copyOf(buf, n);
            }
            n += r;
        }
    }
}
