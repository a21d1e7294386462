// issue 17: operational data per customer (spend, visits, orders, tickets, plan changes and
// the churn outcome, each dated) and the insight fits computed from it, stored so the pages
// answer from them. Its own interface, reached through Storage::ops(); implemented by
// sqlite_ops.cpp and postgres_ops.cpp. Same contract as storage.hpp: writes are durable when
// they return, an import is one transaction (all rows or none), failures throw StorageError.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace npsd {

// The metrics a row may carry. "churned": value 1 (left on that day) or 0 (known to stay).
inline constexpr std::string_view ops_metrics[] = {"spend",   "visits",       "orders",
                                                   "tickets", "plan_changes", "churned"};
[[nodiscard]] bool is_ops_metric(std::string_view m) noexcept;

struct OpsRow {
  std::string customer; // a respondent id of the survey's answers
  std::int32_t day = 0; // days since 1970-01-01 UTC
  std::string metric;   // one of ops_metrics
  double value = 0;
};

struct StoredFit {
  std::string json; // what the core returned (drivers.fit, churn.fit), with its inputs' summary
  std::int64_t at = 0;
};

class OpsStore {
public:
  virtual ~OpsStore() = default;
  // Stores every row in one transaction; a row with the same (customer, day, metric) as a
  // stored one replaces its value. Returns the number of rows written.
  virtual std::size_t import_ops(const std::string& survey_id, const std::vector<OpsRow>& rows) = 0;
  // The survey's rows ordered by customer, day, metric.
  [[nodiscard]] virtual std::vector<OpsRow> ops_rows(const std::string& survey_id) const = 0;
  virtual std::size_t delete_ops(const std::string& survey_id) = 0;
  // The latest fit of a kind ("drivers", "churn") per survey; put replaces it.
  virtual void put_fit(const std::string& survey_id, const std::string& kind, const StoredFit& fit) = 0;
  [[nodiscard]] virtual std::optional<StoredFit> fit(const std::string& survey_id,
                                                     const std::string& kind) const = 0;
  // Every stored fit of a survey by kind (npsd migrate copies them all).
  [[nodiscard]] virtual std::vector<std::pair<std::string, StoredFit>>
  fits(const std::string& survey_id) const = 0;
};

// A value as stored (text, so both engines keep every bit): shortest round-trip digits.
[[nodiscard]] std::string ops_value_text(double v);
[[nodiscard]] double ops_value_from_text(const std::string& s);

} // namespace npsd
