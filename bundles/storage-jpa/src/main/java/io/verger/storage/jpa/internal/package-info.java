/**
 * The storage services of Verger over one relational database: embedded Derby by default,
 * PostgreSQL for several nodes. Private to this bundle: other bundles use the services of
 * {@code io.verger.api.storage}.
 *
 * <p>The hot paths of a device connect (the queue, enrollments, certificate bindings) are plain JDBC
 * with one prepared, indexed statement per operation; the rarely used stores (policies, inventory,
 * push certificates, bootstrap tokens) are JPA entities over EclipseLink. Both use the one pool of
 * {@link io.verger.storage.jpa.internal.Database}.
 */
package io.verger.storage.jpa.internal;
