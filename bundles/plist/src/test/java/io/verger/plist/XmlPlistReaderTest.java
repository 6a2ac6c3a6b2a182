package io.verger.plist;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.verger.plist.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The XML rules the hand-written reader keeps, each stated once; XmlReaderDifferentialTest compares it with StAX. */
class XmlPlistReaderTest {

    private final PlistCodec codec = PlistCodec.withDefaults();

    private Object decode(String xml) {
        return codec.decode(xml.getBytes(StandardCharsets.UTF_8));
    }

    private String refusal(String xml) {
        return assertThrows(PlistException.class, () -> decode(xml), xml).getMessage();
    }

    private String refusal(byte[] xml) {
        return assertThrows(PlistException.class, () -> codec.decode(xml)).getMessage();
    }

    @Test
    void lineEndsBecomeNewlinesInTextAndCdataButNotFromCharacterReferences() {
        assertEquals("a\nb\nc\n\nd", decode("<string>a\r\nb\rc\n\rd</string>"));
        assertEquals("a\nb\nc", decode("<string><![CDATA[a\r\nb\rc]]></string>"));
        assertEquals("a\r\nb", decode("<string>a&#13;\nb</string>"));
        assertEquals("k\n", ((Map<?, ?>) decode("<dict><key>k\r</key><true/></dict>")).keySet().iterator().next());
    }

    @Test
    void textJoinsEntitiesReferencesCdataAndSkipsCommentsAndInstructions() {
        assertEquals("<&>\"'A\u00e9\uD83D\uDE00]]>x", decode("<string>&lt;&amp;&gt;&quot;&apos;&#65;&#xe9;&#x1F600;<![CDATA[]]]]><![CDATA[>x]]></string>"));
        assertEquals("ab", decode("<string>a<!-- c --><?pi d?>b</string>"));
        assertEquals("", decode("<string></string>"));
        assertEquals("", decode("<string/>"));
        assertEquals("", decode("<string />"));
    }

    @Test
    void characterReferencesMustNameCharactersXmlAllows() {
        assertEquals("\t\uFFFD\uDBFF\uDFFF", decode("<string>&#9;&#xFFFD;&#x10FFFF;</string>"));
        for (String ref : List.of("&#0;", "&#x0;", "&#1;", "&#xD800;", "&#xDFFF;", "&#xFFFE;", "&#xFFFF;", "&#x110000;", "&#99999999999;")) {
            assertTrue(refusal("<string>" + ref + "</string>").contains("is not a character XML allows"), ref);
        }
        for (String ref : List.of("&#X41;", "&#;", "&#x;", "&#-1;", "&#65", "&#65 ;", "& ;", "&;", "&amp")) {
            assertTrue(refusal("<string>" + ref + "</string>").startsWith("malformed XML plist"), ref);
        }
    }

    @Test
    void onlyThePredefinedEntitiesAreKnown() {
        for (String name : List.of("foo", "AMP", "lt2", "a:b", "xxe", "\u00e9")) {
            assertTrue(refusal("<string>&" + name + ";</string>").startsWith("XML plist refused: entity reference &" + name + ";"), name);
            assertTrue(refusal("<plist a=\"&" + name + ";\"><true/></plist>").contains("entity reference"), name);
        }
    }

    @Test
    void charactersXmlForbidsAreRefusedWhereverTheyAppear() {
        for (String c : List.of("\u0000", "\u0001", "\u000B", "\u000C", "\u001F", "\uFFFE", "\uFFFF")) {
            for (String xml : List.of("<string>" + c + "</string>", "<plist a=\"" + c + "\"><true/></plist>", "<!--" + c + "--><true/>",
                    "<?pi " + c + "?><true/>", "<string><![CDATA[" + c + "]]></string>", "<array>" + c + "</array>", "<true/>" + c,
                    c + "<true/>")) {
                assertTrue(refusal(xml).startsWith("malformed XML plist"), xml);
            }
        }
        assertEquals("\u0080\u009F\u0085\u2028\uFEFF", decode("<string>\u0080\u009F\u0085\u2028\uFEFF</string>")); // XML 1.0 allows these
    }

    @Test
    void cdataEndMarkerMayNotAppearInText() {
        assertTrue(refusal("<string>a]]>b</string>").contains("\"]]>\" in text"));
        assertTrue(refusal("<string>a]]]>b</string>").contains("\"]]>\" in text"));
        assertEquals("a]]b]>c", decode("<string>a]]b]>c</string>"));
        assertEquals("a]]&gt;", decode("<string>a]]&amp;gt;</string>"));
    }

    @Test
    void commentsAndProcessingInstructionsFollowXml() {
        assertEquals(true, decode("<!----><!-- - --><?pi?><?pi data?><?a:b x?><?xmlfoo?><true/><!-- after --><?after?>"));
        for (String xml : List.of("<!-- a -- b --><true/>", "<!-- a ---><true/>", "<!--><true/>", "<!---><true/>", "<??><true/>",
                "<? pi?><true/>", "<?pi!?><true/>", "<?1pi?><true/>", "<?xml version=\"1.0\"?><?xml version=\"1.0\"?><true/>",
                " <?xml version=\"1.0\"?><true/>", "<true/><?XmL x?>", "<string>a<?xml x?></string>")) {
            assertTrue(refusal(xml).startsWith("malformed XML plist"), xml);
        }
    }

