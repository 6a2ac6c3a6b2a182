package io.verger.commands.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.verger.api.Channel;
import io.verger.api.Platform;
import io.verger.api.command.CommandDescription;
import io.verger.api.schema.AccessRight;
import io.verger.api.schema.Availability;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PlatformSupport;
import io.verger.api.schema.ValueType;

/**
 * The facts of a set of commands as {@code tools/schema-gen/generate.py} writes them ({@code commands.json}): per
 * RequestType its title, description, platforms (versions, channels, access rights, supervision, ADE, User
 * Enrollment and Shared iPad modes), parameter keys (types, presence, allowed values, defaults, nested keys) and how
 * an acknowledged result becomes inventory. Immutable once read.
 */
public final class CommandFacts {

    /**
     * One command's facts.
     *
     * @param description  the description served to API callers and used for validation
     * @param alternatives for each array parameter whose elements take one of several dictionary shapes told apart
     *                     by their {@code Item} (Apple's {@code Settings}): its path ({@code "Settings"}) and the shapes
     * @param inventory    how an acknowledged result becomes inventory, or {@code null}
     * @param schemaFile   the name of Apple's schema file the facts come from
     */
    public record Command(CommandDescription description, Map<String, List<PayloadKey>> alternatives,
            InventoryMapping inventory, String schemaFile) {
        public Command {
            Objects.requireNonNull(description, "description");
            alternatives = Map.copyOf(alternatives);
        }

        /** @return the RequestType */
        public String requestType() {
            return description.requestType();
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Command> commands;

    private CommandFacts(Map<String, Command> commands) {
        this.commands = commands;
    }

    /**
     * Reads facts from a resource of the calling bundle.
     *
     * @param anchor   a class of the bundle holding the resource
     * @param resource the absolute resource path, e.g. {@code /io/verger/commands/security/commands.json}
     * @return the facts
     * @throws IllegalStateException if the resource is missing or malformed (a build defect of the bundle)
     */
    public static CommandFacts load(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("command facts " + resource + " missing from the bundle of " + anchor.getName());
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read command facts " + resource, e);
        }
    }

    /**
     * @param json the {@code commands.json} document
     * @return the facts
     * @throws IOException              if it is not JSON
     * @throws IllegalArgumentException if a fact does not fit the schema vocabulary (the message names the command and key)
     */
    public static CommandFacts parse(InputStream json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        Map<String, Command> commands = new LinkedHashMap<>();
        for (JsonNode c : root.path("commands")) {
            Command command = command(c);
            if (commands.put(command.requestType(), command) != null) {
                throw new IllegalArgumentException("RequestType " + command.requestType() + " is described twice");
            }
        }
        return new CommandFacts(Map.copyOf(commands));
    }

    /**
     * @param requestType a RequestType
     * @return its facts
     * @throws IllegalArgumentException if these facts do not describe it
     */
    public Command command(String requestType) {
        Command c = commands.get(requestType);
        if (c == null) {
            throw new IllegalArgumentException("no facts for RequestType " + requestType + "; known: " + commands.keySet());
        }
        return c;
    }

    /** @return every command described */
    public Collection<Command> commands() {
        return commands.values();
    }

    private static Command command(JsonNode c) {
        String rt = c.path("requestType").asText();
        try {
            Map<Platform, PlatformSupport> platforms = new LinkedHashMap<>();
            c.path("platforms").fields().forEachRemaining(e -> platforms.put(Platform.of(e.getKey()), support(e.getValue())));
            Map<String, List<PayloadKey>> alternatives = new LinkedHashMap<>();
            List<PayloadKey> parameters = new ArrayList<>();
            for (JsonNode k : c.path("parameters")) {
                parameters.add(key(k, k.path("key").asText(), alternatives));
            }
            CommandDescription d = new CommandDescription(rt, c.path("title").asText(rt), c.path("description").asText(""),
                    parameters, platforms);
            JsonNode inv = c.path("inventory");
            InventoryMapping mapping = null;
            if (inv.isObject()) {
                List<String> keys = new ArrayList<>();
                inv.path("keys").forEach(n -> keys.add(n.asText()));
                mapping = new InventoryMapping(inv.hasNonNull("merge") ? inv.get("merge").asText() : null, keys,
                        inv.hasNonNull("as") ? inv.get("as").asText() : null);
            }
            return new Command(d, alternatives, mapping, c.path("schemaFile").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(rt + ": " + e.getMessage(), e);
        }
    }

    private static PlatformSupport support(JsonNode s) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        s.path("channels").forEach(n -> channels.add(Channel.valueOf(n.asText())));
        Set<AccessRight> rights = EnumSet.noneOf(AccessRight.class);
        s.path("accessRights").forEach(n -> rights.add(AccessRight.of(n.asText())));
        return new PlatformSupport(s.path("introduced").asText(), text(s, "deprecated"), text(s, "removed"), rights,
                channels.isEmpty() ? Set.of(Channel.DEVICE) : channels, s.path("supervised").asBoolean(false),
                s.path("requiresDep").asBoolean(false), s.path("userApprovedMdm").asBoolean(false),
                Availability.of(s.path("userEnrollment").asText("allowed")), Availability.of(s.path("sharedIpad").asText("allowed")));
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static PayloadKey key(JsonNode k, String path, Map<String, List<PayloadKey>> alternatives) {
        String name = k.path("key").asText();
        ValueType type = ValueType.of(k.path("type").asText());
        List<Object> allowed = new ArrayList<>();
        k.path("allowed").forEach(v -> allowed.add(value(v, type)));
        Object dflt = k.has("default") ? value(k.get("default"), type) : null;
        Set<Platform> platforms = Set.of();
        if (k.has("notOn")) {
            EnumSet<Platform> on = EnumSet.allOf(Platform.class);
            k.get("notOn").forEach(n -> on.remove(Platform.of(n.asText())));
            platforms = on;
        }
        List<PayloadKey> subkeys = new ArrayList<>();
        if (k.path("alternatives").asBoolean(false)) {
            List<PayloadKey> shapes = new ArrayList<>();
            for (JsonNode s : k.path("subkeys")) {
                shapes.add(key(s, path + "[]", alternatives));
            }
            alternatives.put(path, List.copyOf(shapes));
            subkeys.add(merged(name + "Item", shapes));
        } else {
            for (JsonNode s : k.path("subkeys")) {
                String sub = type == ValueType.ARRAY ? path + "[]" : path + "." + s.path("key").asText();
                subkeys.add(key(s, sub, alternatives));
            }
        }
        return new PayloadKey(name, type, k.path("required").asBoolean(false), k.path("description").asText(""),
                allowed, null, null, dflt, subkeys, platforms);
    }

    /** One dictionary accepting the keys of every shape: what API callers see; the shape itself is checked apart. */
    private static PayloadKey merged(String name, List<PayloadKey> shapes) {
        Map<String, PayloadKey> keys = new LinkedHashMap<>();
        List<Object> items = new ArrayList<>();
        for (PayloadKey shape : shapes) {
            for (PayloadKey k : shape.subkeys()) {
                if (k.key().equals("Item")) {
                    items.addAll(k.allowedValues());
                    continue;
                }
                PayloadKey known = keys.get(k.key());
                PayloadKey optional = new PayloadKey(k.key(), k.type(), false, k.description(), k.allowedValues(), k.min(),
                        k.max(), k.defaultValue(), k.subkeys(), k.platforms());
                if (known == null) {
                    keys.put(k.key(), optional);
                } else if (known.type() != k.type() || !known.equals(optional)) {
                    // the same name differs between shapes: only its shape's own check can judge it
                    keys.put(k.key(), PayloadKey.optional(k.key(), known.type() == k.type() ? k.type() : ValueType.ANY,
                            "Depends on the setting's Item."));
                }
            }
        }
        List<PayloadKey> subkeys = new ArrayList<>();
        subkeys.add(PayloadKey.required("Item", ValueType.STRING, "Which setting this element changes.")
                .withAllowedValues(items.toArray()));
        subkeys.addAll(keys.values());
        return new PayloadKey(name, ValueType.DICTIONARY, false, "One setting; its keys depend on its Item.", List.of(),
                null, null, null, subkeys, Set.of());
    }

    private static Object value(JsonNode v, ValueType type) {
        return switch (type) {
            case INTEGER -> v.asLong();
            case REAL -> v.asDouble();
            case BOOLEAN -> v.asBoolean();
            default -> v.asText();
        };
    }
}
