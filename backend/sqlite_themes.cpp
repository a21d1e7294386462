#include "sqlite_themes.hpp"
#include "sqlite_ingest.hpp"

#include <optional>
#include <string>

namespace npsd::sqlite {

namespace {

std::string cells() {
  std::string s;
  for (int i = 0; i <= 10; ++i)
    s += (i ? ", c" : "c") + std::to_string(i);
  return s;
}
std::string sum_cells(std::string_view prefix = "") {
  std::string s;
  for (int i = 0; i <= 10; ++i)
    s += std::string(i ? " + " : "") + std::string(prefix) + "c" + std::to_string(i);
  return s;
}
// "?5, ?6, …" for the 11 cells from parameter `first`.
std::string cell_params(int first) {
  std::string s;
  for (int i = 0; i <= 10; ++i)
    s += (i ? ", ?" : "?") + std::to_string(first + i);
  return s;
}
std::string cell_update() {
  std::string s;
  for (int i = 0; i <= 10; ++i)
    s += (i ? ", c" : "c") + std::to_string(i) + " = c" + std::to_string(i) + " + excluded.c" +
         std::to_string(i);
  return s;
}
void bind_cells(Stmt& st, int first, int score, int delta) {
  for (int i = 0; i <= 10; ++i)
    st.bind(first + i, i == score ? delta : 0);
}

// The row of one answer's segment (channel, device), or of every answer together (no segment).
struct Segment {
  std::string channel, device;
};

void bump_comments(Conn& c, const std::string& survey, const Segment* seg, std::int32_t day,
                   const std::string& lang, int score, int delta) {
  static const std::string all = "INSERT INTO theme_comments (survey_id, day, lang, " + cells() +
                                 ") VALUES (?1, ?2, ?3, " + cell_params(4) +
                                 ") ON CONFLICT (survey_id, day, lang) DO UPDATE SET " + cell_update();
  static const std::string one = "INSERT INTO theme_seg_comments (survey_id, day, lang, channel, device, " +
                                 cells() + ") VALUES (?1, ?2, ?3, ?15, ?16, " + cell_params(4) +
                                 ") ON CONFLICT (survey_id, channel, device, day, lang) DO UPDATE SET " +
                                 cell_update();
  if (Fold* f = folding(c)) { // storing answers: written once per batch (sqlite_ingest.hpp)
    std::vector<Fold::Bind> keys{{1, survey}, {2, std::int64_t{day}}, {3, lang}};
    if (seg) keys.insert(keys.end(), {{15, seg->channel}, {16, seg->device}});
    f->add(seg ? one : all, std::move(keys), 4, score, delta);
    return;
  }
  auto st = c.prep(seg ? one : all);
  st.bind(1, survey).bind(2, day).bind(3, lang);
  bind_cells(st, 4, score, delta);
  if (seg) st.bind(15, seg->channel).bind(16, seg->device);
  st.run();
}

void bump_term(Conn& c, const std::string& survey, const Segment* seg, const std::string& term,
               const std::string& form, std::int32_t day, const std::string& lang, int score, int delta) {
  static const std::string all = "INSERT INTO theme_terms (survey_id, term, day, lang, form, " + cells() +
                                 ") VALUES (?1, ?2, ?3, ?4, ?5, " + cell_params(6) +
                                 ") ON CONFLICT (survey_id, term, day, lang) DO UPDATE SET " + cell_update();
  static const std::string one =
      "INSERT INTO theme_seg_terms (survey_id, term, day, lang, form, channel, device, " + cells() +
      ") VALUES (?1, ?2, ?3, ?4, ?5, ?17, ?18, " + cell_params(6) +
      ") ON CONFLICT (survey_id, channel, device, term, day, lang) DO UPDATE SET " + cell_update();
  if (Fold* f = folding(c)) {
    std::vector<Fold::Bind> keys{{1, survey}, {2, term}, {3, std::int64_t{day}}, {4, lang}, {5, form}};
    if (seg) keys.insert(keys.end(), {{17, seg->channel}, {18, seg->device}});
    f->add(seg ? one : all, std::move(keys), 6, score, delta);
    return;
  }
  auto st = c.prep(seg ? one : all);
  st.bind(1, survey).bind(2, term).bind(3, day).bind(4, lang).bind(5, form);
  bind_cells(st, 6, score, delta);
  if (seg) st.bind(17, seg->channel).bind(18, seg->device);
  st.run();
}

// The tables a query reads: the segment rows only when it names a channel or a device.
std::string terms_table(const ThemeQuery& q) { return q.segmented() ? "theme_seg_terms" : "theme_terms"; }
std::string comments_table(const ThemeQuery& q) {
  return q.segmented() ? "theme_seg_comments" : "theme_comments";
}

// ?2/?3 day range, optional ?4 lang, ?6 channel, ?7 device (?5 is a term). On the segment
// rows, the channel or every channel and the device or every device (theme_channels_sql).
std::string range(const ThemeQuery& q, std::string_view table = "") {
  const std::string t = table.empty() ? "" : std::string(table) + ".";
  std::string s = " AND " + t + "day BETWEEN ?2 AND ?3" + (q.lang ? " AND " + t + "lang = ?4" : "");
  if (!q.segmented()) return s;
  s += " AND " + t + (q.channel ? "channel = ?6" : "channel IN (" + theme_channels_sql() + ")");
  s += " AND " + t + (q.device ? "device = ?7" : "device IN (" + theme_devices_sql() + ")");
  return s;
}
void bind_range(Stmt& st, const ThemeQuery& q) {
  st.bind(1, q.survey_id).bind(2, q.from_day).bind(3, q.to_day);
  if (q.lang) st.bind(4, *q.lang);
  if (q.channel) st.bind(6, *q.channel);
  if (q.device) st.bind(7, *q.device);
}
// range() for theme_responses t joined with the answers r, whose own channel and device filter.
std::string answers_range(const ThemeQuery& q) {
  ThemeQuery days = q;
  days.channel.reset();
  days.device.reset();
  return range(days, "t") + (q.channel ? " AND r.channel = ?6" : "") + (q.device ? " AND r.device = ?7" : "");
}
nps::Tally read_cells(Stmt& st, int first) {
  nps::Tally t;
  for (int i = 0; i <= 10; ++i)
    if (const auto n = st.i64(first + i); n > 0)
      t.add(nps::Score::from_int(i).value(), static_cast<std::uint64_t>(n));
  return t;
}
std::string sums() {
  std::string s;
  for (int i = 0; i <= 10; ++i)
    s += (i ? ", sum(c" : "sum(c") + std::to_string(i) + ")";
  return s;
}

class SqliteThemes final : public ThemesStore {
public:
  explicit SqliteThemes(const ReadPool& readers) : readers_(readers) {}

