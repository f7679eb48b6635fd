package io.roomcast.edge.session;

import io.undertow.server.protocol.framed.AbstractFramedChannel;
import io.undertow.websockets.core.WebSocketChannel;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;

/**
 * The byte sink beneath Undertow's WebSocket framing: the upgraded connection's own sink channel
 * (through Undertow's idle-timeout and TLS conduits), where {@link Outbound} writes whole frames.
 * Undertow keeps the handshake, the reading and its own close frames; it exposes the connection
 * only to subclasses, so it is reached once per connection through that protected accessor — an
 * Undertow internal, guarded by every WebSocket test of the edge.
 */
final class SocketSink {
    private static final MethodHandle UNDERLYING = underlyingConnection();

    private SocketSink() {
    }

    /** The sink of {@code channel}'s connection. Called on the connection's IO thread when it opens. */
    static ConduitStreamSinkChannel of(WebSocketChannel channel) {
        try {
            return ((StreamConnection) UNDERLYING.invoke(channel)).getSinkChannel();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot reach the connection beneath Undertow's WebSocket channel", e);
        }
    }

    private static MethodHandle underlyingConnection() {
        try {
            Method m = AbstractFramedChannel.class.getDeclaredMethod("getUnderlyingConnection");
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
