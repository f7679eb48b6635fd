package io.roomcast.client;

/**
 * The close-code catalogue of {@code docs/protocol.md} from the client's side: which codes mean "reconnect and resume"
 * and which end the client. 4000-4399 reconnect, 4400-4999 do not; 1000 (normal closure by the edge) does not;
 * codes that say the client itself is broken (1003, 1007, 1009) or not allowed (1008) do not, since retrying would
 * fail the same way. Everything else, including an abnormal drop (1006), reconnects with backoff.
 */
final class CloseCodes {

    /** What the client does after a close. */
    enum Action { RECONNECT, STOP, RECONNECT_WITH_NEW_TOKEN }

    static final int UNAUTHORIZED = 4401;

    static final int NORMAL = 1000;

    private CloseCodes() {
    }

    static Action classify(int code) {
        if (code == UNAUTHORIZED) {
            return Action.RECONNECT_WITH_NEW_TOKEN;
        }
        if (code >= 4000 && code <= 4399) {
            return Action.RECONNECT;
        }
        if (code >= 4400 && code <= 4999) {
            return Action.STOP;
        }
        return switch (code) {
            case NORMAL, 1002, 1003, 1007, 1008, 1009 -> Action.STOP;
            default -> Action.RECONNECT;
        };
    }

    /** The error reported to the application when a close code ends or interrupts the connection. */
    static ClientError error(int code, String reason) {
        String text = "edge closed the connection with " + code + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        ErrorCode errorCode = switch (code) {
            case 4401 -> ErrorCode.UNAUTHORIZED;
            case 1008 -> ErrorCode.FORBIDDEN;
            case 1009 -> ErrorCode.TOO_LARGE;
            case 4029 -> ErrorCode.RATE_LIMITED;
            case 1002, 1003, 1007 -> ErrorCode.PROTOCOL;
            default -> classify(code) == Action.STOP ? ErrorCode.CLOSED : ErrorCode.CONNECTION_LOST;
        };
        return new ClientError(errorCode, text, null);
    }
}
