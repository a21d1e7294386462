// The PostgreSQL engine's SQL pieces shared by its methods (see the header).
#include "postgres_rows.hpp"
#include "postgres_dim_tallies.hpp"
#include "postgres_themes.hpp"

#include "nps/json.hpp"

namespace npsd::pg {

namespace {

nps::json parse_stored_json(const std::string& text) {
  return nps::parse_json_value(text).value_or(nps::json::object());
}

std::string opt_device(const std::optional<nps::Device>& d) {
  return d ? std::string(nps::to_string(*d)) : std::string();
}

} // namespace

// ---- rows ------------------------------------------------------------------------------

std::string response_columns(const std::string& prefix) {
  std::string cols;
  for (const char* col :
       {"id", "survey_id", "idempotency_key", "score", "comment", "answers", "channel", "locale", "device",
        "page", "respondent_id", "attributes", "client_time", "received_at"})
    cols += (cols.empty() ? "" : ", ") + prefix + col;
  return cols;
}

StoredResponse read_response(const Result& s, int row, int c) {
  StoredResponse out;
  out.id = s.i64(row, c);
  auto& r = out.response;
  r.survey_id = s.text(row, c + 1);
  r.idempotency_key = s.text(row, c + 2);
  r.score = nps::Score::from_int(static_cast<int>(s.i64(row, c + 3))).value();
  r.comment = s.opt_text(row, c + 4);
  r.answers = parse_stored_json(s.text(row, c + 5));
  r.channel = nps::channel_from_string(s.text(row, c + 6)).value_or(nps::Channel::api);
  r.locale = s.opt_text(row, c + 7);
  if (auto d = s.opt_text(row, c + 8)) r.device = nps::device_from_string(*d);
  r.page = s.opt_text(row, c + 9);
  r.respondent_id = s.opt_text(row, c + 10);
  r.attributes = parse_stored_json(s.text(row, c + 11));
  r.client_time = s.opt_i64(row, c + 12);
  out.received_at = s.i64(row, c + 13);
  return out;
}

SurveyRecord read_survey(const Result& s, int row) {
  SurveyRecord r;
  r.id = s.text(row, 0);
  r.definition = s.text(row, 1);
  r.version = s.i64(row, 2);
  r.archived = s.boolean(row, 3);
  r.etag = s.text(row, 4);
  r.updated_at = s.i64(row, 5);
  return r;
}

TokenRecord read_token(const Result& s, int row) {
  TokenRecord t;
  t.id = s.i64(row, 0);
  t.hash = s.text(row, 1);
  t.role = role_from_string(s.text(row, 2)).value_or(Role::viewer);
  t.name = s.text(row, 3);
  t.created_at = s.i64(row, 4);
  return t;
}

UserRecord read_user(const Result& s, int row) {
  UserRecord u;
  u.id = s.i64(row, 0);
  u.email = s.text(row, 1);
  u.role = role_from_string(s.text(row, 2)).value_or(Role::viewer);
  u.password_hash = s.text(row, 3);
  u.created_at = s.i64(row, 4);
  return u;
}

nps::Tally read_cells(const Result& r, int row, int first_col) {
  nps::Tally t;
  for (int s = 0; s <= 10; ++s)
    if (const auto n = r.i64(row, first_col + s); n > 0)
      t.add(nps::Score::from_int(s).value(), static_cast<std::uint64_t>(n));
  return t;
}

void add_response_params(Params& p, const nps::Response& r, Millis received_at) {
  p.add(r.survey_id).add(r.idempotency_key).add(r.score.value());
  p.add(nps::to_string(r.category())).add(r.comment).add(nps::dump(r.answers));
  p.add(nps::to_string(r.channel)).add(r.locale);
  if (r.device)
    p.add(nps::to_string(*r.device));
  else
    p.add_null();
  p.add(r.page).add(r.respondent_id).add(nps::dump(r.attributes));
  p.add(r.client_time).add(received_at);
}

std::string cells(const std::string& before, const std::string& after) {
  std::string out;
  for (int s = 0; s <= 10; ++s)
    out += (s ? ", " : "") + before + "c" + std::to_string(s) + after;
  return out;
}

// ---- tallies ---------------------------------------------------------------------------

void bump_tally(Conn& c, const std::string& survey_id, std::int32_t day, const std::string& channel,
                const std::string& locale, const std::string& device, int score, std::int64_t delta) {
  std::string values, updates;
  for (int s = 0; s <= 10; ++s) {
    const auto col = "c" + std::to_string(s);
    values += s == 0 ? "" : ", ";
    values += s == score ? "$3" : "0";
    updates += (s ? ", " : "") + col + " = t." + col + " + excluded." + col;
  }
  c.run("INSERT INTO day_totals AS t (survey_id, day, " + cells() + ") VALUES ($1, $2, " + values +
            ") ON CONFLICT (survey_id, day, slot) DO UPDATE SET " + updates,
        Params().add(survey_id).add(day).add(delta));
  std::string seg_values;
  for (int s = 0; s <= 10; ++s)
    seg_values += std::string(s == 0 ? "" : ", ") + (s == score ? "$6" : "0");
  c.run("INSERT INTO day_tallies AS t (survey_id, day, channel, locale, device, " + cells() +
            ") VALUES ($1, $2, $3, $4, $5, " + seg_values +
            ") ON CONFLICT (survey_id, day, channel, locale, device, slot) DO UPDATE SET " + updates,
        Params().add(survey_id).add(day).add(channel).add(locale).add(device).add(delta));
}

void bump_tally(Conn& c, const nps::Response& r, std::int32_t day, std::int64_t delta) {
  bump_tally(c, r.survey_id, day, std::string(nps::to_string(r.channel)), r.locale.value_or(""),
             opt_device(r.device), r.score.value(), delta);
}

std::optional<StoredResponse> find_in(Conn& c, const std::string& survey_id, const std::string& key) {
  auto r =
      c.run("SELECT " + response_columns() + " FROM responses WHERE survey_id = $1 AND idempotency_key = $2",
            Params().add(survey_id).add(key));
  if (r.rows() == 0) return std::nullopt;
  return read_response(r, 0);
}

// ---- filters ---------------------------------------------------------------------------

namespace {

// "%text%" for ILIKE, with its own wildcards escaped.
std::string like_pattern(std::string_view s) {
  std::string out = "%";
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

} // namespace

std::string filter_clauses(const ResponseFilter& f, std::optional<std::int64_t> before, Params& p) {
  std::string sql;
  auto add = [&](const std::string& clause, auto value) {
    p.add(value);
    sql += " AND " + clause + " $" + std::to_string(p.size());
  };
  if (f.from) add("received_at >=", *f.from);
  if (f.to) add("received_at <", *f.to);
  if (f.category) add("category =", nps::to_string(*f.category));
  if (f.score) add("score =", *f.score);
  if (f.channel) add("channel =", *f.channel);
  if (f.locale) add("locale =", *f.locale);
  if (f.device) add("device =", *f.device);
  if (f.with_respondent) sql += " AND respondent_id IS NOT NULL";
  if (f.respondent_id) add("respondent_id =", *f.respondent_id);
  if (f.text) {
    add("comment ILIKE", like_pattern(*f.text));
    sql += " ESCAPE '\\'";
  }
  if (f.attribute_key && f.attribute_value) {
    // ->> gives a string's content, a number as written, true/false: what SQLite's
    // json_extract compares.
    p.add(*f.attribute_key);
    const auto key = "$" + std::to_string(p.size());
    add("attributes ->> " + key + "::text =", *f.attribute_value);
  }
  if (before) add("id <", *before);
  return sql;
}

// ---- follow-ups ------------------------------------------------------------------------

std::vector<FollowUp> query_follow_ups(Conn& c, const FollowUpFilter& f, std::optional<std::int64_t> one,
                                       std::optional<std::int64_t> before, std::size_t limit) {
  std::string sql =
      "SELECT " + response_columns("r.") +
      ", coalesce(f.status, 'new'), f.assignee_id, coalesce(u.email, ''), coalesce(f.updated_at, 0) "
      "FROM responses r LEFT JOIN follow_ups f ON f.survey_id = r.survey_id AND f.response_id = r.id "
      "LEFT JOIN users u ON u.id = f.assignee_id WHERE r.survey_id = $1 AND ";
  sql += f.include_passives ? "r.category IN ('detractor', 'passive')" : "r.category = 'detractor'";
  sql += " AND ((r.comment IS NOT NULL AND r.comment <> '') OR r.respondent_id IS NOT NULL)";
  Params p;
  p.add(f.survey_id);
  auto clause = [&](const std::string& text, auto value) {
    p.add(value);
    sql += " AND " + text + " $" + std::to_string(p.size());
  };
  if (one) clause("r.id =", *one);
  if (f.status) clause("coalesce(f.status, 'new') =", *f.status);
  if (f.open_only) sql += " AND coalesce(f.status, 'new') <> 'resolved'";
  if (f.assignee_id) clause("f.assignee_id =", *f.assignee_id);
  if (before) clause("r.id <", *before);
  sql += " ORDER BY r.id DESC LIMIT " + std::to_string(limit);
  auto rows = c.once(sql, p);
  std::vector<FollowUp> out;
  for (int i = 0; i < rows.rows(); ++i) {
    FollowUp item;
    item.response = read_response(rows, i);
    item.status = rows.text(i, 14);
    item.assignee_id = rows.opt_i64(i, 15);
    item.assignee_email = rows.text(i, 16);
    item.updated_at = rows.i64(i, 17);
    out.push_back(std::move(item));
  }
  for (auto& item : out) {
    auto notes = c.run("SELECT id, author, text, created_at FROM follow_up_notes "
                       "WHERE survey_id = $1 AND response_id = $2 ORDER BY id",
                       Params().add(f.survey_id).add(item.response.id));
    for (int i = 0; i < notes.rows(); ++i)
      item.notes.push_back({notes.i64(i, 0), notes.text(i, 1), notes.text(i, 2), notes.i64(i, 3)});
  }
  return out;
}

// ---- deletion --------------------------------------------------------------------------

std::size_t delete_in_survey(Conn& c, const std::string& survey_id, const std::string& where,
                             const std::string& value) {
  themes_forget_where(c, survey_id, where, value); // issue 16: their comment terms
  dims_count(c, "survey_id = $1 AND " + where, Params().add(survey_id).add(value), -1,
             false); // issue 18: out of their page and attribute cells
  // One statement deletes the answers, their follow-up rows and notes, and returns the
  // counts to take out of the tallies, grouped by tally cell.
  auto gone = c.run(
      "WITH gone AS (DELETE FROM responses WHERE survey_id = $1 AND " + where +
          " RETURNING id, score, channel, coalesce(locale, '') AS locale, "
          "coalesce(device, '') AS device, " +
          kDayOf +
          " AS day), "
          "f AS (DELETE FROM follow_ups x USING gone WHERE x.survey_id = $1 AND x.response_id = gone.id), "
          "n AS (DELETE FROM follow_up_notes x USING gone WHERE x.survey_id = $1 AND "
          "x.response_id = gone.id) "
          "SELECT day, channel, locale, device, score, count(*) FROM gone "
          "GROUP BY day, channel, locale, device, score ORDER BY day, channel, locale, device, score",
      Params().add(survey_id).add(value));
  std::size_t n = 0;
  for (int i = 0; i < gone.rows(); ++i) {
    const auto count = gone.i64(i, 5);
    bump_tally(c, survey_id, static_cast<std::int32_t>(gone.i64(i, 0)), gone.text(i, 1), gone.text(i, 2),
               gone.text(i, 3), static_cast<int>(gone.i64(i, 4)), -count);
    n += static_cast<std::size_t>(count);
  }
  return n;
}

std::vector<std::string> surveys_with(Conn& c, const std::string& where, const std::string& value) {
  auto r = c.run("SELECT DISTINCT survey_id FROM responses WHERE " + where + " ORDER BY survey_id",
                 Params().add(value));
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(r.text(i, 0));
  return out;
}

} // namespace npsd::pg
