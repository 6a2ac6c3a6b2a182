package io.verger.plist.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The fast path for {@code <date>} gives what {@link Instant#parse} gives, or leaves the text to it. */
class PlainDateTest {

    @Test
    void plainDatesAreWhatInstantParseReads() {
        Random random = new Random(31);
        for (int i = 0; i < 200_000; i++) {
            int year = random.nextInt(10_000);
            int month = random.nextInt(14);
            int day = random.nextInt(33);
            int hour = random.nextInt(26);
            int minute = random.nextInt(62);
            int second = random.nextInt(62);
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, second);
            Instant fast = XmlPlistReader.plainDate(text);
            boolean valid = month >= 1 && month <= 12 && day >= 1 && day <= YearMonth.of(year, month).lengthOfMonth()
                    && hour < 24 && minute < 60 && second < 60;
            if (valid) {
                assertNotNull(fast, text);
                assertEquals(Instant.parse(text), fast, text);
            } else {
                assertNull(fast, text); // Instant.parse's to read (24:00, a leap second) or refuse
            }
        }
    }

    @Test
    void otherFormsAreLeftToInstantParse() {
        for (String text : List.of("2024-10-28T09:15:02.5Z", "2024-10-28t09:15:02z", "2024-10-28T09:15:02+01:00", "2024-10-28T23:59:60Z",
                "2024-10-28T24:00:00Z", "+10000-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-1-28T09:15:02Z", "2024-10-28T09:15:0xZ",
                "\u0662024-10-28T09:15:02Z", "2024-10-28 09:15:02Z", "-024-10-28T09:15:02Z")) {
            assertNull(XmlPlistReader.plainDate(text), text);
        }
        assertEquals(Instant.parse("2024-02-29T23:59:59Z"), XmlPlistReader.plainDate("2024-02-29T23:59:59Z"));
        assertEquals(Instant.parse("0000-01-01T00:00:00Z"), XmlPlistReader.plainDate("0000-01-01T00:00:00Z"));
        assertEquals(Instant.parse("1969-07-20T20:17:40Z"), XmlPlistReader.plainDate("1969-07-20T20:17:40Z"));
    }
}
