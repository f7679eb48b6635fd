package io.roomcast.producer.backend;

/** A stream that has produced its first chunk, and that chunk. */
public record OpenedStream(TokenStream stream, StreamChunk first) {
}
