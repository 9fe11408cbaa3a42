/**
 * sendAndWait's decisions with a scripted client: the notification path, the polling
 * fallback, reverted receipts, refused sends, `already_known`, timeouts, and that its `tx`
 * subscription is always ended.
 */
import { describe, expect, it } from 'vitest';
import {
  builtTx,
  devKey,
  receiptOfStatus,
  RpcClientError,
  sendAndWait,
  signTx,
  Subscription,
  type Receipt,
  type TxStatusNotification,
} from '../../../rpc/client/index.js';

const TX = builtTx(
  signTx({ chainId: 'medchain-dev', nonce: 0, sender: devKey(0).publicKey, to: devKey(1).address, method: 'transfer', args: [5], gasLimit: 1_000_000 }, devKey(0).secretKey),
);
const RECEIPT: Receipt = { txHash: TX.hash, blockHash: '0x' + '22'.repeat(32), height: 3, index: 0, status: 'ok', gasUsed: 1616, result: null, events: [] };

/** A client whose node answers as scripted. */
function scripted(opts: { receiptAfterPolls?: number; sendError?: RpcClientError; notify?: boolean; status?: Receipt['status'] }) {
  let polls = 0;
  let sends = 0;
  let sub: Subscription<TxStatusNotification> | undefined;
  const receipt = { ...RECEIPT, status: opts.status ?? 'ok' };
  const client = {
    subscribe: (_kind: 'tx', options: { hash: string }) => {
      expect(options.hash).toBe(TX.hash);
      sub = new Subscription<TxStatusNotification>('tx', 10, () => {});
      sub.established('0x1');
      return sub;
    },
    sendTx: async () => {
      sends++;
      if (opts.sendError) throw opts.sendError;
      if (opts.notify) setTimeout(() => sub!.push({ ...receipt, hash: TX.hash, final: true }), 10);
      return TX.hash;
    },
    getReceipt: async () => (opts.receiptAfterPolls !== undefined && ++polls >= opts.receiptAfterPolls ? receipt : null),
  };
  return { client, counts: () => ({ polls, sends }), sub: () => sub! };
}

describe('sendAndWait', () => {
  it('resolves from the tx notification, with the receipt fields only', async () => {
    const s = scripted({ notify: true });
    const r = await sendAndWait(s.client, TX, { timeoutMs: 2_000, pollIntervalMs: 10_000 });
    expect(r).toEqual(RECEIPT);
    expect(s.counts()).toEqual({ polls: 0, sends: 1 });
    expect(s.sub().closed).toBe(true);
  });

  it('falls back to polling tx_getReceipt when no notification comes', async () => {
    const s = scripted({ receiptAfterPolls: 3 });
    expect(await sendAndWait(s.client, TX.bytes, { timeoutMs: 2_000, pollIntervalMs: 10 })).toEqual(RECEIPT);
    expect(s.counts().polls).toBe(3);
    expect(s.sub().closed).toBe(true);
  });

  it('resolves with a reverted receipt rather than rejecting', async () => {
    const s = scripted({ notify: true, status: 'reverted' });
    expect((await sendAndWait(s.client, TX.hex, { timeoutMs: 2_000 })).status).toBe('reverted');
  });

  it('rejects with the node error when the send is refused, and ends the subscription', async () => {
    const err = new RpcClientError({ code: -32014, message: 'nonce too low', data: { reason: 'nonce_too_low' } }, 'tx_send');
    const s = scripted({ sendError: err, receiptAfterPolls: 1 });
    await expect(sendAndWait(s.client, TX, { timeoutMs: 2_000, pollIntervalMs: 10 })).rejects.toBe(err);
    expect(s.sub().closed).toBe(true);
  });

  it('keeps waiting when the node already has the tx (a resend)', async () => {
    const err = new RpcClientError({ code: -32017, message: 'known', data: { reason: 'already_known' } }, 'tx_send');
    const s = scripted({ sendError: err, receiptAfterPolls: 2 });
    expect(await sendAndWait(s.client, TX, { timeoutMs: 2_000, pollIntervalMs: 10 })).toEqual(RECEIPT);
  });

  it('rejects with CLIENT_TIMEOUT (phase receipt) when nothing comes', async () => {
    const s = scripted({});
    await expect(sendAndWait(s.client, TX, { timeoutMs: 100, pollIntervalMs: 10 })).rejects.toMatchObject({
      code: 'CLIENT_TIMEOUT',
      context: { hash: TX.hash, phase: 'receipt' },
    });
    expect(s.sub().closed).toBe(true);
  });

  it('ignores statuses that carry no receipt', () => {
    expect(receiptOfStatus({ hash: TX.hash, status: 'pending' } as unknown as TxStatusNotification)).toBeUndefined();
    expect(receiptOfStatus({ ...RECEIPT, hash: TX.hash, final: true })).toEqual(RECEIPT);
  });
});
