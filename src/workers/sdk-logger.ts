import { DefaultLogger, type LogLevel as SdkLogLevel } from '@temporalio/worker';
import type { Logger, LogLevel } from '../logging';

const PRODUCT_LEVEL: Record<SdkLogLevel, LogLevel> = {
  TRACE: 'debug',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};
const SDK_LEVEL: Record<LogLevel, SdkLogLevel> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };

/**
 * The Temporal SDK's own log lines (worker state, workflow `log.*`, activity logs) written by the product's
 * logger, so a worker's log is one JSON-lines format with secrets redacted the same way.
 */
export function sdkLogger(logger: Logger, level: LogLevel): DefaultLogger {
  return new DefaultLogger(SDK_LEVEL[level], ({ level: at, message, meta }) =>
    logger[PRODUCT_LEVEL[at]](message, meta),
  );
}
