package io.verger.identity.internal;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;

/**
 * The bundle's one BouncyCastle provider (not registered with {@code java.security.Security}). A provider instance
 * holds a few thousand service entries, about a megabyte of heap; the bundle's components share this one.
 */
final class BouncyCastle {

    static final Provider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {
    }
}
