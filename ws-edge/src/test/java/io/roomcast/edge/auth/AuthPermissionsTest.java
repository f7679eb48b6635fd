package io.roomcast.edge.auth;

import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthPermissionsTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "chat:lobby,   chat:lobby,    true",
            "chat:lobby,   chat:lobby2,   false",
            "chat:lobby,   chat:Lobby,    false",
            "chat:lobby,   logs:lobby,    false",
            "chat:*,       chat:lobby,    true",
            "chat:*,       chat:team/a,   true",
            "chat:*,       chat:,         true",
            "chat:*,       chatx:lobby,   false",
            "chat:*,       logs:api,      false",
            "chat:*,       chat,          false",
            "chat:team/*,  chat:team/a,   true",
            "chat:team/*,  chat:team/a/b, true",
            "chat:team/*,  chat:team,     false",
            "chat:team/*,  chat:teams,    false",
            "chat:lob*,    chat:lobby,    true",
            "chat*,        chat:lobby,    true",
            "chat*,        chatroom,      true",
            "*,            chat:lobby,    true",
            "*,            lobby,         true",
            "lobby,        lobby,         true",
            "lobby,        chat:lobby,    false",
    })
    void shouldMatchRoomPatterns(String pattern, String room, boolean matches) {
        assertThat(RoomPattern.of(pattern).matches(RoomName.of(room))).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a*b", "**", "*chat", "chat:*:*", "chat lobby", "chat:lobby\n", "chat:lobbé", "chat:{x}", "chat:lob?y"})
    @NullSource
    void shouldRefuseInvalidPatterns(String pattern) {
        assertThatThrownBy(() -> RoomPattern.of(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid room pattern");
    }

    @Test
    void shouldRefuseOverlongPatternAndQuoteOnlyItsStart() {
        String longPattern = "chat:" + "x".repeat(RoomName.MAX_LENGTH);
        assertThatThrownBy(() -> RoomPattern.of(longPattern)).hasMessageNotContaining(longPattern);
        assertThat(RoomPattern.of("chat:" + "x".repeat(RoomName.MAX_LENGTH - 5)).value()).hasSize(RoomName.MAX_LENGTH);
    }

    @Test
    void shouldReadTheRoomsClaim() {
        Permissions p = Permissions.fromClaim(Map.of("subscribe", List.of("chat:*", "logs:api"), "publish", List.of("chat:lobby")));

        assertThat(p.maySubscribe(RoomName.of("chat:x"))).isTrue();
        assertThat(p.maySubscribe(RoomName.of("logs:api"))).isTrue();
        assertThat(p.maySubscribe(RoomName.of("logs:web"))).isFalse();
        assertThat(p.mayPublish(RoomName.of("chat:lobby"))).isTrue();
        assertThat(p.mayPublish(RoomName.of("chat:x"))).as("subscribe does not imply publish").isFalse();
    }

    @Test
    void shouldTreatAbsentListsAsNothing() {
        Permissions onlySubscribe = Permissions.fromClaim(Map.of("subscribe", List.of("*")));
        assertThat(onlySubscribe.maySubscribe(RoomName.of("any"))).isTrue();
        assertThat(onlySubscribe.mayPublish(RoomName.of("any"))).isFalse();
        assertThat(Permissions.fromClaim(Map.of())).isEqualTo(Permissions.none());
        assertThat(Permissions.fromClaim(Map.of("unknown", 1))).isEqualTo(Permissions.none());
    }

    static Stream<Arguments> garbageClaims() {
        Map<String, Object> nullItem = new HashMap<>();
        nullItem.put("subscribe", Arrays.asList("chat:*", null));
        return Stream.of(
                Arguments.of("null", null),
                Arguments.of("a string", "chat:*"),
                Arguments.of("a list", List.of("chat:*")),
                Arguments.of("a number", 7),
                Arguments.of("subscribe a string", Map.of("subscribe", "chat:*")),
                Arguments.of("publish an object", Map.of("publish", Map.of("chat:*", true))),
                Arguments.of("a number in the list", Map.of("subscribe", List.of(1))),
                Arguments.of("a null in the list", nullItem),
                Arguments.of("a nested list", Map.of("subscribe", List.of(List.of("chat:*")))),
                Arguments.of("an invalid pattern", Map.of("publish", List.of("chat:*x"))),
                Arguments.of("too many patterns", Map.of("subscribe", Collections.nCopies(Permissions.MAX_PATTERNS + 1, "a"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbageClaims")
    void shouldRefuseGarbageClaims(String name, Object claim) {
        assertThatThrownBy(() -> Permissions.fromClaim(claim)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rooms");
    }
}
