// Type declarations for roomcast.js, the Roomcast JavaScript client. See docs/clients.md.

/** Connection states: connecting (first connection), open, reconnecting (after a loss), closed (final). */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export declare const State: Readonly<{
  CONNECTING: 'connecting';
  OPEN: 'open';
  RECONNECTING: 'reconnecting';
  CLOSED: 'closed';
}>;

/** Where a subscription starts (docs/protocol.md, subscribe). */
export type From =
  | 'latest'
  | 'earliest'
  | { after: number; epoch: string }
  | { last: number }
  | { time: number }
  /** The room's newest snapshot (onSnapshot), then the events after it; without one, as 'earliest'. */
  | 'snapshot';

/** A resume position: the last offset delivered or confirmed by `live`, in its epoch. */
export interface Position {
  offset: number;
  epoch: string;
}

export interface RoomEvent<T = unknown> {
  room: string;
  /** Kafka offset in the room's partition: strictly increasing per room, never repeated. */
  offset: number;
  /** Event type; `message` when the record had none. */
  type: string;
  /** Event time (the Kafka record timestamp), ms since the epoch. */
  ts: number;
  /** The record value: any JSON value, a string for non-JSON text, base64 when `encoding` is `base64`. */
  data: T;
  /** The publisher's idempotency id, when it set one. */
  eventId?: string;
  encoding?: 'base64';
  /** The epoch the offset belongs to. */
  epoch: string | null;
}

/** Why a subscription's history has a hole (protocol/catalogue.json, gapReasons). */
export type GapReasonName = 'retention' | 'epoch' | 'unknown_position' | 'dropped' | 'unknown';

export declare const GapReason: Readonly<{
  RETENTION: 'retention';
  EPOCH: 'epoch';
  UNKNOWN_POSITION: 'unknown_position';
  DROPPED: 'dropped';
  UNKNOWN: 'unknown';
}>;

/**
 * Why and where a subscription has a hole: a resume answered `recovered: false`, or live events a
 * `drop-oldest` / `latest-only` subscription skipped (reason `dropped`, with `count`, `first`, `last`).
 */
export interface GapInfo {
  room: string;
  reason: GapReasonName | (string & {});
  /** The offset the client asked to resume after (`first - 1` for dropped); -1 when unknown. */
  after: number;
  /** Delivery is complete again from this offset on (`last + 1` for dropped); -1 when the edge did not say. */
  resumeAt: number;
  epoch: string | null;
  previousEpoch: string | null;
  /** For `dropped`: how many events were skipped; otherwise -1. */
  count: number;
  /** For `dropped`: the offsets of the first and last skipped events; otherwise -1. */
  first: number;
  last: number;
}

/** An ephemeral signal (typing, cursor): live only, never replayed, no offset, no position. */
export interface EphemeralEvent<T = unknown> {
  room: string;
  offset: null;
  type: string;
  ts: number;
  data: T;
  ephemeral: true;
  /** The sender's presence client id. */
  client?: string;
  epoch: string | null;
}

/** One connection present in a room (docs/protocol.md, Presence). */
export interface Member {
  /** The connection's id, unique across edges. */
  client: string;
  /** The token's `sub`; null without a token. */
  user: string | null;
  name: string | null;
  /** When it entered the room, ms since the epoch. */
  since: number;
  /** The name comes from a verified token. */
  verified: boolean;
}

export interface MembershipChange {
  room: string;
  member: Member;
  count: number;
}

export interface PresenceState {
  room: string;
  /** Longest present first; empty when `listed` is false. */
  members: Member[];
  count: number;
  /** False above the edge's listing limit: only the count is known. */
  listed: boolean;
}

/** The tokens fromSeq..toSeq of an answer still streaming, concatenated (a compact history). */
export interface PartialAnswer {
  room: string;
  generationId: string;
  fromSeq: number;
  toSeq: number;
  /** The last of those tokens' offsets; the answer's later tokens follow live. */
  offset: number;
  text: string;
  epoch: string | null;
}

/** A room's state as of `offset` (from 'snapshot'); the events after it follow. */
export interface SnapshotInfo<S = unknown> {
  room: string;
  offset: number;
  epoch: string;
  ts: number;
  data: S;
}

export interface LiveInfo {
  room: string;
  /** History up to and including this offset is delivered; -1 for an empty partition. */
  offset: number;
  epoch: string | null;
}

/** The error codes of protocol/catalogue.json: the edge's, then the client's own. */
export type ErrorCode =
  // protocol error codes sent by the edge
  | 'bad_request' | 'unauthorized' | 'forbidden' | 'rate_limited' | 'too_large'
  | 'limit_exceeded' | 'unavailable' | 'outcome_unknown' | 'internal'
  // HTTP only (an endpoint the edge does not serve); never in an error frame
  | 'not_found'
  // produced by the client
  | 'timeout' | 'queue_full' | 'connection_lost' | 'closed' | 'protocol' | 'unknown'
  | 'token_provider' | 'listener';

