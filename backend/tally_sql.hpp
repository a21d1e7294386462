// What both engines read a TallyQuery from (storage.hpp): the column its group is keyed by,
// and the table that answers it. Each engine builds the rest of its SQL in its own dialect.
//
// Internal to the engines.
#pragma once

#include "storage.hpp"

namespace npsd {

// The column a group sums by ('' for the whole range: one group).
inline const char* tally_group_column(TallyGroup g) {
  switch (g) {
  case TallyGroup::day: return "day";
  case TallyGroup::channel: return "channel";
  case TallyGroup::locale: return "locale";
  case TallyGroup::device: return "device";
  case TallyGroup::all: break;
  }
  return "''";
}

// Without a segment filter, the whole and per-day sums come from the day totals (a row per
// survey and day); otherwise from the day tallies (a row per segment and day).
inline const char* tally_table(const TallyQuery& q) {
  const bool totals =
      !q.channel && !q.locale && !q.device && (q.group == TallyGroup::all || q.group == TallyGroup::day);
  return totals ? "day_totals" : "day_tallies";
}

} // namespace npsd
