package io.verger.storage.jpa.internal;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Derby's English messages are where Derby 10.16 looks for them first (org.apache.derby.loc.locale_en.m&lt;N&gt;): found
 * only after two failed lookups, each failure threw a MissingResourceException, about 30 per sorted query.
 */
class DerbyMessagesTest {

    @Test
    void everyEnglishMessageBundleIsWhereDerbyLooksFirst() {
        ClassLoader derby = org.apache.derby.iapi.jdbc.EngineConnection.class.getClassLoader();
        for (int i = 0; i < 50; i++) {
            ResourceBundle english = ResourceBundle.getBundle("org.apache.derby.loc.m" + i, Locale.ENGLISH, derby);
            // the no-fallback control: only the bundle at exactly that name counts, not a parent found by other rules
            ResourceBundle first = ResourceBundle.getBundle("org.apache.derby.loc.locale_en.m" + i, Locale.ENGLISH, derby,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            Set<String> keys = new TreeSet<>(Collections.list(first.getKeys()));
            assertFalse(keys.isEmpty(), "m" + i);
            assertEquals(new TreeSet<>(Collections.list(english.getKeys())), keys, "m" + i + " holds the same messages");
            String key = keys.iterator().next();
            assertEquals(english.getString(key), first.getString(key));
        }
    }
}
