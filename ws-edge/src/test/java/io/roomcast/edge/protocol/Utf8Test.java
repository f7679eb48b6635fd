package io.roomcast.edge.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'', true",
            "41, true",
            "c3a9, true",                // é
            "e282ac, true",              // €
            "f09f9880, true",            // 😀
            "f48fbfbf, true",            // U+10FFFF
            "c0af, false",               // overlong '/'
            "c1bf, false",               // overlong
            "e080af, false",             // overlong three bytes
            "f08282ac, false",           // overlong four bytes
            "eda080, false",             // a surrogate (U+D800)
            "edbfbf, false",             // a surrogate (U+DFFF)
            "ed9fbf, true",              // U+D7FF, just below the surrogates
            "f4908080, false",           // above U+10FFFF
            "f5808080, false",           // no such lead byte
            "ff, false",
            "80, false",                 // a continuation byte alone
            "c3, false",                 // truncated
            "e282, false",               // truncated
            "f09f98, false",             // truncated
            "c328, false",               // a lead byte and no continuation
            "e228a1, false",
            "41c3a942, true",
    })
    void shouldAcceptExactlyWellFormedUtf8(String hex, boolean valid) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(Utf8.valid(bytes, 0, bytes.length)).isEqualTo(valid);
    }

    @Test
    void shouldAgreeWithTheJdksStrictDecoderOnRandomBytes() {
        Random random = new Random(42);
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[random.nextInt(8)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly bytes that can start or continue a sequence, so the interesting cases come often.
                bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0x80 + random.nextInt(0x80));
            }
            assertThat(Utf8.valid(bytes, 0, bytes.length)).as(HexFormat.of().formatHex(bytes)).isEqualTo(strict(bytes));
        }
    }

    @Test
    void shouldCheckOnlyTheGivenRange() {
        byte[] bytes = {(byte) 0xff, 'a', (byte) 0xc3, (byte) 0xa9, (byte) 0xc3};
        assertThat(Utf8.valid(bytes, 1, 3)).isTrue();
        assertThat(Utf8.valid(bytes, 1, 4)).isFalse();
        assertThat(Utf8.valid(bytes, 0, 2)).isFalse();
    }

    private static boolean strict(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
