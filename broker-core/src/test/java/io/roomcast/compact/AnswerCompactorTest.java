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
    private final AnswerCompactor compactor = new AnswerCompactor(2, 10);
    private long offset;

    private RoomEvent event(String type, String json) {
        return new RoomEvent(ROOM, offset++, type, 0, json.getBytes(StandardCharsets.UTF_8), null);
    }

    private RoomEvent token(String gen, int seq, String text) {
        return event("token", "{\"generationId\":\"" + gen + "\",\"seq\":" + seq + ",\"text\":\"" + text + "\"}");
    }

    private List<Output> feed(RoomEvent... events) {
        List<Output> out = new ArrayList<>();
        for (RoomEvent e : events) {
            out.addAll(compactor.offer(e));
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
}
