// The PostgreSQL engine's analytics reads (storage.hpp): breakdowns counted from the rows,
// the per-day tallies and their grouped sums, and the raw scan the benchmark compares with.
// Each runs on a reader connection of the pool; the tallies they read are written by the
// writer's transactions (postgres_rows.cpp).
#include "postgres_analytics.hpp"

#include "postgres_rows.hpp"
#include "tally_sql.hpp"

#include <utility>

namespace npsd::pg {

std::vector<TallyGroupRow> score_groups(Conn& c, const ResponseFilter& f,
                                        const std::optional<std::string>& attribute) {
  Params p;
  p.add(f.survey_id);
  std::string key = "coalesce(page, '')";
  if (attribute) {
    p.add(*attribute);
    key = "coalesce(attributes ->> $2::text, '')";
  }
  // Keys in byte order, as SQLite sorts them, whatever the database's collation.
  const std::string sql = "SELECT " + key +
                          " COLLATE \"C\", score, count(*) FROM responses WHERE survey_id = $1" +
                          pg::filter_clauses(f, std::nullopt, p) + " GROUP BY 1, 2 ORDER BY 1, 2";
  auto r = c.once(sql, p);
  std::vector<TallyGroupRow> out;
  for (int i = 0; i < r.rows(); ++i) {
    auto k = r.text(i, 0);
    if (out.empty() || out.back().key != k) out.push_back(TallyGroupRow{k, 0, {}});
    out.back().tally.add(nps::Score::from_int(r.i64(i, 1)).value(), static_cast<std::uint64_t>(r.i64(i, 2)));
  }
  return out;
}

std::vector<TallyRow> tallies(Conn& c, const std::string& survey_id, std::int32_t from_day,
                              std::int32_t to_day) {
  // One row per day and segment: the writers' slots (schema migration 14) added up.
  auto r = c.run("SELECT day, channel, locale, device, " + pg::cells("sum(", ")") +
                     " FROM day_tallies WHERE survey_id = $1 AND day BETWEEN $2 AND $3 GROUP BY 1, 2, 3, 4",
                 Params().add(survey_id).add(from_day).add(to_day));
  std::vector<TallyRow> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(TallyRow{static_cast<std::int32_t>(r.i64(i, 0)), r.text(i, 1), r.text(i, 2), r.text(i, 3),
                           pg::read_cells(r, i, 4)});
  return out;
}

std::vector<TallyGroupRow> tally_groups(Conn& c, const TallyQuery& q) {
  const char* key = tally_group_column(q.group);
  Params p;
  p.add(q.survey_id).add(q.from_day).add(q.to_day);
  std::string sql = std::string("SELECT ") + key + ", " + pg::cells("sum(", ")") + " FROM " + tally_table(q) +
                    " WHERE survey_id = $1 AND day BETWEEN $2 AND $3";
  for (const auto& [column, value] :
       {std::pair{"channel", &q.channel}, {"locale", &q.locale}, {"device", &q.device}})
    if (*value) {
      p.add(**value);
      sql += std::string(" AND ") + column + " = $" + std::to_string(p.size());
    }
  if (q.group != TallyGroup::all)
    sql += std::string(" GROUP BY ") + key + " ORDER BY " + key +
           (q.group == TallyGroup::day ? "" : " COLLATE \"C\"");
  auto r = c.once(sql, p);
  std::vector<TallyGroupRow> out;
  for (int i = 0; i < r.rows(); ++i) {
    TallyGroupRow row;
    if (q.group == TallyGroup::day)
      row.day = static_cast<std::int32_t>(r.i64(i, 0));
    else
      row.key = r.text(i, 0);
    row.tally = pg::read_cells(r, i, 1);
    if (q.group == TallyGroup::all && row.tally.n() == 0) continue; // no rows: sum() gives NULLs
    out.push_back(std::move(row));
  }
  return out;
}

nps::Tally scan_tally(Conn& c, const std::string& survey_id) {
  auto r = c.run("SELECT score, count(*) FROM responses WHERE survey_id = $1 GROUP BY score",
                 Params().add(survey_id));
  nps::Tally t;
  for (int i = 0; i < r.rows(); ++i)
    t.add(nps::Score::from_int(r.i64(i, 0)).value(), static_cast<std::uint64_t>(r.i64(i, 1)));
  return t;
}

} // namespace npsd::pg
