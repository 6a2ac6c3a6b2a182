package io.verger.api.policy;

import io.verger.api.schema.PayloadValidationException;

/**
 * A policy's settings are invalid. The message names the setting's path, what was expected and what
 * was found, e.g. {@code minLength: expected at most 16, found 40}.
 */
public class SettingsValidationException extends PayloadValidationException {

    private static final long serialVersionUID = 1L;

    /**
     * @param key      the path of the setting: names joined by {@code .}, array elements by
     *                 {@code [index]}; empty for the settings as a whole
     * @param expected what a valid value would be
     * @param found    what was found, or {@code null}; never a secret value (a password, say)
     */
    public SettingsValidationException(String key, String expected, String found) {
        super(key, expected, found);
    }

    /**
     * @param key      the path of the setting
     * @param expected what a valid value would be
     */
    public SettingsValidationException(String key, String expected) {
        super(key, expected);
    }

    /**
     * @param cause a failure found by {@link io.verger.api.schema.PayloadKey} validation; its key,
     *              expectation and finding are kept
     */
    public SettingsValidationException(PayloadValidationException cause) {
        super(cause);
    }

    /**
     * @param e a validation failure
     * @return {@code e} itself if it is a {@code SettingsValidationException}, else one carrying its
     *         key, expectation and finding
     */
    public static SettingsValidationException from(PayloadValidationException e) {
        return e instanceof SettingsValidationException s ? s : new SettingsValidationException(e);
    }
}
