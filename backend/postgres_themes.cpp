#include "postgres_themes.hpp"

#include "nps/json.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace npsd::pg {

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
// A row none of whose cells counts anything. Not their sum: one writer's slot (schema
// migration 14) may hold +1 for one score and -1 for another, which only the sums undo.
std::string all_zero() {
  std::string s;
  for (int i = 0; i <= 10; ++i)
    s += std::string(i ? " AND " : "") + "c" + std::to_string(i) + " = 0";
  return s;
}
std::string cell_params(int first) {
  std::string s;
  for (int i = 0; i <= 10; ++i)
    s += (i ? ", $" : "$") + std::to_string(first + i);
  return s;
}
std::string cell_update() {
  std::string s;
  for (int i = 0; i <= 10; ++i)
    s += (i ? ", c" : "c") + std::to_string(i) + " = t.c" + std::to_string(i) + " + excluded.c" +
         std::to_string(i);
  return s;
}
void add_cells(Params& p, int score, int delta) {
  for (int i = 0; i <= 10; ++i)
    p.add(i == score ? delta : 0);
}

// The row of one answer's segment (channel, device), or of every answer together (no segment).
struct Segment {
  std::string channel, device;
};

void bump_comments(Conn& c, const std::string& survey, const Segment* seg, std::int32_t day,
                   const std::string& lang, int score, int delta) {
  static const std::string all = "INSERT INTO theme_comments AS t (survey_id, day, lang, " + cells() +
                                 ") VALUES ($1, $2, $3, " + cell_params(4) +
                                 ") ON CONFLICT (survey_id, day, lang, slot) DO UPDATE SET " + cell_update();
  static const std::string one =
      "INSERT INTO theme_seg_comments AS t (survey_id, day, lang, channel, device, " + cells() +
      ") VALUES ($1, $2, $3, $15, $16, " + cell_params(4) +
      ") ON CONFLICT (survey_id, channel, device, day, lang, slot) DO UPDATE SET " + cell_update();
  Params p;
  p.add(survey).add(day).add(lang);
  add_cells(p, score, delta);
  if (seg) p.add(seg->channel).add(seg->device);
  c.later(seg ? one : all, p); // no result read: pipelined (postgres_pipeline.cpp)
}

void bump_term(Conn& c, const std::string& survey, const Segment* seg, const std::string& term,
               const std::string& form, std::int32_t day, const std::string& lang, int score, int delta) {
  static const std::string all = "INSERT INTO theme_terms AS t (survey_id, term, day, lang, form, " +
                                 cells() + ") VALUES ($1, $2, $3, $4, $5, " + cell_params(6) +
                                 ") ON CONFLICT (survey_id, term, day, lang, slot) DO UPDATE SET " +
                                 cell_update();
  static const std::string one =
      "INSERT INTO theme_seg_terms AS t (survey_id, term, day, lang, form, channel, device, " + cells() +
      ") VALUES ($1, $2, $3, $4, $5, $17, $18, " + cell_params(6) +
      ") ON CONFLICT (survey_id, channel, device, term, day, lang, slot) DO UPDATE SET " + cell_update();
  Params p;
  p.add(survey).add(term).add(day).add(lang).add(form);
  add_cells(p, score, delta);
  if (seg) p.add(seg->channel).add(seg->device);
  c.later(seg ? one : all, p); // no result read: pipelined (postgres_pipeline.cpp)
}

// The statement that adds each row of the JSON array $`param` (objects: the columns `typed`
// names, then c0..c10) to the row of `table` with the same key (the columns `key`, and the
// writer's slot), created at zero. The rows go in the order given.
std::string upsert_rows(const std::string& table, const std::string& typed, const std::string& key,
                        int param) {
  std::string names, cell_types;
  for (std::size_t at = 0; at < typed.size();) {
    const auto comma = std::min(typed.find(", ", at), typed.size());
    const auto column = typed.substr(at, comma - at);
    names += (names.empty() ? "" : ", ") + column.substr(0, column.find(' '));
    at = comma + 2;
  }
  for (int i = 0; i <= 10; ++i)
    cell_types += ", c" + std::to_string(i) + " integer";
  return "INSERT INTO " + table + " AS t (" + names + ", " + cells() + ") SELECT " + names + ", " + cells() +
         " FROM json_to_recordset($" + std::to_string(param) + "::json) AS x(" + typed + cell_types +
         ") ON CONFLICT (" + key + ", slot) DO UPDATE SET " + cell_update();
}

