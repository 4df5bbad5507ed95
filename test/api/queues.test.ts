/** Work queues over HTTP: who sees which cases, the filters, the deadline order and the cursor. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtDelegation, fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};
const made: Record<string, string> = {};

type Row = {
  caseId: string;
  caseNumber: string;
  nextDue: { dueAt: string } | null;
  parties: string[];
  priorityGroups?: string[];
  legalAidRequested?: boolean;
};

beforeAll(async () => {
  stack = await startStack();
  const staff = await stack.loginAll(['clerk.chen', 'clerk.huang', 'mediator.wu', 'supervisor.zheng', 'legalaid.xu']);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
  const clerk = who['clerk.chen']!;
  const mk = async (name: string, body: Record<string, unknown>, as: Credentials = clerk) => {
    const res = await stack.send(as, 'POST', '/cases', body);
    expect(res.status, res.text).toBe(201);
    made[name] = res.body.caseId;
    return res.body;
  };
  // A: in mediation with 吴国栋 (handled by 榕城区人民调解委员会), with a priority group.
  const a = await mk(
    'A',
    partyApplication({
      parties: [
        {
          role: 'applicant',
          kind: 'natural',
          name: '诸葛青云',
          idNumber: fictionalIdNumber('445202', '19000404', '404'),
          phone: '17000404040',
        },
        { role: 'respondent', kind: 'natural', name: '李四' },
      ],
    }),
  );
  await stack.send(clerk, 'POST', `/cases/${a.caseId}/accept`, {});
  await stack.send(clerk, 'POST', `/cases/${a.caseId}/screening`, { priorityGroups: ['elderly'] });
  await stack.send(clerk, 'POST', `/cases/${a.caseId}/mediator`, {
    mode: 'designated',
    mediatorId: accountId['mediator.wu'],
  });
  // B: registered only, with a legal-aid application.
  const b = await mk('B', partyApplication());
  await stack.send(clerk, 'POST', `/cases/${b.caseId}/legal-aid`, {
    partyId: b.parties[0].partyId,
    basis: 'local_aged_75',
    selfDeclaration: true,
  });
  // C: delegated by court 5202.
  await mk('C', courtDelegation(), { apiKey: stack.apiKeys['court-5202']! });
});
afterAll(async () => {
  await stack?.close();
});

/** Every row of a principal's queue with these filters, walking the cursor. */
async function all(as: Credentials, query = ''): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const res = await stack.send(as, 'GET', `/queues/cases?limit=25${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, res.text).toBe(200);
    rows.push(...res.body.cases);
    cursor = res.body.nextCursor;
  } while (cursor);
  return rows;
}
const ids = (rows: Row[]) => rows.map((r) => r.caseId);

describe('work queues', () => {
  it('when each role opens its queue, then it holds exactly the cases that role may see', async () => {
    expect(ids(await all(who['clerk.chen']!))).toEqual(expect.arrayContaining([made.A, made.B, made.C]));
    const huang = ids(await all(who['clerk.huang']!)); // 榕城区人民调解委员会 handles A only
    expect(huang).toContain(made.A);
    expect(huang).not.toContain(made.B);
    expect(ids(await all(who['mediator.wu']!))).toEqual(expect.arrayContaining([made.A]));
    expect(ids(await all(who['mediator.wu']!))).not.toContain(made.B);
    const aid = ids(await all(who['legalaid.xu']!));
    expect(aid).toContain(made.B);
    expect(aid).not.toContain(made.A);
    const court = ids(await all({ apiKey: stack.apiKeys['court-5202']! }));
    expect(court).toContain(made.C);
    expect(court).not.toContain(made.A);
    expect(ids(await all(who['supervisor.zheng']!))).toEqual(expect.arrayContaining([made.A, made.B, made.C]));
    const party = await stack.partyLogin(
      who['clerk.chen']!,
      made.B!,
      (await stack.send(who['clerk.chen']!, 'GET', `/cases/${made.B}`)).body.parties[0].partyId,
    );
    expect((await stack.send(party, 'GET', '/queues/cases')).status).toBe(403);
  });

  it('when the queue is paged, then every case appears once, priority groups first, each in deadline order, cases without a deadline last', async () => {
    const rows = await all(who['supervisor.zheng']!);
    expect(new Set(ids(rows)).size).toBe(rows.length);
    const keys = rows.map((r) => `${r.priorityGroups?.length ? 0 : 1} ${r.nextDue?.dueAt ?? '9999'}`);
    expect([...keys].sort()).toEqual(keys);
  });

  it('when a case is in a priority group (seed Art 30), then it comes before cases due sooner in every staff queue that lists it, page by page', async () => {
    const clerk = who['clerk.chen']!;
    // D: accepted, no priority group; the parties' 2 working days to choose fall before the 3 of E's mediator,
    // assigned after it (so on the same day or a later one, whenever the suite runs), with a priority group.
    const d = await stack.send(clerk, 'POST', '/cases', partyApplication());
    await stack.send(clerk, 'POST', `/cases/${d.body.caseId}/accept`, {});
    const e = (await stack.send(clerk, 'POST', '/cases', partyApplication())).body.caseId as string;
    await stack.send(clerk, 'POST', `/cases/${e}/accept`, {});
    await stack.send(clerk, 'POST', `/cases/${e}/screening`, { priorityGroups: ['elderly'] });
    await stack.send(clerk, 'POST', `/cases/${e}/mediator`, {
      mode: 'designated',
      mediatorId: accountId['mediator.wu'],
    });
    for (const as of [clerk, who['supervisor.zheng']!]) {
      const rows: Row[] = [];
      let cursor: string | null = null;
      do {
        const res = await stack.send(as, 'GET', `/queues/cases?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status, res.text).toBe(200);
        rows.push(...res.body.cases);
        cursor = res.body.nextCursor;
      } while (cursor);
      const eRow = rows.find((r) => r.caseId === e)!;
      const dRow = rows.find((r) => r.caseId === d.body.caseId)!;
      expect(dRow.nextDue!.dueAt < eRow.nextDue!.dueAt).toBe(true);
      expect(ids(rows).indexOf(e)).toBeLessThan(ids(rows).indexOf(d.body.caseId));
      expect(new Set(ids(rows)).size).toBe(rows.length);
      const firstOrdinary = rows.findIndex((r) => !r.priorityGroups?.length);
      expect(rows.slice(firstOrdinary).every((r) => !r.priorityGroups?.length)).toBe(true);
    }
  });

  it('when filters are given, then only matching cases come back, names masked, screening only for staff', async () => {
    const prio = await all(who['clerk.chen']!, '&priorityGroup=elderly');
    expect(ids(prio)).toContain(made.A);
    expect(prio.every((r) => r.priorityGroups?.includes('elderly'))).toBe(true);
    expect(ids(await all(who['clerk.chen']!, '&legalAid=true'))).toContain(made.B);
    expect(ids(await all(who['clerk.chen']!, '&legalAid=true'))).not.toContain(made.A);
    expect(ids(await all(who['clerk.chen']!, '&status=PENDING_MEDIATOR_ACCEPT'))).toContain(made.A);
    expect(ids(await all(who['clerk.chen']!, '&dueWithinDays=10'))).toContain(made.A); // the mediator's 3 working days
    const byName = await all(who['clerk.chen']!, `&q=${encodeURIComponent('诸葛')}`);
    expect(ids(byName)).toEqual([made.A]);
    expect(byName[0]!.parties[0]).not.toContain('青云');
    const number = byName[0]!.caseNumber;
    expect(ids(await all(who['clerk.chen']!, `&q=${encodeURIComponent(number)}`))).toEqual([made.A]);
    const court = await all({ apiKey: stack.apiKeys['court-5202']! });
    expect(court[0]).not.toHaveProperty('priorityGroups');
  });

  it('when a clerk pages a query with ties by limit 2, then every matching case comes once, ordered', async () => {
    const clerk = who['clerk.chen']!;
    const made5: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await stack.send(
        clerk,
        'POST',
        '/cases',
        partyApplication({
          parties: [
            { role: 'applicant', kind: 'natural', name: `翟秋${i}` },
            { role: 'respondent', kind: 'natural', name: '李四' },
          ],
        }),
      );
      made5.push(res.body.caseId);
    }
    const pages: Row[][] = [];
    let cursor: string | null = null;
    do {
      const res = await stack.send(
        clerk,
        'GET',
        `/queues/cases?limit=2&q=${encodeURIComponent('翟秋')}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(res.body.cases);
      cursor = res.body.nextCursor;
    } while (cursor);
    const rows = pages.flat();
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(ids(rows)).toEqual([...made5].sort()); // no deadline yet: all tie, ordered by id
  });

  it('when a court filters by priority group or legal aid, then it is refused: that is not its to know', async () => {
    const court = { apiKey: stack.apiKeys['court-5202']! };
    for (const q of ['priorityGroup=elderly', 'priority=true', 'legalAid=true'])
      expect((await stack.send(court, 'GET', `/queues/cases?${q}`)).status).toBe(403);
  });

  it('when a query or cursor is malformed, then 400 names the parameter', async () => {
    const bad = await stack.send(who['clerk.chen']!, 'GET', '/queues/cases?limit=0&status=NOPE&cursor=xyz');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['limit', 'status[0]']),
    );
    const cursor = await stack.send(who['clerk.chen']!, 'GET', '/queues/cases?cursor=bm90LWpzb24');
    expect(cursor.body.errors[0]).toMatchObject({ field: 'cursor' });
  });

  it("when the planner runs the queues, then each scope's order comes from an index, never a sort", async () => {
    // With this little data a scan and a sort are cheaper, so the planner is made to say whether an index
    // can deliver the order at all (at a million cases it is the only sensible plan: see the benchmarks).
    const plan = async (sql: string, bindings: unknown[]) =>
      stack.db.transaction(async (trx) => {
        await trx.raw('SET LOCAL enable_seqscan = off');
        await trx.raw('SET LOCAL enable_bitmapscan = off');
        await trx.raw('SET LOCAL enable_sort = off');
        const r = await trx.raw(`EXPLAIN (FORMAT JSON) ${sql}`, bindings as never);
        return JSON.stringify(r.rows[0]['QUERY PLAN']);
      });
    const ordered = (p: string) => {
      expect(p).toMatch(/"Index Name":"cases_queue_\w+"/);
      expect(p).not.toContain('"Node Type":"Sort"');
    };
    ordered(await plan('SELECT case_id FROM cases ORDER BY priority_rank, due_sort, case_id LIMIT 50', []));
    ordered(
      await plan(
        'SELECT case_id FROM cases WHERE handling_org_id = ? ORDER BY priority_rank, due_sort, case_id LIMIT 50',
        ['rongcheng-pmc'],
      ),
    );
    ordered(
      await plan(
        'SELECT case_id FROM cases WHERE intake_org_id = ? ORDER BY priority_rank, due_sort, case_id LIMIT 50',
        ['center'],
      ),
    );
    ordered(
      await plan(
        'SELECT case_id FROM cases WHERE mediator_account_id = ? ORDER BY priority_rank, due_sort, case_id LIMIT 50',
        [accountId['mediator.wu']],
      ),
    );
    ordered(
      await plan(
        'SELECT case_id FROM cases WHERE legal_aid_requested ORDER BY priority_rank, due_sort, case_id LIMIT 50',
        [],
      ),
    );
    // Courts and notaries are not told who is in a priority group: their queues stay in deadline order.
    ordered(
      await plan('SELECT case_id FROM cases WHERE court_institution_id = ? ORDER BY due_sort, case_id LIMIT 50', [
        'court-5202',
      ]),
    );
    ordered(
      await plan('SELECT case_id FROM cases WHERE notary_institution_id = ? ORDER BY due_sort, case_id LIMIT 50', [
        'notary-jieyang',
      ]),
    );
  });
});
