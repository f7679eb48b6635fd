package io.roomcast.edge.directory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code GET /rooms[?namespace=NS][&limit=N]}: the directory's rooms as
 * {@code {"rooms":[{"room":..,"source":..,"lastActivity":..}]}}, most recently active first
 * (limit 1..1000, default 200). Only rooms of namespaces anyone may subscribe to are listed, so
 * with authentication on the directory reveals no more than the namespaces' own rules allow.
 * Called on the IO thread; it reads an in-memory map and never blocks.
 */
public final class DirectoryHandler implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RoomDirectory directory;
    private final Predicate<String> visibleNamespace;

    public DirectoryHandler(RoomDirectory directory, Predicate<String> visibleNamespace) {
        this.directory = directory;
        this.visibleNamespace = visibleNamespace;
    }

    private static final Pattern ASCII_LIMIT = Pattern.compile("[0-9]{1,4}");

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseSender().send("{\"error\":\"GET only\"}");
            return;
        }
        String namespace = first(exchange.getQueryParameters(), "namespace");
        String limitText = first(exchange.getQueryParameters(), "limit");
        int limit = 200;
        if (limitText != null) {
            // ASCII digits only: Integer.parseInt also takes a sign and other scripts' digits ("%D9%A5" is 5).
            limit = ASCII_LIMIT.matcher(limitText).matches() ? Integer.parseInt(limitText) : -1;
            if (limit < 1 || limit > 1000) {
                exchange.setStatusCode(StatusCodes.BAD_REQUEST);
                exchange.getResponseSender().send("{\"error\":\"limit must be 1..1000\"}");
                return;
            }
        }
        List<DirectoryEntry> rooms = namespace != null && !visibleNamespace.test(namespace) ? List.of()
                : directory.rooms(namespace, Integer.MAX_VALUE).stream()
                        .filter(e -> visibleNamespace.test(io.roomcast.room.RoomName.of(e.room()).namespace())).limit(limit).toList();
        exchange.getResponseSender().send(JSON.writeValueAsString(Map.of("rooms", rooms)));
    }

    private static String first(Map<String, Deque<String>> params, String name) {
        Deque<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.peekFirst();
    }
}
