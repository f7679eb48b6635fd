package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The member list across resubscribes, as a table: frames in ({@code +a} a join of client a, {@code -a} a leave,
 * {@code subscribed}, {@code sync}), the changes the application is told ({@code +a}, {@code -a}) and the list after.
 */
class ClientRoomMembersTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("first subscription: every join is news",
                        "subscribed +a +b sync +c", "+a +b +c", "a b c"),
                Arguments.of("a leave is news",
                        "subscribed +a +b sync -a", "+a +b -a", "b"),
                Arguments.of("members who stayed through a resubscribe are not joined again",
                        "subscribed +a +b sync subscribed +a +b sync", "+a +b", "a b"),
                Arguments.of("members not named again by sync left meanwhile, longest present first",
                        "subscribed +a +b +c sync subscribed +b sync", "+a +b +c -a -c", "b"),
                Arguments.of("a newcomer named in the relisting is a join",
                        "subscribed +a sync subscribed +a +d sync", "+a +d", "a d"),
                Arguments.of("an empty relisting: everyone left",
                        "subscribed +a +b sync subscribed sync", "+a +b -a -b", ""),
                Arguments.of("a leave before sync of a member kept from before is told once",
                        "subscribed +a +b sync subscribed -a +b sync", "+a +b -a", "b"),
                Arguments.of("a live change racing the relisting: a join of a kept member after its leave is news",
                        "subscribed +a sync subscribed -a +a sync", "+a -a +a", "a"),
                Arguments.of("after sync, a join of a member already listed is an update, told as a join",
                        "subscribed +a sync +a", "+a +a", "a"),
                Arguments.of("two resubscribes before a sync: the first list still waits",
                        "subscribed +a +b sync subscribed subscribed +b sync", "+a +b -a", "b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldTellOnlyRealChanges(String name, String frames, String told, String listed) {
        RoomMembers members = new RoomMembers();
        List<String> changes = new ArrayList<>();
        for (String frame : frames.split(" ")) {
            switch (frame) {
                case "subscribed" -> members.relist();
                case "sync" -> members.sync().forEach(m -> changes.add("-" + m.client()));
                default -> {
                    boolean joined = frame.startsWith("+");
                    String client = frame.substring(1);
                    if (members.apply(joined, member(client))) {
                        changes.add(frame);
                    }
                }
            }
        }
        assertThat(String.join(" ", changes)).isEqualTo(told);
        assertThat(String.join(" ", members.list().stream().map(Member::client).toList())).isEqualTo(listed);
    }

    /** Clients a, b, c, d entered in that order. */
    private static Member member(String client) {
        return new Member(client, null, client.toUpperCase(), 1000 + client.charAt(0), false);
    }
}
