// The Redis backplane: every relay publishes its devices' strikes into one Redis stream, numbered
// there (seq) under one shared epoch, and every relay reads that stream back in order and delivers
// it to its own viewers. See docs/architecture.md for the design and its failure behaviour.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { STRIKE_HISTORY_SIZE } from '../../protocol';
import type { AcceptedStrike, SharedNumbering, StrikeHub } from '../hub';
import type { Logger } from '../log';
import { GlobalPresence, PRESENCE_SYNC_INTERVAL_MS, type PresenceKeys } from './globalPresence';
import { PUBLISH_SCRIPT, SEED_SCRIPT, runScript } from './scripts';

/** Strikes held while Redis is unreachable; beyond this new strikes are refused (counted), so
 * nothing already accepted is lost and memory stays bounded. About 16 minutes at 50 strikes/s. */
export const BACKPLANE_OUTAGE_BUFFER_STRIKES = 50_000;
/** Most strikes in one publish call. */
export const BACKPLANE_PUBLISH_BATCH_STRIKES = 500;
/** Entries the shared stream keeps (approximately): resume history and archive catch-up. */
export const BACKPLANE_STREAM_MAX_LEN = 100_000;
/** How long one blocking read waits for new entries before asking again. */
export const BACKPLANE_READ_BLOCK_MS = 1_000;
/** Entries taken per read. */
export const BACKPLANE_READ_BATCH = 1_000;
/** Reconnect attempts back off up to this delay, and never stop. */
export const BACKPLANE_RECONNECT_MAX_DELAY_MS = 1_000;
/** At start-up the relay waits this long for Redis, then refuses to start. */
export const BACKPLANE_CONNECT_TIMEOUT_MS = 10_000;
/** A batch marker (duplicate guard for a publish retried after a lost reply) lives this long. */
export const BACKPLANE_BATCH_MARKER_TTL_S = 3_600;

export class BackplaneError extends Error {
  override name = 'BackplaneError';
}

export interface BackplaneOptions {
  log: Logger;
  /** Key prefix, so several installations can share one Redis. */
  prefix?: string;
}

export interface BackplaneHealth {
  connected: boolean;
  /** Strikes accepted here and not yet in Redis. */
  bufferedStrikes: number;
  /** Strikes refused because the outage buffer was full. */
  refusedStrikes: number;
  /** Relays sharing the stream (with a fresh presence entry). */
  relays: number;
  /** Set when Redis holds another epoch than this relay (Redis replaced while all relays were away). */
  epochMismatch?: string;
}

interface PendingStrike {
  station: string;
  chime: number;
  v: number;
  t: number;
  touchRef?: string;
}

interface Batch {
  id: string;
  strikes: PendingStrike[];
}

/** What the backplane needs of the hub: delivery of numbered strikes, and the viewer counts. */
export type BackplaneHub = Pick<StrikeHub, 'deliver' | 'seq' | 'viewerCount' | 'presenceChanged'>;

export class Backplane implements SharedNumbering {
  private readonly relayId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly keys: PresenceKeys & { epoch: string; seq: string; stream: string; batch: string };
  private readonly reader: Redis;
  private readonly presence: GlobalPresence;
  private hub: BackplaneHub | undefined;
  private queue: PendingStrike[] = [];
  private inFlight: Batch | undefined;
  private sending = false;
  private batchCounter = 0;
  /** Seeded after each (re)connect; publishing waits for it. */
  private seeded = false;
  private lastReadSeq = 0;
  private closed = false;
  private epochMismatch: string | undefined;
  private presenceTimer: NodeJS.Timeout | undefined;
  private readLoopDone: Promise<void> = Promise.resolve();
  readonly stats = { strikesPublished: 0, strikesRefused: 0, publishRetries: 0 };

  private constructor(
    private readonly redis: Redis,
    readonly epoch: string,
    private readonly log: Logger,
    prefix: string,
    visitorKey: string,
  ) {
    this.keys = {
      epoch: `${prefix}epoch`,
      seq: `${prefix}seq`,
      stream: `${prefix}strikes`,
      viewers: `${prefix}viewers`,
      visitors: `${prefix}visitors`,
      visitorKey: `${prefix}visitorKey`,
      batch: `${prefix}batch:`,
    };
    this.reader = redis.duplicate();
    this.reader.on('error', () => undefined); // reported once through the command connection
    this.presence = new GlobalPresence(redis, this.keys, this.relayId, visitorKey);
    this.seeded = true;
    redis.on('ready', () => void this.onReconnected());
    redis.on('close', () => {
      if (this.seeded && !this.closed) this.log.warn({ event: 'redis_unreachable' }, 'Redis unreachable: buffering strikes');
      this.seeded = false;
    });
  }

