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
// Both lists only grow, so an answer is counted under its value exactly when its value is
// listed, at any later time: its delete, score change or anonymisation takes it out of the
// same cell. A breakdown is served from the tallies only when it is exact: the dimension is
// listed (or the survey's key list is not full, so the key never had a value), and the
// overflow bucket is empty over the requested days; otherwise the rows answer.
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
