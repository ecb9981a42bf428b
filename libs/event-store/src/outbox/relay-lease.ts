import type { Pool, PoolClient } from 'pg';

/**
 * A PostgreSQL session advisory lock held on a dedicated connection: whoever holds it is the only relay
 * publishing this store's outbox. PostgreSQL frees it when the session ends, so a relay that dies (even
 * by SIGKILL) hands over as soon as its connection closes, and one whose connection went silent (a lost
 * node) once the session has been idle for `idleTimeoutMs` (idle_session_timeout, PostgreSQL 14+).
 */
export class RelayLease {
  private client?: PoolClient;
  private lost = false;
  private readonly onError = () => (this.lost = true);

  constructor(
    private readonly pool: Pool,
    private readonly lockName: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
    private readonly idleTimeoutMs: number,
  ) {}

  get held(): boolean {
    return this.client !== undefined && !this.lost;
  }

  /** The lease's own connection; queries on it fail if the session (and so the lock) is gone. */
  get connection(): PoolClient {
    if (!this.client || this.lost) throw new Error('relay lease is not held');
    return this.client;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    // A session that died took the lock with it: give its connection back (destroyed) before taking another,
    // or the pool leaks one client per lost session and never ends.
    if (this.client) this.release();
    const client = await this.pool.connect();
    client.on('error', this.onError);
    try {
      const result = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock(hashtextextended($1, 0)) as locked',
        [this.lockName],
      );
      if (!result.rows[0]?.locked) {
        client.off('error', this.onError);
        client.release();
        return false;
      }
      client.on('notification', this.onNotify);
      await client.query(`listen ${this.channel}`);
      // The relay's only writes are published_at marks: losing the last few in a server crash republishes
      // those rows (duplicates consumers drop), so they need not wait for the WAL flush the next batch waits on.
      await client.query('set synchronous_commit = off');
      await client.query(`set idle_session_timeout = ${Math.round(this.idleTimeoutMs)}`);
      this.client = client;
      this.lost = false;
      return true;
    } catch (err) {
      client.off('error', this.onError);
      client.release(err as Error);
      throw err;
    }
  }

  /** Ends the session, which frees the lock at once. */
  release(): void {
    const client = this.client;
    this.client = undefined;
    this.lost = false;
    if (!client) return;
    client.removeAllListeners('notification');
    client.off('error', this.onError);
    client.release(true);
  }
}
