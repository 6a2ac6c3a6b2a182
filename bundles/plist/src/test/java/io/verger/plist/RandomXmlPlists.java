package io.verger.plist;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;

/**
 * Random XML plists written the many ways XML allows: entities, character references, CDATA, comments
 * and processing instructions inside text and between elements, every kind of white space and line end,
 * empty-element tags, attributes, declarations and DOCTYPEs. Mostly well-formed; now and then not (a
 * duplicate key, an odd number, a value that is not a number). Also damage to apply to any input.
 */
final class RandomXmlPlists {

    private static final String[] TEXT_PIECES = {"a", "Z", "0", " ", "  ", "\t", "\n", "\r", "\r\n", "<", ">", "&", "\"", "'",
            "]", "]]", "]>", "]]>", "é", "日本", "😀", "\uFEFF", "\u0085", "\u2028", "\u0080", "\u009F", "\uFFFD", "\u3000",
            "\u00A0", "-", "--", "?", "?>", "=", "/", ";", "#", "x", "Hello world", "com.apple.mgmt.External.1234", "Jane’s iPhone"};
    private static final String[] BETWEEN = {"", "", "", " ", "\n", "\t", "\n\t", "\r\n", "\r", "\n\n  ", "<!-- c -->",
            "<!---->", "<!-- <dict> & -->", "<?pi data?>", "<?pi?>", "<![CDATA[ ]]>", "<![CDATA[]]>", "&#32;", "&#x9;", "&#10;", "&#13;"};
    private static final String[] DAMAGE = {"<", ">", "&", "&amp;", "&foo;", "&#0;", "&#x1F600;", "&#xD800;", "&#65", "]]>",
            "<!--", "-->", "--", "<![CDATA[", "<?", "?>", "<?xml version=\"1.0\"?>", "<!DOCTYPE plist>", "<!ENTITY x \"y\">",
            "<plist>", "</plist>", "<dict>", "</dict>", "<array>", "</array>", "<key>k</key>", "<string>", "</string>", "<true/>",
            "<b/>", "</b>", "\u0000", "\u0001", "\u000B", "\uFFFE", "\r", "\u00e9", "a=\"1\"", " a='1'", "\"", "'", "=", "/", "/>",
            "x:y", ":", "\t", " "};
    private static final String[] DOCTYPES = {
            "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
            "<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">",
            "<!DOCTYPE plist PUBLIC '-//Apple//DTD PLIST 1.0//EN' 'https://www.apple.com/DTDs/PropertyList-1.0.dtd' >",
            "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"file://localhost/System/Library/DTDs/PropertyList.dtd\">",
            "<!DOCTYPE\tplist\nPUBLIC  \"-//Apple//DTD PLIST 1.0//EN\"\r\n\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\"\n>"};
    private static final String[] DECLARATIONS = {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version='1.0'?>",
            "<?xml version = \"1.0\" encoding = 'utf-8' standalone=\"yes\" ?>", "<?xml version=\"1.0\" standalone='no'?>",
            "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>", "<?xml\tversion=\"1.0\"\nencoding=\"UTF8\"?>"};

    private static final String[] MISC = {"", "", " ", "\n", "\r\n", "\t", "<!-- c -->", "<?pi data?>", "<!---->"};
    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile("&#(x[0-9a-fA-F]+|[0-9]+);");

    private final Random random;

    RandomXmlPlists(long seed) {
        this.random = new Random(seed);
    }

