import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration comes from environment variables only. It is read and validated
 * once at start-up; a bad value stops the process with a message naming the
 * variable, never a failure on a live request.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  readonly databaseUrl: string | undefined;
  /** Directory of the embedded database and uploaded files. */
  readonly dataDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load the demo company on first start of an empty embedded database. */
  readonly demo: boolean;
  readonly bodyLimitBytes: number;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  /** Mark the session cookie Secure (set behind HTTPS). */
  readonly cookieSecure: boolean;
  /** Run the job worker inside `o2c serve`. */
  readonly runWorker: boolean;
  readonly databasePoolSize: number;
  /** Outgoing mail server (smtp:// or smtps://, credentials in the URL); without it nothing is e-mailed. */
  readonly smtpUrl: string | undefined;
  /** Sender address when the company profile names none. */
  readonly mailFrom: string;
}

const booleanText = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const integerText = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const environmentSchema = z.object({
  PORT: integerText(0, 65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string')
    .optional(),
  O2C_DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  O2C_DEMO: booleanText.default(true),
  O2C_BODY_LIMIT_BYTES: integerText(1024, 100 * 1024 * 1024).default(1024 * 1024),
  O2C_SESSION_IDLE_MINUTES: integerText(1, 24 * 60).default(60),
  O2C_SESSION_ABSOLUTE_HOURS: integerText(1, 24 * 30).default(12),
  O2C_COOKIE_SECURE: booleanText.default(false),
  O2C_WORKER: booleanText.default(true),
  O2C_DB_POOL_SIZE: integerText(1, 500).default(20),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587')
    .optional(),
  O2C_MAIL_FROM: z.email('must be an e-mail address').default('invoices@o2c.invalid'),
});

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const value = parsed.data;
  return {
    port: value.PORT,
    host: value.HOST,
    databaseUrl: value.DATABASE_URL,
    dataDir: value.O2C_DATA_DIR.startsWith('memory://') ? value.O2C_DATA_DIR : path.resolve(value.O2C_DATA_DIR),
    logLevel: value.LOG_LEVEL,
    demo: value.O2C_DEMO,
    bodyLimitBytes: value.O2C_BODY_LIMIT_BYTES,
    sessionIdleMinutes: value.O2C_SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: value.O2C_SESSION_ABSOLUTE_HOURS,
    cookieSecure: value.O2C_COOKIE_SECURE,
    runWorker: value.O2C_WORKER,
    databasePoolSize: value.O2C_DB_POOL_SIZE,
    smtpUrl: value.SMTP_URL,
    mailFrom: value.O2C_MAIL_FROM,
  };
}
