/** The process logger: pino, JSON on stdout, with every place a secret could hide redacted. */
import pino, { type Logger } from 'pino';

const REDACT = [
  'headers.authorization',
  'headers["stripe-signature"]',
  'headers["x-square-hmacsha256-signature"]',
  '*.headers.authorization',
  '*.headers["stripe-signature"]',
  '*.headers["x-square-hmacsha256-signature"]',
  'config.providers',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'paypipe' } };
  return destination ? pino(options, destination) : pino(options);
}
