package io.verger.api;

/**
 * The MDM channel a message or command travels on. A device has one device channel and, on macOS and
 * Shared iPad (or with a User Enrollment), one user channel per signed-in user.
 */
public enum Channel {
    /** Commands and profiles that apply to the whole device. */
    DEVICE,
    /** Commands and profiles that apply to one user of the device. */
    USER
}
