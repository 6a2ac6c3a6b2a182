package io.verger.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlatformTest {

    @Test
    void looksUpApplesSchemaNamesIgnoringCase() {
        assertEquals(Platform.MACOS, Platform.of("macOS"));
        assertEquals(Platform.VISIONOS, Platform.of("VISIONOS"));
        for (Platform p : Platform.values()) {
            assertEquals(p, Platform.of(p.schemaName()));
        }
    }

    @Test
    void iPadOsIsNotASchemaPlatformAndTheErrorListsTheNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Platform.of("iPadOS"));
        assertTrue(e.getMessage().contains("iOS, macOS, tvOS, visionOS, watchOS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Platform.of(null));
    }

    @ParameterizedTest
    @CsvSource({"iPhone14,2", "iPad13,1", "iPod9,1"})
    void iPhoneIPadAndIPodAreIos(String productName) {
        assertEquals(Optional.of(Platform.IOS), Platform.ofProductName(productName));
    }

    @Test
    void derivesOtherPlatformsFromProductName() {
        assertEquals(Optional.of(Platform.MACOS), Platform.ofProductName("MacBookPro18,3"));
        assertEquals(Optional.of(Platform.MACOS), Platform.ofProductName("Mac14,2"));
        assertEquals(Optional.of(Platform.MACOS), Platform.ofProductName("iMac21,1"));
        assertEquals(Optional.of(Platform.MACOS), Platform.ofProductName("VirtualMac2,1"));
        assertEquals(Optional.of(Platform.TVOS), Platform.ofProductName("AppleTV11,1"));
        assertEquals(Optional.of(Platform.WATCHOS), Platform.ofProductName("Watch6,1"));
        assertEquals(Optional.of(Platform.VISIONOS), Platform.ofProductName("RealityDevice14,1"));
        assertEquals(Optional.empty(), Platform.ofProductName("AudioAccessory5,1"));
        assertEquals(Optional.empty(), Platform.ofProductName(null));
    }
}
