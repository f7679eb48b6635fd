package io.roomcast.edge.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.edge.protocol.ErrorCode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * An error in OpenAI's shape, {@code {"error":{"message","type","param","code"}}}, with its HTTP
 * status: what OpenAI SDKs turn into their typed exceptions ({@code BadRequestError},
 * {@code NotFoundError}, {@code RateLimitError}, ...).
 */
final class OpenAiError extends Exception {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    OpenAiError(int status, String type, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /** A refusal at the endpoint's door (connection limits): 429 for {@code rate_limited}, else 503. */
    static OpenAiError atDoor(ErrorCode code, String message) {
        return code == ErrorCode.RATE_LIMITED ? new OpenAiError(429, "rate_limit_error", "rate_limit_exceeded", null, message)
                : new OpenAiError(503, "server_error", "unavailable", null, message);
    }

    static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", "invalid_request", param, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The error object, as the response body or as a {@code data:} line inside a stream. */
    String json() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", code);
        return body.toString();
    }

    /** Sends it as the whole response; the thread that owns the exchange. */
    void send(HttpServerExchange exchange) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json());
    }

    /**
     * A {@code generation.error} (or {@code generation.cancelled}, code {@code cancelled}) that came
     * before the answer started, as the HTTP error an OpenAI server would give.
     */
    static OpenAiError ofGeneration(String code, String message, String model) {
        return switch (code) {
            case "model_not_allowed" -> new OpenAiError(404, "invalid_request_error", "model_not_found", "model",
                    "The model `" + model + "` does not exist or you do not have access to it.");
            case "bad_request" -> new OpenAiError(400, "invalid_request_error", "invalid_request", "messages", message);
            case "too_large" -> new OpenAiError(400, "invalid_request_error", "context_length_exceeded", "messages", message);
            case "rate_limited" -> new OpenAiError(429, "rate_limit_error", "rate_limit_exceeded", null, message);
            case "overloaded" -> new OpenAiError(503, "server_error", "overloaded", null, message);
            case "timeout" -> new OpenAiError(504, "server_error", "timeout", null, message);
            case "cancelled" -> new OpenAiError(409, "invalid_request_error", "cancelled", null, message);
            case "unauthorized", "backend_error" -> new OpenAiError(502, "server_error", code, null, message);
            case "backend_unavailable", "unavailable" -> new OpenAiError(503, "server_error", code, null, message);
            default -> new OpenAiError(500, "server_error", code, null, message);
        };
    }
}
