package io.verger.api.storage;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where a policy applies besides the channels assigned to it one by one with
 * {@link PolicyStore#assign}: to every enrolled device, to the members of device groups, or to the
 * devices matching a filter. A filter matches a device when every field that is not {@code null}
 * matches it.
 *
 * @param all          every enrolled device
 * @param groups       names of device groups ({@link PolicyTargetStore#members}), in the given order
 *                     without repeats; a name need not be a group that exists (yet)
 * @param platform     a platform name (e.g. {@code iOS}), or {@code null} for any
 * @param minOsVersion a minimum OS version (e.g. {@code 17.0}), or {@code null} for any
 * @param tag          a tag (the name of a device group the device must be a member of), or {@code null}
 *                     for any
 */
public record PolicyTargets(boolean all, List<String> groups, String platform, String minOsVersion, String tag) {

    /** Nothing besides the channels assigned one by one: what a policy has until its targets are set. */
    public static final PolicyTargets NONE = new PolicyTargets(false, List.of(), null, null, null);

    /** @throws NullPointerException if {@code groups} is or holds {@code null} */
    public PolicyTargets {
        Objects.requireNonNull(groups, "groups");
        groups = List.copyOf(new LinkedHashSet<>(List.copyOf(groups)));
    }

    /** @return {@code true} if a filter field is set */
    public boolean hasFilter() {
        return platform != null || minOsVersion != null || tag != null;
    }
}
