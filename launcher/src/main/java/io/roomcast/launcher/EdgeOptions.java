package io.roomcast.launcher;

import io.roomcast.edge.EdgeConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The edge's settings as command-line options, each also readable from an environment variable. */
final class EdgeOptions {
    @Option(names = "--host", defaultValue = "${env:ROOMCAST_HOST:-0.0.0.0}", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--topic-prefix", defaultValue = "${env:ROOMCAST_TOPIC_PREFIX:-}", description = "prefix for every namespace topic")
    String topicPrefix;

    @Option(names = "--replication-factor", defaultValue = "${env:ROOMCAST_REPLICATION_FACTOR:--1}",
            description = "replication factor of topics Roomcast creates; -1 = the broker's default")
    short replicationFactor;

    @Option(names = "--outbound-limit", defaultValue = "${env:ROOMCAST_OUTBOUND_LIMIT:-100}", description = "frames buffered per connection (default: ${DEFAULT-VALUE})")
    int outboundLimit;

    @Option(names = "--max-frame-bytes", defaultValue = "${env:ROOMCAST_MAX_FRAME_BYTES:-65536}", description = "largest client frame (default: ${DEFAULT-VALUE})")
    int maxFrameBytes;

    @Option(names = "--max-subscriptions", defaultValue = "${env:ROOMCAST_MAX_SUBSCRIPTIONS:-100}", description = "subscriptions per connection (default: ${DEFAULT-VALUE})")
    int maxSubscriptions;

    @Option(names = "--history-readers", defaultValue = "${env:ROOMCAST_HISTORY_READERS:-2}", description = "Kafka reader threads for replays (default: ${DEFAULT-VALUE})")
    int historyReaders;

    @Option(names = "--drain-delay", defaultValue = "${env:ROOMCAST_DRAIN_DELAY:-PT5S}", description = "spread of client reconnects on drain, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration drainDelay;

    EdgeConfig toConfig(String kafka, int port) {
        EdgeConfig.Builder b = EdgeConfig.builder(kafka).host(host).port(port)
                .replicationFactor(replicationFactor).outboundLimit(outboundLimit).maxFrameBytes(maxFrameBytes)
                .maxPayloadBytes(Math.max(1, maxFrameBytes - 4096)).maxSubscriptionsPerConnection(maxSubscriptions)
                .historyReaders(historyReaders).drainDelay(drainDelay);
        if (!topicPrefix.isEmpty()) {
            b.namespaces(io.roomcast.room.Namespaces.ofDefaults().withTopicPrefix(topicPrefix));
        }
        return b.build();
    }
}
