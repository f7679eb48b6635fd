package io.roomcast.edge.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which browser origins may open a WebSocket, checked against the handshake's {@code Origin}
 * header. Entries are exact origins ({@code https://app.example.com}, {@code http://localhost:5173})
 * or wildcard subdomain patterns ({@code https://*.example.com}: any subdomain at any depth, not
 * the bare {@code example.com}). Scheme, host and port must all match; default ports (80, 443)
 * may be written or left out; case does not matter. An empty list allows every origin.
 *
 * <p>A request <em>without</em> an Origin header is allowed: browsers always send one on a
 * WebSocket handshake, so its absence means a non-browser client (a service, a CLI), which the
 * origin check cannot and need not protect; such clients are governed by tokens. The literal
 * origin {@code null} (sandboxed iframes, {@code file:} pages) is a browser origin and is refused
 * unless the list is empty. Immutable and thread-safe.
 */
public final class OriginPolicy {
    private static final Pattern ORIGIN = Pattern.compile(
            "([a-z][a-z0-9+.-]{0,15})://(\\*\\.)?(\\[[0-9a-f:.]{2,45}]|[a-z0-9.-]{1,253})(?::([0-9]{1,5}))?/?");
    private static final int MAX_ORIGIN_LENGTH = 300;

    private final List<Entry> entries;

    private OriginPolicy(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static OriginPolicy allowAll() {
        return new OriginPolicy(List.of());
    }

    /**
     * @throws IllegalArgumentException naming the first entry that is not {@code scheme://host[:port]}
     *                                  or {@code scheme://*.domain[:port]}
     */
    public static OriginPolicy of(List<String> allowed) {
        List<Entry> entries = new ArrayList<>();
        for (String s : allowed) {
            Entry e = s == null ? null : parse(s, true);
            if (e == null) {
                throw new IllegalArgumentException("invalid allowed origin \"" + s
                        + "\": expected scheme://host[:port] or scheme://*.domain[:port], without a path");
            }
            entries.add(e);
        }
        return new OriginPolicy(entries);
    }

    /** Whether a handshake with this {@code Origin} header value may proceed; {@code null} = header absent = allowed. */
    public boolean allows(String origin) {
        if (origin == null || entries.isEmpty()) {
            return true;
        }
        Entry o = parse(origin, false);
        if (o == null) {
            return false;
        }
        for (Entry e : entries) {
            if (e.admits(o)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every origin is allowed. */
    public boolean allowsAll() {
        return entries.isEmpty();
    }

    public List<String> entries() {
        return entries.stream().map(Entry::toString).toList();
    }

    private static Entry parse(String s, boolean wildcardAllowed) {
        if (s.length() > MAX_ORIGIN_LENGTH) {
            return null;
        }
        Matcher m = ORIGIN.matcher(s.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        boolean wildcard = m.group(2) != null;
        // A wildcard needs a registrable domain under it: *.com would admit the whole TLD.
        if (wildcard && (!wildcardAllowed || m.group(3).indexOf('.') <= 0)) {
            return null;
        }
        String scheme = m.group(1);
        int port;
        if (m.group(4) == null) {
            port = defaultPort(scheme);
        } else {
            port = Integer.parseInt(m.group(4));
            if (port < 1 || port > 65535) {
                return null;
            }
        }
        return new Entry(scheme, wildcard, m.group(3), port);
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }

    /** One origin or pattern; {@code host} is the domain after {@code *.} for a wildcard. */
    private record Entry(String scheme, boolean wildcard, String host, int port) {
        boolean admits(Entry o) {
            if (!scheme.equals(o.scheme) || port != o.port) {
                return false;
            }
            return wildcard ? o.host.endsWith("." + host) : host.equals(o.host);
        }

        @Override
        public String toString() {
            return scheme + "://" + (wildcard ? "*." : "") + host + (port == defaultPort(scheme) ? "" : ":" + port);
        }
    }
}