    @Test
    void theXmlDeclarationIsCheckedAndOnlyXml10IsRead() {
        for (String declaration : List.of("<?xml version=\"1.0\"?>", "<?xml version='1.0' ?>", "<?xml version = \"1.0\" encoding = 'utf-8' standalone='yes'?>",
                "<?xml\tversion=\"1.0\"\nstandalone=\"no\"?>")) {
            assertEquals(true, decode(declaration + "<true/>"), declaration);
        }
        for (String declaration : List.of("<?xml?>", "<?xml encoding=\"UTF-8\"?>", "<?xml version=\"1.0\"encoding=\"UTF-8\"?>",
                "<?xml version=\"1.0\" standalone=\"maybe\"?>", "<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?>",
                "<?xml version=\"1.0\" foo=\"bar\"?>", "<?xml version=\"2.0\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"", "<?xml version=1.0?>")) {
            assertTrue(refusal(declaration + "<true/>").startsWith("malformed XML plist"), declaration);
        }
        // The StAX reader read XML 1.1 under 1.1 rules; no plist writer produces it, so it is refused with a reason.
        assertTrue(refusal("<?xml version=\"1.1\"?><true/>").contains("XML version '1.1' is not supported, only XML 1.0 is"));
    }

    @Test
    void appleDoctypeIsReadWhereverXmlAllowsItAndOnlyOnce() {
        String apple = "<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">";
        assertEquals(true, decode(apple + "<true/>")); // the StAX reader refused this one: a JDK bug cut a character from its text
        assertEquals(true, decode("<?xml version=\"1.0\"?>\n<!-- c -->\n" + apple + "\n<?pi?><true/>"));
        assertTrue(refusal(apple + apple + "<true/>").contains("a second DOCTYPE"));
        assertTrue(refusal("<?pi?>" + apple + "<?xml version=\"1.0\"?><true/>").startsWith("malformed XML plist"));
        assertTrue(refusal("<true/>" + apple).startsWith("malformed XML plist"));
        assertTrue(refusal("<plist>" + apple + "<true/></plist>").startsWith("malformed XML plist"));
        assertTrue(refusal("<!doctype plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\"><true/>")
                .startsWith("malformed XML plist"));
    }

    @Test
    void attributesAreCheckedThenIgnored() {
        assertEquals("a", decode("<plist version=\"1.0\" xmlns:x='urn:x' x:a=\"&amp;&#65;&lt;>\" b = '\"'><string c=\"\">a</string></plist>"));
        for (String tag : List.of("<plist version=1.0>", "<plist version>", "<plist a=\"1\" a=\"2\">", "<plist a=\"<\">", "<plist a=\"&\">",
                "<plist a=\"1\"b=\"2\">", "<plist a=\"1' >", "<plist -a=\"1\">", "<plist a\u3000=\"1\">", "<plist/ >", "< plist>")) {
            assertTrue(refusal(tag + "<true/></plist>").startsWith("malformed XML plist"), tag);
        }
    }

    @Test
    void duplicateAttributesAreFoundAmongMany() {
        StringBuilder many = new StringBuilder("<plist");
        for (int i = 0; i < 20; i++) {
            many.append(" a").append(i).append("=\"").append(i).append('"');
        }
        assertEquals(true, decode(many + "><true/></plist>"));
        assertTrue(refusal(many + " a3=\"again\"><true/></plist>").contains("attribute a3 appears twice in <plist>"));
        assertTrue(refusal(many + " a19=\"again\"><true/></plist>").contains("attribute a19 appears twice in <plist>"));
    }

    @Test
    void aTagWithHundredsOfThousandsOfAttributesCostsLinearTime() {
        StringBuilder tag = new StringBuilder("<plist");
        for (int i = 0; i < 300_000; i++) {
            tag.append(" a").append(i).append("=''");
        }
        byte[] xml = tag.append(" a7=''><true/></plist>").toString().getBytes(StandardCharsets.UTF_8);
        String message = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refusal(xml));
        assertTrue(message.contains("attribute a7 appears twice"), message);
    }

    @Test
    void endTagsMustCloseTheOpenElement() {
        for (String xml : List.of("<string>a</String>", "<string>a</strin>", "<string>a</stringx>", "<string>a</ string>", "<string>a</string",
                "<plist><string>a</plist>", "<plist><true/></plist></plist>", "</plist>", "<plist><true/>", "<plist><string>a")) {
            assertTrue(refusal(xml).startsWith("malformed XML plist"), xml);
        }
        assertEquals("a", decode("<plist ><string>a</string\n></plist >"));
    }

