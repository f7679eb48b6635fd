package io.roomcast.history;

/** The first retained offset and the end offset (next to be written) of a partition. */
public record PartitionBounds(long logStart, long end) {
}
