package io.roomcast.edge.subscription;

/**
 * What a subscription reports to its owner (the session, an SSE stream, an OpenAI answer) and to
 * metrics. Called on the thread where it happens, never under the subscription's lock (the frames
 * it reports on are already in the sink). Must not block. The callbacks that can come from live
 * dispatch ({@link #deliveredLive}, {@link #dropped}, {@link #lagging}) come on the live tail's
 * thread while it holds the partition's dispatch lock: they must not wait for a lock whose holder
 * may take that one (a subscription's, for instance). Only {@link #failed} must be handled; the
 * reports an owner may ignore (an SSE stream, an OpenAI answer) do nothing by default.
 */
public interface SubscriptionEvents {
    /** The {@code subscribed} answer went out; the catch-up starts after this returns. A worker thread. */
    default void subscribed(Subscription s) {
    }

    /** {@code count} history events delivered, from the edge's cache or from Kafka. A worker thread. */
    default void replayed(int count, boolean fromCache) {
    }

    /**
     * A live event was handed to the connection: on the live tail's thread, or on a worker for the
     * events buffered during a catch-up and for those a drop policy held back.
     */
    default void deliveredLive(io.roomcast.event.RoomEvent event) {
    }

    /** Drop policies: {@code count} live events were dropped for a slow client. The live tail's thread or a worker. */
    default void dropped(int count) {
    }

    /** Live delivery stopped because the client is slow; it will catch up at its own pace. The live tail's thread or a worker. */
    default void lagging(Subscription s) {
    }

    /** The hand-over buffer overflowed during a catch-up; history is read further. A worker thread. */
    default void handoverOverflowed(Subscription s) {
    }

    /**
     * The subscription cannot continue (Kafka unreachable for too long, the live position lost, the
     * room's epoch changed, the worker refusing work); it is closed. A worker; the live tail's
     * thread without its locks (position lost); the epoch watch's thread; or, when the worker refused
     * a continuation, the thread that handed it over (it may be the one running a sink's
     * {@link io.roomcast.edge.session.FrameSink#whenDrained} task).
     */
    void failed(Subscription s, Throwable cause);
}
