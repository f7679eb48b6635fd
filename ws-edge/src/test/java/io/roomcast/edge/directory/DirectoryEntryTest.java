package io.roomcast.edge.directory;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryEntryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReadAnEntry() throws Exception {
        assertThat(DirectoryEntry.parse("logs:api", JSON.readTree("{\"source\":\"log-shipper web-1\",\"lastActivity\":42}")))
                .contains(new DirectoryEntry("logs:api", "log-shipper web-1", 42));
    }

    @Test
    void shouldSkipGarbage() throws Exception {
        assertThat(DirectoryEntry.parse(null, JSON.readTree("{}"))).isEmpty();
        assertThat(DirectoryEntry.parse("not a room", JSON.readTree("{}"))).isEmpty();
        assertThat(DirectoryEntry.parse("chat:x", JSON.readTree("[1,2]"))).isEmpty();
        assertThat(DirectoryEntry.parse("chat:x", JSON.readTree("\"text\""))).isEmpty();
        assertThat(DirectoryEntry.parse("chat:x", JSON.readTree("{\"source\":7,\"lastActivity\":\"soon\"}")))
                .contains(new DirectoryEntry("chat:x", "", 0));
        assertThat(DirectoryEntry.parse("chat:x", JSON.readTree("{\"source\":\"" + "s".repeat(500) + "\"}")).orElseThrow().source())
                .hasSize(200);
    }
}
