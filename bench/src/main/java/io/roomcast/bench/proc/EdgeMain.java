package io.roomcast.bench.proc;

import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;

import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's Roomcast edge in its own JVM. Arguments: KAFKA TOPIC_PREFIX HISTORY_SIZE
 * OUTBOUND_LIMIT. Admission limits are lifted (every simulated client comes from a handful of
 * loopback addresses); everything else is the edge's default. Prints {@code READY ws-url};
 * stops when standard input ends.
 */
public final class EdgeMain {
    private EdgeMain() {
    }

    public static void main(String[] args) throws Exception {
        String kafka = args[0];
        String prefix = args[1].equals("-") ? "" : args[1];
        int historySize = Integer.parseInt(args[2]);
        int outboundLimit = Integer.parseInt(args[3]);
        List<Namespace> spaces = new ArrayList<>();
        for (Namespace ns : Namespaces.ofDefaults().withTopicPrefix(prefix).all()) {
            spaces.add(ns.withHistorySize(historySize));
        }
        EdgeConfig config = EdgeConfig.builder(kafka).host("127.0.0.1").port(0)
                .namespaces(Namespaces.of(spaces.toArray(Namespace[]::new)))
                .outboundLimit(outboundLimit)
                .maxConnections(1_000_000).maxConnectionsPerIp(1_000_000).connectAttemptsPerIpPerSecond(1_000_000)
                .build();
        EdgeServer edge = EdgeServer.start(config);
        System.out.println("READY " + edge.wsUrl());
        System.out.flush();
        try {
            ControlLoop.run(java.time.Duration.ofSeconds(10));
        } finally {
            edge.close();
            System.exit(0);
        }
    }
}
