package io.verger.identity.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The addresses allowed to send the RFC 9440 {@code Client-Cert} header: IP addresses and CIDR
 * ranges, IPv4 or IPv6. Only literals are accepted, so parsing never resolves a host name.
 */
final class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private record Range(byte[] network, int prefixLength, String text) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = prefixLength == 0 ? BigInteger.ZERO
                    : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - prefixLength).shiftLeft(bits - prefixLength);
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param list comma-separated addresses and CIDR ranges, e.g. {@code 10.0.0.5, 192.168.0.0/16, fd00::/8}; null or blank for none
     * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR range
     */
    static TrustedProxies parse(String list) {
        return parse(list, e -> {
            throw e;
        });
    }

    /** Like {@link #parse(String)}, but hands each bad entry's error to {@code onBadEntry} and goes on. */
    static TrustedProxies parse(String list, Consumer<IllegalArgumentException> onBadEntry) {
        List<Range> ranges = new ArrayList<>();
        if (list != null) {
            for (String entry : list.split(",")) {
                String text = entry.strip();
                if (text.isEmpty()) {
                    continue;
                }
                try {
                    ranges.add(range(text));
                } catch (IllegalArgumentException e) {
                    onBadEntry.accept(e);
                }
            }
        }
        return new TrustedProxies(ranges);
    }

    private static Range range(String text) {
        int slash = text.indexOf('/');
        byte[] network = literal(slash < 0 ? text : text.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("trusted proxy '" + text + "' is not an IP address or CIDR range (e.g. 10.0.0.5 or 10.0.0.0/8)");
        }
        int maxPrefix = network.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > maxPrefix) {
                throw new IllegalArgumentException("trusted proxy '" + text + "' has a prefix length outside 0.." + maxPrefix);
            }
        }
        return new Range(network, prefix, text);
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** @param remoteAddress an IP address literal, as {@code HttpServletRequest.getRemoteAddr()} gives it */
    boolean contains(String remoteAddress) {
        if (remoteAddress == null) {
            return false;
        }
        byte[] address = literal(remoteAddress.strip());
        if (address == null) {
            return false;
        }
        if (address.length == 16 && isV4Mapped(address)) {
            byte[] v4 = new byte[4];
            System.arraycopy(address, 12, v4, 0, 4);
            address = v4;
        }
        for (Range range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return ranges.stream().map(Range::text).toList().toString();
    }

    /** @return the address bytes of an IPv4 or IPv6 literal, or null for anything else (never a DNS lookup) */
    private static byte[] literal(String text) {
        String candidate = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        int zone = candidate.indexOf('%');
        if (zone >= 0) {
            candidate = candidate.substring(0, zone);
        }
        boolean v4 = IPV4.matcher(candidate).matches();
        if (v4) {
            for (String part : candidate.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        } else if (!(candidate.contains(":") && IPV6.matcher(candidate).matches())) {
            return null;
        }
        try {
            // a literal of these shapes is parsed, not resolved
            return InetAddress.getByName(candidate).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static boolean isV4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }
}
