package io.verger.commands.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an acknowledged command result becomes device inventory.
 *
 * @param merge the response key whose dictionary is merged key by key into the inventory ({@code QueryResponses}
 *              of DeviceInformation), or {@code null}
 * @param keys  response keys stored as they are: under their own name when {@code as} is {@code null}, else together
 *              as one dictionary under {@code as} (DeviceLocation's Latitude, Longitude, ... as {@code DeviceLocation})
 * @param as    the inventory key for {@code keys}, or {@code null}
 */
public record InventoryMapping(String merge, List<String> keys, String as) {

    public InventoryMapping {
        keys = List.copyOf(keys);
    }

    /**
     * @param response the device's report dictionary
     * @return the inventory values it carries; empty when it carries none
     */
    public Map<String, Object> values(Map<String, Object> response) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (merge != null && response.get(merge) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (k instanceof String s && v != null) {
                    out.put(s, v);
                }
            });
        }
        if (as == null) {
            for (String k : keys) {
                if (response.get(k) != null) {
                    out.put(k, response.get(k));
                }
            }
        } else {
            Map<String, Object> group = new LinkedHashMap<>();
            for (String k : keys) {
                if (response.get(k) != null) {
                    group.put(k, response.get(k));
                }
            }
            if (!group.isEmpty()) {
                out.put(as, group);
            }
        }
        return out;
    }
}
