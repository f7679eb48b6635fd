/**
 * The fleet reporting itself through Roomcast: every edge publishes a small {@code edge.status}
 * event every few seconds into the read-only system room {@code sys:edges}; the status app
 * ({@code /status}) subscribes to it. See docs/apps.md.
 */
package io.roomcast.edge.status;
