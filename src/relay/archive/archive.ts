// The strike archive: every strike the hub delivers is appended, as the very line the live stream
// sent, to an hour file (see archiveFiles.ts). The hot path only queues the frame; a flush every
// ARCHIVE_FLUSH_INTERVAL_MS writes and fdatasyncs, so a crash loses at most the last second.
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StrikeMessage, TouchMessage } from '../../protocol';
import type { StrikeRecorder } from '../hub';
import type { Logger } from '../log';
import { DAY_MS, HOUR_MS, hourFileOf, hourFilesBetween, pruneDaysBefore } from './archiveFiles';

/** Days of strikes kept by default (ARCHIVE_RETENTION_DAYS); older days are deleted. */
export const ARCHIVE_RETENTION_DAYS = 30;
/** Queued strikes are written and fdatasynced this often: a crash loses at most this much. */
export const ARCHIVE_FLUSH_INTERVAL_MS = 1_000;
/** Queued bytes that trigger an early flush, so a burst never holds much memory. */
export const ARCHIVE_PENDING_MAX_BYTES = 4 * 1024 * 1024;
/** Retention runs at start and this often. */
export const ARCHIVE_PRUNE_INTERVAL_MS = HOUR_MS;
/** Hour files kept open for appending (late strikes may still land in the previous hour). */
const OPEN_FILES_MAX = 4;
/** A query yields to the event loop after this many lines, so live fan-out is never held up long. */
const QUERY_LINES_PER_TURN = 5_000;

const NEWLINE = Buffer.from('\n');
const STATE_FILE = 'state.json';
/** Written, synced and deleted at start-up to prove the folder takes writes. */
const WRITE_PROBE_FILE = '.write-probe';

/** An archive folder the relay cannot use: start-up stops with this message. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
}
/** Our own lines end `...,"station":"x",...,"t":123}`: read without a full JSON.parse; torn lines fail. */
/** A visitor's touch is archived as its live `touch` message. */
const TOUCH_LINE_START = '{"type":"touch"';
const LINE_FIELDS = /"station":"([a-z0-9-]+)".*"t":(\d+)\}$/;

export interface ArchiveOptions {
  retentionDays: number;
  log: Logger;
  now?: () => number;
}

export interface HistoryRange {
  from: number;
  /** Exclusive. */
  to: number;
  stations: ReadonlySet<string> | null;
  /** Include visitors' touches (their `touch` lines); left out unless asked for. */
  touches?: boolean;
}

/** The strike lines of a range ordered by `t`, or too many of them. */
export type HistoryResult = { ok: true; lines: string[] } | { ok: false; reason: 'too_many' };

/** What the archive has on disk for sure: the last seq of `epoch` flushed (for backplane catch-up). */
interface ArchiveState {
  epoch: string;
  seq: number;
}

export class StrikeArchive implements StrikeRecorder {
  private pending = new Map<string, Buffer[]>();
  private pendingBytes = 0;
  private flushChain: Promise<void> = Promise.resolve();
  private epoch = '';
  private lastSeq = 0;
  private skipUpToSeq = 0;
  private readonly handles = new Map<string, FileHandle>();
  private readonly flushTimer: NodeJS.Timeout;
  private readonly pruneTimer: NodeJS.Timeout;
  private closed = false;
  readonly stats = { strikesRecorded: 0, strikesLost: 0, flushes: 0, lastFlushAt: 0 };
  /** The error of the last flush if it failed (writes are failing now), else undefined. */
  lastWriteError: string | undefined;

  private constructor(
    readonly dir: string,
    private readonly options: ArchiveOptions,
    private readonly stored: ArchiveState | undefined,
  ) {
    this.flushTimer = setInterval(() => void this.flush(), ARCHIVE_FLUSH_INTERVAL_MS);
    this.flushTimer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), ARCHIVE_PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  static async open(dir: string, options: ArchiveOptions): Promise<StrikeArchive> {
    await probeWritable(dir);
    const stored = await readFile(join(dir, STATE_FILE), 'utf8')
      .then((text) => JSON.parse(text) as ArchiveState)
      .catch(() => undefined);
    const archive = new StrikeArchive(dir, options, stored);
    await archive.prune();
    return archive;
  }

  /**
   * Starts recording strikes numbered in `epoch`. Returns the last seq of that epoch already on disk
   * (0 if none): strikes up to it are skipped, so a relay catching up from the backplane adds no
   * duplicates.
   */
  beginEpoch(epoch: string): number {
    this.epoch = epoch;
    this.skipUpToSeq = this.stored?.epoch === epoch ? this.stored.seq : 0;
    this.lastSeq = this.skipUpToSeq;
    return this.skipUpToSeq;
  }

  get pendingStrikeBytes(): number {
    return this.pendingBytes;
  }

