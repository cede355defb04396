import { inspect } from 'node:util';

const HIDDEN = '[redacted]';

/**
 * A secret carried through code that logs, serialises or formats what it holds: every such path prints
 * `[redacted]`; only `reveal()` gives the value, at the one place that sends or stores it.
 */
export class OpaqueSecret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return HIDDEN;
  }

  toString(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return HIDDEN;
  }
}
