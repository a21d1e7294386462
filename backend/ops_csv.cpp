#include "ops_csv.hpp"

#include "dates.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <tuple>

namespace npsd {

namespace {

// Cells of one line: RFC 4180 quotes ("a ""b""", commas inside quotes); nullopt when a
// quote is left open.
std::optional<std::vector<std::string>> cells_of(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        out.back() += ch;
      }
    } else if (ch == '"' && out.back().empty()) {
      quoted = true;
    } else if (ch == ',') {
      out.emplace_back();
    } else {
      out.back() += ch;
    }
  }
  if (quoted) return std::nullopt;
  return out;
}

// A plain decimal: -?digits[.digits] (no exponent, no hex, no "nan", no spaces).
std::optional<double> decimal(const std::string& s) {
  std::size_t i = s.size() && s[0] == '-' ? 1 : 0, digits = 0, point = 0;
  for (std::size_t k = i; k < s.size(); ++k) {
    if (s[k] >= '0' && s[k] <= '9')
      ++digits;
    else if (s[k] == '.' && !point && k > i && k + 1 < s.size())
      point = k;
    else
      return std::nullopt;
  }
  if (!digits || s.size() > 40) return std::nullopt;
  double v = 0;
  if (std::from_chars(s.data(), s.data() + s.size(), v).ec != std::errc() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

} // namespace

std::optional<OpsRow>
check_ops_cells(std::size_t line_no, const std::string& customer, const std::string& date,
                const std::string& metric, const std::string& value,
                const std::function<bool(const std::string&)>& known_customer,
                const std::function<void(std::size_t, std::string, std::string)>& fail) {
  bool good = true;
  if (customer.empty() || customer.size() > 200) {
    fail(line_no, "customer", "a respondent id, 1 to 200 characters");
    good = false;
  } else if (!known_customer(customer)) {
    fail(line_no, "customer", "no answer of this survey has this respondent id");
    good = false;
  }
  const auto day = parse_date(date);
  if (!day) {
    fail(line_no, "date", "a date as YYYY-MM-DD that exists");
    good = false;
  }
  if (!is_ops_metric(metric)) {
    fail(line_no, "metric", "one of spend, visits, orders, tickets, plan_changes, churned");
    good = false;
  }
  const auto v = decimal(value);
  if (!v) {
    fail(line_no, "value", "a number written in decimal, such as 12 or 129.90");
    good = false;
  } else if (metric == "churned" && *v != 0 && *v != 1) {
    fail(line_no, "value", "churned is 1 (left on that day) or 0 (stayed)");
    good = false;
  } else if ((metric == "visits" || metric == "orders" || metric == "tickets" || metric == "plan_changes") &&
             (*v < 0 || *v != std::floor(*v))) {
    fail(line_no, "value", "a count: a whole number, 0 or more");
    good = false;
  }
  if (!good) return std::nullopt;
  return OpsRow{customer, *day, metric, *v};
}

OpsCsv parse_ops_csv(std::string_view text, const std::function<bool(const std::string&)>& known_customer) {
  OpsCsv out;
  auto fail = [&](std::size_t line, std::string field, std::string message) {
    if (out.errors.size() < 100) out.errors.push_back({line, std::move(field), std::move(message)});
  };
  std::size_t line_no = 0, start = 0;
  bool header = true;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto cells = cells_of(line);
    if (header) {
      header = false;
      if (!cells || *cells != std::vector<std::string>{"customer", "date", "metric", "value"}) {
        fail(line_no, "", "the first line must be the header customer,date,metric,value");
        return out;
      }
      continue;
    }
    if (!cells || cells->size() != 4) {
      fail(line_no, "", "needs 4 cells: customer, date, metric, value");
      continue;
    }
    if (auto row = check_ops_cells(line_no, (*cells)[0], (*cells)[1], (*cells)[2], (*cells)[3],
                                   known_customer, fail))
      out.rows.push_back(std::move(*row));
  }
  if (header) fail(1, "", "empty: the header customer,date,metric,value and one line per value");
  return out;
}

} // namespace npsd
