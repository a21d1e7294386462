// The SQLite engine's rows (see sqlite_rows.hpp): readers from result rows, the response
// filter as SQL, and the statements several operations share.
//
// Sections: readers · filters · shared statements
#include "sqlite_rows.hpp"
#include "sqlite_dim_tallies.hpp"
#include "sqlite_ingest.hpp"
#include "sqlite_themes.hpp"

#include "nps/json.hpp"

namespace npsd::sqlite {

// ---- readers ---------------------------------------------------------------------------

namespace {

nps::json parse_stored_json(const std::string& text) {
  nps::json j = nps::json::parse(text, nullptr, false);
  return j.is_discarded() ? nps::json::object() : j;
}

std::string opt_device(const std::optional<nps::Device>& d) {
  return d ? std::string(nps::to_string(*d)) : std::string();
}

std::string like_escape(std::string_view s) {
  std::string out = "%";
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

} // namespace

StoredResponse read_response(const Stmt& s) {
  StoredResponse out;
  out.id = s.i64(0);
  auto& r = out.response;
  r.survey_id = s.text(1);
  r.idempotency_key = s.text(2);
  r.score = nps::Score::from_int(s.i64(3)).value();
  r.comment = s.opt_text(4);
  r.answers = parse_stored_json(s.text(5));
  r.channel = nps::channel_from_string(s.text(6)).value_or(nps::Channel::api);
  r.locale = s.opt_text(7);
  if (auto d = s.opt_text(8)) r.device = nps::device_from_string(*d);
  r.page = s.opt_text(9);
  r.respondent_id = s.opt_text(10);
  r.attributes = parse_stored_json(s.text(11));
  if (!s.is_null(12)) r.client_time = s.i64(12);
  out.received_at = s.i64(13);
  return out;
}

SurveyRecord read_survey(const Stmt& s) {
  SurveyRecord r;
  r.id = s.text(0);
  r.definition = s.text(1);
  r.version = s.i64(2);
  r.archived = s.i64(3) != 0;
  r.etag = s.text(4);
  r.updated_at = s.i64(5);
  return r;
}

TokenRecord read_token(const Stmt& s) {
  TokenRecord t;
  t.id = s.i64(0);
  t.hash = s.text(1);
  t.role = role_from_string(s.text(2)).value_or(Role::viewer);
  t.name = s.text(3);
  t.created_at = s.i64(4);
  return t;
}

UserRecord read_user(const Stmt& s) {
  UserRecord u;
  u.id = s.i64(0);
  u.email = s.text(1);
  u.role = role_from_string(s.text(2)).value_or(Role::viewer);
  u.password_hash = s.text(3);
  u.created_at = s.i64(4);
  return u;
}

SessionRecord read_session(const Stmt& st) {
  SessionRecord s;
  s.hash = st.text(0);
  if (!st.is_null(1)) s.user_id = st.i64(1);
  if (!st.is_null(2)) s.token_id = st.i64(2);
  s.role = role_from_string(st.text(3)).value_or(Role::viewer);
  s.email = st.text(4);
  s.csrf = st.text(5);
  s.created_at = st.i64(6);
  s.expires_at = st.i64(7);
  return s;
}

// ---- filters ---------------------------------------------------------------------------

std::string attribute_text(const std::string& path) {
  return "CASE json_type(attributes, " + path +
         ") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
         "ELSE CAST(json_extract(attributes, " +
         path + ") AS TEXT) END";
}

bool comment_index_serves(const std::string& text) {
  std::size_t chars = 0;
  for (const unsigned char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') return false;
    if ((ch & 0xC0) != 0x80) ++chars;
  }
  return chars >= 3;
}

std::string response_where(const ResponseFilter& f, std::optional<std::int64_t> before,
                           std::vector<Binder>& binds) {
  std::string sql;
  auto add = [&](const std::string& clause, Binder b) {
    sql += " AND " + clause;
    binds.push_back(std::move(b));
  };
  auto n = [&] { return "?" + std::to_string(binds.size() + 2); };
  if (f.from) add("received_at >= " + n(), [v = *f.from](Stmt& s, int i) { s.bind(i, v); });
  if (f.to) add("received_at < " + n(), [v = *f.to](Stmt& s, int i) { s.bind(i, v); });
  if (f.category)
    add("category = " + n(),
        [v = std::string(nps::to_string(*f.category))](Stmt& s, int i) { s.bind(i, v); });
  if (f.score) add("score = " + n(), [v = *f.score](Stmt& s, int i) { s.bind(i, v); });
  if (f.channel) add("channel = " + n(), [v = *f.channel](Stmt& s, int i) { s.bind(i, v); });
  if (f.locale) add("locale = " + n(), [v = *f.locale](Stmt& s, int i) { s.bind(i, v); });
  if (f.device) add("device = " + n(), [v = *f.device](Stmt& s, int i) { s.bind(i, v); });
  if (f.with_respondent) sql += " AND respondent_id IS NOT NULL";
  if (f.respondent_id)
    add("respondent_id = " + n(), [v = *f.respondent_id](Stmt& s, int i) { s.bind(i, v); });
  if (f.text)
    add("comment LIKE " + n() + " ESCAPE '\\'", [v = like_escape(*f.text)](Stmt& s, int i) { s.bind(i, v); });
  if (f.attribute_key && f.attribute_value) {
    const std::string p = n();
    binds.push_back([k = "$.\"" + *f.attribute_key + "\""](Stmt& s, int i) { s.bind(i, k); });
    const std::string v = n();
    binds.push_back([val = *f.attribute_value](Stmt& s, int i) { s.bind(i, val); });
    sql += " AND (" + attribute_text(p) + ") = " + v;
  }
  if (before) add("id < " + n(), [v = *before](Stmt& s, int i) { s.bind(i, v); });
  return sql;
}

// ---- shared statements -----------------------------------------------------------------

std::optional<StoredResponse> find_in(Conn& c, const std::string& survey_id, const std::string& key) {
  auto st = c.prep(std::string("SELECT ") + kResponseColumns +
                   " FROM responses WHERE survey_id = ?1 AND idempotency_key = ?2");
  st.bind(1, survey_id).bind(2, key);
  if (!st.step()) return std::nullopt;
  return read_response(st);
}

namespace {

const std::string& tallies_sql() {
  static const std::string sql =
      "INSERT INTO day_tallies (survey_id, day, channel, locale, device, "
      "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
      "ON CONFLICT (survey_id, day, channel, locale, device) DO UPDATE SET "
      "c0 = c0 + excluded.c0, c1 = c1 + excluded.c1, c2 = c2 + excluded.c2, "
      "c3 = c3 + excluded.c3, c4 = c4 + excluded.c4, c5 = c5 + excluded.c5, "
      "c6 = c6 + excluded.c6, c7 = c7 + excluded.c7, c8 = c8 + excluded.c8, "
      "c9 = c9 + excluded.c9, c10 = c10 + excluded.c10";
  return sql;
}

const std::string& totals_sql() {
  static const std::string sql =
      "INSERT INTO day_totals (survey_id, day, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
      "ON CONFLICT (survey_id, day) DO UPDATE SET "
      "c0 = c0 + excluded.c0, c1 = c1 + excluded.c1, c2 = c2 + excluded.c2, "
      "c3 = c3 + excluded.c3, c4 = c4 + excluded.c4, c5 = c5 + excluded.c5, "
      "c6 = c6 + excluded.c6, c7 = c7 + excluded.c7, c8 = c8 + excluded.c8, "
      "c9 = c9 + excluded.c9, c10 = c10 + excluded.c10";
  return sql;
}

} // namespace

std::optional<StoredResponse> insert_if_new(Conn& c, const nps::Response& r, Millis received_at,
                                            std::int32_t day) {
  {
    // The unique key (survey_id, idempotency_key) answers "already stored?" with the insert.
    auto ins = c.prep("INSERT INTO responses (survey_id, idempotency_key, score, category, comment, answers, "
                      "channel, locale, device, page, respondent_id, attributes, client_time, received_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                      "ON CONFLICT (survey_id, idempotency_key) DO NOTHING");
    ins.bind(1, r.survey_id).bind(2, r.idempotency_key).bind(3, r.score.value());
    ins.bind(4, nps::to_string(r.category())).bind(5, r.comment).bind(6, nps::dump(r.answers));
    ins.bind(7, nps::to_string(r.channel)).bind(8, r.locale);
    if (r.device)
      ins.bind(9, nps::to_string(*r.device));
    else
      ins.bind_null(9);
    ins.bind(10, r.page).bind(11, r.respondent_id).bind(12, nps::dump(r.attributes));
    ins.bind(13, r.client_time).bind(14, received_at);
    ins.run();
  }
  if (c.changes() == 0) return std::nullopt;
  StoredResponse out{c.last_id(), r, received_at};
  index_comment(c, out.id, r.comment); // comment search (migration 15): at the batch's end when folding
  bump_tally(c, r, day, +1);
  dims_add(c, out.id, r);                // issue 18: tallies by page and attribute
  themes_add(c, out.id, r, received_at); // issue 16: comment themes, same transaction
  return out;
}

std::int64_t day_count(Conn& c, const std::string& survey_id, std::int32_t day) {
  auto st = c.prep("SELECT coalesce(sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10), 0) "
                   "FROM day_totals WHERE survey_id = ?1 AND day = ?2");
  st.bind(1, survey_id).bind(2, day);
  st.step();
  std::int64_t n = st.i64(0);
  if (const Fold* f = folding(c)) n += f->waiting(totals_sql(), {{1, survey_id}, {2, std::int64_t{day}}});
  return n;
}

void bump_tally(Conn& c, const nps::Response& r, std::int32_t day, int delta) {
  const std::string channel(nps::to_string(r.channel));
  if (Fold* f = folding(c)) { // storing answers: written once per batch (sqlite_ingest.hpp)
    f->add(tallies_sql(),
           {{1, r.survey_id},
            {2, std::int64_t{day}},
            {3, channel},
            {4, r.locale.value_or("")},
            {5, opt_device(r.device)}},
           6, r.score.value(), delta);
    f->add(totals_sql(), {{1, r.survey_id}, {2, std::int64_t{day}}}, 3, r.score.value(), delta);
    return;
  }
  auto st = c.prep(tallies_sql());
  st.bind(1, r.survey_id).bind(2, day).bind(3, channel);
  st.bind(4, r.locale.value_or("")).bind(5, opt_device(r.device));
  for (int s = 0; s <= 10; ++s)
    st.bind(6 + s, s == r.score.value() ? delta : 0);
  st.run();
  auto total = c.prep(totals_sql());
  total.bind(1, r.survey_id).bind(2, day);
  for (int s = 0; s <= 10; ++s)
    total.bind(3 + s, s == r.score.value() ? delta : 0);
  total.run();
}

std::size_t delete_where(Conn& c, const std::string& where, const std::function<void(Stmt&)>& bind) {
  auto sel = c.once(std::string("SELECT ") + kResponseColumns + " FROM responses WHERE " + where);
  bind(sel);
  std::vector<StoredResponse> doomed;
  while (sel.step())
    doomed.push_back(read_response(sel));
  if (!doomed.empty())
    dims_count(c, where, bind, -1, false); // issue 18: out of their page and attribute cells
  for (const auto& d : doomed) {
    bump_tally(c, d.response, day_of(d.received_at), -1);
    themes_forget(c, d.id);
    auto del = c.prep("DELETE FROM responses WHERE id = ?1");
    del.bind(1, d.id).run();
    c.prep("DELETE FROM follow_ups WHERE response_id = ?1").bind(1, d.id).run();
    c.prep("DELETE FROM follow_up_notes WHERE response_id = ?1").bind(1, d.id).run();
  }
  return doomed.size();
}

std::vector<FollowUp> query_follow_ups(Conn& c, const FollowUpFilter& f, std::optional<std::int64_t> one,
                                       std::optional<std::int64_t> before, std::size_t limit) {
  std::string cols;
  for (std::string_view col :
       {"id", "survey_id", "idempotency_key", "score", "comment", "answers", "channel", "locale", "device",
        "page", "respondent_id", "attributes", "client_time", "received_at"})
    cols += (cols.empty() ? "r." : ", r.") + std::string(col);
  std::string sql =
      "SELECT " + cols +
      ", coalesce(f.status, 'new'), f.assignee_id, coalesce(u.email, ''), coalesce(f.updated_at, 0) "
      "FROM responses r LEFT JOIN follow_ups f ON f.response_id = r.id "
      "LEFT JOIN users u ON u.id = f.assignee_id WHERE r.survey_id = ?1 AND ";
  sql += f.include_passives ? "r.category IN ('detractor', 'passive')" : "r.category = 'detractor'";
  sql += " AND ((r.comment IS NOT NULL AND r.comment != '') OR r.respondent_id IS NOT NULL)";
  if (one) sql += " AND r.id = ?2";
  if (f.status) sql += " AND coalesce(f.status, 'new') = ?3";
  if (f.open_only) sql += " AND coalesce(f.status, 'new') != 'resolved'";
  if (f.assignee_id) sql += " AND f.assignee_id = ?4";
  if (before) sql += " AND r.id < ?5";
  sql += " ORDER BY r.id DESC LIMIT " + std::to_string(limit);
  auto st = c.once(sql);
  st.bind(1, f.survey_id);
  if (one) st.bind(2, *one);
  if (f.status) st.bind(3, *f.status);
  if (f.assignee_id) st.bind(4, *f.assignee_id);
  if (before) st.bind(5, *before);
  std::vector<FollowUp> out;
  while (st.step()) {
    FollowUp item;
    item.response = read_response(st);
    item.status = st.text(14);
    if (!st.is_null(15)) item.assignee_id = st.i64(15);
    item.assignee_email = st.text(16);
    item.updated_at = st.i64(17);
    out.push_back(std::move(item));
  }
  for (auto& item : out) {
    auto notes =
        c.prep("SELECT id, author, text, created_at FROM follow_up_notes WHERE response_id = ?1 ORDER BY id");
    notes.bind(1, item.response.id);
    while (notes.step())
      item.notes.push_back({notes.i64(0), notes.text(1), notes.text(2), notes.i64(3)});
  }
  return out;
}

} // namespace npsd::sqlite