// The tables a query reads: the segment rows only when it names a channel or a device.
std::string terms_table(const ThemeQuery& q) { return q.segmented() ? "theme_seg_terms" : "theme_terms"; }
std::string comments_table(const ThemeQuery& q) {
  return q.segmented() ? "theme_seg_comments" : "theme_comments";
}

// A query's conditions after "survey_id = $1" and their parameters: $2/$3 day range, $4 lang
// (NULL: every language), then the channel and the device when chosen (on the answers r when
// `answers`, else on the table's own columns, where an unchosen one names all of them:
// theme_channels_sql); a term, when any, is added after them.
struct Range {
  std::string sql;
  Params p;
  Range& term(const std::string& t, std::string_view table = "") {
    p.add(t);
    sql += " AND " + std::string(table) + (table.empty() ? "" : ".") + "term = $" + std::to_string(p.size());
    return *this;
  }
};
Range range(const ThemeQuery& q, std::string_view table = "", bool answers = false) {
  const std::string t = table.empty() ? "" : std::string(table) + ".";
  Range r;
  r.sql = " AND " + t + "day BETWEEN $2 AND $3 AND ($4::text IS NULL OR " + t + "lang = $4)";
  r.p.add(q.survey_id).add(q.from_day).add(q.to_day).add(q.lang);
  const std::string seg = answers ? "r." : t;
  if (q.channel) {
    r.p.add(*q.channel);
    r.sql += " AND " + seg + "channel = $" + std::to_string(r.p.size());
  } else if (q.segmented() && !answers) {
    r.sql += " AND " + seg + "channel IN (" + theme_channels_sql() + ")";
  }
  if (q.device) {
    r.p.add(*q.device);
    r.sql += " AND " + seg + "device = $" + std::to_string(r.p.size());
  } else if (q.segmented() && !answers) {
    r.sql += " AND " + seg + "device IN (" + theme_devices_sql() + ")";
  }
  return r;
}
nps::Tally read_cells(const Result& r, int row, int first) {
  nps::Tally t;
  for (int i = 0; i <= 10; ++i)
    if (const auto n = r.i64(row, first + i); n > 0)
      t.add(nps::Score::from_int(i).value(), static_cast<std::uint64_t>(n));
  return t;
}
std::string sums() {
  std::string s;
  for (int i = 0; i <= 10; ++i)
    s += (i ? ", sum(c" : "sum(c") + std::to_string(i) + ")";
  return s;
}
std::uint64_t u64(const Result& r, int row, int col) { return static_cast<std::uint64_t>(r.i64(row, col)); }

class PostgresThemes final : public ThemesStore {
public:
  explicit PostgresThemes(Pool& readers) : readers_(readers) {}

  std::vector<ThemeTermRow> terms(const ThemeQuery& q, std::uint64_t min_comments) const override {
    auto c = readers_.lease();
    const auto w = range(q);
    auto r =
        c->run("SELECT term, min(form), sum(c0 + c1 + c2 + c3 + c4 + c5 + c6), sum(c7 + c8), sum(c9 + c10) "
               "FROM " +
                   terms_table(q) + " WHERE survey_id = $1" + w.sql + " GROUP BY term HAVING sum(" +
                   sum_cells() + ") >= " + std::to_string(min_comments) + " ORDER BY term",
               w.p);
    std::vector<ThemeTermRow> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.text(i, 0), r.text(i, 1), u64(r, i, 2), u64(r, i, 3), u64(r, i, 4)});
    return out;
  }

  nps::Tally commenters(const ThemeQuery& q) const override {
    auto c = readers_.lease();
    const auto w = range(q);
    auto r = c->run("SELECT " + sums() + " FROM " + comments_table(q) + " WHERE survey_id = $1" + w.sql, w.p);
    return r.rows() ? read_cells(r, 0, 0) : nps::Tally{};
  }

  std::vector<std::pair<std::string, std::uint64_t>> languages(const ThemeQuery& q) const override {
    auto c = readers_.lease();
    ThemeQuery all = q;
    all.lang.reset();
    const auto w = range(all);
    auto r = c->run("SELECT lang, sum(" + sum_cells() + ") FROM " + comments_table(all) +
                        " WHERE survey_id = $1" + w.sql + " GROUP BY lang ORDER BY 2 DESC, 1",
                    w.p);
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (int i = 0; i < r.rows(); ++i)
      if (r.i64(i, 1) > 0) out.emplace_back(r.text(i, 0), u64(r, i, 1));
    return out;
  }

  nps::Tally mentioning(const ThemeQuery& q, const std::string& term) const override {
    auto c = readers_.lease();
    auto w = range(q).term(term);
    auto r = c->run("SELECT " + sums() + " FROM " + terms_table(q) + " WHERE survey_id = $1" + w.sql, w.p);
    return r.rows() ? read_cells(r, 0, 0) : nps::Tally{};
  }

  std::vector<ThemeDay> days(const ThemeQuery& q, const std::string& term) const override {
    auto c = readers_.lease();
    auto w = range(q);
    if (!term.empty()) w.term(term);
    auto r = c->run("SELECT day, sum(" + sum_cells() + ") FROM " +
                        (term.empty() ? comments_table(q) : terms_table(q)) + " WHERE survey_id = $1" +
                        w.sql + " GROUP BY day ORDER BY day",
                    w.p);
    std::vector<ThemeDay> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({static_cast<std::int32_t>(r.i64(i, 0)), u64(r, i, 1)});
    return out;
  }

  std::vector<ThemeComment> comments(const ThemeQuery& q, const std::string& term,
                                     std::size_t limit) const override {
    auto c = readers_.lease();
    auto w = range(q, "t", true).term(term, "t");
    auto r = c->run(
        "SELECT r.id, r.score, coalesce(r.comment, ''), coalesce(r.locale, ''), r.received_at "
        "FROM theme_responses t JOIN responses r ON r.survey_id = t.survey_id AND r.id = t.response_id "
        "WHERE t.survey_id = $1" +
            w.sql + " ORDER BY t.response_id DESC LIMIT " + std::to_string(limit),
        w.p);
    std::vector<ThemeComment> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.i64(i, 0), static_cast<int>(r.i64(i, 1)), r.text(i, 2), r.text(i, 3), r.i64(i, 4)});
    return out;
  }

