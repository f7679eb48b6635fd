package io.roomcast.bench.load;

/** How a simulated client reads: as fast as it can, slowly (a byte budget per second), or not at all once subscribed. */
public enum ClientMode {
    NORMAL, SLOW, STALLED
}
