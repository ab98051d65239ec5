import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Cursor pagination as the pagination runbook's smoke tests expect it: an opaque, signed cursor;
 * a tampered or garbage cursor is a 400, never a silently restarted list.
 */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export class CursorError extends Error {
  override readonly name = 'CursorError';
}

export class Paginator {
  private readonly secret: string;

  constructor(secret: string) {
    this.secret = secret;
  }

  encode(offset: number): string {
    const body = Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode(cursor: string): number {
    const [body, signature, ...rest] = cursor.split('.');
    if (!body || !signature || rest.length > 0) throw new CursorError('malformed cursor');
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new CursorError('cursor signature does not match');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new CursorError('malformed cursor');
    }
    const offset = (parsed as { o?: unknown }).o;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
      throw new CursorError('malformed cursor');
    }
    return offset;
  }

  page<T>(all: readonly T[], limit: number, cursor: string | undefined): Page<T> {
    const offset = cursor === undefined ? 0 : this.decode(cursor);
    const items = all.slice(offset, offset + limit);
    const next = offset + items.length;
    return { items, nextCursor: next < all.length ? this.encode(next) : null };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 16);
  }
}
