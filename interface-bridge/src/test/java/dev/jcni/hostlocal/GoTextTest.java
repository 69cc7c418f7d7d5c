package dev.jcni.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's unicode.IsSpace, strings.TrimSpace and strings.Fields, checked against Go's tables. */
class GoTextTest {
    @ParameterizedTest(name = "U+{0}: {1}")
    @CsvSource({
        "0009, true", "000A, true", "000B, true", "000C, true", "000D, true", "0020, true", "0085, true", "00A0, true",
        "1680, true", "2000, true", "2005, true", "200A, true", "2028, true", "2029, true", "202F, true", "205F, true", "3000, true",
        "0008, false", "001F, false", "0021, false", "1FFF, false", "200B, false", "FEFF, false", "0041, false",
    })
    void isSpaceIsGos(String hex, boolean space) {
        assertEquals(space, GoText.isSpace(Integer.parseInt(hex, 16)));
    }

    @Test
    void fieldsAreTheRunsBetweenSpacesWhateverIsAtEitherEnd() {
        assertEquals(List.of("nameserver", "10.0.0.1"), GoText.fields("  nameserver\t10.0.0.1 \u2000"));
        assertEquals(List.of("a"), GoText.fields("a\u00a0"));
        assertEquals(List.of(), GoText.fields(" \t "));
        assertEquals("a b", GoText.trimSpace("\u3000a b\u2028"));
    }
}
