import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config';

describe('configuration', () => {
  it('has safe defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, demo: true, runWorker: true, logLevel: 'info' });
    expect(config.dataDir).toMatch(/data$/);
  });

  it('reads each variable', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://u@h/db', O2C_DEMO: 'false', O2C_WORKER: '0', LOG_LEVEL: 'warn' });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: 'postgres://u@h/db', demo: false, runWorker: false, logLevel: 'warn' });
  });

  it('stops with a message that names every bad variable', () => {
    expect(() => loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', O2C_DEMO: 'yes' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', O2C_DEMO: 'yes' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgres/);
      expect((error as Error).message).toMatch(/O2C_DEMO/);
    }
  });
});
