/**
 * The ratings in the counts' rollups (docs/supervision.md#statistics; db/case-facts-monthly.ts says how they are kept):
 * 满意率 and 参评率 read whole months from them as the counts do, instead of every rating of the period joined to its
 * facts. Three counts on both rollups: `n_rated` on a case's 'concluded' row (the case has a rating that counts, 参评率's
 * numerator), and on rows dated 'rated' (one per rating month) `n_counted_rating` and `n_satisfied_rating` (满意率's
 * denominator and numerator). A rating excluded by 申诉复核 counts nowhere. The rows already there are filled in here
 * as `npm run stats:rebuild` writes them.
 */
import type { Knex } from 'knex';

const COUNTS = [
  'all',
  'mediated',
  'agreement',
  'confirmation_applied',
  'confirmed',
  'notarization_applied',
  'performed',
  'rated',
  'counted_rating',
  'satisfied_rating',
];
const NEW_COUNTS = ['rated', 'counted_rating', 'satisfied_rating'];

/** The combinations' key, as the facts hold each attribute ('' for none). */
const ATTRIBUTES = `f.dispute_type, f.channel, coalesce(f.intake_org_id, ''), coalesce(f.handling_org_id, ''),
  coalesce(f.org_id, ''), coalesce(f.county, ''), coalesce(f.mediator_account_id::text, ''), f.priority_groups`;
const KEY_COLUMNS = `dispute_type, channel, intake_org_id, handling_org_id, org_id, county, mediator_account_id,
  priority_groups`;
/** A rating that counts (not excluded by 申诉复核), and one of those 非常满意 or 满意 (domain/ratings.ts SATISFIED_LEVELS). */
const COUNTED = "(r.review_outcome IS NULL OR r.review_outcome = 'kept')";
const SATISFIED = `(${COUNTED} AND r.level IN ('very_satisfied', 'satisfied'))`;
const MONTH = (at: string) => `date_trunc('month', ${at} AT TIME ZONE 'Asia/Shanghai')::date`;

export async function up(knex: Knex): Promise<void> {
  for (const table of ['case_facts_monthly', 'case_facts_monthly_groups'])
    await knex.schema.alterTable(table, (t) => {
      for (const c of NEW_COUNTS) t.bigInteger(`n_${c}`).notNullable().defaultTo(0);
    });
  // The rated cases among the concluded ones, on their 'concluded' rows (every such row exists: it counts n_all).
  await knex.raw(`
    UPDATE case_facts_monthly m SET n_rated = s.n
    FROM (SELECT ${MONTH('f.concluded_at')} AS month, ${ATTRIBUTES}, count(*) AS n
          FROM case_facts f
          WHERE f.concluded_at IS NOT NULL
            AND EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = f.case_id AND ${COUNTED})
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) s(month, ${KEY_COLUMNS}, n)
    WHERE m.dated = 'concluded' AND m.month = s.month
      AND ${KEY_COLUMNS.split(',')
        .map((c) => `m.${c.trim()} = s.${c.trim()}`)
        .join(' AND ')}`);
  // The ratings that count, by the month given and the rated case's attributes.
  await knex.raw(`
    INSERT INTO case_facts_monthly (dated, month, ${KEY_COLUMNS}, n_counted_rating, n_satisfied_rating)
    SELECT 'rated', ${MONTH('r.rated_at')}, ${ATTRIBUTES}, count(*), count(*) FILTER (WHERE ${SATISFIED})
    FROM ratings r JOIN case_facts f ON f.case_id = r.case_id
    WHERE ${COUNTED}
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`);
  // Both slices by scope and group again from the combinations, as migration 20261207100000 sums them.
  await knex.raw(`DELETE FROM case_facts_monthly_groups WHERE dated IN ('concluded', 'rated')`);
  await knex.raw(`
    INSERT INTO case_facts_monthly_groups (scope_kind, scope_id, group_kind, dated, month, group_key,
      ${COUNTS.map((c) => `n_${c}`).join(', ')})
    SELECT s.kind, s.id, g.kind, m.dated, m.month, g.key, ${COUNTS.map((c) => `sum(m.n_${c})`).join(', ')}
    FROM case_facts_monthly m
    CROSS JOIN LATERAL (VALUES ('all', ''), ('org', m.intake_org_id),
      ('org', CASE WHEN m.handling_org_id <> m.intake_org_id THEN m.handling_org_id ELSE '' END),
      ('mediator', m.mediator_account_id)) s(kind, id)
    CROSS JOIN LATERAL (
      SELECT * FROM (VALUES ('total', ''), ('disputeType', m.dispute_type), ('organization', m.org_id),
        ('mediator', m.mediator_account_id), ('channel', m.channel), ('county', m.county)) v(kind, key)
      UNION ALL
      SELECT 'priorityGroup', p.key FROM jsonb_array_elements_text(
        CASE WHEN m.priority_groups = '[]'::jsonb THEN '[""]'::jsonb ELSE m.priority_groups END) p(key)) g
    WHERE m.dated IN ('concluded', 'rated') AND (s.kind = 'all' OR s.id <> '')
    GROUP BY 1, 2, 3, 4, 5, 6`);
  await knex.raw('ANALYZE case_facts_monthly');
  await knex.raw('ANALYZE case_facts_monthly_groups');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DELETE FROM case_facts_monthly WHERE dated = 'rated'`);
  await knex.raw(`DELETE FROM case_facts_monthly_groups WHERE dated = 'rated'`);
  for (const table of ['case_facts_monthly', 'case_facts_monthly_groups'])
    await knex.schema.alterTable(table, (t) => {
      t.dropColumns(...NEW_COUNTS.map((c) => `n_${c}`));
    });
}