private:
  Pool& readers_;
};

} // namespace

void themes_add(Conn& c, const std::vector<ThemeAnswer>& answers) {
  using Cells = std::array<std::int64_t, 11>;
  // Keys as the tables' own: (survey, day, lang), the segment's (channel, device) after the
  // survey; a term's row also keeps the first form seen. std::map: rows in key order.
  std::map<std::tuple<std::string, std::int32_t, std::string>, Cells> comments;
  std::map<std::tuple<std::string, std::string, std::string, std::int32_t, std::string>, Cells> seg_comments;
  std::map<std::tuple<std::string, std::string, std::int32_t, std::string>, std::pair<std::string, Cells>>
      terms;
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::int32_t, std::string>,
           std::pair<std::string, Cells>>
      seg_terms;
  nps::json responses = nps::json::array();
  for (const auto& one : answers) {
    const nps::Response& r = *one.response;
    const AnswerTerms a = answer_terms(r);
    if (!a.commented) continue;
    const std::int32_t day = day_of(one.received_at);
    const auto score = static_cast<std::size_t>(r.score.value());
    comments[{r.survey_id, day, a.lang}][score]++;
    seg_comments[{r.survey_id, a.channel, a.device, day, a.lang}][score]++;
    auto row = [&](const std::string& term) {
      return nps::json{{"survey_id", r.survey_id}, {"term", term},
                       {"response_id", one.id},    {"day", day},
                       {"lang", a.lang},           {"score", r.score.value()}};
    };
    responses.push_back(row(""));
    for (const auto& t : a.terms) {
      auto& all = terms.try_emplace({r.survey_id, t.key, day, a.lang}, t.form, Cells{}).first->second;
      all.second[score]++;
      auto& seg =
          seg_terms.try_emplace({r.survey_id, a.channel, a.device, t.key, day, a.lang}, t.form, Cells{})
              .first->second;
      seg.second[score]++;
      responses.push_back(row(t.key));
    }
  }
  if (responses.empty()) return;
  auto with_cells = [](nps::json o, const Cells& n) {
    for (std::size_t s = 0; s <= 10; ++s)
      o["c" + std::to_string(s)] = n[s];
    return o;
  };
  nps::json rows = nps::json::array();
  for (const auto& [k, n] : comments)
    rows.push_back(
        with_cells({{"survey_id", std::get<0>(k)}, {"day", std::get<1>(k)}, {"lang", std::get<2>(k)}}, n));
  Params p;
  p.add(nps::dump(rows));
  rows = nps::json::array();
  for (const auto& [k, n] : seg_comments)
    rows.push_back(with_cells({{"survey_id", std::get<0>(k)},
                               {"channel", std::get<1>(k)},
                               {"device", std::get<2>(k)},
                               {"day", std::get<3>(k)},
                               {"lang", std::get<4>(k)}},
                              n));
  p.add(nps::dump(rows));
  rows = nps::json::array();
  for (const auto& [k, v] : terms)
    rows.push_back(with_cells({{"survey_id", std::get<0>(k)},
                               {"term", std::get<1>(k)},
                               {"day", std::get<2>(k)},
                               {"lang", std::get<3>(k)},
                               {"form", v.first}},
                              v.second));
  p.add(nps::dump(rows));
  rows = nps::json::array();
  for (const auto& [k, v] : seg_terms)
    rows.push_back(with_cells({{"survey_id", std::get<0>(k)},
                               {"channel", std::get<1>(k)},
                               {"device", std::get<2>(k)},
                               {"term", std::get<3>(k)},
                               {"day", std::get<4>(k)},
                               {"lang", std::get<5>(k)},
                               {"form", v.first}},
                              v.second));
  p.add(nps::dump(rows)).add(nps::dump(responses));
  // One statement for the five tables (each part runs to its end, read or not): the counts
  // by language, by segment, by term and by term and segment, then which answers name which
  // term. Sent without waiting.
  static const std::string sql =
      "WITH comments AS (" +
      upsert_rows("theme_comments", "survey_id text, day integer, lang text", "survey_id, day, lang", 1) +
      "), seg_comments AS (" +
      upsert_rows("theme_seg_comments", "survey_id text, channel text, device text, day integer, lang text",
                  "survey_id, channel, device, day, lang", 2) +
      "), terms AS (" +
      upsert_rows("theme_terms", "survey_id text, term text, day integer, lang text, form text",
                  "survey_id, term, day, lang", 3) +
      "), seg_terms AS (" +
      upsert_rows("theme_seg_terms",
                  "survey_id text, channel text, device text, term text, day integer, lang text, form text",
                  "survey_id, channel, device, term, day, lang", 4) +
      ") INSERT INTO theme_responses (survey_id, term, response_id, day, lang, score) SELECT survey_id, "
      "term, response_id, day, lang, score FROM json_to_recordset($5::json) AS x(survey_id text, "
      "term text, response_id bigint, day integer, lang text, score integer)";
  c.later(sql, p);
}

