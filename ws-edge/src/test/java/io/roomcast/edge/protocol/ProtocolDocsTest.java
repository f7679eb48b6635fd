package io.roomcast.edge.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/protocol.md against protocol/catalogue.json: the same ops, error codes (and retry), close codes (and action), gap reasons. */
class ProtocolDocsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`?([a-z_0-9]+)`?\\s*\\|\\s*([^|]*)\\|\\s*([^|]*)\\|", Pattern.MULTILINE);

    private final JsonNode catalogue;
    private final String docs;

    ProtocolDocsTest() throws IOException {
        catalogue = new ObjectMapper().readTree(ROOT.resolve("protocol/catalogue.json").toFile());
        docs = Files.readString(ROOT.resolve("docs/protocol.md"));
    }

    @Test
    void shouldDocumentEveryOpOfEachDirectionUnderItsHeading() {
        assertThat(headings(section("## Client to edge"))).containsExactlyInAnyOrderElementsOf(names(catalogue.get("clientToEdge")));
        assertThat(headings(section("## Edge to client"))).containsExactlyInAnyOrderElementsOf(names(catalogue.get("edgeToClient")));
    }

    @Test
    void shouldDocumentEveryErrorCodeWithItsRetryability() {
        Map<String, Boolean> documented = new LinkedHashMap<>();
        table(section("## Error codes")).forEach((code, cells) -> documented.put(code, cells.get(1).strip().startsWith("yes")));
        Map<String, Boolean> catalogued = new LinkedHashMap<>();
        catalogue.get("errorCodes").fields().forEachRemaining(e -> catalogued.put(e.getKey(), e.getValue().get("retryable").asBoolean()));
        assertThat(documented).isEqualTo(catalogued);
    }

    @Test
    void shouldDocumentEveryCloseCodeWithWhatTheClientDoes() {
        Map<String, String> documented = new LinkedHashMap<>();
        table(section("## Close codes")).forEach((code, cells) -> {
            String what = cells.get(1).strip();
            documented.put(code, what.startsWith("reconnect only with a new token") ? "reconnect_with_new_token"
                    : what.startsWith("reconnect") ? "reconnect" : "stop");
        });
        Map<String, String> catalogued = new LinkedHashMap<>();
        catalogue.get("closeCodes").fields().forEachRemaining(e -> catalogued.put(e.getKey(), e.getValue().get("action").asText()));
        assertThat(documented).isEqualTo(catalogued);
    }

    @Test
    void shouldDocumentTheGapReasonsOfSubscribedAndOfDropped() {
        String subscribed = section("### subscribed");
        List<String> catalogued = new java.util.ArrayList<>();
        catalogue.get("gapReasons").fields().forEachRemaining(e -> {
            if (e.getValue().get("source").asText().equals("subscribed")) {
                catalogued.add(e.getKey());
            }
        });
        assertThat(table(subscribed).keySet()).containsExactlyInAnyOrderElementsOf(catalogued);
        assertThat(section("### dropped")).contains("`dropped`");
    }

    private String section(String heading) {
        int start = docs.indexOf("\n" + heading + "\n");
        assertThat(start).as("docs/protocol.md has a section %s", heading).isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = docs.indexOf("\n" + level, start + heading.length() + 1);
        return docs.substring(start, end < 0 ? docs.length() : end);
    }

    private static List<String> headings(String section) {
        List<String> ops = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("^### ([a-z]+)$", Pattern.MULTILINE).matcher(section);
        while (m.find()) {
            ops.add(m.group(1));
        }
        return ops;
    }

    /** The rows of the markdown tables in a section: first cell (without backticks) to the other cells. */
    private static Map<String, List<String>> table(String section) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(section);
        while (m.find()) {
            if (!m.group(1).equals("code")) {
                rows.put(m.group(1), List.of(m.group(2), m.group(3)));
            }
        }
        return rows;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
