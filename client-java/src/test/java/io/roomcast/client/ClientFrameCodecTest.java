package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.roomcast.client.InboundFrame.AckFrame;
import io.roomcast.client.InboundFrame.ErrorFrame;
import io.roomcast.client.InboundFrame.EventFrame;
import io.roomcast.client.InboundFrame.GapInfo;
import io.roomcast.client.InboundFrame.LiveFrame;
import io.roomcast.client.InboundFrame.PongFrame;
import io.roomcast.client.InboundFrame.ReconnectFrame;
import io.roomcast.client.InboundFrame.SubscribedFrame;
import io.roomcast.client.InboundFrame.UnsubscribedFrame;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientFrameCodecTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final FrameCodec codec = new FrameCodec(MAPPER);

    static Stream<Arguments> edgeFrames() throws Exception {
        return Stream.of(
                Arguments.of("{\"op\":\"subscribed\",\"id\":1,\"room\":\"chat:lobby\",\"epoch\":\"E\",\"recovered\":true}",
                        new SubscribedFrame(1L, "chat:lobby", "E", true, null)),
                Arguments.of("{\"op\":\"subscribed\",\"id\":1,\"room\":\"chat:lobby\",\"epoch\":\"E\"}",
                        new SubscribedFrame(1L, "chat:lobby", "E", null, null)),
                Arguments.of("{\"op\":\"subscribed\",\"id\":1,\"room\":\"chat:lobby\",\"epoch\":\"E2\",\"recovered\":false,"
                                + "\"gap\":{\"reason\":\"retention\",\"after\":41,\"resumeAt\":980}}",
                        new SubscribedFrame(1L, "chat:lobby", "E2", false, new GapInfo("retention", 41, 980))),
                Arguments.of("{\"op\":\"event\",\"room\":\"chat:lobby\",\"offset\":42,\"type\":\"message\",\"ts\":1764000000123,"
                                + "\"data\":{\"text\":\"hi\"}}",
                        new EventFrame(new RoomEvent("chat:lobby", 42, "message", 1764000000123L,
                                MAPPER.readTree("{\"text\":\"hi\"}"), null, null))),
                Arguments.of("{\"op\":\"event\",\"room\":\"r\",\"offset\":43,\"ts\":5,\"data\":\"hello\",\"eventId\":\"c1-17\"}",
                        new EventFrame(new RoomEvent("r", 43, "message", 5, MAPPER.readTree("\"hello\""), "c1-17", null))),
                Arguments.of("{\"op\":\"event\",\"room\":\"r\",\"offset\":44,\"ts\":5,\"data\":\"AAEC/w==\",\"encoding\":\"base64\"}",
                        new EventFrame(new RoomEvent("r", 44, "message", 5, MAPPER.readTree("\"AAEC/w==\""), null, "base64"))),
                Arguments.of("{\"op\":\"event\",\"room\":\"r\",\"offset\":45,\"ts\":5,\"data\":null}",
                        new EventFrame(new RoomEvent("r", 45, "message", 5, NullNode.getInstance(), null, null))),
                Arguments.of("{\"op\":\"live\",\"room\":\"chat:lobby\",\"offset\":56}", new LiveFrame("chat:lobby", 56)),
                Arguments.of("{\"op\":\"live\",\"room\":\"chat:lobby\",\"offset\":-1}", new LiveFrame("chat:lobby", -1)),
                Arguments.of("{\"op\":\"unsubscribed\",\"id\":2,\"room\":\"chat:lobby\"}", new UnsubscribedFrame(2L, "chat:lobby")),
                Arguments.of("{\"op\":\"ack\",\"id\":3,\"room\":\"chat:lobby\",\"offset\":57}", new AckFrame(3L, "chat:lobby", 57, false)),
                Arguments.of("{\"op\":\"pong\",\"id\":4}", new PongFrame(4L)),
                Arguments.of("{\"op\":\"pong\",\"id\":\"not-ours\"}", new PongFrame(null)),
                Arguments.of("{\"op\":\"error\",\"id\":3,\"code\":\"forbidden\",\"message\":\"no\"}",
                        new ErrorFrame(3L, null, "forbidden", "no")),
                Arguments.of("{\"op\":\"error\",\"code\":\"bad_request\",\"message\":\"frame is not valid JSON\"}",
                        new ErrorFrame(null, null, "bad_request", "frame is not valid JSON")),
                Arguments.of("{\"op\":\"reconnect\",\"reason\":\"drain\",\"delayMs\":2350}", new ReconnectFrame("drain", 2350)),
                Arguments.of("{\"op\":\"reconnect\"}", new ReconnectFrame("", 0)),
                Arguments.of("{\"op\":\"authed\",\"id\":7,\"expiresAt\":1764007200000}",
                        new InboundFrame.AuthedFrame(7L, 1764007200000L)),
                Arguments.of("{\"op\":\"authed\",\"id\":7}", new InboundFrame.AuthedFrame(7L, null)),
                Arguments.of("{\"op\":\"dropped\",\"room\":\"logs:api\",\"count\":17,\"first\":4211,\"last\":4290}",
                        new InboundFrame.DroppedFrame("logs:api", 17, 4211, 4290)),
                Arguments.of("{\"op\":\"ack\",\"id\":3,\"offset\":57,\"future\":{\"x\":[1,2]}}", new AckFrame(3L, null, 57, false)),
                Arguments.of("{\"op\":\"ack\",\"id\":10,\"room\":\"chat:lobby\",\"ephemeral\":true}", new AckFrame(10L, "chat:lobby", -1, true)),
                Arguments.of("{\"op\":\"event\",\"room\":\"chat:lobby\",\"type\":\"typing\",\"ts\":5,\"data\":{\"typing\":true},"
                                + "\"ephemeral\":true,\"client\":\"k3.2a\"}",
                        new InboundFrame.EphemeralFrame(new EphemeralEvent("chat:lobby", "typing", 5, MAPPER.readTree("{\"typing\":true}"), "k3.2a"))),
                Arguments.of("{\"op\":\"partial\",\"room\":\"chat:lobby\",\"generationId\":\"g\",\"fromSeq\":0,\"toSeq\":41,\"offset\":1085,"
                                + "\"text\":\"A partition\"}",
                        new InboundFrame.PartialFrame(new PartialAnswer("chat:lobby", "g", 0, 41, 1085, "A partition"))),
                Arguments.of("{\"op\":\"snapshot\",\"id\":1,\"room\":\"chat:todo\",\"offset\":1041,\"epoch\":\"E.3\",\"ts\":7,\"data\":{\"n\":1}}",
                        new InboundFrame.SnapshotFrame(1L, new Snapshot("chat:todo", 1041, "E.3", 7, MAPPER.readTree("{\"n\":1}")))),
                Arguments.of("{\"op\":\"join\",\"room\":\"chat:lobby\",\"member\":{\"client\":\"c1\",\"user\":null,\"name\":\"Ann\",\"since\":9,"
                                + "\"verified\":false},\"count\":2}",
                        new InboundFrame.MembershipFrame("chat:lobby", true, new Member("c1", null, "Ann", 9, false), 2)),
                Arguments.of("{\"op\":\"leave\",\"room\":\"chat:lobby\",\"member\":{\"client\":\"c1\",\"user\":\"ann\",\"name\":\"Ann\",\"since\":9,"
                                + "\"verified\":true},\"count\":1}",
                        new InboundFrame.MembershipFrame("chat:lobby", false, new Member("c1", "ann", "Ann", 9, true), 1)),
                Arguments.of("{\"op\":\"presence\",\"id\":8,\"room\":\"chat:lobby\",\"members\":[{\"client\":\"c1\",\"user\":\"ann\",\"name\":\"A\","
                                + "\"since\":1,\"verified\":true}],\"count\":1}",
                        new InboundFrame.PresenceFrame(8L, "chat:lobby", List.of(new Member("c1", "ann", "A", 1, true)), 1)),
                Arguments.of("{\"op\":\"presence\",\"room\":\"chat:lobby\",\"count\":812}",
                        new InboundFrame.PresenceFrame(null, "chat:lobby", null, 812)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeFrames")
    void shouldReadEveryEdgeFrameOfTheProtocol(String json, InboundFrame expected) {
        FrameCodec.Parsed parsed = codec.parse(json);
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.frames()).containsExactly(expected);
    }

    @Test
    void shouldReadABatchInOrder() {
        FrameCodec.Parsed parsed = codec.parse("[{\"op\":\"pong\",\"id\":1},{\"op\":\"live\",\"room\":\"r\",\"offset\":3},"
                + "{\"op\":\"ack\",\"id\":2,\"offset\":4}]");
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.frames()).containsExactly(new PongFrame(1L), new LiveFrame("r", 3), new AckFrame(2L, null, 4, false));
    }

    static Stream<Arguments> subscribes() {
        return Stream.of(
                Arguments.of(From.latest(), "{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:lobby\"}"),
                Arguments.of(From.earliest(), "{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:lobby\",\"from\":\"earliest\"}"),
                Arguments.of(From.after(41, "E"),
                        "{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:lobby\",\"from\":{\"after\":41,\"epoch\":\"E\"}}"),
                Arguments.of(From.last(100), "{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:lobby\",\"from\":{\"last\":100}}"),
                Arguments.of(From.time(1764000000000L),
                        "{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:lobby\",\"from\":{\"time\":1764000000000}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subscribes")
    void shouldWriteSubscribeExactlyAsTheProtocolSays(From from, String expected) {
        assertThat(codec.subscribe(1, "chat:lobby", from)).isEqualTo(expected);
    }

    /** A publish with an eventId carries the client's random publisherKey; the rest of the frame is fixed. */
    private static String withoutKey(String frame) {
        return frame.replaceFirst(",\"publisherKey\":\"[A-Za-z0-9_-]{22}\"", "");
    }

    @Test
    void shouldWriteTheOtherRequests() {
        assertThat(codec.subscribe(1, "logs:api", From.latest(), DeliveryPolicy.DROP_OLDEST))
                .isEqualTo("{\"op\":\"subscribe\",\"id\":1,\"room\":\"logs:api\",\"policy\":\"drop-oldest\"}");
        assertThat(codec.unsubscribe(2, "chat:lobby")).isEqualTo("{\"op\":\"unsubscribe\",\"id\":2,\"room\":\"chat:lobby\"}");
        assertThat(codec.ping(4)).isEqualTo("{\"op\":\"ping\",\"id\":4}");
        assertThat(codec.auth(7, "eyJ")).isEqualTo("{\"op\":\"auth\",\"id\":7,\"token\":\"eyJ\"}");
        assertThat(codec.publish(3, "chat:lobby", PublishOptions.ofDefaults(), codec.toJson(Map.of("text", "hi"))))
                .isEqualTo("{\"op\":\"publish\",\"id\":3,\"room\":\"chat:lobby\",\"type\":\"message\",\"data\":{\"text\":\"hi\"}}");
        assertThat(withoutKey(codec.publish(4, "r", PublishOptions.ofType("prompt").withEventId("c1-000017"), codec.toJson("plain"))))
                .isEqualTo("{\"op\":\"publish\",\"id\":4,\"room\":\"r\",\"type\":\"prompt\",\"eventId\":\"c1-000017\",\"data\":\"plain\"}");
        assertThat(withoutKey(codec.publish(6, "r", PublishOptions.ofType("prompt").withEventId("c1-9").asRetry(), codec.toJson(1))))
                .isEqualTo("{\"op\":\"publish\",\"id\":6,\"room\":\"r\",\"type\":\"prompt\",\"eventId\":\"c1-9\",\"retry\":true,\"data\":1}");
        assertThat(codec.publish(5, "r", PublishOptions.ofDefaults(), codec.toJson(null)))
                .isEqualTo("{\"op\":\"publish\",\"id\":5,\"room\":\"r\",\"type\":\"message\",\"data\":null}");
    }

    @Test
    void shouldMarkAPublishAsRetryWithoutTouchingItsData() throws Exception {
        // a decimal a double cannot hold: a re-parse could round it, the text mark cannot
        String frame = codec.publish(6, "r", PublishOptions.ofDefaults().withEventId("c1-9"),
                codec.toJson(new BigDecimal("0.10000000000000000000001")));
        String marked = FrameCodec.markedRetry(frame);
        assertThat(marked).contains(",\"publisherKey\":\"");
        assertThat(withoutKey(marked)).isEqualTo("{\"retry\":true,\"op\":\"publish\",\"id\":6,\"room\":\"r\",\"type\":\"message\","
                + "\"eventId\":\"c1-9\",\"data\":0.10000000000000000000001}");
        assertThat(marked).hasSize(frame.length() + FrameCodec.RETRY_MARK_BYTES);
        JsonNode parsed = new ObjectMapper().readTree(marked);
        assertThat(parsed.get("retry").asBoolean()).isTrue();
        assertThat(parsed.get("op").asText()).isEqualTo("publish");
    }
}
