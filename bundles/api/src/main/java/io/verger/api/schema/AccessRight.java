package io.verger.api.schema;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One bit of the {@code AccessRights} key of the MDM payload ({@code com.apple.mdm}): what the
 * enrollment profile lets the server do. A command the device's access rights do not cover is
 * refused by the device.
 */
public enum AccessRight {
    /** 1: inspect installed configuration profiles. */
    ALLOW_INSPECTION(1, "AllowInspection"),
    /** 2: install and remove configuration profiles (requires {@link #ALLOW_INSPECTION}). */
    ALLOW_INSTALLATION_REMOVAL(2, "AllowInstallationRemoval"),
    /** 4: lock the device and remove its passcode. The schema also spells it {@code DeviceLockAndRemovePasscode}. */
    ALLOW_PASSCODE_REMOVAL_AND_LOCK(4, "AllowPasscodeRemovalAndLock", "DeviceLockAndRemovePasscode"),
    /** 8: erase the device. */
    ALLOW_DEVICE_ERASE(8, "AllowDeviceErase"),
    /** 16: query device information (capacity, serial number...). */
    ALLOW_QUERY_DEVICE_INFORMATION(16, "AllowQueryDeviceInformation"),
    /** 32: query network information (phone and SIM numbers, MAC addresses...). */
    ALLOW_QUERY_NETWORK_INFORMATION(32, "AllowQueryNetworkInformation"),
    /** 64: inspect installed provisioning profiles. */
    ALLOW_PROVISIONING_INSPECTION(64, "AllowProvisioningInspection"),
    /** 128: install and remove provisioning profiles (requires {@link #ALLOW_PROVISIONING_INSPECTION}). */
    ALLOW_PROVISIONING_INSTALLATION_REMOVAL(128, "AllowProvisioningInstallationRemoval"),
    /** 256: inspect installed applications. The schema also spells it {@code QueryInstalledApps}. */
    ALLOW_QUERY_APPLICATIONS(256, "AllowQueryApplications", "QueryInstalledApps"),
    /** 512: restriction-related queries. */
    ALLOW_QUERY_RESTRICTIONS(512, "AllowQueryRestrictions"),
    /** 1024: security-related queries. */
    ALLOW_QUERY_SECURITY(1024, "AllowQuerySecurity"),
    /** 2048: change settings. */
    ALLOW_SETTINGS(2048, "AllowSettings"),
    /** 4096: manage apps. */
    ALLOW_APP_INSTALLATION(4096, "AllowAppInstallation");

    /** The mask of every right, {@code 8191}. */
    public static final int ALL = 8191;

    private final int bit;
    private final String schemaName;
    private final String alias;

    AccessRight(int bit, String schemaName) {
        this(bit, schemaName, null);
    }

    AccessRight(int bit, String schemaName, String alias) {
        this.bit = bit;
        this.schemaName = schemaName;
        this.alias = alias;
    }

    /** @return the bit of this right in the {@code AccessRights} integer */
    public int bit() {
        return bit;
    }

    /** @return the name Apple's schema uses in {@code accessrights}, e.g. {@code "AllowDeviceErase"} */
    public String schemaName() {
        return schemaName;
    }

    /**
     * Looks a right up by the name Apple's schema uses in {@code accessrights}, including its
     * alternative spellings ({@code DeviceLockAndRemovePasscode}, {@code QueryInstalledApps}).
     * The schema's {@code None}, {@code n/a} and {@code Special Case} are not rights: they describe a
     * command that needs none, or whose keys need their own.
     *
     * @param name the schema name
     * @return the right
     * @throws IllegalArgumentException if {@code name} names no right
     */
    public static AccessRight of(String name) {
        for (AccessRight r : values()) {
            if (r.schemaName.equals(name) || (r.alias != null && r.alias.equals(name))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown access right '" + name + "'; expected one of "
                + Arrays.stream(values()).map(AccessRight::schemaName).collect(Collectors.joining(", ")));
    }

    /**
     * @param mask an {@code AccessRights} value
     * @return the rights whose bits are set
     * @throws IllegalArgumentException if {@code mask} is negative or has a bit no right defines
     */
    public static Set<AccessRight> fromMask(long mask) {
        if (mask < 0 || (mask & ~ALL) != 0) {
            throw new IllegalArgumentException("AccessRights " + mask + " has bits outside 1..4096 (mask " + ALL + ")");
        }
        EnumSet<AccessRight> rights = EnumSet.noneOf(AccessRight.class);
        for (AccessRight r : values()) {
            if ((mask & r.bit) != 0) {
                rights.add(r);
            }
        }
        return Collections.unmodifiableSet(rights);
    }

    /**
     * @param rights rights
     * @return the {@code AccessRights} integer with their bits set; 0 for none
     */
    public static int toMask(Collection<AccessRight> rights) {
        int mask = 0;
        for (AccessRight r : rights) {
            mask |= r.bit;
        }
        return mask;
    }
}