/** Every error code with whether trying again later can succeed. */
export declare const ErrorCodes: Readonly<Record<ErrorCode, { retryable: boolean; origin: 'edge' | 'client' }>>;

/** What the client does after a close code. */
export type CloseAction = 'reconnect' | 'stop' | 'reconnect_with_new_token';
export declare const CloseCodes: Readonly<Record<number, CloseAction>>;

export declare class RoomcastError extends Error {
  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>);
  readonly name: 'RoomcastError';
  code: ErrorCode;
  room?: string;
  /** The request id the edge's error answered. */
  requestId?: number | string;
  /** For a final close: the WebSocket close code. */
  closeCode?: number;
  /** For a subscription error: whether the client retries it with backoff. */
  retrying?: boolean;
  /** For `unknown`: the code the edge sent. */
  edgeCode?: string;
  /** For a publish's error: the eventId it was published with, for a resend with `retry: true`. */
  eventId?: string;
  /**
   * For a publish's error: whether it may have been written all the same. `timeout` and `closed`:
   * false when it never left the client, true when it was sent or repeats an attempt;
   * `connection_lost` and `outcome_unknown`: true; any other refusal by the edge: false.
   */
  maybeWritten?: boolean;
  cause?: unknown;
}

export interface BackoffOptions {
  /** Floor of every retry delay (default 500). */
  minMs?: number;
  /** Ceiling of the first retry delay (default 1000); the ceiling doubles per attempt. */
  initialMs?: number;
  /** Cap of the ceiling (default 30000). */
  maxMs?: number;
  /** Growth of the ceiling per attempt (default 2). */
  factor?: number;
  /** A connection open this long resets the attempt count (default 10000). */
  resetAfterMs?: number;
  /** Random source in [0, 1) for the jitter (default Math.random); for tests. */
  random?: () => number;
}

/** Timer source; for tests. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface ConnectOptions {
  /**
   * A token, sent in an `auth` frame as the first frame of every connection (requests wait for the
   * edge's `authed`). A function is called before every connection and again when 80 % of the
   * token's lifetime has passed, and its token sent on the open connection: pass a function for
   * tokens that expire. A 4401 close after the token was accepted reconnects with a new token from it.
   */
  token?: string | (() => string | Promise<string>);
  /**
   * Also put the token in the URL as `?token=` (default false). For tools only: URLs end up in
   * proxy and access logs, so applications must not use it.
   */
  tokenInUrl?: boolean;
  /** WebSocket constructor; required on Node 20 (for example `import WebSocket from 'ws'`). */
  WebSocket?: new (url: string) => unknown;
  /** App-level ping interval (default 30000). */
  pingIntervalMs?: number;
  /** After a ping, nothing received within this time means the connection is dead (default 10000). */
  pongTimeoutMs?: number;
  /** A WebSocket handshake that takes longer is given up and retried (default 10000). */
  connectTimeoutMs?: number;
  /** Publishes that may wait for a connection at once (default 1000). */
  publishQueueLimit?: number;
  /** Time from publish() to ack before it fails with `timeout` (default 30000). */
  publishTimeoutMs?: number;
  /** The edge's maxFrameBytes: a publish whose frame is larger fails with `too_large` (default 65536). */
  maxFrameBytes?: number;
  /**
   * The edge's publishesPerSecond: publishes (and signals) are sent at most this many in any 1.05 s, so a
   * queue that waited for a connection is not refused with `rate_limited` (default 100; 0 = no pacing; at most 10000).
   */
  publishesPerSecond?: number;
  backoff?: BackoffOptions;
  clock?: Partial<Clock>;
}

export interface SubscribeOptions {
  /** Where the first subscription starts; reconnects always resume from the position. Default: live only. */
  from?: From;
  /** Overrides the namespace's backpressure policy for this subscription. */
  policy?: 'lossless' | 'drop-oldest' | 'latest-only';
  /** Called when the edge answers `recovered: false` (reset the room's view) or reports dropped events. */
  onGap?: (gap: GapInfo) => void;
  /** Called when the requested history is delivered and live events follow. */
  onLive?: (live: LiveInfo) => void;
  /** Called when the edge refuses the subscription (`retrying` tells whether it is retried) or the client closes for good. */
  onError?: (error: RoomcastError) => void;
  /** Be present in the room while subscribed, and follow who else is (join/leave). */
  presence?: boolean;
  /** With `presence`: the display name on a connection without a token (at most 64 characters). */
  name?: string;
  /** Also receive the room's ephemeral signals (onEphemeral; never onEvent). */
  ephemeral?: boolean;
  /** A compact history: finished answers as one `generation.message` each, a streaming one as onPartial. */
  compact?: boolean;
  /** A member came. After a resubscribe, members who stayed are not joined again (the edge's `sync`). */
  onJoin?: (change: MembershipChange) => void;
  /** A member went; after a resubscribe, also each member who left while this client was away. */
  onLeave?: (change: MembershipChange) => void;
  /** The whole member list after every change. */
  onPresence?: (presence: PresenceState) => void;
  onEphemeral?: (event: EphemeralEvent) => void;
  onPartial?: (partial: PartialAnswer) => void;
  onSnapshot?: (snapshot: SnapshotInfo) => void;
}