// Called while the answer's row is still there (deletion, retention) or changed in place (a
// follow-up keeps the channel and device): its segment is read from it.
void themes_forget(Conn& c, const std::string& survey_id, std::int64_t response_id) {
  auto rows = c.run("SELECT t.term, t.lang, t.day, t.score, r.channel, coalesce(r.device, '') "
                    "FROM theme_responses t LEFT JOIN responses r ON r.survey_id = t.survey_id AND "
                    "r.id = t.response_id WHERE t.survey_id = $1 AND t.response_id = $2",
                    Params().add(survey_id).add(response_id));
  if (rows.rows() == 0) return;
  std::optional<Segment> seg;
  if (!rows.is_null(0, 4)) seg = Segment{rows.text(0, 4), rows.text(0, 5)};
  for (int i = 0; i < rows.rows(); ++i) {
    const auto term = rows.text(i, 0), lang = rows.text(i, 1);
    const auto day = static_cast<std::int32_t>(rows.i64(i, 2));
    const auto score = static_cast<int>(rows.i64(i, 3));
    if (term.empty()) {
      bump_comments(c, survey_id, nullptr, day, lang, score, -1);
      if (seg) bump_comments(c, survey_id, &*seg, day, lang, score, -1);
    } else {
      bump_term(c, survey_id, nullptr, term, "", day, lang, score, -1);
      if (seg) bump_term(c, survey_id, &*seg, term, "", day, lang, score, -1);
    }
  }
  c.run("DELETE FROM theme_terms WHERE survey_id = $1 AND term IN (SELECT term FROM theme_responses WHERE "
        "survey_id = $1 AND response_id = $2) AND " +
            all_zero(),
        Params().add(survey_id).add(response_id));
  if (seg)
    c.run("DELETE FROM theme_seg_terms WHERE survey_id = $1 AND channel = $3 AND device = $4 AND term IN "
          "(SELECT term FROM theme_responses WHERE survey_id = $1 AND response_id = $2) AND " +
              all_zero(),
          Params().add(survey_id).add(response_id).add(seg->channel).add(seg->device));
  c.run("DELETE FROM theme_responses WHERE survey_id = $1 AND response_id = $2",
        Params().add(survey_id).add(response_id));
}

void themes_forget_where(Conn& c, const std::string& survey_id, const std::string& where,
                         const std::string& value) {
  auto ids =
      c.run("SELECT id FROM responses WHERE survey_id = $1 AND " + where, Params().add(survey_id).add(value));
  for (int i = 0; i < ids.rows(); ++i)
    themes_forget(c, survey_id, ids.i64(i, 0));
}

std::unique_ptr<ThemesStore> themes_store(Pool& readers) { return std::make_unique<PostgresThemes>(readers); }

} // namespace npsd::pg
