#include "sqlite_themes.hpp"

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

void bump_comments(Conn& c, const std::string& survey, std::int32_t day, const std::string& lang, int score,
                   int delta) {
  static const std::string sql = "INSERT INTO theme_comments (survey_id, day, lang, " + cells() +
                                 ") VALUES (?1, ?2, ?3, " + cell_params(4) +
                                 ") ON CONFLICT (survey_id, day, lang) DO UPDATE SET " + cell_update();
  auto st = c.prep(sql);
  st.bind(1, survey).bind(2, day).bind(3, lang);
  bind_cells(st, 4, score, delta);
  st.run();
}

void bump_term(Conn& c, const std::string& survey, const std::string& term, const std::string& form,
               std::int32_t day, const std::string& lang, int score, int delta) {
  static const std::string sql = "INSERT INTO theme_terms (survey_id, term, day, lang, form, " + cells() +
                                 ") VALUES (?1, ?2, ?3, ?4, ?5, " + cell_params(6) +
                                 ") ON CONFLICT (survey_id, term, day, lang) DO UPDATE SET " + cell_update();
  auto st = c.prep(sql);
  st.bind(1, survey).bind(2, term).bind(3, day).bind(4, lang).bind(5, form);
  bind_cells(st, 6, score, delta);
  st.run();
}

// ?2/?3 day range, optional ?4 lang.
std::string range(const ThemeQuery& q, std::string_view table = "") {
  const std::string t = table.empty() ? "" : std::string(table) + ".";
  return " AND " + t + "day BETWEEN ?2 AND ?3" + (q.lang ? " AND " + t + "lang = ?4" : "");
}
void bind_range(Stmt& st, const ThemeQuery& q) {
  st.bind(1, q.survey_id).bind(2, q.from_day).bind(3, q.to_day);
  if (q.lang) st.bind(4, *q.lang);
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
                "FROM theme_terms WHERE survey_id = ?1" +
                range(q) + " GROUP BY term HAVING sum(" + sum_cells() +
                ") >= " + std::to_string(min_comments) + " ORDER BY term");
    bind_range(st, q);
    std::vector<ThemeTermRow> out;
    while (st.step())
      out.push_back({st.text(0), st.text(1), static_cast<std::uint64_t>(st.i64(2)),
                     static_cast<std::uint64_t>(st.i64(3)), static_cast<std::uint64_t>(st.i64(4))});
    return out;
  }

  nps::Tally commenters(const ThemeQuery& q) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT " + sums() + " FROM theme_comments WHERE survey_id = ?1" + range(q));
    bind_range(st, q);
    if (!st.step() || st.is_null(0)) return {};
    return read_cells(st, 0);
  }

  std::vector<std::pair<std::string, std::uint64_t>> languages(const ThemeQuery& q) const override {
    auto c = readers_.lease();
    ThemeQuery all = q;
    all.lang.reset();
    auto st = c->prep("SELECT lang, sum(" + sum_cells() + ") FROM theme_comments WHERE survey_id = ?1" +
                      range(all) + " GROUP BY lang ORDER BY 2 DESC, 1");
    bind_range(st, all);
    std::vector<std::pair<std::string, std::uint64_t>> out;
    while (st.step())
      if (st.i64(1) > 0) out.emplace_back(st.text(0), static_cast<std::uint64_t>(st.i64(1)));
    return out;
  }

  nps::Tally mentioning(const ThemeQuery& q, const std::string& term) const override {
    auto c = readers_.lease();
    auto st =
        c->prep("SELECT " + sums() + " FROM theme_terms WHERE survey_id = ?1" + range(q) + " AND term = ?5");
    bind_range(st, q);
    st.bind(5, term);
    if (!st.step() || st.is_null(0)) return {};
    return read_cells(st, 0);
  }

  std::vector<ThemeDay> days(const ThemeQuery& q, const std::string& term) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT day, sum(" + sum_cells() + ") FROM " +
                      (term.empty() ? "theme_comments" : "theme_terms") + " WHERE survey_id = ?1" + range(q) +
                      (term.empty() ? "" : " AND term = ?5") + " GROUP BY day ORDER BY day");
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
                      range(q, "t") + " AND t.term = ?5 ORDER BY t.response_id DESC LIMIT " +
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
  bump_comments(c, r.survey_id, day, a.lang, score, +1);
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
    bump_term(c, r.survey_id, t.key, t.form, day, a.lang, score, +1);
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

void themes_forget(Conn& c, std::int64_t response_id) {
  struct Row {
    std::string survey, term, lang;
    std::int32_t day;
    int score;
  };
  std::vector<Row> rows;
  {
    auto st = c.prep("SELECT survey_id, term, lang, day, score FROM theme_responses WHERE response_id = ?1");
    st.bind(1, response_id);
    while (st.step())
      rows.push_back({st.text(0), st.text(1), st.text(2), static_cast<std::int32_t>(st.i64(3)),
                      static_cast<int>(st.i64(4))});
  }
  if (rows.empty()) return;
  for (const auto& r : rows) {
    if (r.term.empty())
      bump_comments(c, r.survey, r.day, r.lang, r.score, -1);
    else
      bump_term(c, r.survey, r.term, "", r.day, r.lang, r.score, -1);
  }
  c.prep("DELETE FROM theme_terms WHERE survey_id = ?1 AND term IN (SELECT term FROM theme_responses WHERE "
         "response_id = ?2) AND " +
         sum_cells() + " = 0")
      .bind(1, rows.front().survey)
      .bind(2, response_id)
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
