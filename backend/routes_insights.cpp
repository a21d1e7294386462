// issue 17: insights. Operational data per customer (import by CSV or JSON rows, checked
// line by line, all or nothing), key drivers and churn risk fitted by the core and stored
// so the pages answer from the stored fit, the ranked at-risk list (analysts: it names
// customers; viewers see only the evaluation), and benchmarks with their sources.
#include "server_internal.hpp"

#include "csv.hpp"
#include "dates.hpp"
#include "insights_data.hpp"
#include "ops_csv.hpp"
#include "ops_store.hpp"
#include "themes_store.hpp"

#include "nps/api.hpp"
#include "nps/privacy.hpp"
#include "nps/tally.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>

namespace npsd {

namespace {

std::vector<StoredResponse> all_answers(const Storage& db, const std::string& survey_id) {
  std::vector<StoredResponse> out;
  ResponseFilter f;
  f.survey_id = survey_id;
  std::optional<std::int64_t> before;
  for (;;) {
    auto page = db.list_responses(f, before, 500);
    for (auto& s : page.items)
      out.push_back(std::move(s));
    if (!page.next) break;
    before = page.next;
  }
  std::reverse(out.begin(), out.end()); // oldest first
  return out;
}

// The core's answer, or the 400 with its errors (each path under `prefix`).
std::optional<json> core(Ctx& c, const char* op, const json& input) {
  const auto r = nps::invoke(op, nps::dump(input));
  auto out = json::parse(r.text);
  if (r.ok) return out;
  std::vector<ApiError> errors;
  for (const auto& e : out)
    errors.push_back({ApiCode::invalid_value, e.value("path", ""), e.value("message", "")});
  send_errors(c.res, errors);
  return std::nullopt;
}

// Published industry averages; each is shown with its source.
const json& published_benchmarks() {
  static const json list = [] {
    const char* source = "XM Institute, \"Economics of NPS\" (2024), US consumers";
    json a = json::array();
    for (auto [key, name, value] :
         {std::tuple{"grocery", "Grocery", 30}, std::tuple{"streaming", "Streaming media", 29},
          std::tuple{"retail", "Retail", 29}, std::tuple{"tv_internet", "TV/internet providers", 9},
          std::tuple{"car_rental", "Car rental", 8}, std::tuple{"payments", "Consumer payments", -6}})
      a.push_back({{"key", key}, {"name", name}, {"nps", value}, {"source", source}});
    return a;
  }();
  return list;
}

std::string caller_name(const Ctx& c) { return c.session ? c.session->email : c.token ? c.token->name : ""; }

json stored_or_null(Storage& db, const std::string& survey_id, const char* kind) {
  auto fit = db.ops().fit(survey_id, kind);
  if (!fit) return nullptr;
  json j = json::parse(fit->json);
  j["fitted_at"] = iso_time(fit->at);
  return j;
}

} // namespace

void Server::insights_routes() {
  auto survey_known = [this](Ctx& c) {
    if (live(c.params[0])) return true;
    send_error(c.res, ApiCode::not_found, "", "no survey " + c.params[0]);
    return false;
  };

  // ---- operational data -------------------------------------------------------------------
  route(
      "POST", "/v1/admin/surveys/{id}/operational", Access::analyst,
      [this, survey_known](Ctx& c) {
        if (!survey_known(c)) return;
        auto body = json_body(c);
        if (!body) return;
        const std::string& id = c.params[0];
        std::set<std::string> respondents;
        for (const auto& a : all_answers(*storage_, id))
          if (a.response.respondent_id) respondents.insert(*a.response.respondent_id);
        auto known = [&](const std::string& customer) { return respondents.count(customer) > 0; };
        std::vector<ApiError> errors;
        std::vector<OpsRow> rows;
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "csv" && it.key() != "rows")
            errors.push_back({ApiCode::unknown_field, it.key(), "csv or rows only"});
        const bool has_csv = body->contains("csv"), has_rows = body->contains("rows");
        if (has_csv == has_rows) errors.push_back({ApiCode::required, "", "exactly one of csv and rows"});
        if (!errors.empty()) return send_errors(c.res, errors);
        if (has_csv) {
          if (!body->at("csv").is_string())
            return send_error(c.res, ApiCode::invalid_type, "csv", "CSV text");
          auto parsed = parse_ops_csv(body->at("csv").get<std::string>(), known);
          for (const auto& e : parsed.errors)
            errors.push_back({ApiCode::invalid_value,
                              "csv:line " + std::to_string(e.line) + (e.field.empty() ? "" : ":" + e.field),
                              "line " + std::to_string(e.line) + ": " + e.message});
          rows = std::move(parsed.rows);
        } else {
          const json& list = body->at("rows");
          if (!list.is_array()) return send_error(c.res, ApiCode::invalid_type, "rows", "an array of rows");
          if (list.size() > 1'000'000)
            return send_error(c.res, ApiCode::too_many, "rows", "at most 1,000,000 rows");
          for (std::size_t i = 0; i < list.size(); ++i) {
            const json& r = list[i];
            const std::string at = "rows[" + std::to_string(i) + "]";
            auto fail = [&](std::size_t, std::string field, std::string message) {
              if (errors.size() < 100) errors.push_back({ApiCode::invalid_value, at + "." + field, message});
            };
            if (!r.is_object()) {
              fail(i, "", "an object {customer, date, metric, value}");
              continue;
            }
            auto text = [&](const char* k) -> std::string {
              if (!r.contains(k)) return "";
              const json& v = r.at(k);
              return v.is_string() ? v.get<std::string>() : v.is_number() ? nps::dump(v) : "\x01";
            };
            if (auto row = check_ops_cells(i, text("customer"), text("date"), text("metric"), text("value"),
                                           known, fail))
              rows.push_back(std::move(*row));
          }
        }
        if (!errors.empty()) return send_errors(c.res, errors); // nothing stored
        const auto n = storage_->ops().import_ops(id, rows);
        std::set<std::string> customers;
        for (const auto& r : rows)
          customers.insert(r.customer);
        send_json(c.res, 200, {{"imported", n}, {"customers", customers.size()}});
      },
      64 * 1024 * 1024);

