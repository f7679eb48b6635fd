// Type declarations for roomcast-client/react, the React bindings of the Roomcast client. See docs/clients.md.
import type { ReactNode, ReactElement } from 'react';
import type {
  ConnectOptions, ConnectionState, EphemeralEvent, From, GapInfo, Member, Position, PublishOptions, RoomEvent, RoomcastClient, RoomcastError,
} from './roomcast.js';

export interface RoomcastProviderProps {
  /** A client you own (and close). */
  client?: RoomcastClient;
  /** Without `client`: the edge to connect to on mount; the client is closed on unmount. */
  url?: string;
  options?: ConnectOptions;
  children?: ReactNode;
}
export declare function RoomcastProvider(props: RoomcastProviderProps): ReactElement;

/** The client of the nearest provider; null until the provider has connected. */
export declare function useRoomcast(): RoomcastClient | null;

export interface ConnectionInfo {
  state: ConnectionState;
  /** While reconnecting: the delay before the next attempt, and when it happens (ms since the epoch). */
  retryInMs: number | null;
  retryAt: number | null;
  /** Reconnect attempts since the last stable connection. */
  attempt: number;
  /** The close code of the connection that ended, if any. */
  closeCode: number | null;
  /** Why the client closed for good. */
  error: RoomcastError | null;
  /** Each room's resume position when the state last changed (where a reconnect resumes). */
  positions: Record<string, Position>;
}
export declare function useConnectionState(): ConnectionInfo;

export interface RoomOptions {
  /** Where the first subscription starts (default: live only); later ones resume from the position. */
  from?: From;
  policy?: 'lossless' | 'drop-oldest' | 'latest-only';
  /** The newest events kept (default 1000). */
  limit?: number;
}
export interface RoomState<T = unknown> {
  /** The events so far, in offset order, each once; emptied by a lost position (a gap other than `dropped`). */
  events: RoomEvent<T>[];
  /** The requested history is delivered; what follows is live. */
  live: boolean;
  /** The room's gaps, oldest first: the newest 100 (a lossy room may drop again and again). */
  gaps: GapInfo[];
  error: RoomcastError | null;
  position: Position | null;
}
export declare function useRoom<T = unknown>(room: string, options?: RoomOptions): RoomState<T>;

/** A stable publish: the offset Kafka acknowledged, or a RoomcastError with a catalogue code. */
export declare function usePublish(): (room: string, data: unknown, options?: PublishOptions) => Promise<number>;

export type GenerationStatus = 'waiting' | 'streaming' | 'done' | 'cancelled' | 'error' | 'restarted';
export interface Generation {
  key: string;
  generationId: string | null;
  promptOffset: number | null;
  prompt: string | null;
  /** The tokens in seq order (each seq once), up to the first missing one. */
  text: string;
  status: GenerationStatus;
  error: { code: string; message: string } | null;
  finishReason: string | null;
  usage: { promptTokens: number | null; completionTokens: number | null } | null;
  /** The text came from the answer's one `generation.message` (a compact history, or after the answer ended). */
  compacted: boolean;
  /** Publishes a `cancel` for this generation; resolves with its offset. */
  cancel(): Promise<number>;
}
export interface GenerationOptions {
  /** How many of the room's last events to read on the first subscription (default 500). */
  history?: number;
  /** Defaults for prompt(). */
  model?: string;
  params?: Record<string, unknown>;
  /** Ask for a compact history (default true): finished answers as one message, a streaming one as a partial. */
  compact?: boolean;
}
export interface GenerationsState {
  /** In prompt order: the newest 100 (older ones are forgotten; a late event of one does not bring it back). */
  generations: Generation[];
  latest: Generation | null;
  /** Publishes a `prompt` event; resolves with its offset. */
  prompt(text: string, data?: Record<string, unknown>): Promise<number>;
  live: boolean;
  /** The room's gaps, oldest first: the newest 100. */
  gaps: GapInfo[];
  error: RoomcastError | null;
}
export declare function useGeneration(room: string, options?: GenerationOptions): GenerationsState;

export interface PresenceInfo {
  available: true;
  room: string;
  /** One per connection, longest present first; empty when `listed` is false. */
  members: Member[];
  count: number;
  /** False above the edge's listing limit: only `count` is known. */
  listed: boolean;
  /** Members grouped by user (anonymous members stand alone), with how many connections each has. */
  users: Array<{ user: string | null; name: string | null; verified: boolean; since: number; connections: number }>;
}
/**
 * Who is in the room; this connection is present while the hook is mounted (`name`: its display name
 * without a token): when the last usePresence of the room unmounts and other hooks of the room stay,
 * the room's subscription is made again from its position without presence.
 */
export declare function usePresence(room: string, options?: { name?: string }): PresenceInfo;

/** Calls `onSignal` with the room's ephemeral signals; returns `signal(type, data)` to send one (resolves with null). */
export declare function useEphemeral<T = unknown>(room: string, onSignal: (event: EphemeralEvent<T>) => void): (type: string, data: unknown) => Promise<null>;
