package io.channelsync.security;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** SecurityConfig's header rule accepts exactly what StrictHttpFirewall's default regular expressions accept. */
class HeaderRuleTest {

    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointIsJudgedAsTheFirewallsDefaultJudgesIt() {
        // the whole Basic Multilingual Plane, then every 61st code point of the others (keeps the test quick on a busy machine)
        for (int c = 0; c <= Character.MAX_CODE_POINT; c += c < 0x10000 ? 1 : 61) {
            String one = "a" + new String(Character.toChars(c)) + "b";
            assertThat(SecurityConfig.assignedAndNoControl(one, false)).as("name with U+%04X", c).isEqualTo(NAMES.matcher(one).matches());
            assertThat(SecurityConfig.assignedAndNoControl(one, true)).as("value with U+%04X", c).isEqualTo(VALUES.matcher(one).matches());
        }
    }

    @Test
    void loneSurrogatesAndEmptyStringsAreJudgedAlike() {
        for (String s : new String[] {"", "x\uD800", "\uDC00y", "\uD83D\uDE00", "tab\there"}) {
            assertThat(SecurityConfig.assignedAndNoControl(s, false)).as(s).isEqualTo(NAMES.matcher(s).matches());
            assertThat(SecurityConfig.assignedAndNoControl(s, true)).as(s).isEqualTo(VALUES.matcher(s).matches());
        }
    }
}
