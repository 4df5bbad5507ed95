/**
 * The roster and saved queue filters over HTTP: each role sees the organizations, mediators and institutions
 * of its scope and no personal data; a mediator's load follows the cases assigned; each person's saved
 * filters are theirs alone. A database of this file's own, so other files' assignments do not move the loads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};
const REMINDER_PHONE = '17000998877';

type Mediator = {
  mediatorId: string;
  displayName: string;
  organization: { orgId: string };
  languages: string[];
  specialties: string[];
  accepting: boolean;
  openCases?: number;
  active?: boolean;
  maxOpenCases?: number | null;
};

beforeAll(async () => {
  stack = await startStack({ ownDatabase: true });
  const staff = await stack.loginAll([
    'clerk.chen',
    'clerk.lin',
    'clerk.huang',
    'mediator.wu',
    'mediator.he',
    'supervisor.zheng',
    'legalaid.xu',
    'court5202.li',
    'notary.cai',
  ]);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
  who['key:court-5202'] = { apiKey: stack.apiKeys['court-5202']! };
  who['key:notary-jieyang'] = { apiKey: stack.apiKeys['notary-jieyang']! };
  const created = await stack.send(who['clerk.chen'], 'POST', '/cases', partyApplication());
  expect(created.status, created.text).toBe(201);
  who.party = await stack.partyLogin(who['clerk.chen'], created.body.caseId, created.body.parties[0].partyId);
  // A mediator's own phone for reminders: personal data that must never reach the roster.
  expect(
    (await stack.send(who['mediator.wu'], 'PUT', '/auth/me/reminder-phone', { phone: REMINDER_PHONE })).status,
  ).toBe(200);
  // 马丽 has left: staff still see her, those who choose or delegate do not.
  await stack.db('staff_accounts').where({ username: 'mediator.ma' }).update({ active: false });
});
afterAll(async () => {
  await stack?.close();
});

const get = async (as: string, path: string) => {
  const res = await stack.send(who[as], 'GET', path);
  return res;
};
const mediators = async (as: string, query = ''): Promise<Mediator[]> => {
  const res = await get(as, `/roster/mediators${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body.mediators;
};
const names = (ms: { displayName: string }[]) => ms.map((m) => m.displayName).sort();

/** Every key anywhere in a JSON value. */
function keysOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(keysOf);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(x)]);
  return [];
}
function expectNoPersonalData(text: string, body: unknown) {
  expect(text).not.toContain(REMINDER_PHONE);
  expect(text).not.toContain('170****8877');
  expect(text).not.toMatch(/scrypt|\$[0-9a-z]+\$/i);
  for (const k of keysOf(body)) expect(k).not.toMatch(/phone|idNumber|password|hash|username|address/i);
}

