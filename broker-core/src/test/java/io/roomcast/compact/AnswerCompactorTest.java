package io.roomcast.compact;

import io.roomcast.compact.AnswerCompactor.Output;
import io.roomcast.compact.AnswerCompactor.Partial;
import io.roomcast.compact.AnswerCompactor.Pass;
import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerCompactorTest {
    private static final RoomName ROOM = RoomName.of("chat:a");
    private final AnswerBudget budget = new AnswerBudget(1_000);
    private final AnswerCompactor compactor = new AnswerCompactor(2, 10, budget);
    private long offset;

    private RoomEvent event(String type, String json) {
        return new RoomEvent(ROOM, offset++, type, 0, json.getBytes(StandardCharsets.UTF_8), null);
    }

    private RoomEvent token(String gen, int seq, String text) {
        return event("token", "{\"generationId\":\"" + gen + "\",\"seq\":" + seq + ",\"text\":\"" + text + "\"}");
    }

    private List<Output> feed(RoomEvent... events) {
        return feed(compactor, events);
    }

    private static List<Output> feed(AnswerCompactor into, RoomEvent... events) {
        List<Output> out = new ArrayList<>();
        for (RoomEvent e : events) {
            out.addAll(into.offer(e));
        }
        return out;
    }

    private static List<String> types(List<Output> out) {
        return out.stream().map(o -> o instanceof Pass p ? p.event().type() : "partial").toList();
    }

    @Test
    void shouldReplaceTheTokensOfAFinishedGenerationByItsMessage() {
        List<Output> out = feed(event("prompt", "{}"), event("generation.started", "{\"generationId\":\"g\"}"),
                token("g", 0, "Hel"), event("message", "{\"text\":\"meanwhile\"}"), token("g", 1, "lo"),
                event("generation.done", "{\"generationId\":\"g\"}"), event("generation.message", "{\"generationId\":\"g\",\"text\":\"Hello\"}"));
        assertThat(types(out)).containsExactly("prompt", "generation.started", "message", "generation.done", "generation.message");
        assertThat(compactor.finish()).isEmpty();
    }

    @Test
    void shouldHandAnOpenGenerationsTokensOverAsOnePartialAtTheEnd() {
        feed(token("g", 0, "Hel"), token("g", 1, "lo"));
        List<Partial> partials = compactor.finish();
        assertThat(partials).containsExactly(new Partial("g", 0, 1, 1, "Hello"));
        assertThat(compactor.held()).isZero();
    }

    @Test
    void shouldDropTheTokensOfAVoidAttemptAtARestart() {
        List<Output> out = feed(token("g", 0, "Wro"), event("generation.restarted", "{\"generationId\":\"g\"}"), token("g", 0, "Ri"),
                token("g", 1, "ght"));
        assertThat(types(out)).containsExactly("generation.restarted");
        assertThat(compactor.finish()).containsExactly(new Partial("g", 0, 1, 3, "Right"));
    }

    @Test
    void shouldLetForeignTokensPassUnchanged() {
        List<Output> out = feed(event("token", "not json"), event("token", "{\"text\":\"no generation\"}"), event("token", "[1]"));
        assertThat(types(out)).containsExactly("token", "token", "token");
    }

    @Test
    void shouldHandOverTheOldestGenerationEarlyWhenTooManyAreOpen() {
        List<Output> out = feed(token("a", 0, "A"), token("b", 0, "B"), token("c", 0, "C"));
        assertThat(out).containsExactly(new Partial("a", 0, 0, 0, "A"));
        assertThat(compactor.finish()).extracting(Partial::generationId).containsExactly("b", "c");
    }

    @Test
    void shouldSplitAnAnswerLongerThanTheLimitIntoConsecutivePartials() {
        List<Output> out = feed(token("g", 0, "12345"), token("g", 1, "67890"), token("g", 2, "abc"));
        assertThat(out).containsExactly(new Partial("g", 0, 1, 1, "1234567890"));
        assertThat(compactor.finish()).containsExactly(new Partial("g", 2, 2, 2, "abc"));
    }

    @Test
    void shouldChargeTheBudgetForWhatItHoldsAndGiveItBackAsTextLeaves() {
        feed(token("a", 0, "Hel"), token("b", 0, "Wor"), token("b", 1, "ld"));
        assertThat(budget.held()).isEqualTo(8);
        feed(event("generation.message", "{\"generationId\":\"b\",\"text\":\"World\"}"));
        assertThat(budget.held()).isEqualTo(3);
        feed(token("c", 0, "xy"), token("d", 0, "z")); // "a" leaves early: too many open
        assertThat(budget.held()).isEqualTo(3);
        feed(token("d", 1, "1234567890")); // over the answer's limit: "d" so far leaves as a partial
        assertThat(budget.held()).isEqualTo(12);
        compactor.finish();
        assertThat(budget.held()).isZero();
    }

    @Test
    void shouldGiveTheBudgetBackWhenItsHistoryWillNotEnd() {
        feed(token("a", 0, "Hel"), token("b", 0, "Wor"));
        compactor.discard();
        assertThat(budget.held()).isZero();
        assertThat(compactor.held()).isZero();
        assertThat(compactor.finish()).isEmpty();
    }

    @Test
    void shouldPassTokensThroughInOrderWhenTheProcesssBudgetIsSpent() {
        AnswerBudget small = new AnswerBudget(6);
        AnswerCompactor first = new AnswerCompactor(8, 100, small);
        AnswerCompactor second = new AnswerCompactor(8, 100, small);
        assertThat(feed(first, token("a", 0, "abcd"))).isEmpty();
        assertThat(feed(second, token("b", 0, "ef"))).isEmpty();
        assertThat(small.held()).isEqualTo(6);

        // Nothing fits: the second's held text of "b" goes out at once, then the token as it is.
        RoomEvent next = token("b", 1, "g");
        assertThat(feed(second, next)).containsExactly(new Partial("b", 0, 0, offset - 2, "ef"), new Pass(next));
        assertThat(small.held()).isEqualTo(4);
        assertThat(small.refused()).isEqualTo(1);
        // With room again, holding starts over; a client appending partials and tokens in order reads "efgh".
        assertThat(feed(second, token("b", 2, "h"))).isEmpty();
        assertThat(second.finish()).containsExactly(new Partial("b", 2, 2, offset - 1, "h"));
        // A generation this compactor holds nothing of passes its token through, and holds nothing.
        RoomEvent big = token("c", 0, "0123456789");
        assertThat(feed(second, big)).containsExactly(new Pass(big));
        assertThat(second.held()).isZero();
        first.finish();
        assertThat(small.held()).isZero();
    }
}