  // Counts only: no customer id reaches a viewer.
  route("GET", "/v1/admin/surveys/{id}/operational", Access::viewer, [this, survey_known](Ctx& c) {
    if (!survey_known(c)) return;
    const auto rows = storage_->ops().ops_rows(c.params[0]);
    std::set<std::string> customers, churned;
    std::map<std::string, std::size_t> per_metric;
    std::optional<std::int32_t> from, to;
    for (const auto& r : rows) {
      customers.insert(r.customer);
      ++per_metric[r.metric];
      if (r.metric == "churned" && r.value == 1) churned.insert(r.customer);
      from = from ? std::min(*from, r.day) : r.day;
      to = to ? std::max(*to, r.day) : r.day;
    }
    json metrics = json::object();
    for (auto m : ops_metrics)
      metrics[std::string(m)] = per_metric[std::string(m)];
    send_json(c.res, 200,
              {{"rows", rows.size()},
               {"customers", customers.size()},
               {"churned", churned.size()},
               {"values", metrics},
               {"from", from ? json(date_text(*from)) : json(nullptr)},
               {"to", to ? json(date_text(*to)) : json(nullptr)}});
  });
  route("DELETE", "/v1/admin/surveys/{id}/operational", Access::admin, [this, survey_known](Ctx& c) {
    if (!survey_known(c)) return;
    send_json(c.res, 200, {{"deleted", storage_->ops().delete_ops(c.params[0])}});
  });

