// The SQLite engine's tallies by page and by attribute (see dim_tallies.hpp for the tables
// and why they are exact).
#include "sqlite_dim_tallies.hpp"

namespace npsd::sqlite {

namespace {

// The tally day of received_at, as day_of() computes it.
constexpr const char* kDay =
    "(CASE WHEN received_at >= 0 THEN received_at ELSE received_at - 86399999 END) / 86400000";

// (survey_id, day, score, dim, value) of every page and attribute value of the answers
// matching `where`; the attribute's value as text exactly as score_groups reads it
// (attribute_text, sqlite_rows.cpp); answers without a value give no row.
// With each, the answer's segments (channel, device and locale, "" for none).
std::string pairs(const std::string& where) {
  return std::string("SELECT * FROM (SELECT survey_id, ") + kDay +
         " AS day, score, 'page' AS dim, page AS value, channel, coalesce(device, '') AS device, "
         "coalesce(locale, '') AS locale FROM responses WHERE (" +
         where +
         ") AND page IS NOT NULL UNION ALL SELECT r.survey_id, r.day, r.score, 'attribute:' || j.key, "
         "CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END, "
         "r.channel, r.device, r.locale FROM (SELECT survey_id, " +
         kDay +
         " AS day, score, attributes, channel, coalesce(device, '') AS device, coalesce(locale, '') AS "
         "locale "
         "FROM responses WHERE (" +
         where +
         ") AND attributes <> '{}') r, json_each(r.attributes) j WHERE j.key <> '' AND length(j.key) <= 64 "
         "AND "
         "j.key NOT GLOB '*[^A-Za-z0-9_.-]*') WHERE value IS NOT NULL AND value <> ''";
}

// The same pairs once per segment of the answer (dim_tallies.hpp): with `seg`, the channel
// always, the device when there is one, the locale when it is listed.
std::string seg_pairs(const std::string& where) {
  return "SELECT * FROM (SELECT q.*, CASE k.k WHEN 0 THEN 'channel:' || q.channel WHEN 1 THEN CASE WHEN "
         "q.device <> '' THEN 'device:' || q.device END ELSE CASE WHEN EXISTS (SELECT 1 FROM seg_locales l "
         "WHERE l.survey_id = q.survey_id AND l.locale = q.locale) THEN 'locale:' || q.locale END END AS seg "
         "FROM (" +
         pairs(where) + ") q, (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) k) WHERE seg IS NOT NULL";
}

constexpr const char* kListed = "(p.dim = 'page' OR EXISTS (SELECT 1 FROM dim_keys k WHERE k.survey_id = "
                                "p.survey_id AND k.dim = p.dim))";

// `moved_from`: a score change, the answers' current score +1 and this score (?2) -1.
void count(Conn& c, const std::string& where, const std::function<void(Stmt&)>& bind, int delta, bool admit,
           bool moved_from) {
  const std::string p = pairs(where);
  if (admit) {
    auto keys =
        c.prep("INSERT INTO dim_keys (survey_id, dim) SELECT survey_id, dim FROM (SELECT p.survey_id, "
               "p.dim, row_number() OVER (PARTITION BY p.survey_id ORDER BY p.dim) AS rn FROM (SELECT "
               "DISTINCT survey_id, dim FROM (" +
               p +
               ") WHERE dim <> 'page') p WHERE NOT EXISTS (SELECT 1 FROM dim_keys k WHERE k.survey_id = "
               "p.survey_id AND k.dim = p.dim)) x WHERE (SELECT count(*) FROM dim_keys k WHERE "
               "k.survey_id = x.survey_id) + x.rn <= " +
               std::to_string(kDimKeys));
    bind(keys);
    keys.run();
    auto values =
        c.prep("INSERT INTO dim_values (survey_id, dim, value) SELECT DISTINCT p.survey_id, p.dim, "
               "p.value FROM (" +
               p + ") p WHERE " + kListed +
               " AND NOT EXISTS (SELECT 1 FROM dim_values v WHERE v.survey_id = p.survey_id AND v.dim "
               "= p.dim AND v.value = p.value) AND (SELECT count(*) FROM dim_values v WHERE "
               "v.survey_id = p.survey_id AND v.dim = p.dim) < " +
               std::to_string(kDimValues));
    bind(values);
    values.run();
    auto locales =
        c.prep("INSERT INTO seg_locales (survey_id, locale) SELECT DISTINCT r.survey_id, r.locale "
               "FROM responses r WHERE (" +
               where +
               ") AND r.locale IS NOT NULL AND r.locale <> '' AND NOT EXISTS (SELECT 1 FROM "
               "seg_locales l WHERE l.survey_id = r.survey_id AND l.locale = r.locale) AND (SELECT "
               "count(*) FROM seg_locales l WHERE l.survey_id = r.survey_id) < " +
               std::to_string(kSegLocales));
    bind(locales);
    locales.run();
  }
  std::string cells, sums, update;
  for (int s = 0; s <= 10; ++s) {
    const auto col = "c" + std::to_string(s);
    cells += ", " + col;
    sums += ", sum((p.score = " + std::to_string(s) + ")" +
            (moved_from ? " - (?2 = " + std::to_string(s) + ")" : std::string()) + ") * " +
            std::to_string(delta);
    update += std::string(s ? ", " : "") + col + " = " + col + " + excluded." + col;
  }
  auto tally =
      c.prep("INSERT INTO dim_tallies (survey_id, dim, day, value" + cells +
             ") SELECT p.survey_id, p.dim, p.day, CASE WHEN EXISTS (SELECT 1 FROM dim_values v WHERE "
             "v.survey_id = p.survey_id AND v.dim = p.dim AND v.value = p.value) THEN p.value ELSE '' "
             "END" +
             sums + " FROM (" + p + ") p WHERE " + kListed +
             " GROUP BY 1, 2, 3, 4 ON CONFLICT (survey_id, dim, day, value) DO UPDATE SET " + update);
  bind(tally);
  tally.run();
  auto seg =
      c.prep("INSERT INTO dim_seg_tallies (survey_id, dim, seg, day, value" + cells +
             ") SELECT p.survey_id, p.dim, p.seg, p.day, CASE WHEN EXISTS (SELECT 1 FROM dim_values v "
             "WHERE v.survey_id = p.survey_id AND v.dim = p.dim AND v.value = p.value) THEN p.value "
             "ELSE '' END" +
             sums + " FROM (" + seg_pairs(where) + ") p WHERE " + kListed +
             " GROUP BY 1, 2, 3, 4, 5 ON CONFLICT (survey_id, dim, seg, day, value) DO UPDATE SET " + update);
  bind(seg);
  seg.run();
}

} // namespace

void dims_count(Conn& c, const std::string& where, const std::function<void(Stmt&)>& bind, int delta,
                bool admit) {
  count(c, where, bind, delta, admit, false);
}

void dims_rescore(Conn& c, std::int64_t id, int old_score) {
  count(
      c, "id = ?1", [&](Stmt& s) { s.bind(1, id).bind(2, old_score); }, +1, false, true);
}

void dims_add(Conn& c, std::int64_t id, const nps::Response& r) {
  const bool page = r.page && !r.page->empty();
  const bool attributes = r.attributes.is_object() && !r.attributes.empty();
  if (!page && !attributes) return;
  dims_count(
      c, "id = ?1", [id](Stmt& s) { s.bind(1, id); }, +1, true);
}

std::optional<std::vector<TallyGroupRow>> dim_groups(Conn& c, const std::string& survey_id,
                                                     std::int32_t from_day, std::int32_t to_day,
                                                     const std::optional<std::string>& attribute,
                                                     const DimSegment& segment) {
  const std::string dim = dim_name(attribute);
  const auto seg = seg_name(segment);
  if (!seg) return std::nullopt; // two filters at once: the rows
  if (segment.locale) {
    auto listed = c.prep("SELECT EXISTS (SELECT 1 FROM seg_locales WHERE survey_id = ?1 AND locale = ?2)");
    listed.bind(1, survey_id).bind(2, *segment.locale);
    listed.step();
    if (listed.i64(0) == 0) return std::nullopt; // its answers were never counted by locale
  }
  if (attribute) {
    auto listed = c.prep("SELECT EXISTS (SELECT 1 FROM dim_keys WHERE survey_id = ?1 AND dim = ?2), (SELECT "
                         "count(*) FROM dim_keys WHERE survey_id = ?1)");
    listed.bind(1, survey_id).bind(2, dim);
    listed.step();
    // Not listed while the list is full: the key may have values that were never counted.
    if (listed.i64(0) == 0 && listed.i64(1) >= kDimKeys) return std::nullopt;
  }
  std::string sums;
  for (int s = 0; s <= 10; ++s)
    sums += ", coalesce(sum(c" + std::to_string(s) + "), 0)";
  // One statement, so the values and the totals are read from one snapshot. Filtered: the
  // segment's cells, and its answers from the day tallies.
  const char* column = segment.channel ? "channel" : segment.device ? "device" : "locale";
  auto st = c.prep(
      seg->empty()
          ? "SELECT value" + sums +
                " FROM dim_tallies WHERE survey_id = ?1 AND dim = ?2 AND day BETWEEN ?3 AND ?4 GROUP BY "
                "value UNION ALL SELECT NULL" +
                sums + " FROM day_totals WHERE survey_id = ?1 AND day BETWEEN ?3 AND ?4"
          : "SELECT value" + sums +
                " FROM dim_seg_tallies WHERE survey_id = ?1 AND dim = ?2 AND seg = ?5 AND day BETWEEN ?3 AND "
                "?4 "
                "GROUP BY value UNION ALL SELECT NULL" +
                sums + " FROM day_tallies WHERE survey_id = ?1 AND day BETWEEN ?3 AND ?4 AND " + column +
                " = ?6");
  st.bind(1, survey_id).bind(2, dim).bind(3, from_day).bind(4, to_day);
  if (!seg->empty())
    st.bind(5, *seg).bind(6, segment.channel  ? *segment.channel
                             : segment.device ? *segment.device
                                              : *segment.locale);
  std::map<std::string, nps::Tally> values;
  nps::Tally total;
  while (st.step()) {
    nps::Tally t;
    for (int s = 0; s <= 10; ++s)
      if (const auto n = st.i64(1 + s); n > 0)
        t.add(nps::Score::from_int(s).value(), static_cast<std::uint64_t>(n));
      else if (n < 0)
        throw StorageError("dim_tallies: a negative count");
    if (st.is_null(0))
      total = t;
    else
      values[st.text(0)] = t;
  }
  return dim_groups_from(values, total);
}

} // namespace npsd::sqlite