  std::vector<ThemeTermRow> terms(const ThemeQuery& q, std::uint64_t min_comments) const override {
    auto c = readers_.lease();
    auto st =
        c->prep("SELECT term, min(form), sum(c0 + c1 + c2 + c3 + c4 + c5 + c6), sum(c7 + c8), sum(c9 + c10) "
                "FROM " +
                terms_table(q) + " WHERE survey_id = ?1" + range(q) + " GROUP BY term HAVING sum(" +
                sum_cells() + ") >= " + std::to_string(min_comments) + " ORDER BY term");
    bind_range(st, q);
    std::vector<ThemeTermRow> out;
    while (st.step())
      out.push_back({st.text(0), st.text(1), static_cast<std::uint64_t>(st.i64(2)),
                     static_cast<std::uint64_t>(st.i64(3)), static_cast<std::uint64_t>(st.i64(4))});
    return out;
  }

  nps::Tally commenters(const ThemeQuery& q) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT " + sums() + " FROM " + comments_table(q) + " WHERE survey_id = ?1" + range(q));
    bind_range(st, q);
    if (!st.step() || st.is_null(0)) return {};
    return read_cells(st, 0);
  }

  std::vector<std::pair<std::string, std::uint64_t>> languages(const ThemeQuery& q) const override {
    auto c = readers_.lease();
    ThemeQuery all = q;
    all.lang.reset();
    auto st = c->prep("SELECT lang, sum(" + sum_cells() + ") FROM " + comments_table(all) +
                      " WHERE survey_id = ?1" + range(all) + " GROUP BY lang ORDER BY 2 DESC, 1");
    bind_range(st, all);
    std::vector<std::pair<std::string, std::uint64_t>> out;
    while (st.step())
      if (st.i64(1) > 0) out.emplace_back(st.text(0), static_cast<std::uint64_t>(st.i64(1)));
    return out;
  }

  nps::Tally mentioning(const ThemeQuery& q, const std::string& term) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT " + sums() + " FROM " + terms_table(q) + " WHERE survey_id = ?1" + range(q) +
                      " AND term = ?5");
    bind_range(st, q);
    st.bind(5, term);
    if (!st.step() || st.is_null(0)) return {};
    return read_cells(st, 0);
  }

  std::vector<ThemeDay> days(const ThemeQuery& q, const std::string& term) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT day, sum(" + sum_cells() + ") FROM " +
                      (term.empty() ? comments_table(q) : terms_table(q)) + " WHERE survey_id = ?1" +
                      range(q) + (term.empty() ? "" : " AND term = ?5") + " GROUP BY day ORDER BY day");
    bind_range(st, q);
    if (!term.empty()) st.bind(5, term);
    std::vector<ThemeDay> out;
    while (st.step())
      out.push_back({static_cast<std::int32_t>(st.i64(0)), static_cast<std::uint64_t>(st.i64(1))});
    return out;
  }

  std::vector<ThemeComment> comments(const ThemeQuery& q, const std::string& term,
                                     std::size_t limit) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT r.id, r.score, coalesce(r.comment, ''), coalesce(r.locale, ''), r.received_at "
                      "FROM theme_responses t JOIN responses r ON r.id = t.response_id "
                      "WHERE t.survey_id = ?1" +
                      answers_range(q) + " AND t.term = ?5 ORDER BY t.response_id DESC LIMIT " +
                      std::to_string(limit));
    bind_range(st, q);
    st.bind(5, term);
    std::vector<ThemeComment> out;
    while (st.step())
      out.push_back({st.i64(0), static_cast<int>(st.i64(1)), st.text(2), st.text(3), st.i64(4)});
    return out;
  }

