package io.roomcast.edge.status;

import io.roomcast.edge.auth.Access;
import io.roomcast.edge.auth.AuthConfig;
import io.roomcast.edge.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SystemRoomAccessTest {

    @Test
    void shouldRefusePublishingIntoASystemRoomEvenOnAnOpenEdge() {
        Access access = new Access(AuthConfig.ofDefaults());
        assertThat(access.open()).isTrue();
        var decision = access.publish(null, SystemRooms.EDGES);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(access.subscribe(null, SystemRooms.EDGES).allowed()).isTrue();
    }
}
