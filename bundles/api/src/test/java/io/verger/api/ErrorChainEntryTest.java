package io.verger.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorChainEntryTest {

    @Test
    void readsAnErrorChainInTheDevicesOrder() {
        List<Object> chain = List.of(
                Map.of("ErrorCode", 4001L, "ErrorDomain", "MCProfileErrorDomain",
                        "LocalizedDescription", "Le profil est invalide.", "USEnglishDescription", "The profile is invalid."),
                Map.of("ErrorCode", 2003L, "ErrorDomain", "MCPayloadErrorDomain", "LocalizedDescription", "x"));
        assertEquals(List.of(
                new ErrorChainEntry(4001, "MCProfileErrorDomain", "Le profil est invalide.", "The profile is invalid."),
                new ErrorChainEntry(2003, "MCPayloadErrorDomain", "x", null)), ErrorChainEntry.fromPlist(chain));
    }

    @Test
    void keepsIncompleteEntriesAndSkipsNonDictionaries() {
        assertEquals(List.of(new ErrorChainEntry(0, "", "", null)),
                ErrorChainEntry.fromPlist(List.of("garbage", Map.of("ErrorCode", "not a number"))));
        assertEquals(List.of(), ErrorChainEntry.fromPlist(null));
    }
}
