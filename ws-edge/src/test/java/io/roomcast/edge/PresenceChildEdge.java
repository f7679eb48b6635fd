package io.roomcast.edge;

import io.roomcast.edge.presence.PresenceConfig;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;

import java.time.Duration;

/**
 * An edge in a child JVM, for {@link EdgePresenceKillIT} to kill with SIGKILL. Arguments: Kafka
 * bootstrap servers, the chat topic, the presence topic, the presence TTL in ms. Prints
 * {@code URL <ws url>} when it serves and runs until killed.
 */
final class PresenceChildEdge {
    private PresenceChildEdge() {
    }

    public static void main(String[] args) throws InterruptedException {
        Namespaces namespaces = Namespaces.of(new Namespace("chat", args[1], 4, Duration.ofDays(1), 50));
        EdgeServer edge = EdgeServer.start(EdgeConfig.builder(args[0]).host("127.0.0.1").port(0).namespaces(namespaces)
                .presence(PresenceConfig.ofDefaults().withTopic(args[2]).withTtl(Duration.ofMillis(Long.parseLong(args[3]))))
                .build());
        System.out.println("URL " + edge.wsUrl());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
