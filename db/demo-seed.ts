/**
 * Demo data for `npm start` and the tests: the center and its mediation
 * organizations, courts, notary offices, the legal-aid office and demo accounts. Idempotent. Court and
 * notary API keys are created only for institutions that have none, and returned so the caller can keep
 * them (they are stored hashed and cannot be shown again).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DisputeType, ORGANIZATION_KINDS } from '../domain/case.js';
import { hashPassword } from '../identity/passwords.js';
import { createApiKey } from './identity.js';
import type { MediatorLanguage } from './roster.js';
import { seedDirectoryListings } from './credit.js';

export const DEMO_PASSWORD = 'Demo#2026';
const PATTERN = '（{year}）{abbreviation}字第{sequence:4}号';

/**
 * `kind` decides the form of the documents an organization issues (`mediationKindOf`): a people's mediation
 * committee, a labour dispute mediation organization, a lawyer mediation studio, an organization on the
 * courts' roster of invited mediation organizations (特邀调解规定 Arts 5-6; a court's own cases are 特邀调解
 * whichever organization mediates them).
 */
export const DEMO_ORGANIZATIONS: {
  org_id: string;
  name: string;
  kind: keyof typeof ORGANIZATION_KINDS;
  abbreviation: string | null;
  dispute_types: DisputeType[];
}[] = [
  {
    org_id: 'center',
    name: '揭阳市一站式非诉讼纠纷化解中心',
    kind: 'center',
    abbreviation: '揭非诉',
    dispute_types: [],
  },
  {
    org_id: 'rongcheng-pmc',
    name: '榕城区人民调解委员会',
    kind: 'people_mediation',
    abbreviation: '揭榕人调',
    dispute_types: ['general_civil', 'neighbour', 'family_property', 'loan_debt'],
  },
  {
    org_id: 'medical-pmc',
    name: '揭阳市医疗纠纷人民调解委员会',
    kind: 'industry_mediation',
    abbreviation: '揭医调',
    dispute_types: ['medical'],
  },
  {
    org_id: 'traffic-pmc',
    name: '揭阳市道路交通事故人民调解委员会',
    kind: 'industry_mediation',
    abbreviation: '揭交调',
    dispute_types: ['road_traffic'],
  },
  {
    org_id: 'labour-center',
    name: '揭阳市劳动人事争议调解中心',
    kind: 'labour_mediation',
    abbreviation: '揭劳调',
    dispute_types: ['labour'],
  },
  {
    org_id: 'property-pmc',
    name: '揭阳市物业纠纷人民调解委员会',
    kind: 'industry_mediation',
    abbreviation: '揭物调',
    dispute_types: ['property_management'],
  },
  {
    org_id: 'consumer-pmc',
    name: '揭阳市消费纠纷人民调解委员会',
    kind: 'industry_mediation',
    abbreviation: '揭消调',
    dispute_types: ['consumer', 'e_commerce', 'express_logistics'],
  },
  {
    org_id: 'lawyer-studio',
    name: '揭阳市律师调解工作室',
    kind: 'lawyer_mediation',
    abbreviation: '揭律调',
    dispute_types: ['construction', 'finance', 'real_estate', 'intellectual_property', 'international_trade'],
  },
  // Takes only what a court hands it: the roster routes no dispute type here by itself.
  {
    org_id: 'court-invited',
    name: '揭阳市商事调解中心',
    kind: 'court_invited_mediation',
    abbreviation: '揭商调',
    dispute_types: [],
  },
  { org_id: 'justice-bureau', name: '揭阳市司法局', kind: 'justice_bureau', abbreviation: null, dispute_types: [] },
  { org_id: 'legal-aid-office', name: '揭阳市法律援助处', kind: 'legal_aid', abbreviation: null, dispute_types: [] },
];

export const DEMO_INSTITUTIONS = [
  { institution_id: 'court-52', kind: 'court', name: '揭阳市中级人民法院', code: '粤52', level: 'intermediate' },
  { institution_id: 'court-5202', kind: 'court', name: '揭阳市榕城区人民法院', code: '粤5202', level: 'basic' },
  { institution_id: 'court-5203', kind: 'court', name: '揭阳市揭东区人民法院', code: '粤5203', level: 'basic' },
  { institution_id: 'court-5222', kind: 'court', name: '揭西县人民法院', code: '粤5222', level: 'basic' },
  { institution_id: 'court-5224', kind: 'court', name: '惠来县人民法院', code: '粤5224', level: 'basic' },
  { institution_id: 'court-5281', kind: 'court', name: '普宁市人民法院', code: '粤5281', level: 'basic' },
  { institution_id: 'notary-jieyang', kind: 'notary_office', name: '广东省揭阳市公证处', code: null, level: null },
  { institution_id: 'notary-puning', kind: 'notary_office', name: '广东省普宁市公证处', code: null, level: null },
] as const;

