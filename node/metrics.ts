/**
 * The node's Prometheus metrics (`GET /metrics` on the RPC port): what an operator watches —
 * height, round, peers, mempool, block time, the verification pool's queue. Gauges are read
 * when scraped; counters are kept here as blocks commit.
 */

/** A metric sample source: name, help, type and current value. */
interface Metric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  value: () => number;
}

/** What the metrics read from the node. */
export interface MetricSources {
  height(): number;
  finalizedHeight(): number;
  round(): number;
  peers(): number;
  mempoolSize(): number;
  sigPoolPending(): number;
  rpcConnections(): number;
}

/** Collects counters and renders the text exposition format. */
export class NodeMetrics {
  #blocks = 0;
  #txs = 0;
  #lastBlockAt = 0;
  #lastBlockIntervalMs = 0;
  readonly #metrics: Metric[];

  constructor(src: MetricSources) {
    this.#metrics = [
      { name: 'medchain_height', help: 'Height of the chain head', type: 'gauge', value: src.height },
      { name: 'medchain_finalized_height', help: 'Highest final height', type: 'gauge', value: src.finalizedHeight },
      { name: 'medchain_consensus_round', help: 'Consensus round at the current height (0 without consensus)', type: 'gauge', value: src.round },
      { name: 'medchain_peers', help: 'Connected p2p peers', type: 'gauge', value: src.peers },
      { name: 'medchain_mempool_txs', help: 'Transactions waiting in the mempool', type: 'gauge', value: src.mempoolSize },
      { name: 'medchain_sigpool_pending', help: 'Signatures queued in the verification pool', type: 'gauge', value: src.sigPoolPending },
      { name: 'medchain_rpc_connections', help: 'Open WebSocket RPC connections', type: 'gauge', value: src.rpcConnections },
      { name: 'medchain_blocks_total', help: 'Blocks committed by this process', type: 'counter', value: () => this.#blocks },
      { name: 'medchain_txs_total', help: 'Transactions committed by this process', type: 'counter', value: () => this.#txs },
      { name: 'medchain_block_interval_ms', help: 'Time between the last two committed blocks', type: 'gauge', value: () => this.#lastBlockIntervalMs },
    ];
  }

  /** Records a committed block. */
  blockCommitted(txs: number, now = Date.now()): void {
    this.#blocks++;
    this.#txs += txs;
    if (this.#lastBlockAt > 0) this.#lastBlockIntervalMs = now - this.#lastBlockAt;
    this.#lastBlockAt = now;
  }

  /** The Prometheus text exposition (version 0.0.4). */
  render(): string {
    let out = '';
    for (const m of this.#metrics) out += `# HELP ${m.name} ${m.help}\n# TYPE ${m.name} ${m.type}\n${m.name} ${m.value()}\n`;
    return out;
  }
}