describe('the mediation organizations', () => {
  it('when staff of any kind list them, then every mediation organization answers with its public fields, and the center, bureau and legal aid are not among them', async () => {
    for (const as of [
      'clerk.chen',
      'mediator.wu',
      'supervisor.zheng',
      'legalaid.xu',
      'notary.cai',
      'key:court-5202',
      'court5202.li',
    ]) {
      const res = await get(as, '/roster/organizations');
      expect(res.status, `${as}: ${res.text}`).toBe(200);
      const ids = res.body.organizations.map((o: { orgId: string }) => o.orgId);
      expect(ids.sort()).toEqual([
        'consumer-pmc',
        'court-invited',
        'labour-center',
        'lawyer-studio',
        'medical-pmc',
        'property-pmc',
        'rongcheng-pmc',
        'traffic-pmc',
      ]);
      expectNoPersonalData(res.text, res.body);
    }
    const rongcheng = (await get('clerk.chen', '/roster/organizations')).body.organizations.find(
      (o: { orgId: string }) => o.orgId === 'rongcheng-pmc',
    );
    expect(rongcheng).toMatchObject({
      name: '榕城区人民调解委员会',
      kind: 'people_mediation',
      kindLabel: '人民调解委员会',
      county: '榕城区',
      active: true,
      freeOfCharge: true,
      disputeTypes: expect.arrayContaining(['loan_debt']),
    });
  });

  it("when an organization's own staff list them, then they also see their own case-number pattern, and nobody sees another's", async () => {
    const pattern = (as: string) => async (orgId: string) =>
      (await get(as, '/roster/organizations')).body.organizations.find((o: { orgId: string }) => o.orgId === orgId)
        .caseNumberPattern;
    expect(await pattern('clerk.huang')('rongcheng-pmc')).toContain('{abbreviation}');
    expect(await pattern('mediator.wu')('rongcheng-pmc')).toContain('{abbreviation}');
    expect(await pattern('mediator.wu')('medical-pmc')).toBeUndefined();
    expect(await pattern('clerk.chen')('rongcheng-pmc')).toBeUndefined(); // the center's clerk, not the committee's
    expect(await pattern('key:court-5202')('rongcheng-pmc')).toBeUndefined();
    expect(await pattern('supervisor.zheng')('medical-pmc')).toContain('{abbreviation}');
  });

  it('when filtered by dispute type, then only the organizations that take it answer; a party is refused', async () => {
    const res = await get('clerk.chen', '/roster/organizations?disputeType=medical');
    expect(res.body.organizations.map((o: { orgId: string }) => o.orgId)).toEqual(['medical-pmc']);
    const bad = await get('clerk.chen', '/roster/organizations?disputeType=piracy');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('disputeType');
    expect((await get('party', '/roster/organizations')).status).toBe(403);
  });
});