    /** A random plist, UTF-8. */
    byte[] next() {
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(3) > 0) {
            sb.append(pick(DECLARATIONS));
        }
        misc(sb);
        if (random.nextInt(3) > 0) {
            sb.append(pick(DOCTYPES));
        }
        misc(sb);
        boolean wrapped = random.nextInt(4) > 0;
        if (wrapped) {
            sb.append(random.nextBoolean() ? "<plist version=\"1.0\">" : random.nextBoolean() ? "<plist>" : "<plist version='1.0' xmlns:x=\"urn:x\" >");
            between(sb);
        }
        value(sb, 0);
        if (wrapped) {
            between(sb);
            sb.append(random.nextBoolean() ? "</plist>" : "</plist \n>");
        }
        misc(sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code input} with one to four random edits: bytes changed, flipped, cut, repeated, markup inserted, the end cut off. */
    byte[] damage(byte[] input) {
        byte[] b = input.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(7)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> b = splice(b, at, Math.min(b.length, at + 1 + random.nextInt(16)), new byte[0]);
                case 4 -> b = splice(b, at, at, java.util.Arrays.copyOfRange(b, at, Math.min(b.length, at + 1 + random.nextInt(16))));
                default -> b = splice(b, at, at, pick(DAMAGE).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }

    private void value(StringBuilder sb, int depth) {
        int kind = random.nextInt(depth >= 4 ? 8 : 10);
        switch (kind) {
            case 0 -> scalar(sb, "string", randomText());
            case 1 -> scalar(sb, "integer", integer());
            case 2 -> scalar(sb, "real", real());
            case 3 -> scalar(sb, "date", date());
            case 4 -> scalar(sb, "data", data());
            case 5 -> bool(sb, "true");
            case 6 -> bool(sb, "false");
            case 7 -> scalar(sb, "string", random.nextBoolean() ? "" : "plain");
            case 8 -> {
                int n = random.nextInt(5);
                if (n == 0 && random.nextBoolean()) {
                    sb.append(random.nextBoolean() ? "<dict/>" : "<dict />");
                    return;
                }
                open(sb, "dict");
                String previous = null;
                for (int i = 0; i < n; i++) {
                    between(sb);
                    String key = previous != null && random.nextInt(40) == 0 ? previous : randomText();
                    scalar(sb, "key", key);
                    between(sb);
                    value(sb, depth + 1);
                    previous = key;
                }
                between(sb);
                close(sb, "dict");
            }
            default -> {
                int n = random.nextInt(5);
                if (n == 0 && random.nextBoolean()) {
                    sb.append(random.nextBoolean() ? "<array/>" : "<array a='1'/>");
                    return;
                }
                open(sb, "array");
                for (int i = 0; i < n; i++) {
                    between(sb);
                    value(sb, depth + 1);
                }
                between(sb);
                close(sb, "array");
            }
        }
    }

    private void open(StringBuilder sb, String name) {
        sb.append('<').append(name);
        if (random.nextInt(10) == 0) {
            sb.append(random.nextBoolean() ? " a=\"1\"" : " x:y='&amp;&#65;' b = \"\"");
        }
        if (random.nextInt(10) == 0) {
            sb.append(' ');
        }
        sb.append('>');
    }

    private void close(StringBuilder sb, String name) {
        sb.append("</").append(name).append(random.nextInt(10) == 0 ? " >" : ">");
    }

    private void bool(StringBuilder sb, String name) {
        switch (random.nextInt(5)) {
            case 0 -> sb.append('<').append(name).append("></").append(name).append('>');
            case 1 -> sb.append('<').append(name).append('>').append(pick(BETWEEN)).append("</").append(name).append('>');
            case 2 -> sb.append('<').append(name).append(" />");
            default -> sb.append('<').append(name).append("/>");
        }
    }

    private void scalar(StringBuilder sb, String name, String text) {
        if (text.isEmpty() && random.nextBoolean()) {
            sb.append('<').append(name).append(random.nextBoolean() ? "/>" : " />");
            return;
        }
        open(sb, name);
        escape(sb, text);
        sb.append("</").append(name).append(random.nextInt(10) == 0 ? "\n>" : ">");
    }

    /** Writes text the ways XML allows, now and then (a few per cent) raw where it must not be. */
    private void escape(StringBuilder sb, String text) {
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            int how = random.nextInt(20);
            if (c == '&' && REFERENCE.matcher(text).region(i - 1, text.length()).lookingAt()) {
                sb.append('&'); // a reference the generator meant, as in "&#x2003;"
            } else if (how == 0) {
                sb.append("&#").append(c).append(';');
            } else if (how == 1) {
                sb.append("&#x").append(Integer.toHexString(c)).append(';');
            } else if (how == 2 && c != ']' && c != '\r') {
                sb.append("<![CDATA[").appendCodePoint(c).append("]]>");
            } else if (how == 3) {
                sb.append(random.nextBoolean() ? "<!-- x -->" : "<?t d?>").appendCodePoint(c);
            } else if (c == '<') {
                sb.append(random.nextInt(100) == 0 ? "<" : "&lt;");
            } else if (c == '&') {
                sb.append(random.nextInt(100) == 0 ? "&" : "&amp;");
            } else if (c == '>' && random.nextBoolean()) {
                sb.append("&gt;");
            } else if (c == '"' && random.nextBoolean()) {
                sb.append("&quot;");
            } else if (c == '\'' && random.nextBoolean()) {
                sb.append("&apos;");
            } else if (c == ']' && random.nextInt(10) > 0) {
                sb.append("&#93;"); // keeps "]]>" out of text most of the time
            } else {
                sb.appendCodePoint(c);
            }
        }
    }

