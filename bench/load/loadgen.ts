/**
 * The scheduler. Open loop (`--rate N`): tx j is due at start + j/N s whatever happened to
 * earlier txs, and its latency is measured from that intended time, so a stalled node or
 * generator shows up as latency instead of silently lowering the offered load (coordinated
 * omission, Tene). Closed loop (`--rate max`): a window of tx_send requests per connection and
 * a cap on unfinal txs keep the node saturated; latency is measured from the actual send.
 */
import { LoadError, RpcCallError } from './errors.js';
import { FinalityTracker, type BlockSeen } from './finality.js';
import { Histogram } from './histogram.js';
import type { NodeSample, NodeStatsSampler } from './nodeStats.js';
import { monotonicUs, type ProfileWindow } from './profileSummary.js';
import type { RpcConnection } from './rpcConnection.js';
import type { TxSource } from './txSource.js';

/** Scheduler tick: short enough that open-loop sends leave within a few ms of their due time. */
const TICK_MS = 2;
/** Refusals worth retrying (rpc/ERRORS.md): the node is busy, or an earlier nonce is not in yet. */
const TRANSIENT = new Set(['rate_limited', 'busy', 'mempool_full', 'sender_limit', 'nonce_gap']);
/** Wait before resending a transiently refused tx when the node gives no retryAfterMs. */
const RETRY_DELAY_MS = 100;
/** Attempts before a tx (and so its sender, whose later nonces depend on it) is given up. */
const MAX_ATTEMPTS = 20;
/**
 * Finalized txs per workload whose receipts are checked after the run: finality is tracked by
 * block, which says a tx was included, not that it succeeded (a reverted call is included too).
 */
export const RECEIPT_SAMPLE = 200;

/** Inputs of one run. */
export interface RunConfig {
  rate: number | 'max';
  durationMs: number;
  connections: readonly RpcConnection[];
  control: RpcConnection;
  source: TxSource;
  senders: number;
  /** The workload (group) of each sender, an index into the mix; receipts are sampled per group. */
  groupOf?: Uint8Array;
  window: number;
  maxPending: number;
  drainMs: number;
  /** Txs to keep signed ahead of the cursor. */
  lead: number;
  node?: NodeStatsSampler;
  onSecond?(s: SecondSample): void;
}

/** Counts of one second of the run (index = whole seconds since start). */
export interface SecondSample {
  t: number;
  offered: number;
  accepted: number;
  finalized: number;
  pending: number;
  p99FinalMs: number;
  node?: NodeSample;
}

/** Everything measured in one run. */
export interface RunResult {
  durationMs: number;
  /** The measurement window on the machine's monotonic clock (to cut a node profile to it). */
  window: ProfileWindow;
  offered: number;
  accepted: number;
  /** Final within the run's window / after it, during the drain. */
  finalizedInWindow: number;
  finalizedTotal: number;
  /** Accepted but not final when the drain ended. */
  lost: number;
  /** Offered but never answered when the drain ended (queued behind a node that fell behind). */
  unanswered: number;
  /** Ticks on which the next tx was not signed yet (the signer threads fell behind). */
  signerStalls: number;
  /** Txs never sent because their sender had to be given up. */
  abandoned: number;
  rejections: Map<string, number>;
  latency: { accept: Histogram; included: Histogram; final: Histogram };
  seconds: SecondSample[];
  /** Txs offered, accepted and finalized in each whole second since the start (by event time). */
  series: { offered: number[]; accepted: number[]; finalized: number[] };
  blocks: BlockSeen[];
  /** Per workload (group index), a uniform sample (reservoir) of finalized tx hashes, for a receipt check. */
  finalSample: string[][];
}

interface Flight {
  j: number;
  sender: number;
  hash: string;
  hex: string;
  intendedAt: number;
  attempts: number;
  accepted: boolean;
  included: boolean;
  done: boolean;
}

/** Runs one phase of load and returns what it measured. */
export async function runLoad(cfg: RunConfig): Promise<RunResult> {
  return new LoadRun(cfg).run();
}

