package io.verger.api;

/**
 * How a device enrolled, which limits what the server may do with it (Apple's schema marks commands
 * and payloads as forbidden, allowed or required under User Enrollment, and some as requiring
 * Automated Device Enrollment). Supervision and Shared iPad are separate facts of the device, not
 * enrollment types.
 */
public enum EnrollmentType {
    /** Device Enrollment by installing an enrollment profile (manually, from a web page, or by Apple Configurator). */
    DEVICE,
    /** Automated Device Enrollment (ADE, formerly DEP): the device enrolled during Setup Assistant. */
    AUTOMATED_DEVICE,
    /**
     * User Enrollment (personal devices, profile-based or account-driven): the device is known by its
     * {@code EnrollmentID} and {@code EnrollmentUserID}, never by its UDID.
     */
    USER_ENROLLMENT
}
