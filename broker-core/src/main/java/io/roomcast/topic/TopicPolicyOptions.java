package io.roomcast.topic;

import picocli.CommandLine.Option;

/**
 * The {@link TopicPolicy}'s two settings as command-line options, the same in every command that
 * creates topics (edge, demo, model producer, log shipper): a picocli mixin, each option also read
 * from its environment variable. Filled in by picocli on the thread that parses the command line.
 */
public final class TopicPolicyOptions {
    @Option(names = "--replication-factor", defaultValue = "${env:" + TopicPolicy.REPLICATION_FACTOR_ENV + ":--1}",
            description = "replication factor of topics Roomcast creates; -1 = the broker's default")
    short replicationFactor;

    @Option(names = "--min-insync-replicas", defaultValue = "${env:" + TopicPolicy.MIN_INSYNC_REPLICAS_ENV + ":--1}",
            description = "min.insync.replicas of topics Roomcast creates (2 at replication factor 3); -1 = the broker's default")
    int minInsyncReplicas;

    /**
     * The policy the options name.
     *
     * @throws IllegalArgumentException when they contradict each other or name no replication
     */
    public TopicPolicy policy() {
        return new TopicPolicy(replicationFactor, minInsyncReplicas);
    }
}
