import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandLine } from './support/cli';
import { onPostgres } from './support/database';

const cli = commandLine('o2c-cli-');
const { dataDir, o2c } = cli;

afterAll(async () => cli.cleanUp());

describe('the o2c command', () => {
  it('migrates, and a second run has nothing to do', async () => {
    const first = await o2c('migrate');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied: 0001_platform\.sql/);
    const second = await o2c('migrate');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/nothing to apply/);
  });

  it('creates a tenant, a user and an API key that is printed once', async () => {
    expect((await o2c('tenant', 'create', '--slug', 'cli-co', '--name', 'CLI Co', '--country', 'SE', '--currency', 'SEK', '--time-zone', 'Europe/Stockholm')).code).toBe(0);
    const user = await o2c('user', 'create', '--tenant', 'cli-co', '--email', 'boss@cli.example', '--name', 'Boss', '--roles', 'admin,controller', '--password', 'a long password');
    expect(user.code).toBe(0);
    expect(user.stdout).toMatch(/admin, controller/);
    const key = await o2c('apikey', 'create', '--tenant', 'cli-co', '--name', 'erp', '--roles', 'sales');
    expect(key.code).toBe(0);
    expect(key.stdout.trim()).toMatch(/^o2c_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  });

  it('loads the demo company once', async () => {
    expect((await o2c('demo')).stdout).toMatch(/admin@demo\.o2c\.example/);
    const again = await o2c('demo');
    expect(again.stdout + again.stderr).toMatch(/already loaded/);
  });

  it('imports orders from a CSV file with a progress bar, once', async () => {
    const file = path.join(dataDir, 'orders.csv');
    fs.writeFileSync(file, 'customer_number,po_number,sku,quantity\nC000002,CLI-1,BRG-6204-2RS,2\nC000002,CLI-1,SVC-INSTALL,1\n');
    const first = await o2c('import', 'orders', file, '--tenant', 'demo', '--submit');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/2 rows: 1 orders created, 0 already imported/);
    expect(first.stdout).toMatch(/created SO-\d{4}-\d{6} for C000002 PO CLI-1 \(2 lines, approved\)/);
    expect(first.stderr).toMatch(/importing orders/);
    expect((await o2c('import', 'orders', file, '--tenant', 'demo')).stdout).toMatch(/0 orders created, 1 already imported/);
    fs.writeFileSync(file, 'customer_number,po_number,sku,quantity\nC000002,CLI-2,NOPE,2\n');
    const rejected = await o2c('import', 'orders', file, '--tenant', 'demo');
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/row 2: sku: no item with SKU NOPE/);
  });

  it('exits 2 with a clear message for bad usage and bad configuration', async () => {
    const unknownRole = await o2c('apikey', 'create', '--tenant', 'cli-co', '--name', 'x', '--roles', 'emperor');
    expect(unknownRole.code).toBe(2);
    expect(unknownRole.stderr).toMatch(/unknown roles: emperor/);
    const noTenant = await o2c('user', 'create', '--tenant', 'nope', '--email', 'a@b.example', '--name', 'A', '--roles', 'admin', '--password', 'a long password');
    expect(noTenant.code).toBe(2);
    expect(noTenant.stderr).toMatch(/no tenant with slug "nope"/);
    const missingOption = await o2c('tenant', 'create', '--slug', 'x');
    expect(missingOption.code).toBe(2);
    const badPort = spawnSync(process.execPath, ['bin/o2c.js', 'migrate'], { env: { ...process.env, PORT: 'eighty' }, encoding: 'utf8' });
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toMatch(/PORT: must be a whole number/);
  });

  it('exits 1 when a command fails on a valid request', async () => {
    const duplicate = await o2c('tenant', 'create', '--slug', 'cli-co', '--name', 'Again', '--country', 'SE', '--currency', 'SEK', '--time-zone', 'Europe/Stockholm');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);
  });
});

describe.skipIf(onPostgres)('the embedded database lock', () => {
  it('refuses a second process while the first holds the data directory', async () => {
    const { openDatabase } = await import('../src/platform/db/database');
    const holder = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') });
    try {
      const second = await o2c('migrate');
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/is in use by process/);
    } finally {
      await holder.close();
    }
    expect((await o2c('migrate')).code).toBe(0);
  });
});
