package io.roomcast.edge.http;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

/**
 * The proxies whose {@code Forwarded} and {@code X-Forwarded-For} headers the edge believes.
 * Immutable. Empty by default: then those headers are ignored, because any client can send them.
 */
public record TrustedProxies(List<Cidr> blocks) {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    public TrustedProxies {
        blocks = List.copyOf(blocks);
    }

    /**
     * Parses address blocks such as {@code 10.0.0.0/8}, {@code 192.168.1.7} or {@code fd00::/8}.
     *
     * @throws IllegalArgumentException naming the entry at fault
     */
    public static TrustedProxies parse(Collection<String> entries) {
        if (entries == null) {
            return NONE;
        }
        return new TrustedProxies(entries.stream().filter(e -> e != null && !e.isBlank()).map(Cidr::parse).toList());
    }

    public boolean trusts(InetAddress address) {
        for (Cidr block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }
}
