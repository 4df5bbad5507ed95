/**
 * Every person sees only what is theirs: each kind of actor walks every route on its own cases and on
 * other people's. 401 without credentials, 404 on cases that are not theirs, 403 where the role may not
 * act, and no full ID or phone number reaches anyone but through the audited personal-data route.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../api/openapi.js';
import { sha256 } from '../../identity/secrets.js';
import { courtDelegation, fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const cases: Record<'A' | 'B' | 'C', { caseId: string; partyIds: string[] }> = {} as never;
const secrets = {
  ids: [
    fictionalIdNumber('445202', '19000505', '111'),
    fictionalIdNumber('445202', '19000606', '222'),
    fictionalIdNumber('445281', '19000707', '333'),
    fictionalIdNumber('445281', '19000808', '444'),
  ],
  phones: ['17000110011', '17000220022', '17000330033', '17000440044'],
};

function parties(i: number) {
  return [
    {
      role: 'applicant',
      kind: 'natural',
      name: '王五',
      idNumber: secrets.ids[i],
      phone: secrets.phones[i],
      address: '广东省揭阳市榕城区东山街道1号',
    },
    { role: 'respondent', kind: 'natural', name: '赵六', idNumber: secrets.ids[i + 1], phone: secrets.phones[i + 1] },
  ];
}

beforeAll(async () => {
  stack = await startStack();
  for (const u of [
    'clerk.chen',
    'clerk.huang',
    'mediator.wu',
    'mediator.zhou',
    'supervisor.zheng',
    'legalaid.xu',
    'court5202.li',
    'notary.cai',
  ]) {
    who[u] = await stack.login(u);
  }
  who['key:court-5202'] = { apiKey: stack.apiKeys['court-5202']! };
  who['key:court-5281'] = { apiKey: stack.apiKeys['court-5281']! };
  who['key:notary-jieyang'] = { apiKey: stack.apiKeys['notary-jieyang']! };

  // A: walk-in at the center. B: delegated by 榕城区法院 through its system. C: delegated by 普宁市法院.
  const a = await stack.send(who['clerk.chen'], 'POST', '/cases', partyApplication({ parties: parties(0) }));
  const b = await stack.send(who['key:court-5202'], 'POST', '/cases', courtDelegation({ parties: parties(2) }));
  const c = await stack.send(
    who['key:court-5281'],
    'POST',
    '/cases',
    courtDelegation({ parties: parties(1), court: { courtCode: '粤5281', letterNumber: '普法委派〔2026〕3号' } }),
  );
  for (const [k, r] of [
    ['A', a],
    ['B', b],
    ['C', c],
  ] as const) {
    expect(r.status, r.text).toBe(201);
    cases[k] = { caseId: r.body.caseId, partyIds: r.body.parties.map((p: { partyId: string }) => p.partyId) };
  }
  // Facts that later issues create through their own steps: A is assigned to 吴国栋, B is sent to the
  // notary office, C has a legal-aid application.
  const mediator = await stack.db('staff_accounts').where({ username: 'mediator.wu' }).first('account_id');
  await stack
    .db('cases')
    .where({ case_id: cases.A.caseId })
    .update({ mediator_account_id: mediator.account_id, handling_org_id: 'rongcheng-pmc' });
  await stack.db('cases').where({ case_id: cases.B.caseId }).update({ notary_institution_id: 'notary-jieyang' });
  await stack.db('cases').where({ case_id: cases.C.caseId }).update({ legal_aid_requested: true });

  who['party:A'] = await stack.partyLogin(who['clerk.chen'], cases.A.caseId, cases.A.partyIds[0]!);
  who['party:B'] = await stack.partyLogin(who['clerk.chen'], cases.B.caseId, cases.B.partyIds[1]!);
});

afterAll(async () => {
  await stack?.close();
});

/** Who may see which case. */
const visibility: Record<string, ('A' | 'B' | 'C')[]> = {
  'clerk.chen': ['A', 'B', 'C'],
  'clerk.huang': ['A'], // A is now handled by 榕城区人民调解委员会
  'mediator.wu': ['A'],
  'mediator.zhou': [],
  'supervisor.zheng': ['A', 'B', 'C'],
  'legalaid.xu': ['C'],
  'court5202.li': ['B'],
  'key:court-5202': ['B'],
  'key:court-5281': ['C'],
  'notary.cai': ['B'],
  'key:notary-jieyang': ['B'],
  'party:A': ['A'],
  'party:B': ['B'],
};

