// The PostgreSQL engine's answers stored a batch at a time (see the header).
#include "postgres_ingest.hpp"

#include "postgres_dim_tallies.hpp"
#include "postgres_rows.hpp"
#include "postgres_themes.hpp"
#include "postgres_webhooks.hpp"
#include "webhook_store.hpp"

#include "nps/json.hpp"

#include <string_view>
#include <unordered_map>

namespace npsd::pg {

namespace {

// The batch's rows from 14 arrays ($1..$14, add_response_params' order), inserted in order
// unless their key is stored (or came earlier in the batch); the day totals and the segment
// tallies of the rows inserted, one upsert each, grouped and in key order.
std::string insert_sql() {
  std::string counts, update;
  for (int s = 0; s <= 10; ++s) {
    const auto col = "c" + std::to_string(s);
    counts += ", sum((score = " + std::to_string(s) + ")::integer)";
    update += (s ? ", " : "") + col + " = t." + col + " + excluded." + col;
  }
  return "WITH a AS (SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::text[], "
         "$6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], "
         "$13::bigint[], $14::bigint[]) WITH ORDINALITY AS a(survey_id, idempotency_key, score, category, "
         "comment, answers, channel, locale, device, page, respondent_id, attributes, client_time, "
         "received_at, ord)), "
         "ins AS (INSERT INTO responses (survey_id, idempotency_key, score, category, comment, answers, "
         "channel, locale, device, page, respondent_id, attributes, client_time, received_at) "
         "SELECT survey_id, idempotency_key, score, category, comment, answers::json, channel, locale, "
         "device, page, respondent_id, attributes::json, client_time, received_at FROM a ORDER BY ord "
         "ON CONFLICT (survey_id, idempotency_key) DO NOTHING "
         "RETURNING id, survey_id, idempotency_key, score, channel, coalesce(locale, '') AS locale, "
         "coalesce(device, '') AS device, " +
         std::string(kDayOf) +
         " AS day), "
         "tot AS (INSERT INTO day_totals AS t (survey_id, day, " +
         cells() + ") SELECT survey_id, day" + counts +
         " FROM ins GROUP BY survey_id, day ORDER BY survey_id, day "
         "ON CONFLICT (survey_id, day, slot) DO UPDATE SET " +
         update +
         "), "
         "seg AS (INSERT INTO day_tallies AS t (survey_id, day, channel, locale, device, " +
         cells() + ") SELECT survey_id, day, channel, locale, device" + counts +
         " FROM ins GROUP BY survey_id, day, channel, locale, device ORDER BY survey_id, day, channel, "
         "locale, device ON CONFLICT (survey_id, day, channel, locale, device, slot) DO UPDATE SET " +
         update + ") SELECT id, survey_id, idempotency_key FROM ins";
}

std::string answer_key(std::string_view survey_id, std::string_view key) {
  std::string k(survey_id);
  k += '\0';
  k += key;
  return k;
}

} // namespace

std::string text_array(const std::vector<std::optional<std::string>>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    if (!items[i]) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (const char ch : *items[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += '}';
  return out;
}

void insert_answers(Conn& c, std::vector<PendingAnswer*>& answers, bool events) {
  if (answers.empty()) return;
  static const std::string sql = insert_sql();
  // add_response_params' 14 values of each answer, column by column.
  std::vector<std::vector<std::optional<std::string>>> columns(14);
  for (auto& col : columns)
    col.reserve(answers.size());
  for (const PendingAnswer* a : answers) {
    Params one;
    add_response_params(one, *a->response, a->received_at);
    for (std::size_t i = 0; i < columns.size(); ++i)
      columns[i].push_back(one.values()[i]);
  }
  Params p;
  for (const auto& col : columns)
    p.add(text_array(col));
  auto rows = c.run(sql, p);

  std::unordered_map<std::string, std::int64_t> created;
  for (int i = 0; i < rows.rows(); ++i)
    created.emplace(answer_key(rows.text(i, 1), rows.text(i, 2)), rows.i64(i, 0));
  std::vector<std::pair<const nps::Response*, std::int32_t>> counted;
  std::vector<ThemeAnswer> themed;
  std::vector<OutboxEvent> created_events;
  for (PendingAnswer* a : answers) {
    const nps::Response& r = *a->response;
    // The first answer of the batch with its key is the one stored; the others are retries.
    const auto it = created.find(answer_key(r.survey_id, r.idempotency_key));
    if (it != created.end()) {
      a->outcome = InsertOutcome{Inserted::created, StoredResponse{it->second, r, a->received_at}};
      created.erase(it);
      counted.emplace_back(&r, day_of(a->received_at));
      themed.push_back({a->outcome.stored.id, &r, a->received_at});
      if (events)
        created_events.push_back(make_event("response.created", response_event_data(a->outcome.stored),
                                            response_tags(r), a->received_at));
      continue;
    }
    // Stored before (by an earlier batch, another npsd, or earlier in this one).
    auto existing = find_in(c, r.survey_id, r.idempotency_key);
    if (!existing)
      throw StorageError("postgresql: the answer with key " + r.idempotency_key +
                         " conflicted but is not stored");
    a->outcome = InsertOutcome{Inserted::duplicate, std::move(*existing)};
  }
  emit_events_later(c, created_events); // one statement for the batch's events
  dims_add(c, counted);                 // tallies by page and attribute
  themes_add(c, themed);                // comment themes
}

} // namespace npsd::pg
