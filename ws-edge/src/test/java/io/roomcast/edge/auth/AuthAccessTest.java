package io.roomcast.edge.auth;

import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthAccessTest {
    private static final Instant EXP = Instant.parse("2026-01-01T13:00:00Z");
    private static final Principal ALICE = new Principal("alice", EXP, Permissions.fromClaim(Map.of(
            "subscribe", List.of("chat:*", "ops:alerts"),
            "publish", List.of("chat:lobby", "chat:team/*"))));
    private static final Principal NOBODY = new Principal("bob", EXP, Permissions.none());

    /** Tokens are verified; logs and the default namespace may be read by anyone, guest may be written by anyone. */
    private static final Access CLOSED = new Access(AuthConfig.builder().hs256Secret(TestTokens.SECRET)
            .anonymousSubscribe(Set.of("logs", "")).anonymousPublish(Set.of("guest")).build());
    private static final Access OPEN = new Access(AuthConfig.ofDefaults());

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            // who,  op,        room,          expected (allowed / error code)
            "anon,   subscribe, logs:api,      allowed",
            "anon,   subscribe, lobby,         allowed",
            "anon,   subscribe, chat:lobby,    unauthorized",
            "anon,   subscribe, guest:x,       unauthorized",
            "anon,   publish,   guest:x,       allowed",
            "anon,   publish,   logs:api,      unauthorized",
            "anon,   publish,   chat:lobby,    unauthorized",
            "alice,  subscribe, chat:lobby,    allowed",
            "alice,  subscribe, chat:team/a,   allowed",
            "alice,  subscribe, ops:alerts,    allowed",
            "alice,  subscribe, ops:secrets,   forbidden",
            "alice,  subscribe, logs:api,      allowed",
            "alice,  publish,   chat:lobby,    allowed",
            "alice,  publish,   chat:team/x,   allowed",
            "alice,  publish,   chat:other,    forbidden",
            "alice,  publish,   logs:api,      forbidden",
            "alice,  publish,   guest:x,       allowed",
            "bob,    subscribe, chat:lobby,    forbidden",
            "bob,    subscribe, logs:api,      allowed",
            "bob,    publish,   guest:x,       allowed",
            "bob,    publish,   chat:lobby,    forbidden",
    })
    void shouldDecideByAnonymousNamespacesAndTokenPermissions(String who, String op, String room, String expected) {
        Principal p = switch (who) {
            case "alice" -> ALICE;
            case "bob" -> NOBODY;
            default -> null;
        };
        Decision d = op.equals("subscribe") ? CLOSED.subscribe(p, RoomName.of(room)) : CLOSED.publish(p, RoomName.of(room));

        if (expected.equals("allowed")) {
            assertThat(d.allowed()).isTrue();
            assertThat(d.code()).isNull();
        } else {
            assertThat(d.allowed()).isFalse();
            assertThat(d.code().wire()).isEqualTo(expected);
            assertThat(d.message()).contains(room);
        }
    }

    @ParameterizedTest
    @CsvSource({"chat:lobby", "logs:api", "lobby", "ops:secrets"})
    void shouldAllowEverythingOnAnOpenEdge(String room) {
        assertThat(OPEN.open()).isTrue();
        assertThat(OPEN.subscribe(null, RoomName.of(room)).allowed()).isTrue();
        assertThat(OPEN.publish(null, RoomName.of(room)).allowed()).isTrue();
        assertThat(OPEN.publish(NOBODY, RoomName.of(room)).allowed()).isTrue();
    }

    @Test
    void shouldLetAnonymousConnectionsStayOnlyWhereSomethingIsAnonymous() {
        Access noAnonymous = new Access(AuthConfig.builder().hs256Secret(TestTokens.SECRET).build());
        Access onlyPublish = new Access(AuthConfig.builder().hs256Secret(TestTokens.SECRET).anonymousPublish(Set.of("guest")).build());

        assertThat(OPEN.mayConnect(null)).isTrue();
        assertThat(CLOSED.mayConnect(null)).isTrue();
        assertThat(onlyPublish.mayConnect(null)).isTrue();
        assertThat(noAnonymous.mayConnect(null)).isFalse();
        assertThat(noAnonymous.mayConnect(NOBODY)).isTrue();
        assertThat(noAnonymous.open()).isFalse();
    }

    @Test
    void shouldKeepTheSubjectAcrossRefreshes() {
        Principal aliceLater = new Principal("alice", EXP.plusSeconds(3600), Permissions.none());

        assertThat(CLOSED.refresh(ALICE, aliceLater).allowed()).isTrue();
        assertThat(CLOSED.refresh(null, ALICE).allowed()).isTrue();
        Decision switchUser = CLOSED.refresh(ALICE, NOBODY);
        assertThat(switchUser.allowed()).isFalse();
        assertThat(switchUser.code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void shouldCloseAtExpiryPlusSkew() {
        Access skew5 = new Access(AuthConfig.builder().hs256Secret(TestTokens.SECRET).clockSkew(Duration.ofSeconds(5)).build());

        assertThat(CLOSED.deadline(ALICE)).isEqualTo(EXP.plus(AuthConfig.DEFAULT_CLOCK_SKEW));
        assertThat(skew5.deadline(ALICE)).isEqualTo(EXP.plusSeconds(5));
    }

    @Test
    void shouldRefuseHalfADecision() {
        assertThatThrownBy(() -> new Decision(ErrorCode.FORBIDDEN, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision(null, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Decision.allow().allowed()).isTrue();
    }
}
