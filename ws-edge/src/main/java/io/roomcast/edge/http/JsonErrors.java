package io.roomcast.edge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.edge.protocol.ErrorCode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/**
 * The edge's HTTP refusals (an SSE request before its stream starts, a request to /ws that is no
 * WebSocket handshake): an HTTP status and a JSON body
 * {@code {"error":{"code":"bad_request","message":"..."}}} with the protocol's error codes.
 * Non-blocking; any thread that owns the exchange.
 */
public final class JsonErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonErrors() {
    }

    public static void send(HttpServerExchange exchange, int status, ErrorCode code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code.wire());
        error.put("message", message);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body.toString());
    }

    /** The HTTP status of an error code. */
    public static int status(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST -> StatusCodes.BAD_REQUEST;
            case UNAUTHORIZED -> StatusCodes.UNAUTHORIZED;
            case FORBIDDEN -> StatusCodes.FORBIDDEN;
            case RATE_LIMITED -> StatusCodes.TOO_MANY_REQUESTS;
            case TOO_LARGE -> StatusCodes.REQUEST_ENTITY_TOO_LARGE;
            case LIMIT_EXCEEDED -> StatusCodes.BAD_REQUEST;
            case UNAVAILABLE -> StatusCodes.SERVICE_UNAVAILABLE;
            case NOT_FOUND -> StatusCodes.NOT_FOUND;
            default -> StatusCodes.INTERNAL_SERVER_ERROR; // codes added later: a server-side failure until mapped
        };
    }
}
