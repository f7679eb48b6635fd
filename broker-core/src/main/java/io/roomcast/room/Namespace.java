package io.roomcast.room;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The options of one namespace: the Kafka topic its rooms live in and how that topic is created,
 * and how much recent history of each room an edge keeps in memory.
 *
 * @param name        the namespace ({@code ""} is the default namespace)
 * @param topic       the Kafka topic holding every room of the namespace
 * @param partitions  partitions of the topic when Roomcast creates it
 * @param retention   {@code retention.ms} of the topic when Roomcast creates it
 * @param historySize events per room kept in an edge's history cache
 * @param policy      what edges do with subscribers that cannot keep up
 */
public record Namespace(String name, String topic, int partitions, Duration retention, int historySize,
                        BackpressurePolicy policy) {
    public static final String DEFAULT_NAME = "";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@/-]{0,64}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public Namespace {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(policy, "policy");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid namespace name \"" + name + "\"");
        }
        if (!TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("invalid topic name \"" + topic + "\" for namespace \"" + name + "\"");
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("partitions of namespace \"" + name + "\" must be 1..10000, was " + partitions);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention of namespace \"" + name + "\" must be positive");
        }
        if (historySize < 0 || historySize > 1_000_000) {
            throw new IllegalArgumentException("historySize of namespace \"" + name + "\" must be 0..1000000, was " + historySize);
        }
    }

    /** A lossless namespace. */
    public Namespace(String name, String topic, int partitions, Duration retention, int historySize) {
        this(name, topic, partitions, retention, historySize, BackpressurePolicy.LOSSLESS);
    }

    public Namespace withTopic(String newTopic) {
        return new Namespace(name, newTopic, partitions, retention, historySize, policy);
    }

    public Namespace withPartitions(int newPartitions) {
        return new Namespace(name, topic, newPartitions, retention, historySize, policy);
    }

    public Namespace withRetention(Duration newRetention) {
        return new Namespace(name, topic, partitions, newRetention, historySize, policy);
    }

    public Namespace withHistorySize(int newHistorySize) {
        return new Namespace(name, topic, partitions, retention, newHistorySize, policy);
    }

    public Namespace withPolicy(BackpressurePolicy newPolicy) {
        return new Namespace(name, topic, partitions, retention, historySize, newPolicy);
    }
}