  // ---- key drivers ------------------------------------------------------------------------
  route(
      "POST", "/v1/admin/surveys/{id}/drivers", Access::analyst,
      [this, survey_known](Ctx& c) {
        if (!survey_known(c)) return;
        const auto survey = live(c.params[0]);
        // The comment themes mentioned most (each in at least 5% of the answers, at most 6
        // different ones), as drivers beside the attributes and answers.
        const auto answers = all_answers(*storage_, c.params[0]);
        std::vector<ThemeMentions> themes;
        {
          ThemeQuery q;
          q.survey_id = c.params[0];
          q.to_day = std::numeric_limits<std::int32_t>::max();
          auto rows = storage_->themes().terms(q, std::max<std::uint64_t>(10, answers.size() / 20));
          std::stable_sort(rows.begin(), rows.end(), [](const ThemeTermRow& a, const ThemeTermRow& b) {
            const auto x = a.detractors + a.passives + a.promoters,
                       y = b.detractors + b.passives + b.promoters;
            return x != y ? x > y : a.form.size() > b.form.size(); // a tie: the longer, more telling word
          });
          // Words of one phrase ("late", "again" in "late again") are mentioned by the same
          // answers: such a theme (nine in ten of its answers shared with one already taken) would
          // be the same column twice, so only the most mentioned one is kept.
          const auto same = [](const std::set<std::int64_t>& a, const std::set<std::int64_t>& b) {
            std::size_t both = 0;
            for (auto id : a)
              both += b.count(id);
            return both * 10 >= (a.size() + b.size() - both) * 9;
          };
          for (std::size_t k = 0; k < rows.size() && themes.size() < 6; ++k) {
            ThemeMentions t{rows[k].form, {}};
            for (const auto& m : storage_->themes().comments(q, rows[k].term, answers.size() + 1))
              t.responses.insert(m.response_id);
            if (std::none_of(themes.begin(), themes.end(),
                             [&](const ThemeMentions& o) { return same(o.responses, t.responses); }))
              themes.push_back(std::move(t));
          }
        }
        const auto data = drivers_data(
            answers, [&](const std::string& key) { return nps::is_personal_attribute(survey->privacy, key); },
            themes);
        if (data.input["predictors"].empty())
          return send_error(c.res, ApiCode::no_data, "",
                            "no answers to extra questions or attributes to explain the score with");
        auto fit = core(c, "drivers.fit", data.input);
        if (!fit) return;
        json stored = {{"answers", data.answers}, {"used", data.used}, {"fit", *fit}};
        storage_->ops().put_fit(c.params[0], "drivers", {nps::dump(stored), config_.clock()});
        send_json(c.res, 200, stored_or_null(*storage_, c.params[0], "drivers"));
      },
      1024);
  route("GET", "/v1/admin/surveys/{id}/drivers", Access::viewer, [this, survey_known](Ctx& c) {
    if (!survey_known(c)) return;
    auto stored = stored_or_null(*storage_, c.params[0], "drivers");
    if (stored.is_null())
      return send_error(c.res, ApiCode::not_found, "", "no drivers fitted yet: POST to fit them");
    send_json(c.res, 200, stored);
  });

