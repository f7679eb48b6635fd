package io.roomcast.edge.http;

import io.roomcast.edge.protocol.ErrorCode;
import io.undertow.server.HttpServerExchange;

/**
 * How an endpoint words a refusal at its door ({@link ConnectionGate}): the status is the error
 * code's ({@link JsonErrors#status}), the body the endpoint's own shape, so a client reads it as
 * it reads the endpoint's other errors. The thread that owns the exchange.
 */
@FunctionalInterface
public interface DoorRefusal {
    /** Roomcast's shape, {@code {"error":{"code":"rate_limited","message":"..."}}}: {@code /ws} and {@code /sse}. */
    DoorRefusal JSON = (exchange, code, message) -> JsonErrors.send(exchange, JsonErrors.status(code), code, message);

    void send(HttpServerExchange exchange, ErrorCode code, String message);
}
