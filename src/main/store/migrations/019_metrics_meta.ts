// Schema 19: the dashboard's calls and portal views carry their figures in the metadata (a call's
// duration, a view's article and whether it deflected). A partial index of just those events, with
// the three values as expressions, answers that read from the index alone instead of a table row
// per event. The store's query repeats these expressions exactly (SQLite matches them as text).
// A restricted channel's metadata is sealed (not JSON): json_valid keeps such a row insertable
// (an index expression that fails would refuse the insert) and reads as no duration / no article.
export const METRICS_META_SQL = {
  durationMs: `CASE WHEN kind = 'call' AND json_valid(metadata) THEN COALESCE(json_extract(metadata, '$.durationMs'), json_extract(metadata, '$.durationSec') * 1000) END`,
  article: `CASE WHEN kind = 'portal_view' AND json_valid(metadata) THEN json_extract(metadata, '$.article') END`,
  deflected: `CASE WHEN kind = 'portal_view' AND json_valid(metadata) THEN json_extract(metadata, '$.deflected') END`,
  where: `kind IN ('call', 'portal_view') AND direction != 'internal'`,
} as const;

export const migration019 = {
  version: 19,
  name: 'metrics metadata index',
  sql: /* sql */ `
CREATE INDEX events_metrics_meta ON events(occurred_at, kind, direction, channel, author_type, author_id, case_id, customer_id,
  ${METRICS_META_SQL.durationMs}, ${METRICS_META_SQL.article}, ${METRICS_META_SQL.deflected})
  WHERE ${METRICS_META_SQL.where};
`,
};
