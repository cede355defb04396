import type { SecretStore } from '../config/secret-store';
import { parseSellers } from '../spapi/from-env';

/**
 * Stores a seller's new authorization in the sellers store: `{ refreshToken, authorizedAt }` under its
 * ID, its other settings (marketplaces, paused) kept, every other seller untouched. The whole store is
 * replaced at once, and only with a document the readers accept.
 */
export async function storeSellerAuthorization(
  store: SecretStore,
  sellerId: string,
  refreshToken: string,
  authorizedAt: Date,
): Promise<{ known: boolean }> {
  const document = await readDocument(store);
  const existing = document[sellerId];
  const settings = typeof existing === 'object' && existing !== null ? existing : {};
  document[sellerId] = { ...settings, refreshToken, authorizedAt: authorizedAt.toISOString() };
  const text = `${JSON.stringify(document, null, 2)}\n`;
  parseSellers(text);
  await store.write(text);
  return { known: existing !== undefined };
}

// A store not yet created starts empty; JSON.parse's own message would quote the text (refresh tokens).
async function readDocument(store: SecretStore): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await store.read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${store.variable} ${store.location} is not valid JSON`);
  }
}
