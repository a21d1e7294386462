// Realistic synthetic answers, so a newcomer's first dashboard is alive: `npsd demo-data`.
#pragma once

#include "storage.hpp"

#include <cstdint>
#include <string>

namespace npsd {

struct DemoOptions {
  std::string survey_id = "acme-app";
  std::size_t count = 6000; // answers
  int days = 180;           // spread over the days before `now`
  std::uint64_t seed = 7;   // same seed, same answers
};

// Answers per import_responses call (one transaction each): what is held in memory as
// responses at a time, whatever the count.
inline constexpr std::size_t kDemoBatch = 10'000;

// Creates the survey when missing and stores `count` answers through the core's
// validation (channels, locales, devices, comments in en/es/ru/zh/de, some contacts),
// oldest first, kDemoBatch at a time. Returns how many were stored (answers already there
// from an earlier run are skipped). A fresh fill also counts the funnel's impressions and
// dismissals of its web and app answers (none for e-mail: no campaign sent them). Memory: a few bytes per
// answer for the sort by time, plus one batch of responses.
std::size_t fill_demo_data(Storage& storage, Millis now, const DemoOptions& options = {});

} // namespace npsd