private:
  const ReadPool& readers_;
};

} // namespace

void themes_add(Conn& c, std::int64_t response_id, const nps::Response& r, Millis received_at) {
  const AnswerTerms a = answer_terms(r);
  if (!a.commented) return;
  const std::int32_t day = day_of(received_at);
  const int score = r.score.value();
  const Segment seg{a.channel, a.device};
  bump_comments(c, r.survey_id, nullptr, day, a.lang, score, +1);
  bump_comments(c, r.survey_id, &seg, day, a.lang, score, +1);
  { // a cached statement is reset when its Stmt goes: one at a time
    auto row = c.prep("INSERT INTO theme_responses (survey_id, term, response_id, day, lang, score) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    row.bind(1, r.survey_id)
        .bind(2, "")
        .bind(3, response_id)
        .bind(4, day)
        .bind(5, a.lang)
        .bind(6, score)
        .run();
  }
  for (const auto& t : a.terms) {
    bump_term(c, r.survey_id, nullptr, t.key, t.form, day, a.lang, score, +1);
    bump_term(c, r.survey_id, &seg, t.key, t.form, day, a.lang, score, +1);
    auto st = c.prep("INSERT INTO theme_responses (survey_id, term, response_id, day, lang, score) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st.bind(1, r.survey_id)
        .bind(2, t.key)
        .bind(3, response_id)
        .bind(4, day)
        .bind(5, a.lang)
        .bind(6, score)
        .run();
  }
}

// Called while the answer's row is still there (deletion, retention) or changed in place (a
// follow-up keeps the channel and device): its segment is read from it.
void themes_forget(Conn& c, std::int64_t response_id) {
  struct Row {
    std::string survey, term, lang;
    std::int32_t day;
    int score;
  };
  std::vector<Row> rows;
  std::optional<Segment> seg;
  {
    auto st = c.prep("SELECT t.survey_id, t.term, t.lang, t.day, t.score, r.channel, coalesce(r.device, '') "
                     "FROM theme_responses t LEFT JOIN responses r ON r.id = t.response_id "
                     "WHERE t.response_id = ?1");
    st.bind(1, response_id);
    while (st.step()) {
      rows.push_back({st.text(0), st.text(1), st.text(2), static_cast<std::int32_t>(st.i64(3)),
                      static_cast<int>(st.i64(4))});
      if (!st.is_null(5)) seg = Segment{st.text(5), st.text(6)};
    }
  }
  if (rows.empty()) return;
  for (const auto& r : rows) {
    if (r.term.empty()) {
      bump_comments(c, r.survey, nullptr, r.day, r.lang, r.score, -1);
      if (seg) bump_comments(c, r.survey, &*seg, r.day, r.lang, r.score, -1);
    } else {
      bump_term(c, r.survey, nullptr, r.term, "", r.day, r.lang, r.score, -1);
      if (seg) bump_term(c, r.survey, &*seg, r.term, "", r.day, r.lang, r.score, -1);
    }
  }
  c.prep("DELETE FROM theme_terms WHERE survey_id = ?1 AND term IN (SELECT term FROM theme_responses WHERE "
         "response_id = ?2) AND " +
         sum_cells() + " = 0")
      .bind(1, rows.front().survey)
      .bind(2, response_id)
      .run();
  if (seg)
    c.prep("DELETE FROM theme_seg_terms WHERE survey_id = ?1 AND channel = ?3 AND device = ?4 AND term IN "
           "(SELECT term FROM theme_responses WHERE response_id = ?2) AND " +
           sum_cells() + " = 0")
        .bind(1, rows.front().survey)
        .bind(2, response_id)
        .bind(3, seg->channel)
        .bind(4, seg->device)
        .run();
  c.prep("DELETE FROM theme_responses WHERE response_id = ?1").bind(1, response_id).run();
}

void themes_forget_where(Conn& c, const std::string& where, Millis value) {
  std::vector<std::int64_t> ids;
  {
    auto st = c.once("SELECT id FROM responses WHERE " + where);
    st.bind(1, value);
    while (st.step())
      ids.push_back(st.i64(0));
  }
  for (auto id : ids)
    themes_forget(c, id);
}

std::unique_ptr<ThemesStore> themes_store(const ReadPool& readers) {
  return std::make_unique<SqliteThemes>(readers);
}

} // namespace npsd::sqlite
