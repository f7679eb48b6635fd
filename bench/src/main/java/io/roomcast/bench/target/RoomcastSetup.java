package io.roomcast.bench.target;

import java.util.List;

/**
 * How a run starts Roomcast: the edge's cache and outbound sizes, both JVMs' options, the broker's
 * settings over the embedded defaults ({@code KEY=VALUE}), and the publisher's {@code linger.ms}.
 */
public record RoomcastSetup(int historySize, int outboundLimit, List<String> edgeJvm, List<String> kafkaJvm,
                            List<String> kafkaProperties, int lingerMs) {
    public RoomcastSetup {
        edgeJvm = List.copyOf(edgeJvm);
        kafkaJvm = List.copyOf(kafkaJvm);
        kafkaProperties = List.copyOf(kafkaProperties);
        for (String p : kafkaProperties) {
            if (p.indexOf('=') < 1) {
                throw new IllegalArgumentException("--kafka-property takes KEY=VALUE, got: " + p);
            }
        }
        if (lingerMs < 0) {
            throw new IllegalArgumentException("--linger-ms must be >= 0, got: " + lingerMs);
        }
    }
}
