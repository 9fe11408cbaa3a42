/**
 * The one error base class of medchain. Every module defines its own subclasses in its
 * `errors.ts` with domain-prefixed string codes (`TRIE_MISSING_NODE`, `TX_BAD_NONCE`), and
 * carries what went wrong and where in `context`, so callers branch on `code`, never on
 * message text.
 */
export class MedchainError<C extends string = string> extends Error {
  readonly code: C;
  readonly context: Record<string, unknown>;

  constructor(code: C, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}