export type SubscriptionState = 'pending' | 'subscribing' | 'active' | 'failed' | 'closed';

export declare class Subscription<T = unknown> {
  readonly room: string;
  readonly state: SubscriptionState;
  /** The resume position, or null before the subscription has one. */
  position(): Position | null;
  /** Stops delivery at once; idempotent. */
  unsubscribe(): void;
  /** With `presence`: the members, longest present first. */
  members(): Member[];
  /** With `presence`: how many members the room has. */
  readonly presenceCount: number;
}

export interface PublishOptions {
  /** Event type (default `message`). */
  type?: string;
  /**
   * Idempotency id stored with the event (1-128 printable ASCII characters, no spaces). An edge
   * answers the same id in the same room within its window (default 5 min) with the first write's
   * offset instead of writing again, and the client resends an in-flight publish with an id after a
   * disconnect, marked `retry`, so it is written once whichever edge takes it.
   */
  eventId?: string;
  /**
   * This publish repeats one that may have been written (it failed with `timeout` and
   * `maybeWritten`, or with `outcome_unknown`): sent with `"retry":true`, so the edge that takes it,
   * on any connection, looks `eventId` up in the room and answers with the first write's offset
   * instead of writing it twice. Needs `eventId` (else `bad_request`).
   */
  retry?: boolean;
  /** An ephemeral signal: live only, never stored; resolves with null (no offset); no eventId. */
  ephemeral?: boolean;
}

export interface StateInfo {
  /** WebSocket close code of the connection that ended (reconnecting, closed). */
  code?: number;
  reason?: string;
  /** Reconnect attempt number since the last stable connection (reconnecting). */
  attempt?: number;
  /** Delay before the next attempt (reconnecting). */
  delayMs?: number;
  /** Why the client closed for good: the error of a final close code, or null after `close()` (closed). */
  error?: RoomcastError | null;
}

export interface ClientEvents {
  state: (state: ConnectionState, info: StateInfo) => void;
  gap: (gap: GapInfo) => void;
  error: (error: RoomcastError) => void;
}

export declare class RoomcastClient {
  constructor(url: string, options?: ConnectOptions);
  readonly state: ConnectionState;
  /** Every subscription's resume position, by room; rooms without a position yet are left out. */
  positions(): Record<string, Position>;
  subscribe<T = unknown>(room: string, onEvent: (event: RoomEvent<T>) => void): Subscription<T>;
  subscribe<T = unknown>(room: string, options: SubscribeOptions, onEvent: (event: RoomEvent<T>) => void): Subscription<T>;
  /** Resolves with the offset Kafka acknowledged (null for an ephemeral signal); rejects with a RoomcastError. */
  publish(room: string, data: unknown, options?: PublishOptions & { ephemeral?: false }): Promise<number>;
  publish(room: string, data: unknown, options: PublishOptions & { ephemeral: true }): Promise<null>;
  /** Who is in the room now (`members` absent above the listing limit). */
  presence(room: string): Promise<{ room: string; members?: Member[]; count: number }>;
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof ClientEvents>(event: K, fn: ClientEvents[K]): () => void;
  off<K extends keyof ClientEvents>(event: K, fn: ClientEvents[K]): void;
  /** Closes for good: no reconnect, pending publishes fail with `closed`, every timer and listener is released. */
  close(): void;
}

export declare const DEFAULTS: Readonly<{
  pingIntervalMs: number;
  pongTimeoutMs: number;
  connectTimeoutMs: number;
  publishQueueLimit: number;
  publishTimeoutMs: number;
  maxFrameBytes: number;
  publishesPerSecond: number;
  backoff: Readonly<Required<Omit<BackoffOptions, 'random'>>>;
}>;

/** Connects to `ws(s)://host:port/ws`, or to an `http(s)://host:port` base (the `/ws` path is added). */
export declare function connect(url: string, options?: ConnectOptions): RoomcastClient;
export declare function backoffDelay(attempt: number, backoff?: BackoffOptions, random?: () => number): number;
export declare function shouldReconnect(closeCode: number): boolean;
export declare function closeAction(closeCode: number): CloseAction;
/** When to refresh a token that expires in `remainingMs`: at 80 %, not sooner than 1 s, not after expiry. */
export declare function refreshDelay(remainingMs: number): number;
export declare function endpointUrl(url: string): URL;
