import type { ConnectionLike } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../domain/contract';
import { grpcError, isRefusal } from '../grpc';

const { IndexedValueType } = temporal.api.enums.v1;

type Indexed = temporal.api.enums.v1.IndexedValueType;

// The types of the product's attributes, as the server indexes them and as the CLIs name them.
const PRODUCT_TYPES: Partial<Record<SearchAttributeType, { indexed: Indexed; typeName: string }>> = {
  [SearchAttributeType.KEYWORD]: { indexed: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, typeName: 'Keyword' },
  [SearchAttributeType.DATETIME]: { indexed: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME, typeName: 'Datetime' },
};

interface WantedAttribute {
  name: string;
  indexed: Indexed;
  typeName: string;
}

export type SearchAttributesSetup =
  | { ok: true; registered: string[]; message: string }
  /** Some are missing or of another type and this caller cannot fix it: `message` says exactly what to do. */
  | { ok: false; message: string };

/**
 * Checks that the namespace has the product's search attributes (docs/spec.md: `SolicitationPhase`,
 * `SolicitAfter`, ...) with their types, and registers the missing ones where the server allows it.
 * Idempotent: present attributes are left alone.
 */
export async function ensureSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
): Promise<SearchAttributesSetup> {
  const wanted: WantedAttribute[] = ALL_SEARCH_ATTRIBUTES.map(({ name, type }) => ({ name, ...PRODUCT_TYPES[type]! }));
  let present: Record<string, Indexed>;
  try {
    ({ customAttributes: present } = await connection.operatorService.listSearchAttributes({ namespace }));
  } catch (error) {
    // A server that does not let this caller register search attributes: Temporal Cloud (attributes are
    // created with tcld or in the Cloud UI), an API key without the admin role.
    const refused = grpcError(error);
    if (!refused || !isRefusal(refused.code)) throw error;
    return { ok: false, message: instructions(namespace, wanted, `cannot list them (${refused.details})`) };
  }
  const wrongType = wanted.filter(({ name, indexed }) => present[name] !== undefined && present[name] !== indexed);
  if (wrongType.length > 0) {
    const list = wrongType.map((attribute) => `${attribute.name} must be ${attribute.typeName}`).join(', ');
    return {
      ok: false,
      message: `search attributes of namespace ${namespace} of the wrong type: ${list}; a type cannot be changed, use another namespace`,
    };
  }
  const missing = wanted.filter(({ name }) => present[name] === undefined);
  const names = wanted.map(({ name }) => name).join(', ');
  if (missing.length === 0) {
    return { ok: true, registered: [], message: `search attributes: ${names} (already registered)` };
  }
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(({ name, indexed }) => [name, indexed])),
    });
  } catch (error) {
    const refused = grpcError(error);
    if (!refused || !isRefusal(refused.code)) throw error;
    return {
      ok: false,
      message: instructions(namespace, missing, `the server refused to register them (${refused.details})`),
    };
  }
  const added = missing.map(({ name }) => name);
  return { ok: true, registered: added, message: `search attributes: registered ${added.join(', ')}` };
}

/** The commands that create them, for Temporal Cloud (tcld) and for a self-hosted cluster (temporal CLI). */
function instructions(namespace: string, missing: WantedAttribute[], why: string): string {
  const pairs = missing.map((attribute) => `${attribute.name}=${attribute.typeName}`);
  const cloud = `tcld namespace search-attributes add --namespace ${namespace} ${pairs
    .map((pair) => `--search-attribute "${pair}"`)
    .join(' ')}`;
  const selfHosted = missing
    .map(
      (attribute) =>
        `temporal operator search-attribute create --namespace ${namespace} --name ${attribute.name} --type ${attribute.typeName}`,
    )
    .join('; ');
  return (
    `search attributes of namespace ${namespace}: ${why}; create ${pairs.join(', ')}: ` +
    `on Temporal Cloud: ${cloud} (or in the Cloud UI, Namespaces, ${namespace}, Custom Search Attributes); ` +
    `on a self-hosted cluster: ${selfHosted}`
  );
}