  /** Connects and joins (or starts) the shared numbering; throws BackplaneError if Redis stays away. */
  static async connect(url: string, options: BackplaneOptions): Promise<Backplane> {
    const redis = new Redis(url, {
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 100, BACKPLANE_RECONNECT_MAX_DELAY_MS),
    });
    let lastError = '';
    redis.on('error', (error: Error) => {
      if (error.message === lastError) return;
      lastError = error.message;
      options.log.warn({ event: 'redis_error', err: error.message }, 'Redis error');
    });
    redis.on('ready', () => (lastError = ''));
    try {
      await waitReady(redis, BACKPLANE_CONNECT_TIMEOUT_MS);
      const candidate = randomBytes(6).toString('base64url');
      const prefix = options.prefix ?? 'aeolian:';
      const epoch = String(await runScript(redis, SEED_SCRIPT, [`${prefix}epoch`, `${prefix}seq`], [candidate, 0]));
      return new Backplane(redis, epoch, options.log, prefix, await sharedVisitorKey(redis, `${prefix}visitorKey`));
    } catch (error) {
      redis.disconnect();
      throw new BackplaneError(`Redis at ${redactUrl(url)}: ${(error as Error).message}`);
    }
  }

  /**
   * Starts delivering the shared stream to `hub`: first the recent history (and, for the archive,
   * everything after `archivedSeq` still in the stream), then live entries as they come.
   */
  async attach(hub: BackplaneHub, archivedSeq = 0): Promise<void> {
    this.hub = hub;
    const top = Number((await this.redis.get(this.keys.seq)) ?? 0);
    const historyStart = Math.max(0, top - STRIKE_HISTORY_SIZE);
    this.lastReadSeq = archivedSeq > 0 && archivedSeq <= top ? Math.min(archivedSeq, historyStart) : historyStart;
    while (this.lastReadSeq < top) {
      const entries = await this.redis.xrange(this.keys.stream, `(${this.lastReadSeq}-0`, '+', 'COUNT', BACKPLANE_READ_BATCH);
      if (entries.length === 0) break;
      this.deliver(entries);
    }
    await this.reader.connect().catch(() => undefined);
    this.readLoopDone = this.readLoop();
    this.presenceTimer = setInterval(() => void this.syncPresence(), PRESENCE_SYNC_INTERVAL_MS);
    this.presenceTimer.unref();
    void this.syncPresence();
  }

  publish(stationId: string, strikes: readonly AcceptedStrike[]): void {
    for (const strike of strikes) {
      if (this.queue.length >= BACKPLANE_OUTAGE_BUFFER_STRIKES) {
        this.stats.strikesRefused++;
        continue;
      }
      this.queue.push({ station: stationId, chime: strike.chime, v: strike.v, t: strike.t, ...(strike.touchRef === undefined ? {} : { touchRef: strike.touchRef }) });
    }
    this.pump();
  }

  /** Numbering works now: Redis reachable, seeded, same epoch. */
  available(): boolean {
    return this.redis.status === 'ready' && this.seeded && !this.epochMismatch;
  }

  viewerCount(localViewers: number): number {
    return localViewers + this.presence.otherViewers;
  }

  /** A touch from `address` was accepted on this relay: every relay counts its visitor from the next sync. */
  visitorTouched(address: string, at: number): void {
    this.presence.visitorTouched(address, at);
  }

  /** Distinct visitors across all relays, given this relay's own count (GlobalPresence.visitorCount). */
  visitorCount(localVisitors: number): number {
    return this.presence.visitorCount(localVisitors);
  }

  health(): BackplaneHealth {
    return {
      connected: this.redis.status === 'ready' && this.seeded,
      bufferedStrikes: this.queue.length + (this.inFlight?.strikes.length ?? 0),
      refusedStrikes: this.stats.strikesRefused,
      relays: this.presence.relayCount,
      ...(this.epochMismatch ? { epochMismatch: this.epochMismatch } : {}),
    };
  }

  /** Publishes what is buffered (briefly, if Redis is up), leaves presence and disconnects. */
  async close(graceMs = 500): Promise<void> {
    if (this.closed) return;
    const deadline = Date.now() + graceMs;
    while ((this.queue.length > 0 || this.inFlight) && this.seeded && Date.now() < deadline) await sleep(10);
    this.closed = true;
    clearInterval(this.presenceTimer);
    if (this.redis.status === 'ready') await this.presence.leave().catch(() => undefined);
    this.reader.disconnect();
    this.redis.disconnect();
    await this.readLoopDone;
  }

  /** Sends one batch at a time, in order; a failed batch keeps its id, so a retry is never doubled. */
  private pump(): void {
    if (this.sending || !this.seeded || this.closed || this.epochMismatch) return;
    if (!this.inFlight) {
      if (this.queue.length === 0) return;
      this.inFlight = { id: `${this.relayId}:${++this.batchCounter}`, strikes: this.queue.splice(0, BACKPLANE_PUBLISH_BATCH_STRIKES) };
    }
    const batch = this.inFlight;
    const args: (string | number)[] = [this.epoch, BACKPLANE_STREAM_MAX_LEN, BACKPLANE_BATCH_MARKER_TTL_S];
    for (const strike of batch.strikes) args.push(strike.station, strike.chime, strike.v, strike.t, strike.touchRef ?? '');
    this.sending = true;
    runScript(this.redis, PUBLISH_SCRIPT, [this.keys.epoch, this.keys.seq, this.keys.stream, this.keys.batch + batch.id], args).then(
      () => {
        this.sending = false;
        this.inFlight = undefined;
        this.stats.strikesPublished += batch.strikes.length;
        this.pump();
      },
      (error: Error) => {
        this.sending = false;
        this.stats.publishRetries++;
        if (error.message.startsWith('EPOCH')) return this.lostEpoch();
        // Disconnected: the next 'ready' resumes. Anything else: try again shortly.
        if (this.redis.status === 'ready') setTimeout(() => this.pump(), 200).unref();
      },
    );
  }

  private async onReconnected(): Promise<void> {
    if (this.closed || !this.hub) return;
    try {
      const epoch = String(await runScript(this.redis, SEED_SCRIPT, [this.keys.epoch, this.keys.seq], [this.epoch, this.hub.seq]));
      if (epoch !== this.epoch) return this.lostEpoch(epoch);
      this.seeded = true;
      this.log.info({ event: 'redis_reconnected', buffered: this.health().bufferedStrikes }, 'Redis reachable again');
      this.pump();
    } catch (error) {
      this.log.warn({ event: 'redis_seed_failed', err: (error as Error).message }, 'Redis seed failed; retrying on reconnect');
    }
  }

  /** Redis now numbers another epoch: this relay's seq would clash, so it stops publishing. */
  private lostEpoch(epoch = 'unknown'): void {
    this.epochMismatch = epoch;
    this.log.error(
      { event: 'redis_epoch_mismatch', ours: this.epoch, redis: epoch },
      'Redis holds another epoch (it was replaced while this relay ran): restart this relay to join it',
    );
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      if (this.reader.status !== 'ready') {
        await sleep(50);
        continue;
      }
      try {
        const reply = await this.reader.xread(
          'COUNT',
          BACKPLANE_READ_BATCH,
          'BLOCK',
          BACKPLANE_READ_BLOCK_MS,
          'STREAMS',
          this.keys.stream,
          `${this.lastReadSeq}-0`,
        );
        for (const [, entries] of reply ?? []) this.deliver(entries);
      } catch {
        if (!this.closed) await sleep(50);
      }
    }
  }

  private deliver(entries: [id: string, fields: string[]][]): void {
    for (const [id, fields] of entries) {
      const seq = Number(id.slice(0, id.indexOf('-')));
      if (seq <= this.lastReadSeq) continue;
      this.lastReadSeq = seq;
      // Fields are written by PUBLISH_SCRIPT in this order: station, chime, v, t, and touch for a touch.
      const touchRef = fields[8] === 'touch' ? { touchRef: fields[9]! } : {};
      this.hub!.deliver(seq, fields[1]!, { chime: Number(fields[3]), v: Number(fields[5]), t: Number(fields[7]), ...touchRef });
    }
  }

  private async syncPresence(): Promise<void> {
    if (this.closed || !this.seeded || !this.hub) return;
    try {
      if (await this.presence.sync(this.hub.viewerCount)) this.hub.presenceChanged();
    } catch {
      // Redis away: the last known counts stand until it returns.
    }
  }
}

/**
 * The key every relay of an installation hashes visitor addresses with before they go to Redis: the
 * first relay sets it, later ones read it. It lives in the same Redis, so it keeps addresses out of
 * plain sight in the set, not secret from whoever can read Redis.
 */
async function sharedVisitorKey(redis: Redis, key: string): Promise<string> {
  const [, [error, value]] = (await redis.multi().set(key, randomBytes(16).toString('base64url'), 'NX').get(key).exec()) as [unknown, [Error | null, string]];
  if (error) throw error;
  return value;
}

function waitReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
