/**
 * A bounded queue in front of a slow consumer (the scorer), so that consumer can
 * never stall the producer (the packet path). Live capture cannot wait: a full
 * queue drops the item and counts it. Replay can wait, and must score everything
 * to give the same alerts every run: a full queue makes push() wait for room.
 * drain() ends the run with a time limit and reports what was left unscored.
 */
import { ShadowtapError } from '../errors.js';

/** live: drop when full; replay: wait for room. */
export type QueueMode = 'live' | 'replay';

/** Counters of a queue, for the run summary. */
export interface QueueStats {
  /** Items accepted into the queue. */
  accepted: number;
  /** Items the consumer finished. */
  done: number;
  /** Items whose consumer threw or rejected (counted, never rethrown). */
  failed: number;
  /** Items refused: queue full in live mode, or pushed after drain() began. */
  dropped: number;
  /** Items queued or waiting for room, not yet started. */
  waiting: number;
  /** Items being consumed now (0 or 1). */
  busy: number;
}

/** What drain() reports. */
export interface DrainReport extends QueueStats {
  /** True when the time limit passed before the queue emptied. */
  timedOut: boolean;
  /** Items never consumed: waiting plus busy at the moment drain returned. */
  unscored: number;
}

/** Options of a BoundedQueue. */
export interface QueueOptions<T> {
  capacity: number;
  mode: QueueMode;
  /** Consumes one item; may be async. One item at a time, in push order. */
  consume: (item: T) => unknown;
  /** Told of each failure (for the log); the queue itself carries on. */
  onError?: (err: unknown, item: T) => void;
}

/** A FIFO of at most `capacity` items with one consumer; see the file comment. */
export class BoundedQueue<T> {
  private readonly o: QueueOptions<T>;
  private items: T[] = [];
  private head = 0;
  private readonly roomWaiters: Array<{ item: T; resolve: (ok: boolean) => void }> = [];
  private running = false;
  private busy = 0;
  private closed = false;
  private abandoned = false;
  private idleWaiter: (() => void) | null = null;
  private readonly counts = { accepted: 0, done: 0, failed: 0, dropped: 0 };

  constructor(options: QueueOptions<T>) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new ShadowtapError('usage',
        `abuse queue capacity must be a positive integer, got ${options.capacity}`);
    }
    this.o = options;
  }

  /** Items queued now (not counting ones waiting for room). */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Current counters. */
  stats(): QueueStats {
    return {
      ...this.counts,
      waiting: this.length + this.roomWaiters.length,
      busy: this.busy,
    };
  }

  /**
   * Adds an item without ever waiting: false when it was dropped (queue full, or
   * drain() began). The live packet path calls this.
   */
  offer(item: T): boolean {
    if (this.closed || this.length >= this.o.capacity) {
      this.counts.dropped++;
      return false;
    }
    this.enqueue(item);
    return true;
  }

  /**
   * Adds an item. Live mode: as offer(), settled at once. Replay mode: waits for
   * room, in push order; resolves false only if drain() gave up on it.
   */
  push(item: T): Promise<boolean> {
    if (this.o.mode === 'live' || this.closed) return Promise.resolve(this.offer(item));
    if (this.length < this.o.capacity && this.roomWaiters.length === 0) {
      this.enqueue(item);
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.roomWaiters.push({ item, resolve }));
  }

  /**
   * Stops accepting items and waits until everything queued is consumed or
   * `timeoutMs` (wall-clock: it bounds how long a run may take to exit) passes.
   * After a timeout the consumer is not called again.
   */
  drain(timeoutMs: number): Promise<DrainReport> {
    this.closed = true;
    return new Promise((resolve) => {
      const finish = (timedOut: boolean): void => {
        clearTimeout(timer);
        this.idleWaiter = null;
        if (timedOut) this.abandon();
        const s = this.stats();
        resolve({ ...s, timedOut, unscored: s.waiting + s.busy });
      };
      const timer = setTimeout(() => finish(true), Math.max(0, timeoutMs));
      if (this.idle()) finish(false);
      else this.idleWaiter = () => finish(false);
    });
  }

  private idle(): boolean {
    return !this.running && this.length === 0 && this.roomWaiters.length === 0;
  }

  private enqueue(item: T): void {
    this.items.push(item);
    this.counts.accepted++;
    if (!this.running) void this.run();
  }

  /** Stops after the current item; items still waiting for room are told false. */
  private abandon(): void {
    this.abandoned = true;
    for (const w of this.roomWaiters.splice(0)) w.resolve(false);
  }

  private dequeue(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head] as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head); // compact now and then, not on every shift
      this.head = 0;
    }
    const w = this.roomWaiters.shift();
    if (w !== undefined) {
      this.items.push(w.item);
      this.counts.accepted++;
      w.resolve(true);
    }
    return item;
  }

  private async run(): Promise<void> {
    this.running = true;
    // Start on a later tick so push() returns before any consuming begins.
    await Promise.resolve();
    while (!this.abandoned) {
      const item = this.dequeue();
      if (item === undefined) break;
      this.busy = 1;
      try {
        await this.o.consume(item);
        this.counts.done++;
      } catch (err) {
        this.counts.failed++;
        this.o.onError?.(err, item);
      }
      this.busy = 0;
    }
    this.running = false;
    if (this.idle()) this.idleWaiter?.();
  }
}
