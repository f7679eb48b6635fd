package io.roomcast.history;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * The one forward scan over a range of a partition's records, used by every reader of room history
 * (the edge's {@link KafkaHistoryReader}, the model producer's conversation reader). It owns one
 * consumer (assigned, never in a group) and remembers where its last scan ended, so a scan that
 * continues there goes on with the records already fetched instead of seeking and fetching again.
 * Backward scans walk {@link BackwardWindows} and scan each window forwards with it.
 *
 * <p>Threading: confined to one thread at a time, like its consumer.
 */
public final class PartitionScanner {
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<byte[], byte[]> consumer;
    private final ReaderPosition position = new ReaderPosition();

    /** What one scan may spend: records, a time share after which it returns what it has, and the time it may read nothing. */
    public record Budget(int maxRecords, Duration share, Duration noProgressTimeout) {
    }

    /**
     * Where a scan ended.
     *
     * @param next    the first offset not looked at: where to continue
     * @param scanned records looked at
     * @param stopped whether the visitor asked to stop (otherwise the range, the records or the time share ran out)
     */
    public record Scan(long next, int scanned, boolean stopped) {
    }

    public PartitionScanner(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /** The consumer, for offset lookups between scans (same thread). */
    public Consumer<byte[], byte[]> consumer() {
        return consumer;
    }

    /**
     * Shows the records of {@code [from, until)} in offset order to {@code visitor} until it
     * returns {@code false}, the range ends, {@link Budget#maxRecords()} records were looked at,
     * or {@link Budget#share()} has passed after some progress; returns where it stopped.
     * Offsets without records (retention, transaction markers, aborted records of a
     * {@code read_committed} consumer) advance the scan too. Progress is never thrown away:
     * only a scan that got nowhere within {@link Budget#noProgressTimeout()} (and its share) fails,
     * with Kafka's {@link TimeoutException}.
     */
    public Scan forward(TopicPartition partition, long from, long until, Budget budget, Predicate<ConsumerRecord<byte[], byte[]>> visitor) {
        position.moveTo(consumer, partition, from);
        long at = from;
        int scanned = 0;
        boolean stopped = false;
        long started = System.nanoTime();
        long share = budget.share().toNanos();
        long giveUp = Math.max(share, budget.noProgressTimeout().toNanos());
        try {
            while (at < until && scanned < budget.maxRecords()) {
                long elapsed = System.nanoTime() - started;
                if (elapsed > share && at > from) {
                    break; // out of time: the caller continues from here
                }
                if (elapsed > giveUp) {
                    throw new TimeoutException("reading " + partition + " from " + at + " brought nothing within " + budget.noProgressTimeout());
                }
                ConsumerRecord<byte[], byte[]> r = position.peek(consumer, POLL);
                if (r == null) {
                    at = Math.max(at, Math.min(until, consumer.position(partition)));
                    continue;
                }
                if (r.offset() >= until) {
                    // nothing readable lies before it (aborted or compacted records): the range is done
                    at = until;
                    break;
                }
                position.take();
                scanned++;
                at = r.offset() + 1;
                if (!visitor.test(r)) {
                    stopped = true;
                    break;
                }
            }
        } catch (RuntimeException e) {
            position.forget();
            throw e;
        }
        position.endedAt(at);
        return new Scan(at, scanned, stopped);
    }

    /** After a failure elsewhere with this consumer nothing is known about its position. */
    public void forget() {
        position.forget();
    }
}
