#include "insights_data.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace npsd {

namespace {

// One variable seen across the answers: numeric values or text levels per answer.
struct Variable {
  std::string name;
  std::vector<std::optional<double>> number;    // per answer, when numeric
  std::vector<std::vector<std::string>> levels; // per answer, the level(s) it has
  std::size_t present = 0;
  bool numeric = true;
};

void observe(std::map<std::string, Variable>& vars, const std::string& name, std::size_t row,
             std::size_t rows, const nps::json& v) {
  auto& var = vars[name];
  if (var.name.empty()) {
    var.name = name;
    var.number.assign(rows, std::nullopt);
    var.levels.assign(rows, {});
  }
  if (v.is_null()) return;
  ++var.present;
  if (v.is_number()) {
    var.number[row] = v.get<double>();
    var.levels[row].push_back(nps::dump(v));
  } else {
    var.numeric = false;
    if (v.is_array()) {
      for (const auto& e : v)
        if (e.is_string()) var.levels[row].push_back(e.get<std::string>());
    } else if (v.is_string()) {
      var.levels[row].push_back(v.get<std::string>());
    } else if (v.is_boolean()) {
      var.levels[row].push_back(v.get<bool>() ? "true" : "false");
    }
  }
}

} // namespace

DriversData drivers_data(const std::vector<StoredResponse>& answers,
                         const std::function<bool(const std::string&)>& personal,
                         const std::vector<ThemeMentions>& themes) {
  const std::size_t n = answers.size();
  std::map<std::string, Variable> vars;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = answers[i].response;
    for (const auto& [k, v] : r.answers.items())
      observe(vars, "answer:" + k, i, n, v);
    for (const auto& [k, v] : r.attributes.items())
      if (!personal(k)) observe(vars, "attribute:" + k, i, n, v);
    if (r.device) observe(vars, "device", i, n, nps::json(std::string(nps::to_string(*r.device))));
    if (r.locale) observe(vars, "locale", i, n, nps::json(*r.locale));
    for (const auto& t : themes)
      observe(vars, "theme:" + t.form, i, n, nps::json(t.responses.count(answers[i].id) ? 1 : 0));
  }
  struct Column {
    std::string name;
    std::vector<std::optional<double>> values;
    std::size_t present;
  };
  std::vector<Column> columns;
  for (auto& [name, var] : vars) {
    if (var.numeric) {
      if (var.present * 10 >= n * 8) columns.push_back({name, var.number, var.present});
      continue;
    }
    std::map<std::string, std::size_t> count;
    for (const auto& ls : var.levels)
      for (const auto& l : std::set<std::string>(ls.begin(), ls.end()))
        ++count[l];
    std::vector<std::pair<std::size_t, std::string>> ranked;
    for (const auto& [l, c] : count)
      if (c * 20 >= n) ranked.emplace_back(c, l);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    // The most frequent level is the reference unless levels can co-occur (multiple choice).
    const bool multi =
        std::any_of(var.levels.begin(), var.levels.end(), [](const auto& l) { return l.size() > 1; });
    for (std::size_t k = multi ? 0 : 1; k < ranked.size() && k < 7; ++k) {
      Column col{name + "=" + ranked[k].second, std::vector<std::optional<double>>(n, 0.0), n};
      for (std::size_t i = 0; i < n; ++i)
        if (std::find(var.levels[i].begin(), var.levels[i].end(), ranked[k].second) != var.levels[i].end())
          col.values[i] = 1.0;
      columns.push_back(std::move(col));
    }
  }
  // Constant columns say nothing; keep the 20 most complete.
  std::erase_if(columns, [](const Column& c) {
    std::optional<double> first;
    for (const auto& v : c.values)
      if (v) {
        if (first && *first != *v) return false;
        first = v;
      }
    return true;
  });
  std::stable_sort(columns.begin(), columns.end(),
                   [](const Column& a, const Column& b) { return a.present > b.present; });
  if (columns.size() > 20) columns.resize(20);

  DriversData out;
  out.answers = n;
  nps::json outcome = nps::json::array();
  std::vector<nps::json> values(columns.size(), nps::json::array());
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::all_of(columns.begin(), columns.end(),
                     [i](const Column& c) { return c.values[i].has_value(); }))
      continue;
    outcome.push_back(answers[i].response.score.value());
    for (std::size_t j = 0; j < columns.size(); ++j)
      values[j].push_back(*columns[j].values[i]);
    ++out.used;
  }
  nps::json predictors = nps::json::array();
  for (std::size_t j = 0; j < columns.size(); ++j)
    predictors.push_back({{"name", columns[j].name}, {"values", values[j]}});
  out.input = {{"outcome", outcome}, {"predictors", predictors}};
  return out;
}

ChurnData churn_data(const std::vector<StoredResponse>& answers, const std::vector<OpsRow>& ops) {
  struct Customer {
    std::optional<std::int32_t> churn_day;
    std::int32_t last_day = 0;
    bool any = false;
  };
  std::map<std::string, Customer> customers;
  std::map<std::string, std::vector<const OpsRow*>> rows_of;
  for (const auto& r : ops) {
    rows_of[r.customer].push_back(&r);
    auto& c = customers[r.customer];
    if (r.metric == "churned") {
      if (r.value == 1 && (!c.churn_day || r.day < *c.churn_day)) c.churn_day = r.day;
    } else if (!c.any || r.day > c.last_day) {
      c.last_day = r.day;
      c.any = true;
    }
  }
  std::map<std::string, std::vector<const StoredResponse*>> by_customer;
  for (const auto& a : answers)
    if (a.response.respondent_id) by_customer[*a.response.respondent_id].push_back(&a);

  ChurnData out;
  nps::json churned = nps::json::array();
  std::vector<nps::json> columns(std::size(churn_features), nps::json::array());
  out.current = nps::json::array();
  for (const auto& [id, c] : customers) {
    const std::int32_t as_of = c.churn_day ? *c.churn_day : c.last_day;
    const StoredResponse* latest = nullptr;
    for (const auto* a : by_customer[id])
      if (day_of(a->received_at) <= as_of && (!latest || a->received_at > latest->received_at)) latest = a;
    if (!latest && !c.churn_day && !by_customer[id].empty()) {
      latest = by_customer[id].front(); // answered after the last data: as of the answer
      for (const auto* a : by_customer[id])
        if (a->received_at > latest->received_at) latest = a;
    }
    if (!latest) {
      ++out.without_answer;
      continue;
    }
    const std::int32_t day = std::max(as_of, c.churn_day ? as_of : day_of(latest->received_at));
    std::vector<double> v(std::size(churn_features), 0.0);
    v[0] = latest->response.score.value();
    v[1] = day - day_of(latest->received_at);
    for (const auto* r : rows_of[id])
      if (r->day <= day && r->metric != "churned")
        for (std::size_t k = 2; k < std::size(churn_features); ++k)
          if (r->metric == churn_features[k]) v[k] += r->value;
    churned.push_back(c.churn_day ? 1 : 0);
    for (std::size_t k = 0; k < v.size(); ++k)
      columns[k].push_back(v[k]);
    out.ids.push_back(id);
    if (!c.churn_day) out.current.push_back({{"id", id}, {"values", v}});
  }
  nps::json features = nps::json::array();
  for (std::size_t k = 0; k < columns.size(); ++k)
    features.push_back({{"name", churn_features[k]}, {"values", columns[k]}});
  out.input = {{"churned", churned}, {"features", features}};
  return out;
}

} // namespace npsd
