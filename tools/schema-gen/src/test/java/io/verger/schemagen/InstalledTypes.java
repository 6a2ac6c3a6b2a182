package io.verger.schemagen;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.verger.api.command.CommandType;

/** The command types of the eight standard domain bundles, instantiated as SCR would (no-argument constructor). */
final class InstalledTypes {

    static final List<String> DOMAINS = List.of("inventory", "security", "profiles", "apps", "osupdate", "settings", "users", "enrollment");

    private InstalledTypes() {
    }

    /** @return every type found, by RequestType, with the domain it was found in */
    static Map<String, List<Object>> all() throws Exception {
        Map<String, List<Object>> out = new TreeMap<>();
        for (String domain : DOMAINS) {
            String pkg = "io.verger.commands." + domain + ".internal";
            String facts = "/io/verger/commands/" + domain + "/commands.json";
            for (String rt : requestTypes(facts)) {
                Class<?> c = Class.forName(pkg + "." + rt + "Command");
                CommandType t = (CommandType) c.getConstructor().newInstance();
                List<Object> prev = out.put(rt, List.of(domain, t));
                if (prev != null) {
                    throw new AssertionError(rt + " is in both " + prev.get(0) + " and " + domain);
                }
            }
        }
        return out;
    }

    private static List<String> requestTypes(String resource) throws Exception {
        try (var in = InstalledTypes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError(resource + " missing");
            }
            var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
            return root.path("commands").findValuesAsText("requestType");
        }
    }
}