type DemoAccount = {
  username: string;
  display_name: string;
  role: string;
  org_id?: string;
  institution_id?: string;
  specialties?: DisputeType[];
};

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'clerk.chen', display_name: '陈晓琳', role: 'clerk', org_id: 'center' },
  { username: 'clerk.lin', display_name: '林志强', role: 'clerk', org_id: 'center' },
  { username: 'clerk.huang', display_name: '黄丽华', role: 'clerk', org_id: 'rongcheng-pmc' },
  {
    username: 'mediator.wu',
    display_name: '吴国栋',
    role: 'mediator',
    org_id: 'rongcheng-pmc',
    specialties: ['loan_debt', 'general_civil'],
  },
  {
    username: 'mediator.zhou',
    display_name: '周秀英',
    role: 'mediator',
    org_id: 'rongcheng-pmc',
    specialties: ['family_property', 'neighbour'],
  },
  {
    username: 'mediator.he',
    display_name: '何建华',
    role: 'mediator',
    org_id: 'medical-pmc',
    specialties: ['medical'],
  },
  {
    username: 'mediator.luo',
    display_name: '罗美玲',
    role: 'mediator',
    org_id: 'medical-pmc',
    specialties: ['medical'],
  },
  {
    username: 'mediator.guo',
    display_name: '郭志明',
    role: 'mediator',
    org_id: 'traffic-pmc',
    specialties: ['road_traffic'],
  },
  {
    username: 'mediator.ma',
    display_name: '马丽',
    role: 'mediator',
    org_id: 'traffic-pmc',
    specialties: ['road_traffic'],
  },
  {
    username: 'mediator.liang',
    display_name: '梁振华',
    role: 'mediator',
    org_id: 'labour-center',
    specialties: ['labour'],
  },
  {
    username: 'mediator.song',
    display_name: '宋春梅',
    role: 'mediator',
    org_id: 'labour-center',
    specialties: ['labour'],
  },
  {
    username: 'mediator.xie',
    display_name: '谢文涛',
    role: 'mediator',
    org_id: 'property-pmc',
    specialties: ['property_management'],
  },
  {
    username: 'mediator.tang',
    display_name: '唐慧',
    role: 'mediator',
    org_id: 'property-pmc',
    specialties: ['property_management'],
  },
  {
    username: 'mediator.feng',
    display_name: '冯立新',
    role: 'mediator',
    org_id: 'consumer-pmc',
    specialties: ['consumer', 'e_commerce'],
  },
  {
    username: 'mediator.deng',
    display_name: '邓雅琴',
    role: 'mediator',
    org_id: 'consumer-pmc',
    specialties: ['express_logistics', 'consumer'],
  },
  {
    username: 'mediator.cao',
    display_name: '曹律师',
    role: 'mediator',
    org_id: 'lawyer-studio',
    specialties: ['construction', 'finance'],
  },
  {
    username: 'mediator.peng',
    display_name: '彭律师',
    role: 'mediator',
    org_id: 'lawyer-studio',
    specialties: ['real_estate', 'intellectual_property'],
  },
  { username: 'supervisor.zheng', display_name: '郑国平', role: 'supervisor', org_id: 'justice-bureau' },
  { username: 'legalaid.xu', display_name: '许文静', role: 'legal_aid_officer', org_id: 'legal-aid-office' },
  { username: 'court5202.li', display_name: '李明（榕城区法院立案庭）', role: 'court', institution_id: 'court-5202' },
  { username: 'court5281.wu', display_name: '吴静（普宁市法院立案庭）', role: 'court', institution_id: 'court-5281' },
  { username: 'notary.cai', display_name: '蔡淑贞（揭阳市公证处）', role: 'notary', institution_id: 'notary-jieyang' },
];

/** Where each demo organization sits (市本级: the city's own); statistics group by county. */
export const DEMO_ORGANIZATION_COUNTIES: Record<string, string> = {
  center: '市本级',
  'rongcheng-pmc': '榕城区',
  'medical-pmc': '市本级',
  'traffic-pmc': '市本级',
  'labour-center': '市本级',
  'property-pmc': '市本级',
  'consumer-pmc': '市本级',
  'lawyer-studio': '市本级',
  'court-invited': '市本级',
  'justice-bureau': '市本级',
  'legal-aid-office': '市本级',
};

