package io.roomcast.edge.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.roomcast.edge.protocol.JsonGrammar.Verdict;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonGrammarTest {
    /** The check {@link EventFrames} made with Jackson before {@link JsonGrammar}: the reference. */
    private static final JsonFactory JACKSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(EventFrames.MAX_VALUE_DEPTH).build()).build();
    /** The same without Jackson's length limits: what the grammar alone says. */
    private static final JsonFactory UNLIMITED = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(EventFrames.MAX_VALUE_DEPTH)
                    .maxNumberLength(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE).build()).build();

    private static boolean jackson(JsonFactory factory, byte[] data) {
        try (JsonParser p = factory.createParser(data)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (Exception e) {
            return false;
        }
    }

    private static Verdict check(String json) {
        return JsonGrammar.check(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldTakeWhatRfc8259Allows() {
        for (String json : new String[] {"0", "-0", "1.5e+10", "-12.34E-5", "0e0", "true", "false", "null", "\"\"", "\"a\\u00e9\\uD800\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
                "\"caf\u00e9 \u2603 \uD83D\uDE00 \u007f\"", "[]", "{}", " \t\r\n[ 1 , { \"a\" : [ ] , \"\" : null } ] \n", "{\"a\":1,\"a\":2}",
                "[[[[[[[[[[\"deep\"]]]]]]]]]]", "123", "\"\\u0000\"", "[\"\\uDE00\\uD800\"]", "{\"\\uD83D\\uDE00\":1}"}) {
            assertThat(check(json)).as(json).isEqualTo(Verdict.VALUE);
        }
    }

    /** Unpaired escaped surrogates are refused in names only, where Jackson decodes them (it skips values). */
    @Test
    void shouldRefuseWhatItDoesNot() {
        for (String json : new String[] {"", " ", "01", "-", "-01", "+1", ".5", "1.", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity",
                "tru", "truex", "true1", "nul", "True", "'a'", "\"a", "\"a\tb\"", "\"\\x\"", "\"\\u12G4\"", "\"\\u12\"", "[1,]", "[,1]", "[1,,2]",
                "{\"a\":1,}", "{a:1}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "[1 2]", "{} {}", "1 2", "[1]]", "[[1]", "{\"a\":1}}", "1a", "[1a]",
                "[1-2]", "[1.5.5]", "// c\n1", "/* c */ 1", "# c\n1", "\u00a01", "1\f", "\uFEFF1", "\u0000{\u0000}", "[\"a\"\u0000]", "]", "}",
                "{\"\\uDE00\":1}", "{\"\\uD800\":1}", "{\"\\uD800x\":1}", "{\"\\uD800\\uD800\":1}", "{\"\\uD800\\n\":1}"}) {
            assertThat(check(json)).as(json).isEqualTo(Verdict.NOT_A_VALUE);
        }
    }

    /** A value is JSON only in well-formed UTF-8: the scan checks the characters of strings and names as it meets them. */
    @Test
    void shouldRefuseStringsThatAreNotUtf8() {
        String[] bad = {"C3", "C3 28", "80", "BF", "C0 AF", "C1 BF", "E0 80 AF", "ED A0 80", "ED BF BF", "F0 8F BF BF", "F4 90 80 80",
                "F5 80 80 80", "FF", "FE", "E2 98", "F0 9F 98"};
        for (String hex : bad) {
            byte[] chars = HexFormat.ofDelimiter(" ").parseHex(hex);
            for (String shape : new String[] {"\"%s\"", "[\"a%sb\"]", "{\"%s\":1}", "{\"k\":\"%s\"}"}) {
                int at = shape.indexOf("%s");
                byte[] data = concat(shape.substring(0, at).getBytes(StandardCharsets.US_ASCII), chars,
                        shape.substring(at + 2).getBytes(StandardCharsets.US_ASCII));
                assertThat(JsonGrammar.check(data)).as(shape + " with " + hex).isEqualTo(Verdict.NOT_A_VALUE);
            }
        }
        byte[] cut = "[\"\u2603\"]".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonGrammar.check(concat(Arrays.copyOf(cut, 4), new byte[] {'"', ']'}))).as("a character cut short before the quote")
                .isEqualTo(Verdict.NOT_A_VALUE);
        assertThat(check("[\"\u2603 \uD83D\uDE00 \u00e9\"]")).isEqualTo(Verdict.VALUE);
    }

    /** Bytes of generated values replaced at random: whatever the scan takes for JSON is well-formed UTF-8. */
    @Test
    void shouldTakeNoValueThatIsNotUtf8() {
        Random random = new Random(18);
        int broken = 0;
        for (int round = 0; round < 100_000; round++) {
            StringBuilder json = new StringBuilder();
            value(random, json, 0);
            byte[] data = json.toString().getBytes(StandardCharsets.UTF_8);
            if (data.length == 0) {
                continue;
            }
            for (int k = random.nextInt(2); k >= 0; k--) {
                data[random.nextInt(data.length)] = (byte) (0x80 + random.nextInt(0x80));
            }
            boolean utf8 = Utf8.valid(data, 0, data.length);
            if (!utf8) {
                broken++;
                assertThat(JsonGrammar.check(data)).as(new String(data, StandardCharsets.ISO_8859_1)).isEqualTo(Verdict.NOT_A_VALUE);
            }
        }
        assertThat(broken).isGreaterThan(50_000);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void shouldNestNoDeeperThanTheProtocolLimit() {
        int max = EventFrames.MAX_VALUE_DEPTH;
        assertThat(check("[".repeat(max) + "]".repeat(max))).isEqualTo(Verdict.VALUE);
        assertThat(check("[".repeat(max + 1) + "]".repeat(max + 1))).isEqualTo(Verdict.NOT_A_VALUE);
        assertThat(check("{\"a\":".repeat(max) + "1" + "}".repeat(max))).isEqualTo(Verdict.VALUE);
        assertThat(check("{\"a\":".repeat(max + 1) + "1" + "}".repeat(max + 1))).isEqualTo(Verdict.NOT_A_VALUE);
        assertThat(check(mixed(max + 1))).isEqualTo(Verdict.NOT_A_VALUE);
        assertThat(check(mixed(max))).isEqualTo(Verdict.VALUE);
    }

    /** Arrays and objects in turn, {@code depth} levels deep around a number. */
    private static String mixed(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int level = 0; level < depth; level++) {
            open.append(level % 2 == 0 ? "[" : "{\"a\":");
            close.insert(0, level % 2 == 0 ? "]" : "}");
        }
        return open + "1" + close;
    }

    @Test
    void shouldLeaveLongNumbersAndNamesToJacksonsLimits() {
        for (String json : new String[] {"9".repeat(1_000), "[" + "9".repeat(1_001) + "]", "-" + "9".repeat(1_000), "1." + "5".repeat(2_000),
                "1e" + "5".repeat(1_500), "{\"" + "k".repeat(60_000) + "\":1}", "{\"" + "k".repeat(49_990) + "\":1}"}) {
            Verdict v = check(json);
            byte[] data = json.getBytes(StandardCharsets.UTF_8);
            assertThat(v).as(json.substring(0, 10)).isIn(Verdict.VALUE, Verdict.NEAR_LIMITS);
            if (v == Verdict.VALUE) {
                assertThat(jackson(JACKSON, data)).as("decided alone only below Jackson's limits: " + json.substring(0, 10)).isTrue();
            }
        }
        assertThat(check("[" + "9".repeat(1_001) + "]")).isEqualTo(Verdict.NEAR_LIMITS);
        assertThat(check("{\"" + "k".repeat(60_000) + "\":1}")).isEqualTo(Verdict.NEAR_LIMITS);
        assertThat(check("[" + "9".repeat(1_001) + ",]")).as("the grammar still refuses").isEqualTo(Verdict.NOT_A_VALUE);
    }

    /**
     * The differential test: values generated and then damaged at random, hundreds of thousands of
     * them, in valid UTF-8 (the cases in broken UTF-8 are the tests above), get the same answer from the grammar as from
     * Jackson (NUL bytes and byte-order marks left out, where Jackson guesses another encoding).
     */
    @Test
    void shouldAgreeWithJacksonOnGeneratedAndDamagedValues() {
        Random random = new Random(15);
        int compared = 0;
        int values = 0;
        for (int round = 0; round < 300_000; round++) {
            StringBuilder json = new StringBuilder();
            if (random.nextInt(40) == 0) {
                nest(random, json, EventFrames.MAX_VALUE_DEPTH - 2 + random.nextInt(5));
            } else {
                value(random, json, 0);
            }
            byte[] data = damage(random, json.toString().getBytes(StandardCharsets.UTF_8));
            if (!Utf8.valid(data, 0, data.length) || containsNul(data) || (data.length >= 3 && data[0] == (byte) 0xEF && data[1] == (byte) 0xBB)) {
                continue;
            }
            Verdict v = JsonGrammar.check(data);
            boolean expected = jackson(JACKSON, data);
            String shown = new String(data, StandardCharsets.UTF_8);
            if (v == Verdict.NEAR_LIMITS) {
                assertThat(jackson(UNLIMITED, data)).as(shown).isTrue();
            } else {
                assertThat(v == Verdict.VALUE).as(shown).isEqualTo(expected);
            }
            compared++;
            values += expected ? 1 : 0;
        }
        assertThat(compared).isGreaterThan(200_000);
        assertThat(values).as("both answers common").isBetween(compared / 5, compared * 4 / 5);
    }

    private static final String[] ATOMS = {"0", "-0", "7", "-12", "3.25", "1e5", "-2.5E-3", "6e+2", "123456789012345678901234567890",
            "true", "false", "null", "\"\"", "\"text\"", "\"caf\u00e9\"", "\"\\n\\t\\\"\\\\\\/\"", "\"\\u00e9\\uD83D\\uDE00\"", "\"\u2603\""};
    private static final String[] SPACE = {"", "", "", " ", "\n", "\t", "\r\n ", "  "};
    private static final String NOISE = "{}[]\",:\\ \t\n\r-+.eE0123456789tfnrulsaxuU/#'\u0001\u001f\u007f\u00a0\u00e9\f";

    private static void value(Random random, StringBuilder out, int depth) {
        int kind = random.nextInt(depth > 70 ? 1 : 4);
        out.append(SPACE[random.nextInt(SPACE.length)]);
        if (kind == 0 || (depth > 3 && random.nextInt(3) > 0 && depth < 60)) {
            out.append(ATOMS[random.nextInt(ATOMS.length)]);
        } else if (kind == 1 || kind == 3) {
            out.append('[');
            int n = random.nextInt(depth > 50 ? 2 : 4);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                value(random, out, depth + 1);
            }
            out.append(SPACE[random.nextInt(SPACE.length)]).append(']');
        } else {
            out.append('{');
            int n = random.nextInt(depth > 50 ? 2 : 4);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(SPACE[random.nextInt(SPACE.length)]).append(ATOMS[13 + random.nextInt(5)])
                        .append(SPACE[random.nextInt(SPACE.length)]).append(':');
                value(random, out, depth + 1);
            }
            out.append(SPACE[random.nextInt(SPACE.length)]).append('}');
        }
        out.append(SPACE[random.nextInt(SPACE.length)]);
    }

    /** Arrays and objects nested {@code depth} deep around an atom: about the protocol's limit. */
    private static void nest(Random random, StringBuilder out, int depth) {
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            boolean object = random.nextBoolean();
            out.append(object ? "{\"k\":" : "[");
            close.insert(0, object ? '}' : ']');
        }
        out.append(ATOMS[random.nextInt(ATOMS.length)]).append(close);
    }

    /** Leaves a third whole; else inserts, deletes or replaces up to three characters, or cuts the end off. */
    private static byte[] damage(Random random, byte[] data) {
        int roll = random.nextInt(9);
        if (roll < 3 || data.length == 0) {
            return data;
        }
        if (roll == 8) {
            return Arrays.copyOf(data, random.nextInt(data.length));
        }
        StringBuilder s = new StringBuilder(new String(data, StandardCharsets.UTF_8));
        for (int k = random.nextInt(3); k >= 0 && s.length() > 0; k--) {
            int at = random.nextInt(s.length());
            char noise = NOISE.charAt(random.nextInt(NOISE.length()));
            switch (roll % 3) {
                case 0 -> s.insert(at, noise);
                case 1 -> s.deleteCharAt(at);
                default -> s.setCharAt(at, noise);
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean containsNul(byte[] data) {
        for (byte b : data) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }
}
