package io.verger.schemagen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

import io.verger.api.command.CommandType;
import io.verger.api.command.CommandValidationException;

/**
 * Apple's schema against the installed command types: for every YAML file in {@code mdm/commands}, a type for its
 * RequestType is installed, a valid example built from the schema (the required keys with valid values) is accepted,
 * leaving out each required key is refused naming it, and a value of the wrong type is refused naming its key.
 * Needs {@code ../shared/apple-device-management} beside the clone: skipped without it, failed without it when
 * {@code CI=true}.
 */
class SchemaConformanceTest {

    private static Map<String, List<Object>> installed;

    @BeforeAll
    static void load() throws Exception {
        installed = InstalledTypes.all();
    }

    static Path schema() {
        Path dir = Path.of(System.getProperty("apple.commands", "../../../shared/apple-device-management/mdm/commands"));
        if (!Files.isDirectory(dir)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("Apple's schema is missing at " + dir.toAbsolutePath() + " (CI=true needs it)");
            }
            assumeTrue(false, "Apple's schema not found at " + dir.toAbsolutePath() + "; conformance skipped");
        }
        return dir;
    }

    @TestFactory
    Stream<DynamicTest> everyRequestTypeOfAppleSchemaIsInstalledAndValidated() throws IOException {
        Path dir = schema();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(66, files.size(), "Apple's schema files");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    @SuppressWarnings("unchecked")
    private static void check(Path file) throws Exception {
        Map<String, Object> doc;
        try (Reader r = Files.newBufferedReader(file)) {
            doc = new Yaml().load(r);
        }
        String rt = (String) ((Map<String, Object>) doc.get("payload")).get("requesttype");
        List<Object> entry = installed.get(rt);
        assertNotNull(entry, "no installed command type for " + rt + " (" + file.getFileName() + ")");
        CommandType type = (CommandType) entry.get(1);
        List<Map<String, Object>> keys = (List<Map<String, Object>>) doc.getOrDefault("payloadkeys", List.of());

        Map<String, Object> valid = example(keys);
        Map<String, Object> command = type.build(Map.copyOf(valid));
        assertEquals(rt, command.get("RequestType"));

        for (Map<String, Object> k : keys) {
            String name = (String) k.get("key");
            if ("required".equals(k.get("presence"))) {
                Map<String, Object> missing = new LinkedHashMap<>(valid);
                missing.remove(name);
                CommandValidationException e = assertThrows(CommandValidationException.class, () -> type.build(missing),
                        rt + " without required " + name);
                assertEquals(name, e.key(), e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            CommandValidationException e = assertThrows(CommandValidationException.class,
                    () -> type.build(Map.of("Bogus", "x")), rt + " with an unknown key");
            assertEquals("Bogus", e.key());
            return;
        }
        for (Map<String, Object> k : keys) {
            String name = (String) k.get("key");
            String t = (String) k.get("type");
            if ("<any>".equals(t)) {
                continue;
            }
            Map<String, Object> wrong = new LinkedHashMap<>(valid);
            wrong.put(name, "<string>".equals(t) ? (Object) 42L : (Object) "not a " + t);
            CommandValidationException e = assertThrows(CommandValidationException.class, () -> type.build(wrong),
                    rt + "." + name + " of the wrong type");
            assertEquals(name, e.key(), e.getMessage());
            assertTrue(e.getMessage().contains(t), e.getMessage());
        }
        assertFalse(command.containsKey("CommandUUID"));
    }

    /** The required keys of a dictionary, each with a valid value. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> example(List<Map<String, Object>> keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> k : keys) {
            if ("required".equals(k.get("presence"))) {
                out.put((String) k.get("key"), value(k));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Object value(Map<String, Object> k) {
        List<Object> range = (List<Object>) k.get("rangelist");
        List<Map<String, Object>> subkeys = (List<Map<String, Object>>) k.getOrDefault("subkeys", List.of());
        String type = (String) k.get("type");
        switch (type) {
            case "<string>":
                if (range != null) {
                    return String.valueOf(range.get(0));
                }
                return subkeys.isEmpty() ? "example" : (String) subkeys.get(0).get("key");
            case "<integer>":
                return range != null ? ((Number) range.get(0)).longValue() : 1L;
            case "<real>":
                return 1.5;
            case "<boolean>":
                return Boolean.TRUE;
            case "<data>":
                return new byte[] {1, 2, 3};
            case "<date>":
                return Instant.parse("2026-01-31T12:00:00Z");
            case "<array>":
                List<Object> list = new ArrayList<>();
                if (!subkeys.isEmpty()) {
                    list.add(value(subkeys.get(0)));
                }
                return list;
            case "<dictionary>":
                return example(subkeys);
            default:
                return "any";
        }
    }
}