class LoadRun {
  readonly #cfg: RunConfig;
  readonly #flights = new Map<string, Flight>();
  readonly #dead: Uint8Array;
  readonly #perSecond = { offered: [] as number[], accepted: [] as number[], finalized: [] as number[] };
  readonly #latency = { accept: new Histogram(), included: new Histogram(), final: new Histogram() };
  readonly #rejections = new Map<string, number>();
  readonly #seconds: SecondSample[] = [];
  readonly #sample: string[][] = [];
  readonly #sampleSeen: number[] = [];
  #start = 0;
  #end = 0;
  #cursor = 0;
  #sending = true;
  #fatal: Error | undefined;
  #counts = { offered: 0, accepted: 0, finalizedInWindow: 0, finalizedTotal: 0, abandoned: 0 };

  constructor(cfg: RunConfig) {
    this.#cfg = cfg;
    this.#dead = new Uint8Array(cfg.senders);
  }

  async run(): Promise<RunResult> {
    const cfg = this.#cfg;
    const tracker = await FinalityTracker.start(cfg.control, {
      included: (hashes, _h, at) => this.#onIncluded(hashes, at),
      finalized: (hashes, _h, at) => this.#onFinalized(hashes, at),
    });
    this.#start = performance.now();
    this.#end = this.#start + cfg.durationMs;
    const fromUs = monotonicUs();
    cfg.node?.sample();
    const ticker = setInterval(() => this.#tick(), TICK_MS);
    const second = setInterval(() => this.#onSecond(), 1000);
    let toUs = fromUs;
    try {
      await this.#until(() => performance.now() >= this.#end || this.#fatal !== undefined);
      this.#sending = false;
      toUs = monotonicUs();
      const drainEnd = performance.now() + cfg.drainMs;
      await this.#until(() => this.#flights.size === 0 || performance.now() >= drainEnd || this.#fatal !== undefined);
      await tracker.idle();
    } finally {
      clearInterval(ticker);
      clearInterval(second);
    }
    this.#fatal ??= tracker.error;
    if (this.#fatal) throw this.#fatal;
    let lost = 0;
    for (const f of this.#flights.values()) if (f.accepted) lost++;
    const unanswered = this.#flights.size - lost;
    return {
      durationMs: cfg.durationMs,
      window: { fromUs, toUs },
      ...this.#counts,
      lost,
      unanswered,
      rejections: this.#rejections,
      latency: this.#latency,
      seconds: this.#seconds,
      series: this.#perSecond,
      blocks: tracker.blocks.filter((b) => b.at >= this.#start),
      finalSample: this.#sample,
      signerStalls: cfg.source.stalls,
    };
  }

  #until(done: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (done() ? resolve() : setTimeout(check, 20));
      check();
    });
  }

  /** Issues every tx that is due (open loop) or that the windows allow (closed loop). */
  #tick(): void {
    if (!this.#sending) return;
    const cfg = this.#cfg;
    const now = performance.now();
    try {
      cfg.source.topUp(this.#cursor, cfg.lead);
    } catch (e) {
      this.#fatal = e as Error;
      return;
    }
    const open = cfg.rate !== 'max';
    const due = open ? Math.floor(((now - this.#start) * (cfg.rate as number)) / 1000) : Infinity;
    while (this.#cursor < due) {
      const j = this.#cursor;
      const sender = j % cfg.senders;
      const conn = cfg.connections[sender % cfg.connections.length];
      if (!open && (conn.outstanding >= cfg.window || this.#flights.size >= cfg.maxPending)) break;
      const slot = cfg.source.get(j);
      if (!slot) break; // the signer is behind: the due time stands, so the wait counts as latency
      this.#cursor++;
      if (this.#dead[sender]) {
        this.#counts.abandoned++;
        continue;
      }
      const intendedAt = open ? this.#start + (j * 1000) / (cfg.rate as number) : now;
      const f: Flight = { j, sender, hash: slot.hash, hex: slot.hex, intendedAt, attempts: 0, accepted: false, included: false, done: false };
      this.#flights.set(f.hash, f);
      this.#counts.offered++;
      this.#bump(this.#perSecond.offered, now);
      this.#send(f);
    }
    cfg.source.release(this.#cursor);
  }

  #send(f: Flight): void {
    const conn = this.#cfg.connections[f.sender % this.#cfg.connections.length];
    f.attempts++;
    conn.callRaw('tx_send', `["0x${f.hex}"]`).then(
      () => this.#onAccepted(f),
      (e: Error) => this.#onRefused(f, e),
    );
  }

  #onAccepted(f: Flight): void {
    if (f.accepted) return;
    const now = performance.now();
    f.accepted = true;
    this.#counts.accepted++;
    this.#bump(this.#perSecond.accepted, now);
    this.#latency.accept.record(now - f.intendedAt);
  }

  #onRefused(f: Flight, e: Error): void {
    if (f.done || f.accepted) return;
    if (!(e instanceof RpcCallError)) {
      this.#fatal ??= e instanceof LoadError ? e : new LoadError('LOAD_CONNECTION', e.message);
      return;
    }
    this.#rejections.set(e.reason, (this.#rejections.get(e.reason) ?? 0) + 1);
    if (e.reason === 'already_known') return this.#onAccepted(f);
    if (TRANSIENT.has(e.reason) && f.attempts < MAX_ATTEMPTS) {
      const after = typeof e.data?.retryAfterMs === 'number' ? e.data.retryAfterMs : RETRY_DELAY_MS;
      setTimeout(() => !f.done && this.#send(f), after);
      return;
    }
    // A permanent refusal: this nonce will never be used, so the sender's later txs cannot run.
    this.#dead[f.sender] = 1;
    f.done = true;
    this.#flights.delete(f.hash);
  }

  #onIncluded(hashes: readonly string[], at: number): void {
    for (const h of hashes) {
      const f = this.#flights.get(h);
      if (f && !f.included) {
        f.included = true;
        this.#latency.included.record(at - f.intendedAt);
      }
    }
  }

  #onFinalized(hashes: readonly string[], at: number): void {
    for (const h of hashes) {
      const f = this.#flights.get(h);
      if (!f) continue;
      // The block can be seen before the tx_send answer (they travel on different connections).
      this.#onAccepted(f);
      f.done = true;
      this.#flights.delete(h);
      this.#latency.final.record(at - f.intendedAt);
      this.#counts.finalizedTotal++;
      // Reservoir sampling (Vitter's algorithm R): every finalized tx of a workload is equally likely to be checked.
      const g = this.#cfg.groupOf?.[f.sender] ?? 0;
      const sample = (this.#sample[g] ??= []);
      const seen = (this.#sampleSeen[g] = (this.#sampleSeen[g] ?? 0) + 1);
      if (sample.length < RECEIPT_SAMPLE) sample.push(h);
      else {
        const r = Math.floor(Math.random() * seen);
        if (r < RECEIPT_SAMPLE) sample[r] = h;
      }
      if (at <= this.#end) this.#counts.finalizedInWindow++;
      this.#bump(this.#perSecond.finalized, at);
    }
  }

  #bump(series: number[], at: number): void {
    const s = Math.floor((at - this.#start) / 1000);
    series[s] = (series[s] ?? 0) + 1;
  }

  #onSecond(): void {
    const t = Math.round((performance.now() - this.#start) / 1000);
    const s = t - 1;
    const sample: SecondSample = {
      t,
      offered: this.#perSecond.offered[s] ?? 0,
      accepted: this.#perSecond.accepted[s] ?? 0,
      finalized: this.#perSecond.finalized[s] ?? 0,
      pending: this.#flights.size,
      p99FinalMs: this.#latency.final.percentile(99),
      ...(this.#cfg.node ? { node: this.#cfg.node.sample() } : {}),
    };
    this.#seconds.push(sample);
    this.#cfg.onSecond?.(sample);
  }
}
