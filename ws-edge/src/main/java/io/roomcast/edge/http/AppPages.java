package io.roomcast.edge.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Serves the apps' pages under their short paths ({@code /chat} is {@code web/chat.html}), keeping
 * the query string, so links such as {@code /chat?room=chat:lobby} stay as they were shared.
 * Called on the IO thread; the resource handler it delegates to does not block.
 */
public final class AppPages {
    private AppPages() {
    }

    /** A handler that serves {@code file} (a path under the web root, e.g. {@code /chat.html}) through {@code resources}. */
    public static HttpHandler page(String file, HttpHandler resources) {
        return exchange -> serve(exchange, file, resources);
    }

    private static void serve(HttpServerExchange exchange, String file, HttpHandler resources) throws Exception {
        exchange.setRelativePath(file);
        resources.handleRequest(exchange);
    }
}