const noFullSecrets = (text: string) => {
  for (const s of [...secrets.ids, ...secrets.phones]) expect(text).not.toContain(s);
};

describe('without credentials', () => {
  it.each([
    ['GET', '/cases/:A'],
    ['POST', '/cases'],
    ['POST', '/cases/:A/accept'],
    ['POST', '/cases/:A/decline'],
    ['GET', '/cases/:A/parties/:A0/personal-data'],
    ['POST', '/cases/:A/parties/:A0/access-code'],
    ['GET', '/cases/:A/deadlines'],
    ['GET', '/cases/:A/documents'],
    ['POST', '/cases/:A/sessions'],
    ['POST', '/cases/:A/mediator'],
    ['POST', '/cases/:A/agreement/signatures'],
    ['GET', '/supervision/sla-breaches'],
    ['GET', '/auth/me'],
    ['POST', '/auth/logout'],
    ['POST', '/auth/api-keys/rotate'],
  ])('when nobody is logged in, then %s %s is 401 problem details', async (method, template) => {
    const path = template.replace(':A0', cases.A.partyIds[0]!).replace(':A', cases.A.caseId);
    const res = await stack.send(undefined, method, path, method === 'POST' ? {} : undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(res.body.type).toBe('/problems/unauthenticated');
  });
});

describe('every documented route', () => {
  const roleOf = (name: string) =>
    name.startsWith('clerk')
      ? 'clerk'
      : name.startsWith('mediator')
        ? 'mediator'
        : name.startsWith('supervisor')
          ? 'supervisor'
          : name.startsWith('legalaid')
            ? 'legal_aid_officer'
            : name.includes('court')
              ? 'court'
              : name.includes('notary')
                ? 'notary'
                : 'party';
  const sessionOps = operations().filter((o) => o.auth === 'session');

  it.each(sessionOps.map((o) => [o.method.toUpperCase(), o.path] as const))(
    'when nobody is logged in, then %s %s is 401',
    async (method, template) => {
      const path = template
        .replace('{caseId}', cases.A.caseId)
        .replace('{partyId}', cases.A.partyIds[0]!)
        .replace(/\{\w+\}/g, randomUUID());
      const res = await stack.send(undefined, method, path, method === 'GET' ? undefined : {});
      expect(res.status, `${method} ${path}`).toBe(401);
    },
  );

  it('when every principal walks every case route on every case, then a case not theirs is 404 and an action their role may not take is 403', async () => {
    let checked = 0;
    for (const op of sessionOps.filter((o) => o.path.startsWith('/cases/{caseId}'))) {
      for (const [name, mine] of Object.entries(visibility)) {
        for (const k of ['A', 'B', 'C'] as const) {
          const visible = mine.includes(k);
          const allowed = !op.roles || op.roles.includes(roleOf(name));
          if (visible && allowed) continue; // what they may do is tested by the pipeline tests
          const path = op.path
            .replace('{caseId}', cases[k].caseId)
            .replace('{partyId}', cases[k].partyIds[0]!)
            .replace(/\{\w+\}/g, randomUUID());
          const res = await stack.send(who[name], op.method.toUpperCase(), path, op.method === 'get' ? undefined : {});
          expect(res.status, `${name} ${op.method} ${path}`).toBe(visible ? 403 : 404);
          noFullSecrets(res.text);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    // Over a thousand requests, one after another: about 16 s alone, several times that beside other files.
  }, 240_000);
});

describe('seeing cases', () => {
  it.each(Object.entries(visibility))(
    'when %s opens every case, then only theirs answer and nothing is unmasked',
    async (name, mine) => {
      for (const k of ['A', 'B', 'C'] as const) {
        const res = await stack.send(who[name], 'GET', `/cases/${cases[k].caseId}`);
        if (mine.includes(k)) {
          expect(res.status, `${name} on ${k}`).toBe(200);
          expect(res.body.caseId).toBe(cases[k].caseId);
          noFullSecrets(res.text);
          expect(res.body.parties[0].idNumber).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);
        } else {
          expect(res.status, `${name} on ${k}`).toBe(404);
          expect(res.body.type).toBe('/problems/not-found');
        }
      }
    },
  );

  it.each(Object.entries(visibility))(
    "when %s opens every case's deadlines and documents, then only theirs answer",
    async (name, mine) => {
      for (const k of ['A', 'B', 'C'] as const) {
        const deadlines = await stack.send(who[name], 'GET', `/cases/${cases[k].caseId}/deadlines`);
        expect(deadlines.status, `${name} deadlines of ${k}`).toBe(mine.includes(k) ? 200 : 404);
        const documents = await stack.send(who[name], 'GET', `/cases/${cases[k].caseId}/documents`);
        // Documents carry full personal data: the supervisor sees the case but may not download them.
        expect(documents.status, `${name} documents of ${k}`).toBe(
          mine.includes(k) ? (name === 'supervisor.zheng' ? 403 : 200) : 404,
        );
      }
    },
  );

  it('when a foreign case is asked for, then the answer is the same as for a case that does not exist, and it is recorded', async () => {
    const foreign = await stack.send(who['party:A'], 'GET', `/cases/${cases.B.caseId}`);
    const missing = await stack.send(who['party:A'], 'GET', '/cases/6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b');
    expect(foreign.status).toBe(missing.status);
    expect(foreign.body.title).toBe(missing.body.title);
    const denied = await stack.db('security_events').where({ kind: 'authorization_denied', case_id: cases.B.caseId });
    expect(denied.length).toBeGreaterThan(0);
  });
});

describe('acting on cases', () => {
  it.each(['supervisor.zheng', 'mediator.wu', 'party:A'])(
    'when %s tries to accept case A, then 403 and the case is unchanged',
    async (name) => {
      const res = await stack.send(who[name], 'POST', `/cases/${cases.A.caseId}/accept`, {});
      expect(res.status).toBe(403);
      expect((await stack.send(who['clerk.chen'], 'GET', `/cases/${cases.A.caseId}`)).body.status).toBe('REGISTERED');
    },
  );

  it.each(['key:court-5202', 'court5202.li', 'key:notary-jieyang', 'notary.cai', 'party:B'])(
    'when %s tries to decline case B, then 403',
    async (name) => {
      const res = await stack.send(who[name], 'POST', `/cases/${cases.B.caseId}/decline`, { reason: 'outside_scope' });
      expect(res.status).toBe(403);
    },
  );

  it('when the legal-aid officer tries to accept a case they can see, then 403', async () => {
    expect((await stack.send(who['legalaid.xu'], 'POST', `/cases/${cases.C.caseId}/accept`, {})).status).toBe(403);
  });

  it("when a court tries to act on another court's case, then 404", async () => {
    const res = await stack.send(who['key:court-5202'], 'POST', `/cases/${cases.C.caseId}/accept`, {});
    expect(res.status).toBe(404);
  });

  it('when the clerk accepts, then the event records the clerk as the actor', async () => {
    const res = await stack.send(who['clerk.chen'], 'POST', `/cases/${cases.C.caseId}/accept`, {});
    expect(res.status).toBe(200);
    const me = await stack.send(who['clerk.chen'], 'GET', '/auth/me');
    expect(res.body.events.find((e: { type: string }) => e.type === 'CaseAccepted')).toMatchObject({
      actorId: me.body.principal.id,
      actorRole: 'clerk',
    });
    const byCourt = (await stack.send(who['clerk.chen'], 'GET', `/cases/${cases.C.caseId}`)).body.events[0];
    expect(byCourt).toMatchObject({
      type: 'CaseRegistered',
      actorRole: 'court',
      actorId: expect.stringMatching(/^court-5281\/key:/),
    });
  });

  it.each([
    ['supervisor.zheng', 'walk_in'],
    ['mediator.wu', 'walk_in'],
    ['party:A', 'online'],
    ['notary.cai', 'walk_in'],
    ['key:court-5202', 'walk_in'],
  ])('when %s registers a %s case, then 403 and no case is created', async (name, channel) => {
    // Marked, so that cases other files register meanwhile (they share the database) are not counted.
    const summary = `拒绝登记检查 ${randomUUID()}：申请人张三于2025年借给被申请人李四人民币12000元。`;
    const res = await stack.send(who[name], 'POST', '/cases', partyApplication({ channel, summary }));
    expect(res.status).toBe(403);
    expect(await stack.db('cases').where({ summary }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it("when a court delegates under another court's code, then 400 names the field", async () => {
    const res = await stack.send(
      who['key:court-5202'],
      'POST',
      '/cases',
      courtDelegation({ court: { courtCode: '粤5281' } }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('court.courtCode');
  });
});

describe('full personal data', () => {
  const path = (k: 'A' | 'B', i: number) =>
    `/cases/${cases[k].caseId}/parties/${cases[k].partyIds[i]}/personal-data?reason=${encodeURIComponent('送达文书')}`;

  it.each(['clerk.chen', 'mediator.wu', 'party:A'])(
    'when %s reads party A0 in full, then it is returned and the read is recorded with its reason',
    async (name) => {
      const before = await stack.db('personal_data_reads').where({ party_id: cases.A.partyIds[0] }).count({ n: '*' });
      const res = await stack.send(who[name], 'GET', path('A', 0));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        idNumber: secrets.ids[0],
        phone: secrets.phones[0],
        address: '广东省揭阳市榕城区东山街道1号',
      });
      expect(res.headers.get('cache-control')).toBe('no-store');
      const after = await stack.db('personal_data_reads').where({ party_id: cases.A.partyIds[0] }).count({ n: '*' });
      expect(Number(after[0]!.n) - Number(before[0]!.n)).toBe(3); // one row per field
      const latest = await stack
        .db('personal_data_reads')
        .where({ party_id: cases.A.partyIds[0] })
        .orderBy('id', 'desc')
        .limit(3);
      expect(latest.map((r) => r.reason)).toEqual(['送达文书', '送达文书', '送达文书']);
    },
  );

  it.each([
    ['supervisor.zheng', 'A', 0, 403],
    ['party:A', 'A', 1, 403], // the other party of one's own case
    ['party:A', 'B', 0, 404],
    ['mediator.zhou', 'A', 0, 404],
    ['key:court-5202', 'B', 0, 200],
    ['key:court-5281', 'B', 0, 404],
  ] as const)('when %s reads case %s party %i in full, then %i', async (name, k, i, status) => {
    expect((await stack.send(who[name], 'GET', path(k, i))).status).toBe(status);
  });

  it('when the database is dumped, then no ID or phone number is in it in plain text', async () => {
    const tables = (await stack.db.raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows.map(
      (r: { tablename: string }) => r.tablename,
    );
    let dump = '';
    for (const t of tables) {
      const rows = (await stack.db.raw(`SELECT row_to_json(x)::text AS j FROM "${t}" x`)).rows as { j: string }[];
      dump += rows.map((r) => r.j).join('\n');
    }
    expect(dump.length).toBeGreaterThan(1000);
    noFullSecrets(dump);
  });
});

describe('credentials that must be refused', () => {
  it('when a token is used after logout, then 401 and the refusal is recorded', async () => {
    const session = await stack.login('clerk.lin');
    expect((await stack.send(session, 'POST', '/auth/logout')).status).toBe(204);
    const res = await stack.send(session, 'GET', '/auth/me');
    expect(res.status).toBe(401);
    const refused = await stack
      .db('security_events')
      .where({ kind: 'token_refused', subject: sha256(session.token).slice(0, 16) })
      .first();
    expect(refused.detail.reason).toBe('revoked');
  });

  it('when a token has expired, then 401 telling to log in again, recorded', async () => {
    const session = await stack.login('clerk.lin');
    await stack
      .db('sessions')
      .where({ token_hash: sha256(session.token) })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const res = await stack.send(session, 'GET', `/cases/${cases.A.caseId}`);
    expect(res.status).toBe(401);
    expect(res.body.detail).toContain('expired');
    expect(
      (
        await stack
          .db('security_events')
          .where({ kind: 'token_refused', subject: sha256(session.token).slice(0, 16) })
          .first()
      ).detail.reason,
    ).toBe('expired');
  });

  it('when a made-up or altered token is sent, then 401', async () => {
    const real = await stack.login('clerk.lin');
    for (const token of ['sess_' + 'A'.repeat(43), real.token.slice(0, -2) + 'xx', 'not a token']) {
      expect((await stack.send({ token }, 'GET', '/auth/me')).status).toBe(401);
    }
  });

  it('when a court rotates its key, then the old key is refused and recorded, and the new one works', async () => {
    const old = { apiKey: stack.apiKeys['court-5281']! };
    const rotated = await stack.send(old, 'POST', '/auth/api-keys/rotate');
    expect(rotated.status).toBe(201);
    expect((await stack.send(old, 'GET', `/cases/${cases.C.caseId}`)).status).toBe(401);
    expect((await stack.send({ apiKey: rotated.body.apiKey }, 'GET', `/cases/${cases.C.caseId}`)).status).toBe(200);
    const refused = await stack
      .db('security_events')
      .where({ kind: 'api_key_refused', subject: rotated.body.revokedPrefix })
      .first();
    expect(refused.detail.reason).toBe('revoked');
    const stored = JSON.stringify(await stack.db('institution_api_keys').select());
    expect(stored).not.toContain(rotated.body.apiKey);
  });

  it('when a wrong password is tried five times, then the sixth attempt is refused even with the right one', async () => {
    for (let i = 0; i < 5; i++) {
      expect(
        (await stack.send(undefined, 'POST', '/auth/login', { username: 'mediator.ma', password: `guess-${i}` }))
          .status,
      ).toBe(401);
    }
    const blocked = await stack.send(undefined, 'POST', '/auth/login', {
      username: 'mediator.ma',
      password: 'Demo#2026',
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBeTruthy();
    expect(await stack.db('security_events').where({ kind: 'login_failed', subject: 'mediator.ma' })).toHaveLength(5);
  });

  it('when an unknown user logs in, then the answer is the same as for a wrong password', async () => {
    const unknown = await stack.send(undefined, 'POST', '/auth/login', { username: 'nobody', password: 'x' });
    const wrong = await stack.send(undefined, 'POST', '/auth/login', { username: 'mediator.guo', password: 'x' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  describe('one-time codes', () => {
    const challenge = async () => {
      const issued = await stack.send(
        who['clerk.chen'],
        'POST',
        `/cases/${cases.A.caseId}/parties/${cases.A.partyIds[1]}/access-code`,
        {},
      );
      const res = await stack.send(undefined, 'POST', '/auth/party/challenge', { accessCode: issued.body.accessCode });
      expect(res.status).toBe(201);
      expect(res.body.sentTo).toBe('170****0022');
      return { challengeId: res.body.challengeId as string, code: await stack.lastOneTimeCode(cases.A.partyIds[1]!) };
    };

    it('when a code is used twice, then the second use is refused and recorded', async () => {
      const c = await challenge();
      expect((await stack.send(undefined, 'POST', '/auth/party/verify', c)).status).toBe(201);
      expect((await stack.send(undefined, 'POST', '/auth/party/verify', c)).status).toBe(401);
      expect(
        (
          await stack
            .db('security_events')
            .where({ kind: 'otp_refused' })
            .whereRaw(`detail->>'challengeId' = ?`, [c.challengeId])
            .first()
        ).detail.reason,
      ).toBe('reused');
    });

    it('when a code has expired, then it is refused', async () => {
      const c = await challenge();
      await stack
        .db('one_time_codes')
        .where({ challenge_id: c.challengeId })
        .update({ expires_at: new Date(Date.now() - 1000) });
      expect((await stack.send(undefined, 'POST', '/auth/party/verify', c)).status).toBe(401);
    });

    it('when a code is guessed five times, then even the right code no longer works', async () => {
      const c = await challenge();
      for (let i = 0; i < 5; i++) {
        const wrong = String((Number(c.code) + 1 + i) % 1_000_000).padStart(6, '0');
        expect((await stack.send(undefined, 'POST', '/auth/party/verify', { ...c, code: wrong })).status).toBe(401);
      }
      expect((await stack.send(undefined, 'POST', '/auth/party/verify', c)).status).toBe(401);
    });

    it('when an access code is wrong, then 401 and the attempt is recorded', async () => {
      const res = await stack.send(undefined, 'POST', '/auth/party/challenge', {
        accessCode: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789',
      });
      expect(res.status).toBe(401);
      expect(await stack.db('security_events').where({ kind: 'access_code_refused' })).not.toHaveLength(0);
    });

    it('when an access code is re-issued, then the old one stops working', async () => {
      const first = await stack.send(
        who['clerk.chen'],
        'POST',
        `/cases/${cases.B.caseId}/parties/${cases.B.partyIds[0]}/access-code`,
        {},
      );
      await stack.send(
        who['clerk.chen'],
        'POST',
        `/cases/${cases.B.caseId}/parties/${cases.B.partyIds[0]}/access-code`,
        {},
      );
      expect(
        (await stack.send(undefined, 'POST', '/auth/party/challenge', { accessCode: first.body.accessCode })).status,
      ).toBe(401);
    });
  });

  it('when the SMS outbox is read, then it holds what would have been sent, and access codes are 160-bit', async () => {
    const messages = await stack.outbox(cases.A.partyIds[0]!);
    expect(messages.some((m) => m.purpose === 'access_code' && m.to === secrets.phones[0])).toBe(true);
    const code = /查询码：([0-9A-Z-]+)/.exec(messages.find((m) => m.purpose === 'access_code')!.body)![1]!;
    expect(code.replace(/-/g, '')).toHaveLength(32); // 32 base32 characters = 160 bits
  });
});

describe('children and guardians', () => {
  const withChild = (guardian: boolean) =>
    partyApplication({
      disputeType: 'general_civil',
      summary: '申请人（未成年人）在小区游乐设施受伤，由监护人代为申请调解。',
      parties: [
        {
          role: 'applicant',
          kind: 'natural',
          name: '王小明',
          minorUnder14: true,
          ...(guardian
            ? {
                representatives: [
                  {
                    kind: 'guardian',
                    name: '王五',
                    idNumber: fictionalIdNumber('445202', '19001010', '555'),
                    phone: '17000550055',
                  },
                ],
              }
            : {}),
        },
        { role: 'respondent', kind: 'legal', name: '某某物业服务有限公司' },
      ],
    });

  it('when a child applies without a guardian, then 400 names the field', async () => {
    const res = await stack.send(who['clerk.chen'], 'POST', '/cases', withChild(false));
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({
      field: 'parties[0].representatives',
      message: expect.stringContaining('guardian'),
    });
  });

  it('when a child is a party, then the name is stored and shown masked, and the guardian may read it in full', async () => {
    const res = await stack.send(who['clerk.chen'], 'POST', '/cases', withChild(true));
    expect(res.status).toBe(201);
    const [child, guardian] = res.body.parties;
    expect(child).toMatchObject({ name: '王**', minorUnder14: true, role: 'applicant' });
    expect(guardian).toMatchObject({ name: '王五', role: 'guardian', representsPartyId: child.partyId });
    expect(res.text).not.toContain('王小明');
    expect(JSON.stringify(await stack.db('case_parties').where({ case_id: res.body.caseId }))).not.toContain('王小明');

    const guardianAuth = await stack.partyLogin(who['clerk.chen'], res.body.caseId, guardian.partyId);
    const full = await stack.send(
      guardianAuth,
      'GET',
      `/cases/${res.body.caseId}/parties/${child.partyId}/personal-data?reason=${encodeURIComponent('本人监护的未成年人')}`,
    );
    expect(full.status).toBe(200);
    expect(full.body.name).toBe('王小明');
    const reads = await stack.db('personal_data_reads').where({ party_id: child.partyId, field: 'name' });
    expect(reads[0]).toMatchObject({ principal: guardian.partyId, role: 'party', reason: '本人监护的未成年人' });
    const respondent = res.body.parties[2];
    expect(
      (await stack.send(guardianAuth, 'GET', `/cases/${res.body.caseId}/parties/${respondent.partyId}/personal-data`))
        .status,
    ).toBe(403);
  });
});

describe('credit files and the public directory', () => {
  /** Who reads which file: 吴国栋's (榕城区人民调解委员会) and the medical committee's; 403 for a role that keeps none. */
  const fileReaders: Record<string, { wu: number; medical: number }> = {
    'supervisor.zheng': { wu: 200, medical: 200 },
    'clerk.huang': { wu: 200, medical: 404 }, // 榕城区's own staff
    'clerk.chen': { wu: 404, medical: 404 }, // the center belongs to no mediation organization
    'mediator.wu': { wu: 200, medical: 404 }, // their own file only
    'mediator.zhou': { wu: 404, medical: 404 },
  };

  it('when every principal walks every credit route, then a file not theirs is 404, a role that keeps none is 403, and only the supervisor records', async () => {
    const wu = (await stack.db('staff_accounts').where({ username: 'mediator.wu' }).first('account_id')).account_id;
    const creditOps = operations().filter((o) => o.path.startsWith('/credit/'));
    expect(creditOps.length).toBeGreaterThanOrEqual(6);
    for (const op of creditOps) {
      for (const [name, subject] of [
        ['wu', wu],
        ['medical', 'medical-pmc'],
      ] as const) {
        if (op.path.includes('{mediatorId}') !== (name === 'wu')) continue;
        const path = op.path.replace(/\{\w+\}/, subject);
        // 普宁市法院's first key was rotated above: it answers 401 now.
        for (const principal of Object.keys(visibility).filter((k) => k !== 'key:court-5281')) {
          const read = fileReaders[principal]?.[name] ?? 403;
          if (op.method === 'post' && principal === 'supervisor.zheng') continue; // recording is tested in credit.test.ts
          const expected = op.method === 'get' ? read : 403;
          const res = await stack.send(
            who[principal],
            op.method.toUpperCase(),
            path,
            op.method === 'get' ? undefined : {},
          );
          expect(res.status, `${principal} ${op.method} ${path}`).toBe(expected);
          noFullSecrets(res.text);
        }
      }
    }
  }, 120_000);

  it('when nobody is logged in, then every directory route answers, cacheable briefly, with no ID or phone number', async () => {
    const wu = (await stack.db('staff_accounts').where({ username: 'mediator.wu' }).first('account_id')).account_id;
    const directoryOps = operations().filter((o) => o.path.startsWith('/directory/'));
    expect(directoryOps.every((o) => o.auth === 'none')).toBe(true);
    for (const op of directoryOps) {
      const res = await stack.send(undefined, 'GET', op.path.replace('{mediatorId}', wu));
      expect(res.status, op.path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=60');
      noFullSecrets(res.text);
    }
  });
});
