// issue 17: operational data from CSV, checked line by line before anything is stored.
//
//   customer,date,metric,value
//   r-1001,2026-03-02,spend,129.90
//   r-1001,2026-04-11,churned,1
//
// customer: a respondent id of the survey (known_customer says which); date: YYYY-MM-DD;
// metric: spend, visits, orders, tickets, plan_changes or churned; value: a finite
// number written in decimal (churned: 0 or 1; counts: whole and not negative).
#pragma once

#include "ops_store.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npsd {

struct OpsLineError {
  std::size_t line = 0; // 1-based, the header is line 1
  std::string field;    // customer, date, metric, value, or "" for the line's shape
  std::string message;
};

struct OpsCsv {
  std::vector<OpsRow> rows;
  std::vector<OpsLineError> errors; // when any, nothing may be stored
};

// One row's four cells checked: the row, or nullopt after calling fail(line, field, message)
// for each cell at fault. The API's JSON rows go through it too.
[[nodiscard]] std::optional<OpsRow>
check_ops_cells(std::size_t line, const std::string& customer, const std::string& date,
                const std::string& metric, const std::string& value,
                const std::function<bool(const std::string&)>& known_customer,
                const std::function<void(std::size_t, std::string, std::string)>& fail);

// Stops collecting after 100 errors (the report says how many lines were read).
[[nodiscard]] OpsCsv parse_ops_csv(std::string_view text,
                                   const std::function<bool(const std::string&)>& known_customer);

} // namespace npsd
