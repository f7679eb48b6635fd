package io.roomcast.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.edge.EdgeServer;
import io.roomcast.room.RoomName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's chat room opens with a short welcome that says how to ask the model. Written once per
 * data directory: the welcome carries a fixed eventId and is only written when the room does not
 * hold it yet.
 */
final class DemoWelcome {
    static final RoomName ROOM = RoomName.of("chat:lobby");
    static final String EVENT_ID = "roomcast-demo-welcome";
    private static final Logger log = LoggerFactory.getLogger(DemoWelcome.class);
    private static final String TEXT = "Welcome to the Roomcast demo. Start a message with @model to ask the simulated model, "
            + "for example \"@model what is a partition?\": everyone in this room sees the answer stream in, and Stop cancels it "
            + "for all. Open this page in a second tab to see it twice. The demo's own log: /logs?room=logs:roomcast, the fleet: /status.";

    private DemoWelcome() {
    }

    /** Posts the welcome unless the room has it; waits at most a few seconds, and a failure only logs. */
    static void post(EdgeServer edge) {
        try {
            var backbone = edge.backbone();
            var partition = backbone.topics().locate(ROOM).partition();
            boolean present = backbone.history().findEvent(partition, ROOM, EVENT_ID, 0L).get(10, TimeUnit.SECONDS).isPresent();
            if (!present) {
                byte[] data = new ObjectMapper().writeValueAsBytes(Map.of("text", TEXT, "name", "roomcast"));
                backbone.publisher().publish(ROOM, "message", data, EVENT_ID).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.atWarn().addKeyValue("room", ROOM).addKeyValue("error", e.toString()).log("could not post the demo's welcome");
        }
    }
}
