// Every text of the dashboard's chrome, by key, in each language. Keep keys in this one file.
// Answers and comments are shown as the respondents wrote them.
export type Lang = 'en' | 'es' | 'ru' | 'zh-Hans';
export const languages: { code: Lang; name: string; dir: 'ltr' | 'rtl' }[] = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'ru', name: 'Русский', dir: 'ltr' },
  { code: 'zh-Hans', name: '简体中文', dir: 'ltr' },
];

const en = {
  app: 'OpenNPS',
  signin: 'Sign in', signout: 'Sign out', email: 'E-mail', password: 'Password', or_token: 'or an API token',
  token: 'API token', signin_failed: 'Sign-in failed', language: 'Language',
  overview: 'Overview', responses: 'Responses', followup: 'Follow-up', promoters: 'Promoters', surveys: 'Surveys',
  tokens: 'Tokens', users: 'Users', survey: 'Survey', from: 'From', to: 'To', channel: 'Channel', locale: 'Locale',
  device: 'Device', page: 'Page', attribute: 'Attribute', any: 'any', interval: 'Interval', day: 'day', week: 'week', month: 'month', apply: 'Apply',
  nps: 'NPS', n: 'answers', ci: '95% interval', margin: 'margin of error ±{m}',
  small_sample: 'Small sample: fewer answers than needed to trust this number. Widen the date range or wait for more answers.',
  distribution: 'Scores 0–10', shares: 'Shares', promoters_share: 'Promoters', passives_share: 'Passives',
  detractors_share: 'Detractors', trend: 'Trend', breakdown: 'Breakdown by {by}', segment: 'Segment',
  vs_rest: 'vs. the rest', significant: 'significant (p < 0.05)', not_significant: 'not significant',
  significant_change: 'significant change', none_value: '(none)', small_sample_short: 'too few answers to trust',
  live: 'Live', live_new: '{n} new answers since you opened this page', live_on: 'Live updates on',
  no_surveys: 'No survey yet. An editor creates one under Surveys; then paste its snippet into your site.',
  no_answers: 'No answers in this range. Widen the date range or clear the filters; for a new survey, paste its snippet (under Surveys) into your site and wait for the first answers.',
  score: 'Score', category: 'Category', comment: 'Comment', attributes: 'Attributes', time: 'Time',
  detractor: 'detractor', passive: 'passive', promoter: 'promoter', all: 'all', search: 'Search comments',
  export_csv: 'Export CSV', more: 'More',
  no_responses: 'No answers match. Clear the search or the category filter.',
  status: 'Status', status_new: 'new', status_contacted: 'contacted', status_resolved: 'resolved',
  assignee: 'Assignee', unassigned: 'unassigned', mine: 'Mine', open: 'Open', all_items: 'All',
  notes: 'Notes', note: 'Note', add_note: 'Add note', mark_contacted: 'Mark contacted', resolve: 'Resolve',
  assign_me: 'Assign to me', respondent: 'Respondent', back: 'Back',
  no_followups: 'Nothing to follow up. Detractors who leave a comment or a contact appear here.',
  no_promoters: 'No promoter left a contact yet. Pass a respondent id with answers (nps("identify", …)) to see them here.',
  create_survey: 'Create a survey', edit_survey: 'Edit', save: 'Save', id: 'Id', name: 'Name',
  definition: 'Definition (JSON)', saved: 'Saved.', snippet: 'Paste this into your site', copy: 'Copy',
  fix_errors: 'Fix the fields marked in red.', archived: 'archived', version: 'version',
  preview: 'Preview', preview_note: 'Preview — answers are not saved', preview_language: 'Language',
  restart: 'Restart', preview_loading: 'Loading the widget…', preview_failed: 'The preview could not load',
  preview_invalid: 'The widget cannot show this definition:',
  preview_closed: 'The respondent closed the survey. Restart to see it again.',
  role: 'Role', create: 'Create', delete: 'Delete', created_token: 'The new token (shown only once):',
  no_tokens: 'No tokens.', no_users: 'No users yet. Create one so a colleague can sign in with e-mail and password.',
  forbidden: 'Your role cannot see this.', error: 'Something went wrong',
  benchmark: 'For comparison (XM Institute, US consumers, 2023–2024): grocery ~30, retail ~29, TV/internet ~9.',
};
type Table = typeof en;
export type Key = keyof Table;

