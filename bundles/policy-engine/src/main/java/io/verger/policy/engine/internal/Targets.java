package io.verger.policy.engine.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a policy applies, besides the channels assigned to it directly: to every device, to the members of groups,
 * or to the devices matching a filter (platform, minimum OS version, tag; a tag is a group's name).
 *
 * @param all          every enrolled device
 * @param groups       group names
 * @param platform     a platform name (e.g. {@code iOS}), or {@code null}
 * @param minOsVersion a minimum OS version (e.g. {@code 17.0}), or {@code null}
 * @param tag          a tag, or {@code null}
 */
record Targets(boolean all, List<String> groups, String platform, String minOsVersion, String tag) {

    static final Targets NONE = new Targets(false, List.of(), null, null, null);

    Targets {
        groups = List.copyOf(groups);
    }

    boolean hasFilter() {
        return platform != null || minOsVersion != null || tag != null;
    }

    Map<String, Object> toSettings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("all", all);
        m.put("groups", groups);
        if (platform != null) {
            m.put("platform", platform);
        }
        if (minOsVersion != null) {
            m.put("minOsVersion", minOsVersion);
        }
        if (tag != null) {
            m.put("tag", tag);
        }
        return m;
    }

    static Targets fromSettings(Map<String, Object> m) {
        List<String> groups = new ArrayList<>();
        if (m.get("groups") instanceof List<?> l) {
            l.forEach(g -> groups.add(String.valueOf(g)));
        }
        return new Targets(Boolean.TRUE.equals(m.get("all")), groups, (String) m.get("platform"),
                (String) m.get("minOsVersion"), (String) m.get("tag"));
    }

    /** @return {@code true} if {@code version} is at least {@code minimum}, comparing dotted numbers */
    static boolean atLeast(String version, String minimum) {
        if (version == null) {
            return false;
        }
        String[] a = version.split("\\.");
        String[] b = minimum.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? parse(a[i]) : 0;
            int y = i < b.length ? parse(b[i]) : 0;
            if (x != y) {
                return x > y;
            }
        }
        return true;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
