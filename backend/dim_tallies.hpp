// Per-day tallies by page and by attribute (issue 18): what both engines share.
//
// Each engine keeps three tables in the same transaction as the answers (migration 13 on
// SQLite, 12 on PostgreSQL):
// - dim_tallies (survey_id, dim, day, value, c0..c10): the counts per score of one day for
//   one value of one dimension. dim is "page" or "attribute:KEY" (the breakdown's `by`);
//   value is the page as stored, or the attribute's value as text exactly as the row scan
//   reads it (score_groups). Answers without a value ("" or none) are not counted there:
//   their group is the day totals minus the values, as the rows would give.
// - dim_keys (survey_id, dim): the attribute keys that have tallies, at most kDimKeys per
//   survey (keys with letters, digits, _ . - only, up to 64 of them: what `by` accepts).
// - dim_values (survey_id, dim, value): the values with a tally row of their own, at most
//   kDimValues per survey and dimension. An answer whose value is not among them is
//   counted under value "" (the overflow bucket) of its day.
// And, for the breakdowns filtered by one segment (channel=, device= or locale=; migration 14
// on SQLite, 13 on PostgreSQL):
// - dim_seg_tallies (survey_id, dim, seg, day, value, c0..c10): the same cells once more per
//   segment of the answer: seg is "channel:web", "device:mobile" (an answer without a device
//   has no device row: the filter cannot ask for it) and "locale:de" when that locale is listed.
// - seg_locales (survey_id, locale): the locales with tallies, at most kSegLocales per survey.
//   An answer's locale is listed at its first answer with pages or attributes while there is
//   room; a locale not listed is never counted, and a breakdown filtered by it reads the rows.
// Both lists only grow, so an answer is counted under its value exactly when its value is
// listed, at any later time: its delete, score change or anonymisation takes it out of the
// same cell. A breakdown is served from the tallies only when it is exact: the dimension is
// listed (or the survey's key list is not full, so the key never had a value), the
// overflow bucket is empty over the requested days, at most one segment filter is given and
// a filtered locale is listed; otherwise the rows answer. A filtered breakdown's "none" group
// is the filtered day tallies (day_tallies, keyed by channel, locale and device) minus its
// values, as the unfiltered one takes the day totals.
//
// Why one row per segment and not one per (channel, device, locale) combination: a busy survey
// (10 M answers a year, ~27,000 a day) with 200 pages, 4 channels, 3 devices and ~10 locales
// fills nearly every combination every day: 200 x 4 x 3 x 10 = 24,000 rows a day per
// dimension, ~9 M a year, and a breakdown filtered by channel would sum the 600 combinations
// of each page and day: 365 x 200 x 30 = 2.2 M rows, seconds. One row per segment keeps
// 200 x (4 + 3 + 10) = 3,400 rows a day per dimension (1.2 M a year) and a filtered breakdown
// sums what an unfiltered one does: at most 365 x 201 = 73,000 rows, one range of the primary
// key (survey_id, dim, seg, day, value). The price: an answer writes each of its page and
// attribute cells three more times (one upsert per segment, in one statement with the others),
// and two filters at once (channel and device) read the rows.
#pragma once

#include "storage.hpp"

#include <map>

namespace npsd {

// Why these bounds: a breakdown of more than 200 segments is no chart (and 200 values x 365
// days is the most rows a year's breakdown sums); 32 keys cover the attributes a team segments
// by (plan, role, country...), while a user id or a URL with its query string as a value fills
// only its own dimension's list and then counts under the overflow bucket: the table stays at
// most surveys x (32 + 1) x days x 201 rows.
inline constexpr int kDimKeys = 32;
inline constexpr int kDimValues = 200;
// Languages a survey is answered in: 64 is more than any real survey's; a value that is not a
// language (a browser's odd tag) fills the list only once it has 64.
inline constexpr int kSegLocales = 64;

// The one segment filter of a breakdown as dim_seg_tallies names it ("channel:web",
// "device:mobile", "locale:de"); "" without a filter; nullopt for two or more at once.
[[nodiscard]] inline std::optional<std::string> seg_name(const DimSegment& s) {
  const int filters = (s.channel ? 1 : 0) + (s.device ? 1 : 0) + (s.locale ? 1 : 0);
  if (filters > 1) return std::nullopt;
  if (s.channel) return "channel:" + *s.channel;
  if (s.device) return "device:" + *s.device;
  if (s.locale) return "locale:" + *s.locale;
  return std::string();
}

// The dimension of a breakdown: "page", or "attribute:KEY".
[[nodiscard]] inline std::string dim_name(const std::optional<std::string>& attribute) {
  return attribute ? "attribute:" + *attribute : std::string("page");
}

// The groups of a breakdown from the summed tallies of its values (`values`, "" = the
// overflow bucket) and the day totals of the same days; nullopt when the overflow bucket
// holds answers. Groups without answers are left out, as the rows would; key order.
[[nodiscard]] inline std::optional<std::vector<TallyGroupRow>>
dim_groups_from(const std::map<std::string, nps::Tally>& values, const nps::Tally& total) {
  std::array<std::uint64_t, 11> rest = total.counts();
  std::vector<TallyGroupRow> out;
  for (const auto& [value, t] : values) {
    if (value.empty()) {
      if (t.n() > 0) return std::nullopt;
      continue;
    }
    for (int s = 0; s <= 10; ++s) {
      if (t.count(s) > rest[s])
        throw StorageError("dim_tallies: more counted under values than in the totals");
      rest[s] -= t.count(s);
    }
    if (t.n() > 0) out.push_back(TallyGroupRow{value, 0, t});
  }
  nps::Tally none;
  for (int s = 0; s <= 10; ++s)
    if (rest[s] > 0) none.add(nps::Score::from_int(s).value(), rest[s]);
  if (none.n() > 0) out.insert(out.begin(), TallyGroupRow{"", 0, none});
  return out;
}

} // namespace npsd
