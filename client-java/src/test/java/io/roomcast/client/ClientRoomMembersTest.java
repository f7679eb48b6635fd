package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The member list across resubscribes, as a table: frames in ({@code +a} a join of client a, {@code -a} a leave,
 * {@code subscribed}, {@code sync}, {@code count} a count-only presence notice, {@code list:a,b} the whole-list notice),
 * the changes the application is told ({@code +a}, {@code -a}) and the list after.
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
                        "subscribed +a +b sync subscribed subscribed +b sync", "+a +b -a", "b"),
                Arguments.of("above the listing limit only a count is known",
                        "subscribed +a +b sync +c count", "+a +b +c", ""),
                Arguments.of("back at the limit the whole list replaces it, then changes are news again",
                        "subscribed +a +b sync count list:a,c -a +d", "+a +b -a +d", "c d"),
                Arguments.of("a whole list ends a relisting: no leave at sync for those it did not name",
                        "subscribed +a +b sync subscribed list:b sync", "+a +b", "b"));
    }

    @Test
    void shouldSayARelistingIsUnderWayFromAResubscribeWithMembersToItsSync() {
        RoomMembers members = new RoomMembers();
        members.relist();
        assertThat(members.relisting()).as("a first subscription has nothing to relist").isFalse();
        members.apply(true, member("a"));
        members.sync();
        members.relist();
        assertThat(members.relisting()).isTrue();
        members.apply(true, member("a"));
        assertThat(members.relisting()).as("until sync").isTrue();
        members.sync();
        assertThat(members.relisting()).isFalse();
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
                case "count" -> members.replace(null);
                default -> {
                    if (frame.startsWith("list:")) {
                        members.replace(Stream.of(frame.substring(5).split(",")).map(ClientRoomMembersTest::member).toList());
                    } else if (members.apply(frame.startsWith("+"), member(frame.substring(1)))) {
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