    private String randomText() {
        int n = random.nextInt(6);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(pick(TEXT_PIECES));
        }
        return sb.toString();
    }

    private String integer() {
        long v = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(100);
            case 1 -> random.nextLong();
            case 2 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            default -> -random.nextInt(100_000);
        };
        String s = switch (random.nextInt(16)) {
            case 0 -> (v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v)).replace("0x-", "-0x");
            case 1 -> (v >= 0 ? "+" : "") + v;
            case 2 -> "000" + v;
            case 3 -> v / 10 + "0";
            case 4 -> random.nextInt(3) == 0 ? v + "0" : pick(new String[]{"", "-", "0x", "1.5", "12a", "١٢", "18446744073709551615", "0xFFFFFFFFFFFFFFFF", "+0X1f"});
            default -> Long.toString(v);
        };
        return space() + s + space();
    }

    private String real() {
        String s = switch (random.nextInt(8)) {
            case 0, 1 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 2 -> pick(new String[]{"nan", "NaN", "inf", "+inf", "-INF", "infinity", "-Infinity", "-nan", "Inf"});
            case 3 -> pick(new String[]{".5", "5.", "1e3", "-1E-3", "1e400", "1e", "--1", "0x1p3", "1d", "1_0", "", "1,5"});
            default -> Long.toString(random.nextInt(1000) - 500);
        };
        return space() + s + space();
    }

    private String date() {
        Instant t = Instant.ofEpochSecond(random.nextInt(2_000_000_000) - 500_000_000L);
        String s = switch (random.nextInt(12)) {
            case 0 -> t.toString().toLowerCase(java.util.Locale.ROOT);
            case 1 -> t.plusMillis(random.nextInt(1000)).toString();
            case 2 -> pick(new String[]{"2024-02-30T00:00:00Z", "2024-10-28T24:00:00Z", "2024-10-28T23:59:60Z", "yesterday",
                    "2024-10-28T09:15:02+01:00", "10000-01-01T00:00:00Z", ""});
            default -> t.toString();
        };
        return space() + s + space();
    }

    private String data() {
        byte[] bytes = new byte[random.nextInt(40)];
        random.nextBytes(bytes);
        String b64 = Base64.getEncoder().encodeToString(bytes);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b64.length(); i++) {
            if (random.nextInt(12) == 0) {
                sb.append(pick(new String[]{"\n", "\t", " ", "\r\n", "\n\t\t", "&#10;", "&#xA0;"}));
            }
            sb.append(b64.charAt(i));
        }
        if (random.nextInt(40) == 0) {
            sb.append(pick(new String[]{"=", "!", "é", "A"}));
        }
        return sb.toString();
    }

    private String space() {
        return random.nextInt(4) > 0 ? "" : pick(new String[]{" ", "\n\t", "\t", "\u3000", "&#x2003;", "\r\n"});
    }

    private void between(StringBuilder sb) {
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            sb.append(pick(BETWEEN));
        }
    }

    /** Outside the root element: no references or CDATA, mostly. */
    private void misc(StringBuilder sb) {
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            sb.append(random.nextInt(50) == 0 ? pick(BETWEEN) : pick(MISC));
        }
    }

    private String pick(String[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
