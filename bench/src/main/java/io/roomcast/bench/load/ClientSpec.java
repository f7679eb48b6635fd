package io.roomcast.bench.load;

import java.net.InetAddress;

/**
 * What one simulated client does.
 *
 * @param index    its number in the whole run (across processes)
 * @param room     the one room it subscribes to
 * @param source   the local address it connects from (127.0.0.x), or null for any
 * @param mode     how it reads
 * @param earliest whether it subscribes from the earliest retained event instead of live
 */
public record ClientSpec(int index, String room, InetAddress source, ClientMode mode, boolean earliest) {
}
