package io.roomcast.edge.publish;

import io.roomcast.edge.auth.Principal;

/**
 * The event types only model producers may publish: {@code token} and every {@code generation.*}
 * type (today {@code generation.started}, {@code .restarted}, {@code .done}, {@code .cancelled},
 * {@code .error}; new ones such as {@code generation.message} are covered by the prefix). A forged
 * token or answer would end up in late joiners' views and in the model's context. Producers
 * write to Kafka directly, or hold a token with the {@value #PRODUCER_ROLE} role.
 */
public final class ReservedTypes {
    public static final String PRODUCER_ROLE = "producer";

    private ReservedTypes() {
    }

    public static boolean isReserved(String type) {
        return "token".equals(type) || (type != null && type.startsWith("generation."));
    }

    /** Whether {@code principal} ({@code null}: anonymous) may publish events of {@code type}. */
    public static boolean mayPublish(Principal principal, String type) {
        return !isReserved(type) || (principal != null && principal.roles().contains(PRODUCER_ROLE));
    }
}
