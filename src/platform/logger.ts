import pino, { type Logger } from 'pino';

/** JSON logs on stdout; credentials and cookies are never written. */
export function createLogger(level: pino.LevelWithSilent): Logger {
  return pino({
    level,
    base: { service: 'o2c' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password'], censor: '[redacted]' },
  });
}