  // ---- churn risk ---------------------------------------------------------------------------
  route(
      "POST", "/v1/admin/surveys/{id}/churn", Access::analyst,
      [this, survey_known](Ctx& c) {
        if (!survey_known(c)) return;
        const auto data =
            churn_data(all_answers(*storage_, c.params[0]), storage_->ops().ops_rows(c.params[0]));
        // No data is no model: churn.fit says how many churned customers it needs.
        auto fit = core(c, "churn.fit", data.input);
        if (!fit) return;
        json risk = json::array();
        if ((*fit)["claimed"].get<bool>()) {
          auto ranked = core(c, "churn.risk", {{"model", (*fit)["model"]}, {"customers", data.current}});
          if (!ranked) return;
          risk = *ranked;
        }
        json stored = {{"customers", data.ids.size()},
                       {"without_answer", data.without_answer},
                       {"fit", *fit},
                       {"at_risk", risk}};
        storage_->ops().put_fit(c.params[0], "churn", {nps::dump(stored), config_.clock()});
        stored.erase("at_risk");
        stored["current_customers"] = risk.size();
        stored["fitted_at"] = iso_time(config_.clock());
        send_json(c.res, 200, stored);
      },
      1024);
  // The evaluation without names: what a viewer may see.
  route("GET", "/v1/admin/surveys/{id}/churn", Access::viewer, [this, survey_known](Ctx& c) {
    if (!survey_known(c)) return;
    auto stored = stored_or_null(*storage_, c.params[0], "churn");
    if (stored.is_null())
      return send_error(c.res, ApiCode::not_found, "", "no churn model fitted yet: POST to fit it");
    stored["current_customers"] = stored["at_risk"].size();
    stored.erase("at_risk");
    send_json(c.res, 200, stored);
  });
  // The ranked list of current customers with reasons: JSON, or CSV with ?format=csv.
  route("GET", "/v1/admin/surveys/{id}/churn/at-risk", Access::analyst, [this, survey_known](Ctx& c) {
    if (!survey_known(c)) return;
    const auto stored = stored_or_null(*storage_, c.params[0], "churn");
    if (stored.is_null())
      return send_error(c.res, ApiCode::not_found, "", "no churn model fitted yet: POST to fit it");
    std::vector<ApiError> errors;
    const auto limit = query_int(c, "limit", 1, 100000, errors).value_or(100);
    const std::string format = c.req.has_param("format") ? c.req.get_param_value("format") : "json";
    if (format != "json" && format != "csv")
      errors.push_back({ApiCode::invalid_value, "format", "json or csv"});
    if (!errors.empty()) return send_errors(c.res, errors);
    // ?customer=ID: that customer only (a respondent's page), with their rank among all.
    const std::optional<std::string> customer =
        c.req.has_param("customer") ? std::optional(c.req.get_param_value("customer")) : std::nullopt;
    json items = json::array();
    std::size_t rank = 0;
    for (const auto& r : stored["at_risk"]) {
      ++rank;
      if (customer && r["id"] != *customer) continue;
      if (static_cast<std::int64_t>(items.size()) >= limit) break;
      json item = r;
      item["rank"] = rank;
      items.push_back(item);
    }
    if (format == "json")
      return send_json(c.res, 200,
                       {{"items", items},
                        {"fitted_at", stored["fitted_at"]},
                        {"current_customers", stored["at_risk"].size()}});
    std::string out = "customer,risk,reason_1,reason_2,reason_3\r\n";
    for (const auto& r : items) {
      out += csv_cell(r["id"].get<std::string>()) + "," + nps::dump(r["risk"]);
      for (std::size_t k = 0; k < 3; ++k)
        out += "," + (k < r["reasons"].size() ? csv_cell(r["reasons"][k]["name"].get<std::string>())
                                              : std::string());
      out += "\r\n";
    }
    c.res.set_header("Content-Disposition", "attachment; filename=\"at-risk-" + c.params[0] + ".csv\"");
    c.res.set_content(out, "text/csv; charset=utf-8");
  });
  // Puts chosen customers' latest answers into the follow-up queue, with the risk and reasons
  // as a note. A customer whose latest answer is a promoter's is not a follow-up item.
  route(
      "POST", "/v1/admin/surveys/{id}/churn/follow-ups", Access::analyst,
      [this, survey_known](Ctx& c) {
        if (!survey_known(c)) return;
        auto body = json_body(c);
        if (!body) return;
        const auto stored = stored_or_null(*storage_, c.params[0], "churn");
        if (stored.is_null()) return send_error(c.res, ApiCode::not_found, "", "no churn model fitted yet");
        if (!body->contains("customers") || !body->at("customers").is_array() || body->size() != 1)
          return send_error(c.res, ApiCode::required, "customers",
                            "{\"customers\": [ids from the at-risk list]}");
        std::map<std::string, json> at_risk;
        for (const auto& r : stored["at_risk"])
          at_risk[r["id"].get<std::string>()] = r;
        json queued = json::array(), refused = json::array();
        for (const auto& id : body->at("customers")) {
          if (!id.is_string() || !at_risk.count(id.get<std::string>())) {
            refused.push_back({{"customer", id}, {"reason", "not in the at-risk list"}});
            continue;
          }
          ResponseFilter f;
          f.survey_id = c.params[0];
          f.respondent_id = id.get<std::string>();
          const auto latest = storage_->list_responses(f, std::nullopt, 1);
          const json& r = at_risk[id.get<std::string>()];
          std::string note =
              "Churn risk " + std::to_string(static_cast<int>(r["risk"].get<double>() * 100 + 0.5)) + "%";
          for (std::size_t k = 0; k < r["reasons"].size(); ++k)
            note += (k ? ", " : ": ") + r["reasons"][k]["name"].get<std::string>();
          FollowUpChange change;
          change.status = "new";
          change.note = FollowUpNote{0, caller_name(c), note, config_.clock()};
          if (latest.items.empty() ||
              !storage_->change_follow_up(c.params[0], latest.items[0].id, true, change, config_.clock()))
            refused.push_back(
                {{"customer", id}, {"reason", "the latest answer is a promoter's: not a follow-up item"}});
          else
            queued.push_back({{"customer", id}, {"response_id", latest.items[0].id}});
        }
        send_json(c.res, 200, {{"queued", queued}, {"refused", refused}});
      },
      config_.admin_body_max);

