// The PostgreSQL engine's tallies by page and by attribute (see dim_tallies.hpp for the
// tables and why they are exact).
#include "postgres_dim_tallies.hpp"

#include "postgres_ingest.hpp"
#include "postgres_rows.hpp"

#include "nps/json.hpp"

namespace npsd::pg {

namespace {

// (survey_id, day, score, dim, value) of every page and attribute value of the answers
// matching `where`; the attribute's value as text exactly as score_groups reads it
// (attributes ->> key); answers without a value give no row.
// With each, the answer's segments (channel, device and locale, "" for none).
std::string pairs(const std::string& where) {
  return std::string("SELECT survey_id, ") + kDayOf +
         " AS day, score, 'page'::text AS dim, page AS value, channel, coalesce(device, '') AS device, "
         "coalesce(locale, '') AS locale, id AS ord FROM responses WHERE (" +
         where +
         ") AND page <> '' UNION ALL SELECT r.survey_id, r.day, r.score, 'attribute:' || j.key, j.value, "
         "r.channel, r.device, r.locale, r.id FROM (SELECT id, survey_id, " +
         kDayOf +
         " AS day, score, attributes, channel, coalesce(device, '') AS device, coalesce(locale, '') AS "
         "locale "
         "FROM responses WHERE (" +
         where +
         ") AND attributes::text <> '{}') r CROSS JOIN LATERAL json_each_text(r.attributes) j "
         "WHERE j.value <> '' AND j.key ~ '^[A-Za-z0-9_.-]{1,64}$'";
}

// `moved_from`: a score change, the answers' current score +1 and this score ($3) -1.
// The same pairs of a batch of answers from arrays of their values ($1 survey, $2 day, $3
// score, $4 page, $5 the attributes' JSON text as stored, $6 channel, $7 device, $8 locale,
// "" for none), one element per answer: an insert reads nothing back (a big import's
// transaction would otherwise read the table with the plan of a table the statistics still
// think empty).
std::string pairs_of_arrays() {
  const std::string answers =
      "unnest($1::text[], $2::integer[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[], "
      "$8::text[]) WITH ORDINALITY AS a(survey_id, day, score, page, attributes, channel, device, locale, "
      "ord)";
  std::string sql = "SELECT a.survey_id, a.day, a.score, 'page'::text AS dim, a.page AS value, a.channel, "
                    "a.device, a.locale, a.ord FROM ";
  sql += answers;
  sql += " WHERE a.page <> '' UNION ALL SELECT a.survey_id, a.day, a.score, 'attribute:' || j.key, j.value, "
         "a.channel, a.device, a.locale, a.ord FROM ";
  sql += answers;
  sql += " CROSS JOIN LATERAL json_each_text(a.attributes::json) j WHERE j.value <> '' AND j.key ~ "
         "'^[A-Za-z0-9_.-]{1,64}$'";
  return sql;
}

std::string count_sql(const std::string& where, int delta, bool admit, bool moved_from = false) {
  const std::string keys = std::to_string(kDimKeys), values = std::to_string(kDimValues);
  std::string sql = "WITH p AS (" + (where.empty() ? pairs_of_arrays() : pairs(where)) + "), ";
  std::string listed =
      "p.dim = 'page' OR EXISTS (SELECT 1 FROM dim_keys k WHERE k.survey_id = p.survey_id AND "
      "k.dim = p.dim)";
  std::string counted =
      "EXISTS (SELECT 1 FROM dim_values v WHERE v.survey_id = l.survey_id AND v.dim = l.dim "
      "AND v.value = l.value)";
  if (admit) {
    // New keys and values listed while there is room; DO UPDATE so that one listed by another
    // writer meanwhile is returned too (and this answer counted under it).
    sql += "nk AS (INSERT INTO dim_keys AS k (survey_id, dim) SELECT x.survey_id, x.dim FROM (SELECT "
           "q.survey_id, "
           "q.dim, row_number() OVER (PARTITION BY q.survey_id ORDER BY q.ord, q.dim) AS rn FROM (SELECT "
           "survey_id, dim, min(ord) AS ord FROM p WHERE dim <> 'page' GROUP BY survey_id, dim) q WHERE NOT "
           "EXISTS (SELECT 1 FROM dim_keys k WHERE "
           "k.survey_id = q.survey_id AND k.dim = q.dim)) x WHERE (SELECT count(*) FROM dim_keys k WHERE "
           "k.survey_id = x.survey_id) + x.rn <= " +
           keys +
           " ON CONFLICT (survey_id, dim) DO UPDATE SET dim = excluded.dim RETURNING k.survey_id, k.dim), ";
    listed += " OR EXISTS (SELECT 1 FROM nk WHERE nk.survey_id = p.survey_id AND nk.dim = p.dim)";
  }
  std::string locale =
      "EXISTS (SELECT 1 FROM seg_locales s WHERE s.survey_id = l.survey_id AND s.locale = l.locale)";
  if (admit) {
    // The answer's locale listed while there is room, as the values below.
    sql +=
        "nl AS (INSERT INTO seg_locales AS s (survey_id, locale) SELECT x.survey_id, x.locale FROM (SELECT "
        "q.survey_id, q.locale, row_number() OVER (PARTITION BY q.survey_id ORDER BY q.ord, q.locale) AS rn "
        "FROM (SELECT p.survey_id, p.locale, min(p.ord) AS ord FROM p WHERE p.locale <> '' AND NOT EXISTS "
        "(SELECT 1 FROM seg_locales s WHERE s.survey_id = p.survey_id AND s.locale = p.locale) GROUP BY "
        "p.survey_id, p.locale) q) x WHERE (SELECT "
        "count(*) FROM seg_locales s WHERE s.survey_id = x.survey_id) + x.rn <= " +
        std::to_string(kSegLocales) +
        " ON CONFLICT (survey_id, locale) DO UPDATE SET locale = excluded.locale RETURNING s.survey_id, "
        "s.locale), ";
    locale += " OR EXISTS (SELECT 1 FROM nl WHERE nl.survey_id = l.survey_id AND nl.locale = l.locale)";
  }
  sql += "l AS (SELECT p.* FROM p WHERE " + listed + "), ";
  if (admit) {
    sql +=
        "nv AS (INSERT INTO dim_values AS v (survey_id, dim, value) SELECT x.survey_id, x.dim, x.value "
        "FROM (SELECT q.survey_id, q.dim, q.value, row_number() OVER (PARTITION BY q.survey_id, q.dim "
        "ORDER BY q.ord, q.value) AS rn FROM (SELECT l.survey_id, l.dim, l.value, min(l.ord) AS ord FROM l "
        "WHERE NOT " +
        counted +
        " GROUP BY l.survey_id, l.dim, l.value) q) x WHERE (SELECT count(*) FROM dim_values v WHERE "
        "v.survey_id = x.survey_id AND v.dim = "
        "x.dim) + x.rn <= " +
        values +
        " ON CONFLICT (survey_id, dim, value) DO UPDATE SET value = excluded.value RETURNING v.survey_id, "
        "v.dim, v.value), ";
    counted +=
        " OR EXISTS (SELECT 1 FROM nv WHERE nv.survey_id = l.survey_id AND nv.dim = l.dim AND nv.value = "
        "l.value)";
  }
  std::string sums, update;
  for (int s = 0; s <= 10; ++s) {
    const auto col = "c" + std::to_string(s);
    const auto is = [&](const std::string& v) { return "(" + v + " = " + std::to_string(s) + ")::integer"; };
    sums += ", sum(" + is("l.score") + (moved_from ? " - " + is("$3::integer") : "") + ") * " +
            std::to_string(delta);
    update += std::string(s ? ", " : "") + col + " = t." + col + " + excluded." + col;
  }
  // The same cells once per segment (dim_tallies.hpp), in the same statement.
  sql +=
      "sl AS (SELECT l.*, g.seg FROM l CROSS JOIN LATERAL (VALUES ('channel:' || l.channel), (CASE WHEN "
      "l.device <> '' THEN 'device:' || l.device END), (CASE WHEN " +
      locale +
      " THEN 'locale:' || l.locale END)) g(seg) WHERE g.seg IS NOT NULL), "
      "ns AS (INSERT INTO dim_seg_tallies AS t (survey_id, dim, seg, day, value, c0, c1, c2, c3, c4, c5, c6, "
      "c7, c8, c9, c10) SELECT l.survey_id, l.dim, l.seg, l.day, CASE WHEN " +
      counted + " THEN l.value ELSE '' END" + sums +
      " FROM sl l GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (survey_id, dim, seg, day, "
      "value, slot) DO UPDATE SET " +
      update + "), ";
  // The last WITH item is unused by name: the insert below reads l.
  sql +=
      "z AS (SELECT 1) INSERT INTO dim_tallies AS t (survey_id, dim, day, value, c0, c1, c2, c3, c4, c5, c6, "
      "c7, c8, c9, c10) SELECT l.survey_id, l.dim, l.day, CASE WHEN " +
      counted + " THEN l.value ELSE '' END" + sums +
      " FROM l GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 ON CONFLICT (survey_id, dim, day, value, slot) DO "
      "UPDATE "
      "SET " +
      update;
  return sql;
}

} // namespace

void dims_count(Conn& c, const std::string& where, const Params& p, int delta, bool admit) {
  c.run(count_sql(where, delta, admit), p);
}

void dims_add(Conn& c, const std::vector<std::pair<const nps::Response*, std::int32_t>>& answers) {
  std::vector<std::optional<std::string>> survey, day, score, page, attributes, channel, device, locale;
  for (const auto& [r, d] : answers) {
    const bool has_page = r->page && !r->page->empty();
    const bool has_attributes = r->attributes.is_object() && !r->attributes.empty();
    if (!has_page && !has_attributes) continue;
    survey.emplace_back(r->survey_id);
    day.emplace_back(std::to_string(d));
    score.emplace_back(std::to_string(r->score.value()));
    page.emplace_back(r->page.value_or(""));
    attributes.emplace_back(has_attributes ? nps::dump(r->attributes) : std::string("{}"));
    channel.emplace_back(std::string(nps::to_string(r->channel)));
    device.emplace_back(r->device ? std::string(nps::to_string(*r->device)) : std::string());
    locale.emplace_back(r->locale.value_or(""));
  }
  if (survey.empty()) return;
  static const std::string sql = count_sql("", +1, true);
  c.later(sql, Params()
                   .add(text_array(survey))
                   .add(text_array(day))
                   .add(text_array(score))
                   .add(text_array(page))
                   .add(text_array(attributes))
                   .add(text_array(channel))
                   .add(text_array(device))
                   .add(text_array(locale)));
}

void dims_rescore(Conn& c, const std::string& survey_id, std::int64_t id, int old_score) {
  static const std::string sql = count_sql("survey_id = $1 AND id = $2", +1, false, true);
  c.run(sql, Params().add(survey_id).add(id).add(old_score));
}

std::optional<std::vector<TallyGroupRow>> dim_groups(Conn& c, const std::string& survey_id,
                                                     std::int32_t from_day, std::int32_t to_day,
                                                     const std::optional<std::string>& attribute,
                                                     const DimSegment& segment) {
  const std::string dim = dim_name(attribute);
  const auto seg = seg_name(segment);
  if (!seg) return std::nullopt; // two filters at once: the rows
  std::string sums;
  for (int s = 0; s <= 10; ++s)
    sums += ", coalesce(sum(c" + std::to_string(s) + "), 0)";
  // One statement, so the listing, the values and the totals are read from one snapshot. The
  // first row says whether the key is listed, how many are, and whether the filtered locale is
  // listed. Filtered: the segment's cells, and its answers from the day tallies.
  const char* column = segment.channel ? "channel" : segment.device ? "device" : "locale";
  const std::string filter = segment.channel  ? *segment.channel
                             : segment.device ? *segment.device
                                              : segment.locale.value_or("");
  auto r = c.run(
      "SELECT 'k', (SELECT count(*) FROM dim_keys WHERE survey_id = $1 AND dim = $2), (SELECT count(*) "
      "FROM dim_keys WHERE survey_id = $1), (SELECT count(*) FROM seg_locales WHERE survey_id = $1 AND "
      "locale = "
      "$6), 0, 0, 0, 0, 0, 0, 0, 0 UNION ALL SELECT 'v' || value" +
          sums +
          (seg->empty()
               ? " FROM dim_tallies WHERE survey_id = $1 AND dim = $2 AND day BETWEEN $3 AND $4 AND $5 = '' "
                 "GROUP BY value UNION ALL SELECT 't'" +
                     sums + " FROM day_totals WHERE survey_id = $1 AND day BETWEEN $3 AND $4"
               : " FROM dim_seg_tallies WHERE survey_id = $1 AND dim = $2 AND seg = $5 AND day BETWEEN $3 "
                 "AND "
                 "$4 GROUP BY value UNION ALL SELECT 't'" +
                     sums + " FROM day_tallies WHERE survey_id = $1 AND day BETWEEN $3 AND $4 AND " + column +
                     " = $6"),
      Params().add(survey_id).add(dim).add(from_day).add(to_day).add(*seg).add(filter));
  std::map<std::string, nps::Tally> values;
  nps::Tally total;
  for (int i = 0; i < r.rows(); ++i) {
    const auto tag = r.text(i, 0);
    if (tag == "k") {
      // Not listed while the list is full: the key may have values that were never counted.
      if (attribute && r.i64(i, 1) == 0 && r.i64(i, 2) >= kDimKeys) return std::nullopt;
      // A locale never listed: its answers were never counted by locale.
      if (segment.locale && r.i64(i, 3) == 0) return std::nullopt;
      continue;
    }
    nps::Tally t;
    for (int s = 0; s <= 10; ++s)
      if (const auto n = r.i64(i, 1 + s); n > 0)
        t.add(nps::Score::from_int(s).value(), static_cast<std::uint64_t>(n));
      else if (n < 0)
        throw StorageError("dim_tallies: a negative count");
    if (tag == "t")
      total = t;
    else
      values[tag.substr(1)] = t;
  }
  return dim_groups_from(values, total);
}

} // namespace npsd::pg
