package io.verger.commands.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.verger.api.CommandStatus;
import io.verger.api.command.CommandDescription;
import io.verger.api.command.CommandReport;
import io.verger.api.command.CommandType;
import io.verger.api.command.CommandValidationException;
import io.verger.api.schema.PayloadKey;
import io.verger.api.schema.PayloadValidationException;
import io.verger.api.storage.InventoryStore;

/**
 * A {@link CommandType} built from one command's {@link CommandFacts}: it describes the command as Apple's schema
 * does, validates parameters against it (names, types, presence, allowed values, nested keys, and the shape of each
 * element of an array of alternatives such as {@code Settings}), and stores an acknowledged result as inventory
 * when the facts say how and {@link #inventory()} gives a store.
 *
 * <p>Subclass it as a Declarative Services component, one per RequestType:
 * <pre>{@code
 * @Component(service = CommandType.class)
 * public final class DeviceLockCommand extends SchemaCommandType {
 *     public DeviceLockCommand() { super(MyCommands.FACTS.command("DeviceLock")); }
 * }
 * }</pre>
 * One component per type (rather than one component registering N services by hand) keeps every service under
 * DS: each type has its own lifecycle, references, configuration and {@code service.ranking}, and a vendor
 * overrides one by registering its own component with a higher ranking.
 */
public class SchemaCommandType implements CommandType {

    private final CommandFacts.Command facts;

    /** @param facts the command's facts */
    protected SchemaCommandType(CommandFacts.Command facts) {
        this.facts = Objects.requireNonNull(facts, "facts");
    }

    @Override
    public String requestType() {
        return facts.requestType();
    }

    @Override
    public CommandDescription describe() {
        return facts.description();
    }

    /** @return the facts this type was built from */
    public CommandFacts.Command facts() {
        return facts;
    }

    @Override
    public Map<String, Object> build(Map<String, Object> params) throws CommandValidationException {
        describe().validate(params);
        validateAlternatives(facts, params);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("RequestType", requestType());
        command.putAll(params);
        return command;
    }

    /**
     * Checks each element of an array of alternatives against the one shape its {@code Item} names.
     *
     * @param facts  the command's facts
     * @param params the parameters, already valid against the command's description
     * @throws CommandValidationException naming the element's key
     */
    public static void validateAlternatives(CommandFacts.Command facts, Map<String, Object> params) throws CommandValidationException {
        for (Map.Entry<String, List<PayloadKey>> e : facts.alternatives().entrySet()) {
            Object value = at(params, e.getKey());
            if (!(value instanceof List<?> elements)) {
                continue;
            }
            for (int i = 0; i < elements.size(); i++) {
                String path = e.getKey() + "[" + i + "]";
                if (!(elements.get(i) instanceof Map<?, ?> element)) {
                    continue; // the description's own check has refused it already
                }
                Object item = element.get("Item");
                PayloadKey shape = e.getValue().stream().filter(s -> s.subkeys().stream()
                        .anyMatch(k -> k.key().equals("Item") && k.allowedValues().contains(item))).findFirst().orElse(null);
                if (shape == null) {
                    throw new CommandValidationException(path + ".Item", "one of " + e.getValue().stream()
                            .flatMap(s -> s.subkeys().stream()).filter(k -> k.key().equals("Item"))
                            .flatMap(k -> k.allowedValues().stream()).map(String::valueOf).collect(Collectors.joining(", ")),
                            item == null ? "nothing" : "'" + item + "'");
                }
                try {
                    PayloadKey.validateDictionary(shape.subkeys(), element, path);
                } catch (PayloadValidationException x) {
                    throw CommandValidationException.from(x);
                }
            }
        }
    }

    private static Object at(Map<String, Object> params, String path) {
        Object v = params;
        for (String part : path.split("\\.")) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(part);
        }
        return v;
    }

    /**
     * Stores an acknowledged result as inventory when the facts map it and a store is available. Idempotent: the
     * store merges the same values again.
     */
    @Override
    public void handleResult(CommandReport report) {
        InventoryMapping mapping = facts.inventory();
        InventoryStore store = inventory();
        if (mapping == null || store == null || report.status() != CommandStatus.ACKNOWLEDGED) {
            return;
        }
        Map<String, Object> values = mapping.values(report.response());
        if (!values.isEmpty()) {
            store.update(report.enrollmentId(), values, report.receivedAt());
        }
    }

    /** @return the inventory store results are written to, or {@code null} when none is bound (the default) */
    protected InventoryStore inventory() {
        return null;
    }
}
