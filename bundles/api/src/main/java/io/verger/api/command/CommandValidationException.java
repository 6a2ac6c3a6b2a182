package io.verger.api.command;

import io.verger.api.schema.PayloadValidationException;

/**
 * The parameters of a command are invalid. The message names the parameter's path, what was
 * expected and what was found, e.g. {@code Queries[2]: expected one of UDID, OSVersion, found 'OSVerison'}.
 */
public class CommandValidationException extends PayloadValidationException {

    private static final long serialVersionUID = 1L;

    /**
     * @param key      the path of the parameter: names joined by {@code .}, array elements by
     *                 {@code [index]}; empty for the parameters as a whole
     * @param expected what a valid value would be
     * @param found    what was found, or {@code null}; never a secret value
     */
    public CommandValidationException(String key, String expected, String found) {
        super(key, expected, found);
    }

    /**
     * @param key      the path of the parameter
     * @param expected what a valid value would be
     */
    public CommandValidationException(String key, String expected) {
        super(key, expected);
    }

    /**
     * @param cause a failure found by {@link io.verger.api.schema.PayloadKey} validation; its key,
     *              expectation and finding are kept
     */
    public CommandValidationException(PayloadValidationException cause) {
        super(cause);
    }

    /**
     * @param e a validation failure
     * @return {@code e} itself if it is a {@code CommandValidationException}, else one carrying its
     *         key, expectation and finding
     */
    public static CommandValidationException from(PayloadValidationException e) {
        return e instanceof CommandValidationException c ? c : new CommandValidationException(e);
    }
}