/** The languages each demo mediator mediates in: 潮汕话 is Jieyang's own, 客家话 is spoken in 揭西, 粤语 by many from the Pearl River delta. */
export const DEMO_MEDIATOR_LANGUAGES: Record<string, MediatorLanguage[]> = {
  'mediator.wu': ['chaoshan', 'mandarin'],
  'mediator.zhou': ['chaoshan', 'mandarin'],
  'mediator.he': ['mandarin', 'chaoshan', 'cantonese'],
  'mediator.luo': ['mandarin', 'cantonese'],
  'mediator.guo': ['chaoshan', 'mandarin', 'hakka'],
  'mediator.ma': ['mandarin'],
  'mediator.liang': ['chaoshan', 'mandarin', 'hakka'],
  'mediator.song': ['mandarin', 'chaoshan'],
  'mediator.xie': ['chaoshan', 'mandarin'],
  'mediator.tang': ['mandarin', 'cantonese'],
  'mediator.feng': ['chaoshan', 'mandarin'],
  'mediator.deng': ['mandarin', 'cantonese', 'chaoshan'],
  'mediator.cao': ['mandarin', 'chaoshan', 'english'],
  'mediator.peng': ['mandarin', 'cantonese', 'english'],
};

/** Organizations and institutions every installation needs to number and route cases (configuration). */
export async function seedReferenceData(db: Knex): Promise<void> {
  await db('organizations')
    .insert(
      DEMO_ORGANIZATIONS.map((o) => ({
        ...o,
        dispute_types: JSON.stringify(o.dispute_types),
        case_number_pattern: o.abbreviation ? PATTERN : null,
      })),
    )
    .onConflict('org_id')
    .ignore();
  await db('institutions')
    .insert([...DEMO_INSTITUTIONS])
    .onConflict('institution_id')
    .ignore();
  // Organizations seeded before counties were kept get theirs; a county an administrator set stays.
  for (const [orgId, county] of Object.entries(DEMO_ORGANIZATION_COUNTIES))
    await db('organizations').where({ org_id: orgId }).whereNull('county').update({ county });
  await seedDirectoryListings(db);
}

export type DemoCredentials = { password: string; apiKeys: Record<string, string> };

/** Demo accounts (one password for all) and an API key per court and notary office that has none. */
export async function seedDemoData(db: Knex): Promise<DemoCredentials> {
  await seedReferenceData(db);
  const existing = new Set((await db('staff_accounts').select('username')).map((r) => r.username));
  const missing = DEMO_ACCOUNTS.filter((a) => !existing.has(a.username));
  const hash = missing.length ? await hashPassword(DEMO_PASSWORD) : '';
  if (missing.length) {
    await db('staff_accounts')
      .insert(
        missing.map((a) => ({
          account_id: randomUUID(),
          username: a.username,
          display_name: a.display_name,
          role: a.role,
          org_id: a.org_id ?? null,
          institution_id: a.institution_id ?? null,
          password_hash: hash,
          specialties: JSON.stringify(a.specialties ?? []),
        })),
      )
      .onConflict('username')
      .ignore();
  }
  // Languages for demo mediators that have none yet (accounts seeded before languages were kept, too).
  for (const [username, languages] of Object.entries(DEMO_MEDIATOR_LANGUAGES)) {
    await db('staff_accounts')
      .where({ username })
      .whereRaw("languages = '[]'::jsonb")
      .update({ languages: JSON.stringify(languages) });
  }
  // 周秀英 is 张三's cousin: proposing her for a case with 张三 must fail the conflict check.
  const zhou = await db('staff_accounts').where({ username: 'mediator.zhou' }).first('account_id');
  if (zhou)
    await db('mediator_conflicts')
      .insert({ mediator_account_id: zhou.account_id, party_name: '张三', relation: 'close_relative' })
      .onConflict(['mediator_account_id', 'party_name'])
      .ignore();
  const apiKeys: Record<string, string> = {};
  for (const inst of DEMO_INSTITUTIONS) {
    const has = await db('institution_api_keys')
      .where({ institution_id: inst.institution_id })
      .whereNull('revoked_at')
      .first('key_id');
    if (!has) apiKeys[inst.institution_id] = (await createApiKey(db, inst.institution_id, 'demo key')).key;
  }
  return { password: DEMO_PASSWORD, apiKeys };
}