describe('the mediators each role sees', () => {
  it('when a clerk or the supervisor lists them, then every mediator answers with load, capacity and whether active, and no personal data', async () => {
    for (const as of ['clerk.chen', 'supervisor.zheng']) {
      const res = await get(as, '/roster/mediators');
      expect(res.status).toBe(200);
      expect(res.body.mediators).toHaveLength(14);
      expectNoPersonalData(res.text, res.body);
      const wu = res.body.mediators.find((m: Mediator) => m.displayName === '吴国栋');
      expect(wu).toEqual({
        mediatorId: accountId['mediator.wu'],
        displayName: '吴国栋',
        organization: {
          orgId: 'rongcheng-pmc',
          name: '榕城区人民调解委员会',
          kind: 'people_mediation',
          disputeTypes: ['general_civil', 'neighbour', 'family_property', 'loan_debt'],
          active: true,
          freeOfCharge: true,
        },
        qualification: { code: 'people_mediator', label: '人民调解员' },
        specialties: ['loan_debt', 'general_civil'],
        languages: ['chaoshan', 'mandarin'],
        accepting: true,
        level: null, // never evaluated here (credit files: docs/supervision.md)
        active: true,
        openCases: expect.any(Number),
        maxOpenCases: null,
      });
      expect(res.body.mediators.find((m: Mediator) => m.displayName === '马丽')).toMatchObject({
        active: false,
        accepting: false,
      });
      expect(res.body.mediators.find((m: Mediator) => m.displayName === '曹律师')).toMatchObject({
        qualification: { code: 'lawyer_mediator', label: '律师调解员' },
        organization: { freeOfCharge: null },
      });
    }
  });

  it('when a mediator lists them, then only the colleagues of their own organization answer, whatever the filter', async () => {
    expect(names(await mediators('mediator.wu'))).toEqual(['吴国栋', '周秀英']);
    expect(names(await mediators('mediator.he'))).toEqual(['何建华', '罗美玲']);
    expect(await mediators('mediator.wu', '?orgId=medical-pmc')).toEqual([]);
    expect((await mediators('mediator.wu'))[0]).toHaveProperty('openCases');
  });

  it('when a court lists them, by its key or its staff login, then every active mediator answers with load, and the one who left does not', async () => {
    for (const as of ['key:court-5202', 'court5202.li']) {
      const res = await get(as, '/roster/mediators');
      expect(res.status).toBe(200);
      expect(res.body.mediators).toHaveLength(13);
      expect(names(res.body.mediators)).not.toContain('马丽');
      expect(res.body.mediators.every((m: Mediator) => typeof m.openCases === 'number' && m.active === true)).toBe(
        true,
      );
      expectNoPersonalData(res.text, res.body);
    }
  });

  it('when a party lists them to choose, then each answers with name, organization, qualification, specialties, languages and whether accepting, and no load', async () => {
    const res = await get('party', '/roster/mediators');
    expect(res.status).toBe(200);
    expect(res.body.mediators).toHaveLength(13);
    expectNoPersonalData(res.text, res.body);
    for (const m of res.body.mediators) {
      expect(Object.keys(m).sort()).toEqual([
        'accepting',
        'displayName',
        'languages',
        'level',
        'mediatorId',
        'organization',
        'qualification',
        'specialties',
      ]);
    }
    expect(res.text).not.toMatch(/openCases|maxOpenCases/);
  });

  it('when an organization stops working, then its mediators accept nothing: staff see why, a party and a court no longer see them', async () => {
    await stack.db('organizations').where({ org_id: 'property-pmc' }).update({ active: false });
    try {
      const staff = await mediators('clerk.chen', '?orgId=property-pmc');
      expect(staff.map((m) => [m.displayName, m.active, m.accepting])).toEqual(
        [
          ['唐慧', true, false],
          ['谢文涛', true, false],
        ].sort(),
      );
      expect(staff[0]!.organization).toMatchObject({ active: false });
      expect(await mediators('party', '?orgId=property-pmc')).toEqual([]);
      expect(await mediators('key:court-5202', '?orgId=property-pmc')).toEqual([]);
      expect(
        (await get('clerk.chen', '/roster/organizations?disputeType=property_management')).body.organizations[0],
      ).toMatchObject({ orgId: 'property-pmc', active: false });
    } finally {
      await stack.db('organizations').where({ org_id: 'property-pmc' }).update({ active: true });
    }
  });

  it.each(['legalaid.xu', 'notary.cai', 'key:notary-jieyang'])('when %s lists them, then 403', async (as) => {
    const res = await get(as, '/roster/mediators');
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('/problems/forbidden');
  });

  it('when filtered by organization, specialty, language and availability, then only the matching mediators answer', async () => {
    expect(names(await mediators('clerk.chen', '?orgId=medical-pmc'))).toEqual(['何建华', '罗美玲']);
    expect(names(await mediators('clerk.chen', '?disputeType=labour'))).toEqual(['宋春梅', '梁振华']);
    expect(names(await mediators('clerk.chen', '?language=hakka'))).toEqual(['梁振华', '郭志明']);
    expect(names(await mediators('clerk.chen', '?language=english&disputeType=real_estate'))).toEqual(['彭律师']);
    expect(names(await mediators('clerk.chen', '?orgId=traffic-pmc&available=false'))).toEqual(['马丽']);
    expect(names(await mediators('party', '?language=cantonese&orgId=medical-pmc'))).toEqual(
      ['罗美玲', '何建华'].sort(),
    );
  });

  it.each([
    ['?language=klingon', 'language'],
    ['?available=maybe', 'available'],
    ['?disputeType=piracy', 'disputeType'],
    ['?orgId=', 'orgId'],
    ['?sort=name', 'sort'],
    ['?orgId=a&orgId=b', 'orgId'],
  ])('when the query is %s, then 400 names %s', async (query, field) => {
    const res = await get('clerk.chen', `/roster/mediators${query}`);
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('when a case is assigned to a mediator, then their load goes up by one, and a party sees only that they stopped accepting at their limit', async () => {
    const load = async () =>
      (await mediators('clerk.chen', '?orgId=rongcheng-pmc')).find((m) => m.mediatorId === accountId['mediator.wu'])!
        .openCases!;
    const before = await load();
    const created = await stack.send(who['clerk.chen'], 'POST', '/cases', partyApplication());
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    expect((await stack.send(who['clerk.chen'], 'POST', `/cases/${caseId}/accept`, {})).status).toBe(200);
    expect(await load()).toBe(before);
    const assigned = await stack.send(who['clerk.chen'], 'POST', `/cases/${caseId}/mediator`, {
      mode: 'designated',
      mediatorId: accountId['mediator.wu'],
    });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.body.status).toBe('PENDING_MEDIATOR_ACCEPT');
    expect(await load()).toBe(before + 1);
    expect((await mediators('mediator.wu')).find((m) => m.displayName === '吴国栋')!.openCases).toBe(before + 1);

    // At a limit of as many open cases as they now have, they accept no more.
    await stack
      .db('staff_accounts')
      .where({ account_id: accountId['mediator.wu'] })
      .update({ max_open_cases: before + 1 });
    try {
      const seen = (await mediators('party', '?orgId=rongcheng-pmc')).find(
        (m) => m.mediatorId === accountId['mediator.wu'],
      )!;
      expect(seen.accepting).toBe(false);
      expect(seen).not.toHaveProperty('openCases');
      expect(names(await mediators('party', '?orgId=rongcheng-pmc&available=true'))).toEqual(['周秀英']);
      expect(
        (await mediators('clerk.chen', '?orgId=rongcheng-pmc')).find((m) => m.mediatorId === accountId['mediator.wu']),
      ).toMatchObject({ accepting: false, active: true, maxOpenCases: before + 1 });
    } finally {
      await stack.db('staff_accounts').where({ account_id: accountId['mediator.wu'] }).update({ max_open_cases: null });
    }
  });
});

describe('the institutions', () => {
  it('when anyone lists them, then courts (with whether they delegate before filing), notary offices and legal aid answer', async () => {
    for (const as of ['clerk.chen', 'party', 'key:court-5202', 'mediator.wu']) {
      const res = await get(as, '/roster/institutions');
      expect(res.status, as).toBe(200);
      expect(res.body.institutions.map((i: { kind: string }) => i.kind)).toEqual([
        ...Array(6).fill('court'),
        'notary_office',
        'notary_office',
        'legal_aid_office',
      ]);
    }
    const courts = (await get('clerk.chen', '/roster/institutions?kind=court')).body.institutions;
    expect(courts).toHaveLength(6);
    expect(courts.find((c: { code: string }) => c.code === '粤5202')).toEqual({
      institutionId: 'court-5202',
      name: '揭阳市榕城区人民法院',
      code: '粤5202',
      kind: 'court',
      preFilingDelegation: true,
    });
    const notaries = (await get('clerk.chen', '/roster/institutions?kind=notary_office')).body.institutions;
    expect(notaries.map((n: { institutionId: string }) => n.institutionId).sort()).toEqual([
      'notary-jieyang',
      'notary-puning',
    ]);
    expect(notaries[0]).not.toHaveProperty('preFilingDelegation');
    expect((await get('clerk.chen', '/roster/institutions?kind=legal_aid_office')).body.institutions).toEqual([
      { institutionId: 'legal-aid-office', name: '揭阳市法律援助处', code: null, kind: 'legal_aid_office' },
    ]);
  });

  it('when a court no longer delegates before filing, then the list says so; an unknown kind is a 400 naming it', async () => {
    await stack.db('institutions').where({ institution_id: 'court-5281' }).update({ pre_filing_delegation: false });
    const courts = (await get('clerk.chen', '/roster/institutions?kind=court')).body.institutions;
    expect(courts.find((c: { institutionId: string }) => c.institutionId === 'court-5281').preFilingDelegation).toBe(
      false,
    );
    const bad = await get('clerk.chen', '/roster/institutions?kind=police');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('kind');
  });
});

describe('saved queue filters', () => {
  const save = (as: string, body: unknown, headers: Record<string, string> = {}) =>
    stack.send(who[as], 'POST', '/me/saved-filters', body, headers);
  const list = async (as: string) => {
    const res = await get(as, '/me/saved-filters');
    expect(res.status, res.text).toBe(200);
    return res.body.filters as { filterId: string; name: string; filter: Record<string, string> }[];
  };

  it('when a clerk saves, lists, renames, replaces and deletes a filter, then each step answers as the queue would take it', async () => {
    const created = await save('clerk.chen', {
      name: '待分派·借贷',
      filter: {
        status: ['PENDING_ASSIGNMENT', 'REGISTERED'],
        disputeType: 'loan_debt',
        dueWithinDays: 3,
        priority: true,
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBe(`/me/saved-filters/${created.body.filterId}`);
    expect(created.body).toMatchObject({
      name: '待分派·借贷',
      filter: {
        status: 'PENDING_ASSIGNMENT,REGISTERED',
        disputeType: 'loan_debt',
        dueWithinDays: '3',
        priority: 'true',
      },
    });
    // The saved filter is the queue's own query.
    const queue = await get('clerk.chen', `/queues/cases?${new URLSearchParams(created.body.filter).toString()}`);
    expect(queue.status, queue.text).toBe(200);
    expect((await list('clerk.chen')).map((f) => f.filterId)).toContain(created.body.filterId);

    const path = `/me/saved-filters/${created.body.filterId}`;
    const renamed = await stack.send(who['clerk.chen'], 'PUT', path, { name: '本周到期' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ name: '本周到期', filter: created.body.filter });
    const replaced = await stack.send(who['clerk.chen'], 'PUT', path, {
      filter: { status: 'REGISTERED', legalAid: 'false' },
    });
    expect(replaced.body).toMatchObject({ name: '本周到期', filter: { status: 'REGISTERED', legalAid: 'false' } });
    expect((await list('clerk.chen')).find((f) => f.filterId === created.body.filterId)).toMatchObject({
      name: '本周到期',
      filter: { status: 'REGISTERED', legalAid: 'false' },
    });

    const deleted = await stack.send(who['clerk.chen'], 'DELETE', path);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await list('clerk.chen')).map((f) => f.filterId)).not.toContain(created.body.filterId);
    expect((await stack.send(who['clerk.chen'], 'DELETE', path)).status).toBe(404);
  });

  it('when another clerk reaches for my filter, then it is not there for them (404), and mine is unchanged', async () => {
    const mine = await save('clerk.chen', { name: '我的筛选', filter: { disputeType: 'labour' } });
    expect(mine.status).toBe(201);
    const path = `/me/saved-filters/${mine.body.filterId}`;
    expect((await list('clerk.lin')).map((f) => f.filterId)).not.toContain(mine.body.filterId);
    const changed = await stack.send(who['clerk.lin'], 'PUT', path, { name: '抢来的' });
    expect(changed.status).toBe(404);
    expect(changed.body.type).toBe('/problems/not-found');
    expect((await stack.send(who['clerk.lin'], 'DELETE', path)).status).toBe(404);
    expect((await list('clerk.chen')).find((f) => f.filterId === mine.body.filterId)).toMatchObject({
      name: '我的筛选',
      filter: { disputeType: 'labour' },
    });
    // Names are unique per person only.
    expect((await save('clerk.lin', { name: '我的筛选', filter: {} })).status).toBe(201);
  });

  it('when a name is taken, then saving or renaming to it is a 409 naming the field', async () => {
    expect((await save('mediator.wu', { name: '临期', filter: { dueWithinDays: '3' } })).status).toBe(201);
    const other = await save('mediator.wu', { name: '全部', filter: {} });
    expect(other.status).toBe(201);
    const again = await save('mediator.wu', { name: ' 临期 ', filter: { status: 'IN_MEDIATION' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: '/problems/saved-filter-name-taken', errors: [{ field: 'name' }] });
    const rename = await stack.send(who['mediator.wu'], 'PUT', `/me/saved-filters/${other.body.filterId}`, {
      name: '临期',
    });
    expect(rename.status).toBe(409);
    expect((await list('mediator.wu')).filter((f) => f.name === '临期')).toHaveLength(1);
  });

  it.each([
    [{ name: '', filter: {} }, 'name'],
    [{ name: '长'.repeat(51), filter: {} }, 'name'],
    [{ name: 'a\u0007b', filter: {} }, 'name'],
    [{ filter: {} }, 'name'],
    [{ name: 'x' }, 'filter'],
    [{ name: 'x', filter: { status: 'NOPE' } }, 'filter.status[0]'],
    [{ name: 'x', filter: { disputeType: 'piracy' } }, 'filter.disputeType'],
    [{ name: 'x', filter: { dueWithinDays: -1 } }, 'filter.dueWithinDays'],
    [{ name: 'x', filter: { colour: 'red' } }, 'filter.colour'],
    [{ name: 'x', filter: { q: '张三' } }, 'filter.q'],
    [{ name: 'x', filter: { cursor: 'abc' } }, 'filter.cursor'],
    [{ name: 'x', filter: { status: { a: 1 } } }, 'filter.status'],
    [{ name: 'x', filter: {}, owner: 'me' }, 'owner'],
  ])('when %j is saved, then 400 names %s and nothing is saved', async (body, field) => {
    const before = (await list('clerk.huang')).length;
    const res = await save('clerk.huang', body);
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await list('clerk.huang')).toHaveLength(before);
  });

  it('when an update says nothing, or is not JSON, then 400', async () => {
    const made = await save('clerk.huang', { name: '空更新', filter: {} });
    const path = `/me/saved-filters/${made.body.filterId}`;
    const empty = await stack.send(who['clerk.huang'], 'PUT', path, {});
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe('name');
    expect((await stack.send(who['clerk.huang'], 'PUT', path, '{not json')).status).toBe(400);
    expect((await stack.send(who['clerk.huang'], 'PUT', '/me/saved-filters/not-an-id', { name: 'y' })).status).toBe(
      404,
    );
  });

  it('when a person already keeps 50 filters, then the 51st is a 409', async () => {
    const { who: fresh } = await stack.loginAll(['mediator.he']);
    const he = fresh['mediator.he'];
    for (let i = 0; i < 50; i++)
      expect((await stack.send(he, 'POST', '/me/saved-filters', { name: `筛选${i}`, filter: {} })).status).toBe(201);
    const full = await stack.send(he, 'POST', '/me/saved-filters', { name: '第五十一个', filter: {} });
    expect(full.status).toBe(409);
    expect(full.body.type).toBe('/problems/saved-filters-full');
  });

  it('when the same POST is sent twice with one Idempotency-Key, then one filter is saved and the first answer is replayed', async () => {
    const body = { name: '幂等', filter: { status: 'REGISTERED' } };
    const first = await save('supervisor.zheng', body, { 'Idempotency-Key': 'roster-test-idem-1' });
    const second = await save('supervisor.zheng', body, { 'Idempotency-Key': 'roster-test-idem-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.filterId).toBe(first.body.filterId);
    expect((await list('supervisor.zheng')).filter((f) => f.name === '幂等')).toHaveLength(1);
    const reused = await save(
      'supervisor.zheng',
      { ...body, name: '另一个' },
      { 'Idempotency-Key': 'roster-test-idem-1' },
    );
    expect(reused.status).toBe(409);
  });

  it.each(['party', 'key:court-5202', 'key:notary-jieyang'])(
    'when %s reaches for saved filters, then every route is 403',
    async (as) => {
      const mine = await save('clerk.chen', { name: `不给${as}`, filter: {} });
      for (const [method, path, body] of [
        ['GET', '/me/saved-filters', undefined],
        ['POST', '/me/saved-filters', { name: 'x', filter: {} }],
        ['PUT', `/me/saved-filters/${mine.body.filterId}`, { name: 'x' }],
        ['DELETE', `/me/saved-filters/${mine.body.filterId}`, undefined],
      ] as const) {
        const res = await stack.send(who[as], method, path, body);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.type).toBe('/problems/forbidden');
      }
    },
  );

  it("when a court's staff member logs in, then they keep filters of their own, but not by priority group or legal aid (their queue refuses those)", async () => {
    expect((await save('court5202.li', { name: '委派待办', filter: { status: 'REGISTERED' } })).status).toBe(201);
    const screening = await save('court5202.li', { name: '优先', filter: { priority: 'true' } });
    expect(screening.status).toBe(403);
    expect((await list('court5202.li')).map((f) => f.name)).toEqual(['委派待办']);
  });

  it('when nobody is logged in, then 401', async () => {
    expect((await stack.send(undefined, 'GET', '/me/saved-filters')).status).toBe(401);
    expect((await stack.send(undefined, 'GET', '/roster/mediators')).status).toBe(401);
  });
});