    @Test
    void onlyWhiteSpaceCommentsAndInstructionsSurroundTheRoot() {
        assertEquals(true, decode(" \r\n\t<!-- c --><true/> \r\n<!-- c --><?pi?>\n"));
        for (String xml : List.of("x<true/>", "&#32;<true/>", "<![CDATA[ ]]><true/>", "<true/>x", "<true/>&#32;", "<true/><![CDATA[ ]]>",
                "<true/><false/>", "<true/>&foo;", "<!-- only a comment -->", "", " ")) {
            assertThrows(PlistException.class, () -> decode(xml), xml);
        }
    }

    @Test
    void whiteSpaceBetweenElementsMayBeReferencesOrCdataButOtherTextIsRefused() {
        assertEquals(List.of(true), decode("<array>&#32;&#x9;&#10;&#13;<![CDATA[ \n]]><true/> </array>"));
        assertEquals(true, decode("<true>&#32;<!-- c --> </true>"));
        assertTrue(refusal("<array>&#65;<true/></array>").contains("unexpected text 'A' between elements"));
        assertTrue(refusal("<array><![CDATA[ x ]]></array>").contains("unexpected text 'x' between elements"));
        assertTrue(refusal("<array>&amp;</array>").contains("unexpected text '&' between elements"));
    }

    @Test
    void malformedUtf8IsRefusedWhereverItIs() {
        byte[][] bad = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                {(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xE9}, {(byte) 0xFF}};
        for (byte[] b : bad) {
            for (String[] around : new String[][]{{"<string>", "</string>"}, {"<plist a=\"", "\"><true/></plist>"}, {"<!--", "--><true/>"},
                    {"<plist a", "=\"\"><true/></plist>"}, {"<true/>", ""}, {"<string>", ""}, {"<?pi ", "?><true/>"}}) {
                ByteArrayOutputStream xml = new ByteArrayOutputStream();
                xml.writeBytes(around[0].getBytes(StandardCharsets.UTF_8));
                xml.writeBytes(b);
                xml.writeBytes(around[1].getBytes(StandardCharsets.UTF_8));
                String message = refusal(xml.toByteArray());
                assertTrue(message.startsWith("XML plist is not valid UTF-8") || message.startsWith("malformed XML plist"), message);
            }
        }
        // the largest and smallest of each length are fine
        assertEquals("\u0080\u07FF\u0800\uFFFD\uD800\uDC00\uDBFF\uDFFF", decode("<string>\u0080\u07FF\u0800\uFFFD\uD800\uDC00\uDBFF\uDFFF</string>"));
    }

    @Test
    void namesFollowTheFifthEditionOfXml10() {
        for (String name : List.of("\u00e9", "\u02B0", "a\u00B7b", "a\u203Fb", "\u4E00", "\uD800\uDC00", "_", ":a", "a:b", "a:")) {
            assertEquals(true, decode("<plist " + name + "=\"1\"><true/></plist>"), name);
        }
        for (String name : List.of("\u00B7", "-a", "1a", ".a", "\u2019", "\u00D7", "\u3000")) {
            assertThrows(PlistException.class, () -> decode("<plist " + name + "=\"1\"><true/></plist>"), name);
        }
    }

    @Test
    void utf16PlistsDecodeInBothByteOrders() {
        String xml = "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-16\"?><plist><dict><key>\uD83D\uDE00</key><string>\u65E5\u672C\r\n</string></dict></plist>";
        Map<String, Object> expected = Map.of("\uD83D\uDE00", "\u65E5\u672C\n");
        assertSameValue(expected, codec.decode(xml.getBytes(StandardCharsets.UTF_16BE)));
        assertSameValue(expected, codec.decode(xml.getBytes(StandardCharsets.UTF_16LE)));
        assertSameValue(expected, codec.decode(xml.replace("UTF-16", "UTF-8").getBytes(StandardCharsets.UTF_8)));
        assertTrue(refusal(xml.getBytes(StandardCharsets.UTF_8)).contains("declares encoding 'UTF-16' but is UTF-8"));
        byte[] oddLength = java.util.Arrays.copyOf(xml.getBytes(StandardCharsets.UTF_16LE), xml.length() * 2 - 1);
        assertTrue(refusal(oddLength).startsWith("XML plist is not valid UTF-16"));
    }

    @Test
    void largeDocumentsAreReadInLinearTime() {
        StringBuilder sb = new StringBuilder("<array>");
        for (int i = 0; i < 200_000; i++) {
            sb.append("<string>item &amp; ").append(i).append("</string>\n");
        }
        byte[] big = new byte[4 << 20];
        java.util.Arrays.fill(big, (byte) 'A');
        sb.append("<data>").append(new String(big, StandardCharsets.US_ASCII)).append("</data></array>");
        byte[] xml = sb.toString().getBytes(StandardCharsets.UTF_8);
        List<?> list = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> (List<?>) codec.decode(xml));
        assertEquals(200_001, list.size());
        assertEquals("item & 199999", list.get(199_999));
        assertEquals(3 << 20, ((byte[]) list.get(200_000)).length);
    }
}
