package io.roomcast.edge.ephemeral;

import io.roomcast.edge.limit.RateLimit;
import io.micrometer.core.instrument.Counter;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.session.FrameSink;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.room.UnknownNamespaceException;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The ephemeral signals of one connection: the rooms whose signals it asked for and its own publish
 * budget. Signals that do not fit the connection's outbound buffer are dropped (they are superseded
 * within a second anyway) and counted.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class SessionEphemeral implements EphemeralListener {
    /** Why an ephemeral publish is refused before it reaches Kafka: an error code and message, or null when it may go. */
    public record Refusal(ErrorCode code, String message) {
    }

    private final Ephemeral ephemeral;
    private final Namespaces namespaces;
    private final Supplier<String> clientId;
    private final FrameSink outbound;
    private final Counter dropped;
    /** Made at the first ephemeral publish or listen: most connections never use either, and an idle one should stay small. Guarded by {@code this}. */
    private InUse inUse;

    /** The state of a connection that uses ephemeral signals: its presence id, its publish budget, the rooms it listens to. */
    private record InUse(String client, RateLimit limit, Set<RoomName> rooms) {
    }

    /** @param clientId makes the connection's presence id, sent with its signals so receivers can tell senders apart */
    public SessionEphemeral(Ephemeral ephemeral, Namespaces namespaces, Supplier<String> clientId, FrameSink outbound) {
        this.ephemeral = ephemeral;
        this.namespaces = namespaces;
        this.clientId = clientId;
        this.outbound = outbound;
        this.dropped = ephemeral.dropped();
    }

    private synchronized InUse inUse() {
        if (inUse == null) {
            inUse = new InUse(clientId.get(), new RateLimit(ephemeral.config().perSecond()), ConcurrentHashMap.newKeySet());
        }
        return inUse;
    }

    /** The state if this connection has used it; null otherwise. */
    private synchronized InUse inUseIfMade() {
        return inUse;
    }

    /**
     * Why the room cannot carry signals: its namespace is not configured (a {@code bad_request}, as for any request
     * naming it) or does not allow them ({@code forbidden}); null when it can. Any thread.
     */
    public Refusal refusal(RoomName room) {
        if (namespaces.find(room.namespace()).isEmpty()) {
            return new Refusal(ErrorCode.BAD_REQUEST, new UnknownNamespaceException(room).getMessage());
        }
        if (!ephemeral.config().allows(room.namespace())) {
            return new Refusal(ErrorCode.FORBIDDEN, "namespace \"" + room.namespace() + "\" does not allow ephemeral events");
        }
        return null;
    }

    /** Checks an ephemeral publish against the namespace, the size limit and the rate limit; null when it may go. */
    public Refusal check(RoomName room, byte[] data) {
        Refusal refusal = refusal(room);
        if (refusal != null) {
            return refusal;
        }
        if (data.length > ephemeral.config().maxBytes()) {
            return new Refusal(ErrorCode.TOO_LARGE, "ephemeral data is larger than " + ephemeral.config().maxBytes() + " bytes");
        }
        if (!inUse().limit().tryAcquire()) {
            return new Refusal(ErrorCode.RATE_LIMITED, "too many ephemeral events; slow down");
        }
        return null;
    }

    /** Writes a checked ephemeral publish; any thread. */
    public CompletableFuture<Void> publish(RoomName room, String type, byte[] data) {
        return ephemeral.publish(room, type, data, inUse().client());
    }

    /** Starts delivering the room's signals to this connection. */
    public CompletableFuture<Void> listen(RoomName room) {
        if (!inUse().rooms().add(room)) {
            return CompletableFuture.completedFuture(null);
        }
        return ephemeral.listen(room, this);
    }

    public void stop(RoomName room) {
        InUse u = inUseIfMade();
        if (u != null && u.rooms().remove(room)) {
            ephemeral.unlisten(room, this);
        }
    }

    public void stopAll() {
        InUse u = inUseIfMade();
        if (u != null) {
            Set.copyOf(u.rooms()).forEach(this::stop);
        }
    }

    @Override
    public void deliver(ByteBuffer frame) {
        if (!outbound.offer(frame.duplicate())) {
            dropped.increment();
        }
    }

    /** {@code {"op":"ack","id":N,"room":R,"ephemeral":true}}: Kafka took the signal; it has no offset. */
    public static ByteBuffer ack(com.fasterxml.jackson.databind.JsonNode id, RoomName room) {
        StringBuilder s = new StringBuilder("{\"op\":\"ack\"");
        if (id != null && !id.isNull()) {
            s.append(",\"id\":").append(id.isIntegralNumber() ? id.asText() : com.fasterxml.jackson.databind.node.TextNode.valueOf(id.asText()).toString());
        }
        s.append(",\"room\":\"").append(room.value()).append("\",\"ephemeral\":true}");
        return ByteBuffer.wrap(s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }
}
