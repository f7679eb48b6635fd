package io.roomcast.edge.status;

/**
 * One status report of an edge, the data of an {@code edge.status} event in {@code sys:edges}.
 * Rates are per second over the last interval; lag figures are over the same interval.
 *
 * @param edge             the edge's name (host:port), stable across restarts
 * @param url              the edge's base URL as it sees itself
 * @param version          Roomcast's version
 * @param startedAt        start time, ms since the epoch
 * @param uptimeMs         time since start
 * @param intervalMs       time until the next report; a report older than three intervals means the edge is gone
 * @param connections      open WebSocket connections
 * @param subscriptions    active subscriptions
 * @param eventsInPerSec   publishes acknowledged by Kafka
 * @param eventsOutPerSec  events handed to subscribers (live and replayed)
 * @param bytesOutPerSec   bytes written to clients
 * @param lagMaxOffsets    the largest subscriber lag behind the live position, in partition offsets
 * @param lagP99Offsets    99th percentile of the sampled subscriber lag, in offsets (bucket bound)
 * @param lagP99Seconds    99th percentile of event time to hand-over, in seconds (bucket bound)
 * @param historyQueue     history reads waiting for a Kafka reader
 * @param publishErrors    publishes that failed since start
 * @param kafkaReachable   the live tail runs and the previous report was acknowledged by Kafka
 * @param draining         the edge is shutting down
 */
public record EdgeStatus(String edge, String url, String version, long startedAt, long uptimeMs, long intervalMs,
                         long connections, long subscriptions, double eventsInPerSec, double eventsOutPerSec,
                         double bytesOutPerSec, double lagMaxOffsets, double lagP99Offsets, double lagP99Seconds,
                         long historyQueue, long publishErrors, boolean kafkaReachable, boolean draining) {
}
