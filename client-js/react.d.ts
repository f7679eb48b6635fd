// Type declarations for roomcast-client/react, the React bindings of the Roomcast client. See docs/clients.md.
import type { ReactNode, ReactElement } from 'react';
import type {
  ConnectOptions, ConnectionState, From, GapInfo, Position, PublishOptions, RoomEvent, RoomcastClient, RoomcastError,
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
  /** Publishes a `cancel` for this generation; resolves with its offset. */
  cancel(): Promise<number>;
}
export interface GenerationOptions {
  /** How many of the room's last events to read on the first subscription (default 500). */
  history?: number;
  /** Defaults for prompt(). */
  model?: string;
  params?: Record<string, unknown>;
}
export interface GenerationsState {
  generations: Generation[];
  latest: Generation | null;
  /** Publishes a `prompt` event; resolves with its offset. */
  prompt(text: string, data?: Record<string, unknown>): Promise<number>;
  live: boolean;
  gaps: GapInfo[];
  error: RoomcastError | null;
}
export declare function useGeneration(room: string, options?: GenerationOptions): GenerationsState;

/** Presence has not landed in the edge yet: `available` is false and `members` empty until it does. */
export declare function usePresence(room: string): { available: boolean; room: string; members: Array<{ id: string }> };
