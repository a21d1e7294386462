// issue 17: the core's inputs (drivers.fit, churn.fit, churn.risk) built from a survey's
// stored answers and operational data. No HTTP, no storage calls: rows in, JSON out.
#pragma once

#include "ops_store.hpp"
#include "storage.hpp"

#include "nps/json.hpp"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace npsd {

// Key drivers of the 0–10 score. Predictors: numeric answers and attributes (present in at
// least 80% of the answers; answers missing one are left out), and choice answers, text
// attributes, device and locale as one 0/1 column per level (levels of at least 5% of the
// answers, at most 6 per question, the most frequent one the reference), and comment themes
// (`themes`: a term's words as written and the answers whose comment mentions it) as one 0/1
// column each, "theme:<form>". Personal attributes (`personal(key)`) are never used. At
// most 20 predictors, the most complete first.
struct DriversData {
  nps::json input;      // {"outcome", "predictors"} for drivers.fit
  std::size_t used = 0; // answers in the fit
  std::size_t answers = 0;
};
struct ThemeMentions {
  std::string form;
  std::set<std::int64_t> responses;
};
[[nodiscard]] DriversData drivers_data(const std::vector<StoredResponse>& answers,
                                       const std::function<bool(const std::string&)>& personal,
                                       const std::vector<ThemeMentions>& themes = {});

// Churn: one row per customer (respondent id) with operational data. Outcome: a
// "churned" value 1. Features, as of the customer's churn day (or, for one who stayed, the
// last day with data): the latest score before it, the days since that answer, and the
// totals of spend, visits, orders, tickets and plan changes up to it.
inline constexpr const char* churn_features[] = {"score",  "days_since_answer", "spend",       "visits",
                                                 "orders", "tickets",           "plan_changes"};
struct ChurnData {
  nps::json input;                // {"churned", "features"} for churn.fit
  nps::json current;              // [{"id", "values"}] of the customers who stayed, for churn.risk
  std::vector<std::string> ids;   // every customer in the fit, in row order
  std::size_t without_answer = 0; // customers with data but no answer before their day
};
[[nodiscard]] ChurnData churn_data(const std::vector<StoredResponse>& answers,
                                   const std::vector<OpsRow>& ops);

} // namespace npsd
