package io.roomcast.edge.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.room.RoomName;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many {@code prompt} events a room and a principal may publish per minute on this edge (token
 * buckets that refill continuously), so one room's or one user's flood cannot fill the model
 * producers' queue of a partition. A prompt needs room in both buckets. The buckets of the least
 * recently used rooms and principals are dropped beyond {@code quotaKeys} (counted): a dropped
 * bucket starts full again.
 *
 * <p>Thread-safety: safe for concurrent use; one short lock, never blocks (called on IO threads).
 */
public final class PromptQuota {
    public static final String PROMPT_TYPE = "prompt";

    private final double perRoom;
    private final double perPrincipal;
    private final int keys;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);
    private final Counter refused;
    private final Counter evicted;

    private static final class Bucket {
        double tokens;
        long atMillis;

        Bucket(double tokens, long atMillis) {
            this.tokens = tokens;
            this.atMillis = atMillis;
        }
    }

    public PromptQuota(PublishSettings settings, Clock clock, MeterRegistry meters) {
        this.perRoom = settings.promptsPerMinutePerRoom();
        this.perPrincipal = settings.promptsPerMinutePerPrincipal();
        this.keys = settings.quotaKeys();
        this.clock = clock;
        this.refused = Counter.builder("roomcast.publish.prompts.refused").description("prompts over their room's or principal's quota")
                .register(meters);
        this.evicted = Counter.builder("roomcast.publish.prompts.quota.evicted")
                .description("prompt quotas dropped for newer ones (limit " + keys + ")").register(meters);
        Gauge.builder("roomcast.publish.prompts.quota.entries", this, PromptQuota::size)
                .description("rooms and principals with a prompt quota in use (limit " + keys + ")").register(meters);
    }

    /**
     * Takes one prompt from the quotas of {@code room} and {@code principal} (a stable name: the
     * token's subject, or the client's address when anonymous); null when allowed, else why not.
     */
    public String take(RoomName room, String principal) {
        long now = clock.millis();
        synchronized (buckets) {
            Bucket r = bucket("room:" + room.value(), perRoom, now);
            Bucket p = bucket("principal:" + principal, perPrincipal, now);
            if (r.tokens < 1) {
                refused.increment();
                return "room " + room + " takes at most " + (int) perRoom + " prompts per minute; retry later";
            }
            if (p.tokens < 1) {
                refused.increment();
                return "at most " + (int) perPrincipal + " prompts per minute per user; retry later";
            }
            r.tokens--;
            p.tokens--;
            return null;
        }
    }

    private Bucket bucket(String key, double perMinute, long now) {
        Bucket b = buckets.get(key);
        if (b == null) {
            b = new Bucket(perMinute, now);
            buckets.put(key, b);
            if (buckets.size() > keys) {
                Iterator<Bucket> eldest = buckets.values().iterator();
                eldest.next();
                eldest.remove();
                evicted.increment();
            }
        } else {
            b.tokens = Math.min(perMinute, b.tokens + (now - b.atMillis) * perMinute / 60_000.0);
            b.atMillis = now;
        }
        return b;
    }

    public int size() {
        synchronized (buckets) {
            return buckets.size();
        }
    }
}
