package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The client's names against {@code protocol/catalogue.json}: the same connection states, error codes (and whether
 * they are retryable), close-code actions, gap reasons and policies as the edge and the JavaScript client.
 */
class CatalogueTest {

    private static final Path CATALOGUE = Path.of("..", "protocol", "catalogue.json").toAbsolutePath().normalize();
    private final JsonNode catalogue;

    CatalogueTest() throws IOException {
        catalogue = new ObjectMapper().readTree(CATALOGUE.toFile());
    }

    @Test
    void shouldBatchAtMostTheCataloguesMaxBatchAndSendNoMoreThanTheEdgesDefaultMessage() {
        assertThat(FrameBatcher.MAX_BATCH).isEqualTo(catalogue.get("endpoint").get("maxBatch").asInt());
        assertThat(ClientOptions.builder().build().maxFrameBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void shouldNameTheConnectionStatesAsTheCatalogue() {
        List<String> states = Arrays.stream(ConnectionState.values()).map(s -> s.name().toLowerCase()).toList();
        List<String> expected = new java.util.ArrayList<>();
        catalogue.get("connectionStates").forEach(s -> expected.add(s.asText()));
        assertThat(states).isEqualTo(expected);
    }

    @Test
    void shouldHaveExactlyTheCataloguesErrorCodesWithTheirRetryability() {
        Map<String, Boolean> client = new HashMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            client.put(code.wireName() + "/" + code.origin().name().toLowerCase(), code.retryable());
        }
        Map<String, Boolean> expected = new HashMap<>();
        catalogue.get("errorCodes").fields().forEachRemaining(e -> expected.put(e.getKey() + "/edge", e.getValue().get("retryable").asBoolean()));
        catalogue.get("clientErrorCodes").fields().forEachRemaining(e -> expected.put(e.getKey() + "/client", e.getValue().get("retryable").asBoolean()));
        assertThat(client).isEqualTo(expected);
    }

    @Test
    void shouldActOnEveryCloseCodeAsTheCatalogueSays() {
        catalogue.get("closeCodes").fields().forEachRemaining(e ->
                assertThat(CloseCodes.classify(Integer.parseInt(e.getKey())).name().toLowerCase()).as("close code " + e.getKey())
                        .isEqualTo(e.getValue().get("action").asText()));
        for (JsonNode range : catalogue.get("closeCodeRanges")) {
            for (int code : new int[] {range.get("from").asInt(), range.get("to").asInt()}) {
                if (!catalogue.get("closeCodes").has(Integer.toString(code))) {
                    assertThat(CloseCodes.classify(code).name().toLowerCase()).isEqualTo(range.get("action").asText());
                }
            }
        }
        assertThat(CloseCodes.classify(1006).name().toLowerCase()).isEqualTo(catalogue.get("closeCodeDefault").get("action").asText());
    }

    @Test
    void shouldReportTheCatalogueErrorOfACloseThatEndsTheClient() {
        catalogue.get("closeCodes").fields().forEachRemaining(e -> {
            if (!e.getValue().get("action").asText().equals("reconnect")) {
                assertThat(CloseCodes.error(Integer.parseInt(e.getKey()), "").code().wireName()).as("close code " + e.getKey())
                        .isEqualTo(e.getValue().get("error").asText());
            }
        });
        for (JsonNode range : catalogue.get("closeCodeRanges")) {
            if (range.has("error")) {
                for (int code : new int[] {range.get("from").asInt(), range.get("to").asInt()}) {
                    assertThat(CloseCodes.error(code, "").code().wireName()).as("close code " + code).isEqualTo(range.get("error").asText());
                }
            }
        }
    }

    @Test
    void shouldNameTheGapReasonsAsTheCatalogue() throws IllegalAccessException {
        Set<String> reasons = new HashSet<>();
        for (Field f : Gap.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                reasons.add((String) f.get(null));
            }
        }
        Set<String> expected = new HashSet<>();
        catalogue.get("gapReasons").fieldNames().forEachRemaining(expected::add);
        assertThat(reasons).isEqualTo(expected);
        Set<String> fields = new HashSet<>();
        Arrays.stream(Gap.class.getRecordComponents()).forEach(c -> fields.add(c.getName()));
        Set<String> expectedFields = new HashSet<>();
        catalogue.get("gapFields").forEach(f -> expectedFields.add(f.asText()));
        assertThat(fields).isEqualTo(expectedFields);
    }

    @Test
    void shouldOfferTheCataloguesPolicies() {
        Set<String> policies = new HashSet<>();
        catalogue.get("policies").forEach(p -> policies.add(p.asText()));
        assertThat(Arrays.stream(DeliveryPolicy.values()).map(DeliveryPolicy::wireName)).containsExactlyInAnyOrderElementsOf(policies);
    }
}
