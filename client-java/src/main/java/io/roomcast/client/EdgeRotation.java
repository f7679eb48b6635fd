package io.roomcast.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The edges a client may connect to, tried round-robin: every new attempt goes to the next edge, so when one edge
 * dies the next attempt fails over to another. An edge URI without a path gets the protocol's {@code /ws}; a token is
 * appended as {@code ?token=}. Not thread-safe: owned by the client's loop.
 */
final class EdgeRotation {

    private final List<URI> edges;
    private int next;

    EdgeRotation(List<URI> edges) {
        if (edges == null || edges.isEmpty()) {
            throw new IllegalArgumentException("at least one edge URI is needed");
        }
        this.edges = edges.stream().map(EdgeRotation::normalise).toList();
    }

    List<URI> edges() {
        return edges;
    }

    /** The edge for the next attempt (without token). */
    URI next() {
        URI edge = edges.get(next);
        next = (next + 1) % edges.size();
        return edge;
    }

    /** {@code edge} with {@code ?token=} (or {@code &token=}) added; unchanged for a null token. */
    static URI withToken(URI edge, String token) {
        if (token == null) {
            return edge;
        }
        String encoded = URLEncoder.encode(token, StandardCharsets.UTF_8);
        String s = edge.toString();
        int hash = s.indexOf('#');
        String base = hash < 0 ? s : s.substring(0, hash);
        return URI.create(base + (edge.getRawQuery() == null ? "?" : "&") + "token=" + encoded);
    }

    private static URI normalise(URI edge) {
        String scheme = edge.getScheme() == null ? "" : edge.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("edge URI must be ws:// or wss://: " + edge);
        }
        if (edge.getHost() == null) {
            throw new IllegalArgumentException("edge URI has no host: " + edge);
        }
        String path = edge.getRawPath();
        return path == null || path.isEmpty() || path.equals("/") ? edge.resolve("/ws") : edge;
    }
}