const es: Table = {
  signin: 'Iniciar sesión', signout: 'Cerrar sesión', email: 'Correo', password: 'Contraseña',
  or_token: 'o un token de API', token: 'Token de API', signin_failed: 'No se pudo iniciar sesión', language: 'Idioma',
  overview: 'Resumen', responses: 'Respuestas', followup: 'Seguimiento', promoters: 'Promotores', surveys: 'Encuestas',
  tokens: 'Tokens', users: 'Usuarios', survey: 'Encuesta', from: 'Desde', to: 'Hasta', channel: 'Canal',
  locale: 'Idioma', device: 'Dispositivo', page: 'Página', attribute: 'Atributo', any: 'cualquiera', interval: 'Intervalo', day: 'día', week: 'semana',
  month: 'mes', apply: 'Aplicar', n: 'respuestas', ci: 'intervalo del 95 %', margin: 'margen de error ±{m}',
  small_sample: 'Muestra pequeña: pocas respuestas para fiarse de este número. Amplíe las fechas o espere más respuestas.',
  distribution: 'Puntuaciones 0–10', shares: 'Proporciones', promoters_share: 'Promotores', passives_share: 'Pasivos',
  detractors_share: 'Detractores', trend: 'Tendencia', breakdown: 'Desglose por {by}', segment: 'Segmento',
  vs_rest: 'frente al resto', significant: 'significativo (p < 0,05)', not_significant: 'no significativo',
  significant_change: 'cambio significativo', small_sample_short: 'muy pocas respuestas', none_value: '(ninguno)', live: 'En vivo', live_new: '{n} respuestas nuevas desde que abrió la página',
  no_surveys: 'Aún no hay encuestas. Un editor crea una en Encuestas; luego pegue su fragmento en su sitio.',
  no_answers: 'No hay respuestas en este periodo. Amplíe las fechas o quite los filtros; si la encuesta es nueva, pegue su fragmento (en Encuestas) en su sitio.',
  score: 'Puntuación', category: 'Categoría', comment: 'Comentario', attributes: 'Atributos', time: 'Hora',
  detractor: 'detractor', passive: 'pasivo', promoter: 'promotor', all: 'todas', search: 'Buscar en comentarios',
  export_csv: 'Exportar CSV', more: 'Más', no_responses: 'Ninguna respuesta coincide. Quite la búsqueda o el filtro.',
  status: 'Estado', status_new: 'nuevo', status_contacted: 'contactado', status_resolved: 'resuelto',
  assignee: 'Responsable', unassigned: 'sin asignar', mine: 'Míos', open: 'Abiertos', all_items: 'Todos',
  notes: 'Notas', note: 'Nota', add_note: 'Añadir nota', mark_contacted: 'Marcar como contactado', resolve: 'Resolver',
  assign_me: 'Asignarme', respondent: 'Encuestado', back: 'Volver',
  no_followups: 'Nada que seguir. Aquí aparecen los detractores que dejan un comentario o un contacto.',
  no_promoters: 'Ningún promotor dejó un contacto todavía.', create_survey: 'Crear encuesta', edit_survey: 'Editar',
  save: 'Guardar', name: 'Nombre', definition: 'Definición (JSON)', saved: 'Guardado.', snippet: 'Pegue esto en su sitio',
  copy: 'Copiar', fix_errors: 'Corrija los campos marcados.',
  preview: 'Vista previa', preview_note: 'Vista previa: las respuestas no se guardan', preview_language: 'Idioma',
  restart: 'Reiniciar', preview_loading: 'Cargando el widget…', preview_failed: 'No se pudo cargar la vista previa',
  preview_invalid: 'El widget no puede mostrar esta definición:',
  preview_closed: 'El encuestado cerró la encuesta. Reinicie para verla de nuevo.', role: 'Rol', create: 'Crear', delete: 'Eliminar',
  created_token: 'El token nuevo (se muestra una sola vez):', no_users: 'Aún no hay usuarios.',
  forbidden: 'Su rol no puede ver esto.', error: 'Algo salió mal',
  app: 'OpenNPS', nps: 'NPS', live_on: 'Actualización en vivo activada', id: 'Id', archived: 'archivada',
  version: 'versión', no_tokens: 'No hay tokens.',
  benchmark: 'Para comparar (XM Institute, consumidores de EE. UU., 2023–2024): supermercados ~30, comercio minorista ~29, TV/internet ~9.',
};
const ru: Table = {
  signin: 'Войти', signout: 'Выйти', email: 'Эл. почта', password: 'Пароль', or_token: 'или API-токен',
  token: 'API-токен', signin_failed: 'Не удалось войти', language: 'Язык', overview: 'Обзор', responses: 'Ответы',
  followup: 'Работа с отзывами', promoters: 'Промоутеры', surveys: 'Опросы', tokens: 'Токены', users: 'Пользователи',
  survey: 'Опрос', from: 'С', to: 'По', channel: 'Канал', locale: 'Язык', device: 'Устройство', page: 'Страница', attribute: 'Атрибут', any: 'любой',
  interval: 'Период', day: 'день', week: 'неделя', month: 'месяц', apply: 'Применить', n: 'ответов',
  ci: '95% интервал', margin: 'погрешность ±{m}',
  small_sample: 'Мало ответов, чтобы доверять этому числу. Расширьте период или дождитесь новых ответов.',
  distribution: 'Оценки 0–10', shares: 'Доли', promoters_share: 'Промоутеры', passives_share: 'Нейтралы',
  detractors_share: 'Критики', trend: 'Динамика', breakdown: 'В разрезе: {by}', segment: 'Сегмент',
  vs_rest: 'против остальных', significant: 'значимо (p < 0,05)', not_significant: 'незначимо',
  significant_change: 'значимое изменение', small_sample_short: 'слишком мало ответов', none_value: '(нет)', live: 'В реальном времени', live_new: 'Новых ответов с открытия страницы: {n}',
  no_surveys: 'Опросов пока нет. Редактор создаёт опрос в разделе «Опросы», затем код вставляется на сайт.',
  no_answers: 'В этом периоде нет ответов. Расширьте период или снимите фильтры; для нового опроса вставьте его код (раздел «Опросы») на сайт.',
  score: 'Оценка', category: 'Категория', comment: 'Комментарий', attributes: 'Атрибуты', time: 'Время',
  detractor: 'критик', passive: 'нейтрал', promoter: 'промоутер', all: 'все', search: 'Поиск по комментариям',
  export_csv: 'Экспорт CSV', more: 'Ещё', no_responses: 'Ничего не найдено. Очистите поиск или фильтр.',
  status: 'Статус', status_new: 'новый', status_contacted: 'связались', status_resolved: 'решено',
  assignee: 'Ответственный', unassigned: 'не назначен', mine: 'Мои', open: 'Открытые', all_items: 'Все',
  notes: 'Заметки', note: 'Заметка', add_note: 'Добавить заметку', mark_contacted: 'Отметить: связались',
  resolve: 'Решено', assign_me: 'Назначить мне', respondent: 'Респондент', back: 'Назад',
  no_followups: 'Пока нечего разбирать. Здесь появятся критики с комментарием или контактом.',
  no_promoters: 'Промоутеров с контактом пока нет.', create_survey: 'Создать опрос', edit_survey: 'Изменить',
  save: 'Сохранить', name: 'Название', definition: 'Описание (JSON)', saved: 'Сохранено.', snippet: 'Вставьте на сайт',
  copy: 'Копировать', fix_errors: 'Исправьте отмеченные поля.',
  preview: 'Предпросмотр', preview_note: 'Предпросмотр — ответы не сохраняются', preview_language: 'Язык',
  restart: 'Сначала', preview_loading: 'Загрузка виджета…', preview_failed: 'Не удалось загрузить предпросмотр',
  preview_invalid: 'Виджет не может показать это описание:',
  preview_closed: 'Респондент закрыл опрос. Нажмите «Сначала», чтобы увидеть его снова.', role: 'Роль', create: 'Создать', delete: 'Удалить',
  created_token: 'Новый токен (показывается один раз):', no_users: 'Пользователей пока нет.',
  forbidden: 'Вашей роли это недоступно.', error: 'Что-то пошло не так',
  app: 'OpenNPS', nps: 'NPS', live_on: 'Обновления в реальном времени включены', id: 'Идентификатор', archived: 'в архиве',
  version: 'версия', no_tokens: 'Токенов нет.',
  benchmark: 'Для сравнения (XM Institute, потребители США, 2023–2024): продуктовые магазины ~30, розничная торговля ~29, ТВ/интернет ~9.',
};
const zh: Table = {
  signin: '登录', signout: '退出', email: '电子邮件', password: '密码', or_token: '或 API 令牌', token: 'API 令牌',
  signin_failed: '登录失败', language: '语言', overview: '概览', responses: '回答', followup: '跟进', promoters: '推荐者',
  surveys: '问卷', tokens: '令牌', users: '用户', survey: '问卷', from: '从', to: '到', channel: '渠道', locale: '语言',
  device: '设备', page: '页面', attribute: '属性', any: '全部', interval: '间隔', day: '日', week: '周', month: '月', apply: '应用', n: '份回答',
  ci: '95% 区间', margin: '误差范围 ±{m}', small_sample: '样本太少，这个数字还不可信。请扩大日期范围或等待更多回答。',
  distribution: '评分 0–10', shares: '占比', promoters_share: '推荐者', passives_share: '中立者',
  detractors_share: '贬损者', trend: '趋势', breakdown: '按{by}细分', segment: '细分', vs_rest: '与其余相比',
  significant: '显著 (p < 0.05)', not_significant: '不显著', significant_change: '显著变化', small_sample_short: '回答太少，不可信', none_value: '（无）', live: '实时',
  live_new: '打开页面后新增 {n} 份回答', no_surveys: '还没有问卷。编辑者在“问卷”中创建，然后把代码粘贴到网站。',
  no_answers: '此范围内没有回答。请扩大日期范围或清除筛选；新问卷请先把代码（见“问卷”）粘贴到网站。', score: '评分', category: '类别', comment: '评论',
  attributes: '属性', time: '时间', detractor: '贬损者', passive: '中立者', promoter: '推荐者', all: '全部',
  search: '搜索评论', export_csv: '导出 CSV', more: '更多', no_responses: '没有匹配的回答。请清除搜索或筛选。',
  status: '状态', status_new: '新', status_contacted: '已联系', status_resolved: '已解决', assignee: '负责人',
  unassigned: '未分配', mine: '我的', open: '未完成', all_items: '全部', notes: '备注', note: '备注', add_note: '添加备注',
  mark_contacted: '标记为已联系', resolve: '解决', assign_me: '分配给我', respondent: '受访者', back: '返回',
  no_followups: '暂无需要跟进的项目。留下评论或联系方式的贬损者会出现在这里。', no_promoters: '还没有留下联系方式的推荐者。',
  create_survey: '创建问卷', edit_survey: '编辑', save: '保存', name: '名称', definition: '定义 (JSON)', saved: '已保存。',
  snippet: '把这段代码粘贴到网站', copy: '复制', fix_errors: '请修正标红的字段。',
  preview: '预览', preview_note: '预览——回答不会保存', preview_language: '语言', restart: '重新开始',
  preview_loading: '正在加载小组件…', preview_failed: '预览无法加载', preview_invalid: '小组件无法显示此定义：',
  preview_closed: '受访者关闭了问卷。点击“重新开始”再看一次。', role: '角色', create: '创建',
  delete: '删除', created_token: '新令牌（只显示一次）：', no_users: '还没有用户。', forbidden: '你的角色无权查看。',
  error: '出错了',
  app: 'OpenNPS', nps: 'NPS', live_on: '实时更新已开启', id: '标识', archived: '已归档', version: '版本',
  no_tokens: '没有令牌。', benchmark: '参考（XM Institute，美国消费者，2023–2024）：食品杂货 ~30，零售 ~29，电视/互联网 ~9。',
};
// Every language has every key: TypeScript refuses a table with one missing.
const tables: Record<Lang, Table> = { en, es, ru, 'zh-Hans': zh };

let current: Lang = 'en';
export function setLang(l: Lang) {
  current = l;
  const info = languages.find((x) => x.code === l)!;
  document.documentElement.lang = l;
  document.documentElement.dir = info.dir;
}
export function lang(): Lang { return current; }
export function pickLang(wanted: string | null): Lang {
  const all = [wanted, ...navigator.languages].filter(Boolean) as string[];
  for (const w of all) {
    if (w in tables) return w as Lang;
    if (w.startsWith('zh')) return 'zh-Hans';
    const base = w.split('-')[0];
    if (base in tables) return base as Lang;
  }
  return 'en';
}
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  let s = (tables[current][key] ?? en[key]) as string;
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
  return s;
}