  // ---- benchmarks ---------------------------------------------------------------------------
  route("GET", "/v1/admin/surveys/{id}/benchmarks", Access::viewer, [this, survey_known](Ctx& c) {
    if (!survey_known(c)) return;
    std::vector<ApiError> errors;
    const auto days = query_int(c, "days", 1, 3650, errors).value_or(90);
    if (!errors.empty()) return send_errors(c.res, errors);
    json settings = stored_or_null(*storage_, c.params[0], "benchmarks");
    if (settings.is_null()) settings = {{"chosen", nullptr}, {"custom", json::array()}};
    const std::int32_t today = day_of(config_.clock());
    auto tally_of = [&](std::int32_t from, std::int32_t to) {
      TallyQuery q;
      q.survey_id = c.params[0];
      q.from_day = from;
      q.to_day = to;
      auto rows = storage_->tally_groups(q);
      return rows.empty() ? nps::Tally{} : rows[0].tally;
    };
    const auto now = tally_of(today - static_cast<std::int32_t>(days) + 1, today);
    const auto before =
        tally_of(today - 2 * static_cast<std::int32_t>(days) + 1, today - static_cast<std::int32_t>(days));
    auto summary = [](const nps::Tally& t) -> json {
      auto s = nps::summarize(t);
      if (!s) return {{"n", t.n()}, {"nps", nullptr}, {"ci95", nullptr}};
      return {{"n", s->n},
              {"nps", s->nps},
              {"ci95", {s->ci95.lo, s->ci95.hi}},
              {"small_sample", s->small_sample}};
    };
    json out = {{"published", published_benchmarks()},
                {"custom", settings["custom"]},
                {"chosen", settings["chosen"]},
                {"period",
                 {{"days", days},
                  {"from", date_text(today - static_cast<std::int32_t>(days) + 1)},
                  {"to", date_text(today)}}},
                {"survey", summary(now)},
                {"previous", summary(before)}};
    if (auto cmp = nps::compare(now, before))
      out["change"] = {{"difference", cmp->difference}, {"p", cmp->p}, {"significant", cmp->significant}};
    // Against the chosen benchmark: above or below only when the whole interval is.
    std::optional<double> target;
    for (const json* list : {&published_benchmarks(), static_cast<const json*>(&settings["custom"])})
      for (const auto& b : *list)
        if (settings["chosen"].is_string() && b["key"] == settings["chosen"]) target = b["nps"].get<double>();
    if (target && !out["survey"]["ci95"].is_null()) {
      const double lo = out["survey"]["ci95"][0].get<double>(), hi = out["survey"]["ci95"][1].get<double>();
      out["against"] = {{"benchmark", *target},
                        {"difference", nps::round_to(out["survey"]["nps"].get<double>() - *target, 2)},
                        {"verdict", lo > *target   ? "above"
                                    : hi < *target ? "below"
                                                   : "within_interval"}};
    }
    send_json(c.res, 200, out);
  });
  // {chosen: key or null, custom: [{key, name, nps, source}]}: a team's own values need a source.
  route(
      "PUT", "/v1/admin/surveys/{id}/benchmarks", Access::editor,
      [this, survey_known](Ctx& c) {
        if (!survey_known(c)) return;
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        std::set<std::string> keys;
        for (const auto& b : published_benchmarks())
          keys.insert(b["key"].get<std::string>());
        const json custom = body->value("custom", json::array());
        if (!custom.is_array() || custom.size() > 50)
          errors.push_back({ApiCode::invalid_type, "custom", "at most 50 values"});
        for (std::size_t i = 0; errors.empty() && i < custom.size(); ++i) {
          const json& b = custom[i];
          const std::string at = "custom[" + std::to_string(i) + "]";
          for (const char* k : {"key", "name", "source"})
            if (!b.is_object() || !b.contains(k) || !b.at(k).is_string() ||
                b.at(k).get<std::string>().empty() || b.at(k).get<std::string>().size() > 300)
              errors.push_back({ApiCode::required, at + "." + k, "a text of 1 to 300 characters"});
          if (!b.is_object() || !b.contains("nps") || !b.at("nps").is_number() ||
              b.at("nps").get<double>() < -100 || b.at("nps").get<double>() > 100)
            errors.push_back({ApiCode::out_of_range, at + ".nps", "a number from -100 to 100"});
          else if (b.is_object() && b.contains("key") && b.at("key").is_string() &&
                   !keys.insert(b.at("key").get<std::string>()).second)
            errors.push_back({ApiCode::duplicate, at + ".key", "a key used once"});
        }
        const json chosen = body->value("chosen", json(nullptr));
        if (!chosen.is_null() && (!chosen.is_string() || !keys.count(chosen.get<std::string>())))
          errors.push_back(
              {ApiCode::invalid_value, "chosen", "a published or custom benchmark key, or null"});
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "chosen" && it.key() != "custom")
            errors.push_back({ApiCode::unknown_field, it.key(), "chosen and custom only"});
        if (!errors.empty()) return send_errors(c.res, errors);
        storage_->ops().put_fit(c.params[0], "benchmarks",
                                {nps::dump(json{{"chosen", chosen}, {"custom", custom}}), config_.clock()});
        send_json(c.res, 200, {{"chosen", chosen}, {"custom", custom}});
      },
      config_.admin_body_max);
}

} // namespace npsd
