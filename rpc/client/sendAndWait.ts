/**
 * `sendAndWait`: subscribe to the tx's status, send it, and resolve with its receipt — from
 * the `tx` notification, or from polling `tx_getReceipt` (a node that publishes no statuses,
 * a notification lost in a reconnect). Resolves whatever the receipt's status (a reverted tx
 * is included too); rejects when the send is refused, on timeout, or when the client closes.
 */
import { toHex } from '../../core/encoding/index.js';
import { ClientError, RpcClientError } from './errors.js';
import type { Subscription } from './subscription.js';
import { txBytes, txHash, type TxInput } from './txCodec.js';
import type { Receipt, TxStatusNotification } from './types.js';

/** Options of `sendAndWait`. */
export interface SendAndWaitOptions {
  /** Time from the call until the receipt (default DEFAULT_WAIT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** How often to poll `tx_getReceipt` meanwhile (default DEFAULT_RECEIPT_POLL_MS). */
  pollIntervalMs?: number;
}

/** Blocks come every 500 ms on the dev chain and a few seconds on a consortium one; a minute
 * without inclusion means the tx is stuck (full mempool, nonce gap), not slow. */
export const DEFAULT_WAIT_TIMEOUT_MS = 60_000;
/** Polling is only the fallback to the notification: one cheap lookup a second is plenty. */
export const DEFAULT_RECEIPT_POLL_MS = 1_000;
/** How long to wait for the node to accept the `tx` subscription before sending anyway
 * (polling still finds the receipt if the subscription never comes up). */
const SUBSCRIBE_WAIT_MS = 2_000;

/** The client calls sendAndWait makes. */
export interface SendAndWaitClient {
  subscribe(kind: 'tx', options: { hash: string }): Subscription<TxStatusNotification>;
  sendTx(tx: Uint8Array): Promise<string>;
  getReceipt(hash: string): Promise<Receipt | null>;
}

const RECEIPT_FIELDS = ['txHash', 'blockHash', 'height', 'index', 'status', 'gasUsed', 'result', 'events', 'error'] as const;

/** The receipt in a `tx` notification, or undefined for a status without one (e.g. pending). */
export function receiptOfStatus(s: TxStatusNotification): Receipt | undefined {
  if (typeof s.status !== 'string' || typeof s.height !== 'number') return undefined;
  const r: Record<string, unknown> = {};
  for (const k of RECEIPT_FIELDS) if (s[k] !== undefined) r[k] = s[k];
  return r as unknown as Receipt;
}

/** Sends `tx` through `client` and resolves with its receipt (see the module comment). */
export async function sendAndWait(client: SendAndWaitClient, tx: TxInput, opts: SendAndWaitOptions = {}): Promise<Receipt> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const pollMs = opts.pollIntervalMs ?? DEFAULT_RECEIPT_POLL_MS;
  const bytes = txBytes(tx);
  const hash = toHex(txHash(bytes));
  const sub = client.subscribe('tx', { hash });
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  try {
    return await new Promise<Receipt>((resolve, reject) => {
      const finish = (r: Receipt | undefined, e?: unknown) => {
        if (settled) return;
        settled = true;
        if (r) resolve(r);
        else reject(e);
      };
      deadline = setTimeout(
        () => finish(undefined, new ClientError('CLIENT_TIMEOUT', `no receipt for ${hash} within ${timeoutMs} ms`, { hash, timeoutMs, phase: 'receipt' })),
        timeoutMs,
      );
      const poll = async (): Promise<void> => {
        if (settled) return;
        try {
          const r = await client.getReceipt(hash);
          if (r) return finish(r);
        } catch (e) {
          // a dropped connection is retried on the next tick; a closed client ends the wait
          if (e instanceof ClientError && e.code === 'CLIENT_CLOSED') return finish(undefined, e);
        }
        if (!settled) pollTimer = setTimeout(() => void poll(), pollMs);
      };
      const watch = async (): Promise<void> => {
        try {
          for await (const s of sub) {
            const r = receiptOfStatus(s);
            if (r) return finish(r);
          }
        } catch (e) {
          if (e instanceof ClientError && e.code === 'CLIENT_CLOSED') finish(undefined, e);
          // any other subscription failure leaves the polling to find the receipt
        }
      };
      const run = async (): Promise<void> => {
        await Promise.race([sub.ready.catch(() => undefined), delay(SUBSCRIBE_WAIT_MS)]);
        if (settled) return;
        try {
          await client.sendTx(bytes);
        } catch (e) {
          // already pooled (a resend): wait for it like any other
          if (!(e instanceof RpcClientError && e.reason === 'already_known')) return finish(undefined, e);
        }
        void watch();
        pollTimer = setTimeout(() => void poll(), pollMs);
      };
      void run();
    });
  } finally {
    settled = true;
    clearTimeout(deadline);
    clearTimeout(pollTimer);
    void sub.return();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    // in Node, do not keep the process alive for this timer alone
    (t as { unref?: () => void }).unref?.();
  });
}
