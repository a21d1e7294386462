// The dashboard's texts in English: the reference every other language file follows, key for
// key (TypeScript refuses a file with a key missing; tests/web/dashboard_i18n.test.mjs also
// checks the plural forms). Words as in docs/glossary.md. A text that prints a count is a
// plural message: one string per plural category of the language (Intl.PluralRules), {n}
// the count as Intl.NumberFormat writes it; no other text holds a count.
export type Plural = { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string };

export const en = {
  app: 'OpenNPS',
  labelled: '{label}: {value}', name_code: '{name} ({code})',
  signin: 'Sign in', signout: 'Sign out', email: 'E-mail', password: 'Password', or_token: 'or an API token',
  token: 'API token', signin_failed: 'Sign-in failed', language: 'Language',
  overview: 'Overview', responses: 'Responses', followup: 'Follow-up', promoters: 'Promoters', surveys: 'Surveys',
  tokens: 'Tokens', users: 'Users', survey: 'Survey', from: 'From', to: 'To', channel: 'Channel', locale: 'Language',
  device: 'Device', page: 'Page', attribute: 'Attribute', any: 'all', interval: 'Interval', day: 'day', week: 'week',
  month: 'month', apply: 'Apply',
  nps: 'NPS', answers_label: 'Answers', answers_n: { one: '{n} answer', other: '{n} answers' } as Plural,
  ci: '95% CI', margin: 'margin of error ±{m}',
  small_sample: 'Small sample: fewer answers than needed to trust this number. Widen the date range or wait for more answers.',
  distribution: 'Scores 0–10', shares: 'Shares', promoters_share: 'Promoters', passives_share: 'Passives',
  detractors_share: 'Detractors', trend: 'Trend',
  breakdown_channel: 'Breakdown by channel', breakdown_locale: 'Breakdown by language', breakdown_device: 'Breakdown by device',
  breakdown_page: 'Breakdown by page', breakdown_attribute: 'Breakdown by attribute “{name}”', segment: 'Segment',
  vs_rest: 'vs. the rest', significant: 'significant (p < {p})', not_significant: 'not significant',
  significant_change: 'significant change', none_value: '(none)', small_sample_short: 'too few answers to trust',
  live: 'Live', live_new: { one: '{n} new answer since you opened this page', other: '{n} new answers since you opened this page' } as Plural,
  live_on: 'Live updates on',
  no_surveys: 'No survey yet. An editor creates one under Surveys; then paste its snippet into your site.',
  no_answers: 'No answers in this range. Widen the date range or clear the filters; for a new survey, paste its snippet (under Surveys) into your site and wait for the first answers.',
  score: 'Score', category: 'Category', comment: 'Comment', attributes: 'Attributes', time: 'Time',
  detractor: 'detractor', passive: 'passive', promoter: 'promoter', all: 'all', search: 'Search comments',
  export_csv: 'Export CSV', more: 'More',
  no_responses: 'No answers match. Clear the search or the category filter.',
  status: 'Status', status_new: 'new', status_contacted: 'contacted', status_resolved: 'resolved',
  assignee: 'Assignee', unassigned: 'unassigned', mine: 'Mine', open: 'Open', all_items: 'All',
  notes: 'Notes', notes_n: { one: '{n} note', other: '{n} notes' } as Plural, note: 'Note', add_note: 'Add note',
  mark_contacted: 'Mark as contacted', resolve: 'Mark as resolved',
  assign_me: 'Assign to me', respondent: 'Respondent', back: 'Back',
  no_followups: 'Nothing to follow up. Detractors who leave a comment or a contact appear here.',
  no_promoters: 'No promoter left a contact yet. Pass a respondent id with answers (nps("identify", …)) to see them here.',
  create_survey: 'Create a survey', edit_survey: 'Edit', save: 'Save', id: 'Id', name: 'Name',
  definition: 'Configuration (JSON)', saved: 'Saved.', snippet: 'Paste this into your site', copy: 'Copy',
  fix_errors: 'Fix the fields marked in red.', archived: 'archived', version: 'version {v}',
  preview: 'Preview', preview_note: 'Preview — answers are not saved', preview_language: 'Language',
  restart: 'Restart', preview_loading: 'Loading the widget…', preview_failed: 'The preview could not load',
  preview_invalid: 'The widget cannot show this configuration:',
  preview_closed: 'The respondent closed the survey. Restart to see it again.',
  role: 'Role', role_viewer: 'viewer', role_analyst: 'analyst', role_editor: 'editor', role_admin: 'administrator',
  create: 'Create', delete: 'Delete', created_token: 'The new token (shown only once):',
  no_tokens: 'No tokens yet. Create one for a script or another service that reads the API.',
  no_users: 'No users yet. Create one so a colleague can sign in with e-mail and password.',
  forbidden: 'Your role cannot see this.', error: 'Something went wrong',
  benchmark: 'For comparison (XM Institute, US consumers, 2023–2024): grocery ~30, retail ~29, TV/internet ~9.',
};
type Source = typeof en;
// What every other language gives: a string for a text, a Plural for a count.
export type Table = { [K in keyof Source]: Source[K] extends string ? string : Plural };
