import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { PROJECT_ROOT } from '../../src/local/processes';

/**
 * Amazon's own models, unmodified copies in test/fixtures/amazon-models (see its README for their origin and
 * blob ids). AMAZON_MODELS_DIR points the tests at another snapshot, such as a newer clone of Amazon's repository.
 */
export function amazonModelsDir(): string {
  const dir = process.env.AMAZON_MODELS_DIR ?? path.join(PROJECT_ROOT, 'test', 'fixtures', 'amazon-models');
  if (!existsSync(path.join(dir, 'solicitations.json'))) throw new Error(`Amazon's models not found in ${dir}`);
  return dir;
}

export const MODEL_FILES = [
  'solicitations.json',
  'notifications.json',
  'orders_2026-01-01.json',
  'application_2023-11-30.json',
] as const;
export type ModelFile = (typeof MODEL_FILES)[number];

/** The operations this product calls, by model. */
export const OPERATIONS_USED: Record<ModelFile, string[]> = {
  'solicitations.json': ['getSolicitationActionsForOrder', 'createProductReviewAndSellerFeedbackSolicitation'],
  'notifications.json': [
    'getDestinations',
    'createDestination',
    'getSubscription',
    'createSubscription',
    'deleteSubscriptionById',
  ],
  'orders_2026-01-01.json': ['searchOrders'],
  'application_2023-11-30.json': ['rotateApplicationClientSecret'],
};

export interface ModelParameter {
  name: string;
  in: 'path' | 'query' | 'body' | 'header';
  required?: boolean;
  schema?: object;
}

export interface ModelResponse {
  schema?: object;
  'x-amzn-api-sandbox'?: { static?: { request: { parameters: Record<string, unknown> }; response: unknown }[] };
}

export interface ModelOperation {
  file: ModelFile;
  operationId: string;
  method: string;
  pathTemplate: string;
  parameters: ModelParameter[];
  responses: Record<string, ModelResponse>;
}

interface Swagger {
  paths: Record<string, Record<string, unknown>>;
  definitions: Record<string, object>;
}

const models = new Map<ModelFile, Swagger>();

export function model(file: ModelFile): Swagger {
  let loaded = models.get(file);
  if (!loaded) {
    loaded = JSON.parse(readFileSync(path.join(amazonModelsDir(), file), 'utf8')) as Swagger;
    models.set(file, loaded);
  }
  return loaded;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export function operations(file: ModelFile): ModelOperation[] {
  return Object.entries(model(file).paths).flatMap(([pathTemplate, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, raw]) => {
        const operation = raw as { operationId: string; parameters?: ModelParameter[]; responses: object };
        return {
          file,
          operationId: operation.operationId,
          method: method.toUpperCase(),
          pathTemplate,
          parameters: operation.parameters ?? [],
          responses: operation.responses as Record<string, ModelResponse>,
        };
      }),
  );
}

export function operation(operationId: string): ModelOperation {
  const found = MODEL_FILES.flatMap(operations).find((candidate) => candidate.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in the models`);
  return found;
}

/** The model operation a request (method and path, without the query) belongs to. */
export function operationFor(method: string, pathname: string): ModelOperation | undefined {
  return MODEL_FILES.flatMap(operations).find(
    (candidate) => candidate.method === method && templatePattern(candidate.pathTemplate).test(pathname),
  );
}

function templatePattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>();

/** Validates against a schema of a model, its `#/definitions/...` references resolved within the model. */
export function validatorFor(file: ModelFile, schema: object): ValidateFunction {
  const key = `${file} ${JSON.stringify(schema)}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({ definitions: model(file).definitions, allOf: [schema] });
    validators.set(key, validate);
  }
  return validate;
}

/** The response schema of an operation for a status; Amazon's models give one for every status. */
export function responseValidator(operationId: string, status: number): ValidateFunction {
  const op = operation(operationId);
  const schema = op.responses[String(status)]?.schema;
  if (!schema) throw new Error(`${operationId} has no ${status} response in its model`);
  return validatorFor(op.file, schema);
}
