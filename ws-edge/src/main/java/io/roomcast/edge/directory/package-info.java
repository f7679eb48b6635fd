/**
 * The room directory: a compacted Kafka topic of known rooms (key = room name, value = a
 * {@link io.roomcast.edge.directory.DirectoryEntry}), written by whoever brings a room to life
 * (edges on publish, log shippers, model producers) and read by every edge, which offers it to
 * the apps as {@code GET /rooms}. See docs/apps.md.
 */
package io.roomcast.edge.directory;
