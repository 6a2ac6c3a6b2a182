package io.verger.simulator.enroll;

import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.Hardware;
import io.verger.simulator.mdm.MdmClient;

/**
 * How a simulated device gets its identity and becomes enrolled. Every mode ends the same way — Authenticate and
 * TokenUpdate, signed with the new identity ({@link CheckinEnrollment}) — and differs in where the identity
 * comes from: a device CA the server trusts ({@link CaIssuedEnrollment}), or the server's own SCEP service after
 * fetching its enrollment profile ({@link ScepEnrollment}).
 */
public interface Enrollment extends AutoCloseable {

    /** Enrolls one device over {@code client}'s connection; returns it as the state file keeps it. */
    EnrolledDevice enroll(Hardware hardware, MdmClient client) throws Exception;

    /** Work that can be done before a timed enrollment run (key generation, certificate issuance, signing). */
    default PreparedEnrollment prepare(Hardware hardware, MdmClient client) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot prepare enrollments ahead of time");
    }

    /** A one-line account of the mode for the run's summary (e.g. who signed the enrollment profile), or null. */
    default String summary() {
        return null;
    }

    /** Closes the connections the mode opened itself. */
    @Override
    default void close() {
    }

    /** An identity made and check-ins signed ahead of time: sending them is all that is left. */
    record PreparedEnrollment(EnrolledDevice device, byte[] authenticateRequest, byte[] tokenUpdateRequest) {
    }
}