  record(message: StrikeMessage | TouchMessage, frame: Buffer): void {
    if (this.closed || message.seq <= this.skipUpToSeq) return;
    const file = hourFileOf(this.dir, message.t);
    let chunks = this.pending.get(file);
    if (!chunks) this.pending.set(file, (chunks = []));
    chunks.push(frame, NEWLINE);
    this.lastSeq = message.seq;
    this.pendingBytes += frame.length + 1;
    this.stats.strikesRecorded++;
    if (this.pendingBytes > ARCHIVE_PENDING_MAX_BYTES) void this.flush();
  }

  /** Writes and fdatasyncs everything queued so far; flushes run one at a time, in order. */
  flush(): Promise<void> {
    this.flushChain = this.flushChain.then(() => this.writePending());
    return this.flushChain;
  }

  /** Strikes with `from <= t < to` (and of `stations`), ordered by `t`; at most `maxStrikes`. */
  async query(range: HistoryRange, maxStrikes: number): Promise<HistoryResult> {
    await this.flush();
    const found: { t: number; line: string }[] = [];
    // A crash between writing lines and saving state.json may archive a few strikes twice.
    const seen = new Set<string>();
    let sinceYield = 0;
    for (const file of hourFilesBetween(this.dir, range.from, range.to)) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        if (++sinceYield >= QUERY_LINES_PER_TURN) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
        const fields = LINE_FIELDS.exec(line);
        if (!fields) continue; // empty, or torn by a crash mid-write
        if (!range.touches && line.startsWith(TOUCH_LINE_START)) continue;
        const t = Number(fields[2]);
        if (t < range.from || t >= range.to || (range.stations && !range.stations.has(fields[1]!))) continue;
        if (seen.has(line)) continue;
        seen.add(line);
        found.push({ t, line });
        if (found.length > maxStrikes) return { ok: false, reason: 'too_many' };
      }
    }
    found.sort((a, b) => a.t - b.t);
    return { ok: true, lines: found.map((entry) => entry.line) };
  }

  /** Deletes days older than the retention. */
  async prune(): Promise<void> {
    const cutoff = (this.options.now ?? Date.now)() - this.options.retentionDays * DAY_MS;
    const deleted = await pruneDaysBefore(this.dir, cutoff);
    for (const [file, handle] of this.handles) {
      if (deleted.some((day) => file.includes(day))) {
        this.handles.delete(file);
        await handle.close().catch(() => undefined);
      }
    }
    if (deleted.length > 0) this.options.log.info({ event: 'archive_pruned', days: deleted }, 'archive retention pruned old days');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.flushTimer);
    clearInterval(this.pruneTimer);
    await this.flush();
    this.closed = true;
    for (const handle of this.handles.values()) await handle.close().catch(() => undefined);
    this.handles.clear();
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    const state: ArchiveState = { epoch: this.epoch, seq: this.lastSeq };
    this.pending = new Map();
    this.pendingBytes = 0;
    try {
      for (const [file, chunks] of batch) {
        const handle = await this.handleFor(file);
        await handle.appendFile(Buffer.concat(chunks));
        await handle.datasync();
      }
      await this.saveState(state);
      this.stats.flushes++;
      this.stats.lastFlushAt = Date.now();
      if (this.lastWriteError !== undefined) this.options.log.info({ event: 'archive_write_recovered' }, 'archive writes succeed again');
      this.lastWriteError = undefined;
    } catch (error) {
      const lost = [...batch.values()].reduce((sum, chunks) => sum + chunks.length / 2, 0);
      this.stats.strikesLost += lost;
      this.lastWriteError = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.options.log.error({ event: 'archive_write_failed', lost, err: (error as Error).message }, 'archive write failed');
    }
  }

  /** An append handle; a file whose last line was torn by a crash is first ended with a newline. */
  private async handleFor(file: string): Promise<FileHandle> {
    const open_ = this.handles.get(file);
    if (open_) {
      this.handles.delete(file);
      this.handles.set(file, open_); // most recently used last
      return open_;
    }
    await mkdir(dirname(file), { recursive: true });
    const handle = await open(file, 'a+');
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== NEWLINE[0]) await handle.appendFile(NEWLINE);
    }
    this.handles.set(file, handle);
    if (this.handles.size > OPEN_FILES_MAX) {
      const [oldestFile, oldest] = this.handles.entries().next().value!;
      this.handles.delete(oldestFile);
      await oldest.close();
    }
    return handle;
  }

  private async saveState(state: ArchiveState): Promise<void> {
    const path = join(this.dir, STATE_FILE);
    const handle = await open(`${path}.tmp`, 'w');
    try {
      await handle.writeFile(JSON.stringify(state));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(`${path}.tmp`, path);
  }
}

/** Creates the folder if needed and proves it takes a synced write, or throws an ArchiveError naming it. */
async function probeWritable(dir: string): Promise<void> {
  const probe = join(dir, WRITE_PROBE_FILE);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(probe, 'w');
    try {
      await handle.writeFile('aeolian\n');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ArchiveError(`ARCHIVE_PATH ${JSON.stringify(dir)}: cannot write there (${code}); give the relay a folder it can write, or leave ARCHIVE_PATH empty for no archive`);
  }
}
