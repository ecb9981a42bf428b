import { createKafka } from '@nqpf/messaging';
import { eventually, publishRecognition } from '@nqpf/testing';
import { uuidv7 } from '@nqpf/contracts';
import type { ServiceProcess } from '../../bench/e2e/service-process';
import { FaultSystem } from './support/system';

/**
 * Ledger balance after a fault: finance (a child process) takes grants, disbursements and expenditures
 * through its API, is SIGKILLed mid-run and restarted; afterwards the registry's ledger sums equal the sums
 * of finance's stored events, every acknowledged disbursement and expenditure is stored and in the ledger
 * exactly once (clients retry unanswered ones under the same Idempotency-Key), and a fresh rebuild of the
 * ledger equals the live one. The kill comes once disbursements are being stored.
 */
jest.setTimeout(180000);

const EVIDENCE = 'c'.repeat(64);
const invoice = (i: number) => i.toString(16).padStart(64, 'd');
let system: FaultSystem;
let finance: { process: ServiceProcess; db: FaultSystem['intakeDb'] };

beforeAll(async () => {
  system = await FaultSystem.start('faults_ledger');
  finance = await system.startOther('finance');
});

afterAll(async () => {
  await system?.close();
});

async function call(method: string, path: string, token: string, body?: unknown, idempotencyKey?: string) {
  try {
    const res = await fetch(`http://127.0.0.1:${finance.process.port}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15000),
    });
    return {
      status: res.status,
      replayed: res.headers.get('idempotent-replayed') === 'true',
      body: (await res.json().catch(() => ({}))) as Record<string, unknown>,
    };
  } catch {
    return { status: 0, replayed: false, body: {} };
  }
}

it('after finance is SIGKILLed mid-run, the ledger sums equal the stored events and a fresh rebuild', async () => {
  const kafka = createKafka(`faults-ledger-${system.prefix}`, system.brokers);
  const centers = Array.from({ length: 8 }, () => uuidv7());
  for (const c of centers) await publishRecognition(kafka, system.prefix, c, '南关区');
  const auditor = await system.token({ role: 'auditor' });
  const bureau = await system.token({ role: 'city_bureau' });
  const officer = await system.token({ role: 'finance_officer' });
  for (const c of centers)
    await eventually(
      async () => expect((await call('GET', `/accounts/${c}`, auditor)).status).toBe(200),
      60000,
      250,
    );

  const statuses: Record<number, number> = {};
  // No answer: finance is down; wait a little so the loops outlast the restart.
  const count = async (s: number) => {
    statuses[s] = (statuses[s] ?? 0) + 1;
    if (s === 0) await new Promise((r) => setTimeout(r, 200));
  };
  const work = async (centerId: string) => {
    const operator = await system.token({ role: 'operator', centerId });
    const declared = await call('POST', `/accounts/${centerId}/year1-costs`, operator, {
      items: [{ category: '房租费', amountYuan: '2000000.00', evidenceHash: EVIDENCE }],
    });
    await count(declared.status);
    const recorded = declared.body.recorded as { payload: { declarationId: string } }[] | undefined;
    if (!recorded) return;
    await count(
      (
        await call('POST', `/accounts/${centerId}/year1-costs/approve`, bureau, {
          declarationId: recorded[0]!.payload.declarationId,
          approvedYuan: '2000000',
        })
      ).status,
    );
    for (let i = 0; i < 15; i++) {
      await acknowledge(`/accounts/${centerId}/disbursements`, officer, {
        supportYear: 1,
        amountFen: '1000000',
        // A voucher each: the same voucher and amount again is the same payment twice, refused (A12).
        reference: `TV-${centerId}-${i}`,
      });
      await acknowledge(`/accounts/${centerId}/expenditures`, operator, {
        supportYear: 1,
        category: '房租费',
        amountFen: '300000',
        // An invoice each: the same one again is the same spending twice, refused (A13).
        evidenceHash: invoice(i),
        spentOn: '2026-06-01',
      });
    }
  };
  // Each disbursement and expenditure under an Idempotency-Key of its own, sent again with that key until
  // answered (a client's retry): the entries acknowledged, by id, whatever the kill cut.
  const acknowledgedEntries: string[] = [];
  let replayed = 0;
  const acknowledge = async (path: string, token: string, body: unknown) => {
    const key = uuidv7();
    for (let attempt = 0; attempt < 300; attempt++) {
      const answer = await call('POST', path, token, body, key);
      await count(answer.status);
      if (answer.status === 0 || answer.status >= 500) continue;
      expect(answer.status).toBe(201);
      if (answer.replayed) replayed++;
      const recorded = answer.body.recorded as { payload: { entryId?: string; expenditureId?: string } }[];
      acknowledgedEntries.push(...recorded.map((e) => e.payload.entryId ?? e.payload.expenditureId!));
      return;
    }
    throw new Error(`${path}: no answer after 300 attempts`);
  };
  const running = Promise.all(centers.map(work));
  // Kill once disbursements are being stored (not after a fixed time: a loaded machine is slower).
  await eventually(
    async () => {
      const { rows } = await finance.db.pool.query(
        `select count(*)::int as n from event_store.events where type = 'finance.disbursement-recorded'`,
      );
      expect(rows[0].n).toBeGreaterThanOrEqual(3);
    },
    60000,
    50,
  );
  process.kill(finance.process.pid, 'SIGKILL');
  await finance.process.close();
  finance = await system.startOther('finance', finance.db);
  await running;

  // Sums of the stored events, by the ledger column each feeds.
  const { rows: stored } = await finance.db.pool.query<{
    granted: string;
    disbursed: string;
    spent: string;
    rejected: string;
    events: number;
  }>(
    `select coalesce(sum((payload->>'amountFen')::bigint) filter (where type = 'finance.grant-decided'), 0)::text as granted,
            coalesce(sum((payload->>'amountFen')::bigint) filter (where type = 'finance.disbursement-recorded'), 0)::text as disbursed,
            coalesce(sum((payload->>'amountFen')::bigint) filter (where type = 'finance.expenditure-accepted'), 0)::text as spent,
            coalesce(sum((payload->>'amountFen')::bigint) filter (where type = 'finance.expenditure-rejected'), 0)::text as rejected,
            count(*)::int as events
       from event_store.events`,
  );
  const ledgerSums = async () =>
    (
      await system.registryDb.pool.query(
        `select coalesce(sum(granted), 0)::text as granted, coalesce(sum(disbursed), 0)::text as disbursed,
                coalesce(sum(spent), 0)::text as spent, coalesce(sum(rejected), 0)::text as rejected
           from ledger.ledger_years where center_id = any($1)`,
        [centers],
      )
    ).rows[0];
  const { events, ...expected } = stored[0]!;
  await eventually(async () => expect(await ledgerSums()).toEqual(expected), 60000, 250);

  // Per command: every acknowledged entry stored once and in the ledger once, and nothing else — a retry
  // after the kill returned the first answer instead of recording the entry again.
  const { rows: storedEntries } = await finance.db.pool.query<{ id: string }>(
    `select coalesce(payload->>'entryId', payload->>'expenditureId') as id from event_store.events
      where type in ('finance.disbursement-recorded', 'finance.expenditure-accepted', 'finance.expenditure-rejected')`,
  );
  const { rows: ledgerEntries } = await system.registryDb.pool.query<{ id: string }>(
    `select e->>'entryId' as id from ledger.ledger_centers, jsonb_array_elements(state->'entries') e
      where center_id = any($1) and e->>'kind' in ('disbursement', 'expenditure', 'rejected-expenditure')`,
    [centers],
  );
  const sorted = (ids: string[]) => [...ids].sort();
  expect(acknowledgedEntries).toHaveLength(centers.length * 30);
  expect(sorted(storedEntries.map((r) => r.id))).toEqual(sorted(acknowledgedEntries));
  expect(sorted(ledgerEntries.map((r) => r.id))).toEqual(sorted(acknowledgedEntries));
  const rebuild = await fetch(
    `http://127.0.0.1:${system.registries[0]!.port}/admin/rebuild?readModel=ledger&verifyOnly=true`,
    { method: 'POST', headers: { authorization: `Bearer ${bureau}` } },
  );
  const [ledger] = ((await rebuild.json()) as { results: { matches: boolean; records: number }[] }).results;
  console.log(
    `ledger balance: ${JSON.stringify(statuses)} answers (${replayed} first answers replayed to a retry); ${events} finance events; sums (fen) ${JSON.stringify(expected)}; rebuild ${JSON.stringify(ledger)}`,
  );
  expect(ledger!.matches).toBe(true);
  expect(statuses[0]).toBeGreaterThan(0); // the kill hit commands in flight
  expect(BigInt(expected.disbursed)).toBeGreaterThan(0n);
});
