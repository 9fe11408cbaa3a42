/** Structured logging for the node: `logger.info(msg, context, error)`, one line per entry. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The logger every node component receives (structurally the same as rpc/'s RpcLogger). */
export interface Logger {
  debug(msg: string, context?: Record<string, unknown>): void;
  info(msg: string, context?: Record<string, unknown>): void;
  warn(msg: string, context?: Record<string, unknown>, error?: unknown): void;
  error(msg: string, context?: Record<string, unknown>, error?: unknown): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function fmtValue(v: unknown): string {
  if (v instanceof Uint8Array) return '0x' + Buffer.from(v).toString('hex');
  if (typeof v === 'string') return /\s/.test(v) ? JSON.stringify(v) : v;
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v) ?? String(v);
}

/** A logger writing `time LEVEL msg k=v…` (or JSON lines) to a stream (stderr by default). */
export function createLogger(
  opts: { level?: LogLevel; json?: boolean; write?: (line: string) => void; name?: string } = {},
): Logger {
  const min = RANK[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const emit = (level: LogLevel, msg: string, context?: Record<string, unknown>, error?: unknown) => {
    if (RANK[level] < min) return;
    const time = new Date().toISOString();
    const err = error instanceof Error ? { error: error.message, ...('code' in error ? { code: (error as { code: unknown }).code } : {}) } : error !== undefined ? { error: String(error) } : {};
    const ctx = { ...(opts.name ? { module: opts.name } : {}), ...context, ...err };
    if (opts.json) {
      write(JSON.stringify({ time, level, msg, ...ctx }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? fmtValue(v) : v)));
    } else {
      const kv = Object.entries(ctx).map(([k, v]) => `${k}=${fmtValue(v)}`).join(' ');
      write(`${time} ${level.toUpperCase().padEnd(5)} ${msg}${kv ? ' ' + kv : ''}`);
    }
  };
  return {
    debug: (m, c) => emit('debug', m, c),
    info: (m, c) => emit('info', m, c),
    warn: (m, c, e) => emit('warn', m, c, e),
    error: (m, c, e) => emit('error', m, c, e),
  };
}
