import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { describeEnd, runCommand, succeeded } from '../engine/command.ts';
import { connectionEnv, parseConnection, withDatabase } from './postgres-connection.ts';
import {
  type ArchiveTable,
  parseArchiveList,
  postgresBinary,
  psql,
  quoteQualified,
} from './postgres-tools.ts';
import type { BackupContext, VerificationStep } from './record.ts';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** pg_dump's custom format starts with the magic bytes `PGDMP`. */
export async function isCustomArchive(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    return bytesRead === 5 && buffer.toString('latin1') === 'PGDMP';
  } finally {
    await handle.close();
  }
}

/** Lists the archive's tables with `pg_restore --list`; a string says why it could not. */
export async function listArchive(file: string, ctx: BackupContext): Promise<ArchiveTable[] | string> {
  const result = await runCommand(
    { run: [postgresBinary('pg_restore', ctx.env), '--list', file], timeoutMs: 120_000, ...signal(ctx) },
    { scrubber: ctx.scrubber, baseEnv: ctx.env, stream: false, maxOutputBytes: 4 * 1024 * 1024 },
  );
  if (!succeeded(result)) return `pg_restore --list ${describeEnd(result)}: ${firstLine(result.output)}`;
  return parseArchiveList(result.output);
}

/**
 * Restores the archive into a new scratch database on the same server, checks that the expected
 * tables are there (and counts their rows), and drops the scratch database, whatever happened.
 */
export async function testRestore(
  file: string,
  databaseUrl: string,
  expectedTables: readonly string[],
  ctx: BackupContext,
): Promise<VerificationStep> {
  const source = parseConnection(databaseUrl);
  const scratchName = `shipgate_verify_${ctx.clock.now().toISOString().replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;
  const scratch = parseConnection(withDatabase(databaseUrl, scratchName));
  const created = await psql(source, `CREATE DATABASE "${scratchName}"`, ctx.env, {
    scrubber: ctx.scrubber,
    ...signal(ctx),
  });
  if (!succeeded(created)) {
    return step(
      'failed',
      `could not create the scratch database: ${describeEnd(created)}: ${firstLine(created.output)}`,
    );
  }
  let outcome: VerificationStep;
  try {
    const restored = await runCommand(
      {
        run: [
          postgresBinary('pg_restore', ctx.env),
          '--no-owner',
          '--no-privileges',
          '--exit-on-error',
          '--no-password',
          '--dbname',
          scratch.dbname,
          file,
        ],
        env: connectionEnv(scratch),
        timeoutMs: 30 * 60_000,
        ...signal(ctx),
      },
      { scrubber: ctx.scrubber, baseEnv: ctx.env, stream: false },
    );
    if (!succeeded(restored)) {
      outcome = step(
        'failed',
        `restore into a scratch database failed: ${describeEnd(restored)}: ${firstLine(restored.output)}`,
      );
    } else {
      const counts: string[] = [];
      const missing: string[] = [];
      for (const table of expectedTables) {
        const counted = await psql(scratch, `SELECT count(*) FROM ${quoteQualified(table)}`, ctx.env, {
          scrubber: ctx.scrubber,
          ...signal(ctx),
        });
        if (succeeded(counted)) counts.push(`${table}: ${counted.output.trim()} rows`);
        else missing.push(table);
      }
      outcome =
        missing.length > 0
          ? step('failed', `restored, but tables missing: ${missing.join(', ')}`)
          : step(
              'passed',
              `restored into a scratch database${counts.length ? ` (${counts.join(', ')})` : ''}`,
            );
    }
  } finally {
    let dropped = await psql(source, `DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`, ctx.env, {
      scrubber: ctx.scrubber,
    });
    if (!succeeded(dropped) && /syntax error/.test(dropped.output)) {
      // Servers before PostgreSQL 13 have no WITH (FORCE); nothing else is connected to it anyway.
      dropped = await psql(source, `DROP DATABASE IF EXISTS "${scratchName}"`, ctx.env, {
        scrubber: ctx.scrubber,
      });
    }
    if (!succeeded(dropped)) {
      // A scratch database left behind is a problem of its own; say so rather than hide it.
      outcome = step(
        'failed',
        `could not drop the scratch database ${scratchName}: ${firstLine(dropped.output)}`,
      );
    }
  }
  return outcome;
}

export function step(
  status: VerificationStep['status'],
  detail: string,
  name: VerificationStep['name'] = 'test-restore',
): VerificationStep {
  return { name, status, detail };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? '(no output)'
  );
}

function signal(ctx: BackupContext): { signal?: AbortSignal } {
  return ctx.signal ? { signal: ctx.signal } : {};
}
