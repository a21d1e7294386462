// issue 19: the funnel's counters — how often a survey was shown and dismissed, per survey,
// day (UTC) and channel. Privacy-light: a count, nothing about who (no visitor id, no
// address, no page). Reached through Storage::funnel(); implemented by funnel_store.cpp for
// both engines. Same contract as storage.hpp: a count is durable when count() returns.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace npsd {

// The events counted: "shown" (the survey drawn for a person) and "dismissed" (closed
// without an answer). Answers are counted by the tallies.
[[nodiscard]] bool is_funnel_event(std::string_view e) noexcept;

struct FunnelTotal {
  std::string channel, event;
  std::uint64_t count = 0;
};

// One stored counter: a survey's count of one event on one day and channel.
struct FunnelCount {
  std::int32_t day = 0;
  std::string channel, event;
  std::uint64_t count = 0;
  friend bool operator==(const FunnelCount&, const FunnelCount&) = default;
};

class FunnelStore {
public:
  virtual ~FunnelStore() = default;
  virtual void count(const std::string& survey_id, std::int32_t day, const std::string& channel,
                     const std::string& event) = 0;
  // Sums over the days from_day..to_day (inclusive), per channel and event.
  [[nodiscard]] virtual std::vector<FunnelTotal> totals(const std::string& survey_id, std::int32_t from_day,
                                                        std::int32_t to_day) const = 0;
  // Copying (npsd migrate): every counter of a survey, ordered by day, channel and event; and,
  // in one transaction, each given counter raised to at least its count (a counter above it
  // stays), so copying the same counters twice adds nothing.
  [[nodiscard]] virtual std::vector<FunnelCount> counters(const std::string& survey_id) const = 0;
  virtual void raise(const std::string& survey_id, const std::vector<FunnelCount>& counters) = 0;
};

} // namespace npsd

namespace npsd::sqlite {
class Writer;
class ReadPool;
[[nodiscard]] std::unique_ptr<FunnelStore> make_funnel_store(Writer& writer, ReadPool& readers);
} // namespace npsd::sqlite

namespace npsd::pg {
class Writer;
class Pool;
[[nodiscard]] std::unique_ptr<FunnelStore> make_funnel_store(Writer& writer, Pool& readers);
} // namespace npsd::pg
