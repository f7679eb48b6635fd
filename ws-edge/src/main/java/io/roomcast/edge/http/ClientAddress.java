package io.roomcast.edge.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who is at the other end of a connection: the TCP peer, or — only when the peer is a trusted
 * proxy — the client that proxy forwarded ({@code Forwarded: for=}, else {@code X-Forwarded-For}).
 * The forwarding chain is read from the right, skipping trusted proxies, so a client cannot pick
 * its own address by sending the header itself. Immutable.
 *
 * @param address the client's address; null when the transport did not say
 */
public record ClientAddress(InetAddress address) {
    /** Attached to the handshake by {@link ConnectionGate}, so that the connection is counted under the same key. */
    public static final AttachmentKey<ClientAddress> KEY = AttachmentKey.create(ClientAddress.class);
    /** IPv6 clients are limited per /64: one host usually holds a whole /64, and would otherwise have 2^64 addresses. */
    public static final int IPV6_GROUP_PREFIX = 64;
    private static final int MAX_HOPS = 32;

    /** Resolves the client of {@code exchange}. Runs on the IO thread: parsing only, no DNS. */
    public static ClientAddress of(HttpServerExchange exchange, TrustedProxies trusted) {
        InetSocketAddress peer = exchange.getSourceAddress();
        return resolve(peer == null ? null : peer.getAddress(), joined(exchange.getRequestHeaders().get(Headers.FORWARDED)),
                joined(exchange.getRequestHeaders().get(Headers.X_FORWARDED_FOR)), trusted);
    }

    /**
     * The client behind {@code peer}: {@code peer} itself unless it is trusted and forwarded a
     * chain; then the right-most hop that is not a trusted proxy. A hop that is not an address
     * ({@code unknown}, an obfuscated name, garbage) ends the walk at the proxy that wrote it.
     */
    public static ClientAddress resolve(InetAddress peer, String forwarded, String xForwardedFor, TrustedProxies trusted) {
        if (peer == null || !trusted.trusts(peer)) {
            return new ClientAddress(peer);
        }
        List<String> hops = forwarded != null ? forwardedFor(forwarded) : xForwardedFor != null ? split(xForwardedFor) : List.of();
        InetAddress current = peer;
        for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            Optional<InetAddress> hop = IpLiteral.parse(stripPort(hops.get(i)));
            if (hop.isEmpty()) {
                break;
            }
            current = hop.get();
            if (!trusted.trusts(current)) {
                break;
            }
        }
        return new ClientAddress(current);
    }

    /** The key per-address limits count under: the IPv4 address, or the IPv6 address's /64 block. */
    public String limitKey() {
        if (address == null) {
            return "unknown";
        }
        if (address instanceof Inet6Address) {
            return new Cidr(address.getAddress(), IPV6_GROUP_PREFIX).toString();
        }
        return address.getHostAddress();
    }

    @Override
    public String toString() {
        return address == null ? "unknown" : address.getHostAddress();
    }

    private static String joined(HeaderValues values) {
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            out.add(part.trim());
        }
        return out;
    }

    /** The {@code for} parameter of each element of an RFC 7239 {@code Forwarded} header ("" where absent). */
    private static List<String> forwardedFor(String header) {
        List<String> out = new ArrayList<>();
        for (String element : header.split(",", -1)) {
            String value = "";
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    value = pair.substring(eq + 1).trim();
                }
            }
            out.add(value);
        }
        return out;
    }

    /** {@code "[v6]:port"}, {@code [v6]}, {@code v4:port} and quotes reduced to the bare literal. */
    private static String stripPort(String hop) {
        String s = hop.length() >= 2 && hop.startsWith("\"") && hop.endsWith("\"") ? hop.substring(1, hop.length() - 1) : hop;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end < 0 ? "" : s.substring(1, end);
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && colon == s.lastIndexOf(':') && s.indexOf('.') >= 0) {
            return s.substring(0, colon);
        }
        return s;
    }
}
