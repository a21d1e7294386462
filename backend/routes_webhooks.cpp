// Admin: outgoing webhook endpoints (Standard Webhooks, Slack, Teams, alerts by e-mail),
// their secrets and rotation, filters, enabling, and the deliveries that failed, with replay.
#include "server_internal.hpp"

#include "alerts_email.hpp"
#include "dates.hpp"
#include "ssrf_guard.hpp"
#include "standard_webhooks.hpp"
#include "webhook_store.hpp"

#include "nps/i18n.hpp"
#include "nps/text.hpp"

#include <algorithm>
#include <array>

namespace npsd {

namespace {

constexpr std::array<std::string_view, 6> kEventTypes = {"response.created",  "response.updated",
                                                         "follow_up.changed", "contact.unsubscribed",
                                                         "campaign.finished", "digest.weekly"};
constexpr std::array<std::string_view, 3> kCategories = {"promoter", "passive", "detractor"};
constexpr Millis kHour = 3'600'000;

json endpoint_json(const WebhookEndpoint& e, bool with_secret) {
  json j = {
      {"id", e.id},
      {"url", e.url},
      {"kind", e.kind},
      {"description", e.description},
      {"survey_id", e.survey_id ? json(*e.survey_id) : json(nullptr)},
      {"categories", e.categories},
      {"event_types", e.event_types},
      {"channels", e.channels},
      {"include_personal", e.include_personal},
      {"locale", e.locale.empty() ? json(nullptr) : json(e.locale)},
      {"enabled", e.enabled},
      {"disabled_reason", e.disabled_reason.empty() ? json(nullptr) : json(e.disabled_reason)},
      {"previous_secret_until", e.previous_until > 0 ? json(iso_time(e.previous_until)) : json(nullptr)},
      {"created_at", iso_time(e.created_at)},
      {"updated_at", iso_time(e.updated_at)}};
  if (with_secret) j["secret"] = e.secret;
  return j;
}

json delivery_json(const WebhookDelivery& d) {
  return {
      {"id", d.id},
      {"webhook_id", d.event.msg_id},
      {"event_type", d.event.type},
      {"event_id", d.event.id},
      {"status", std::string(to_string(d.status))},
      {"attempts", d.attempts},
      {"next_attempt_at", d.status == DeliveryStatus::pending ? json(iso_time(d.next_at)) : json(nullptr)},
      {"last_status", d.last_status ? json(d.last_status) : json(nullptr)},
      {"last_error", d.last_error.empty() ? json(nullptr) : json(d.last_error)},
      {"updated_at", iso_time(d.updated_at)},
      {"payload", json::parse(d.event.body, nullptr, false)}};
}

// A list of strings each one of `allowed` (or, with no list, any channel name).
template <class Allowed>
bool read_list(const json& v, const std::string& field, const Allowed& allowed, std::vector<std::string>& out,
               std::vector<ApiError>& errors) {
  if (!v.is_array()) {
    errors.push_back({ApiCode::invalid_type, field, "a list of texts"});
    return false;
  }
  out.clear();
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto path = field + "[" + std::to_string(i) + "]";
    if (!v[i].is_string() || !allowed(v[i].get<std::string>())) {
      errors.push_back({ApiCode::invalid_value, path, "not one of the accepted values"});
      return false;
    }
    if (std::find(out.begin(), out.end(), v[i].get<std::string>()) == out.end())
      out.push_back(v[i].get<std::string>());
  }
  return true;
}

template <std::size_t N> auto one_of(const std::array<std::string_view, N>& a) {
  return [&a](const std::string& s) { return std::find(a.begin(), a.end(), s) != a.end(); };
}

} // namespace

void Server::webhook_routes() {
  // Reads the fields of a POST or PATCH body into `e`; false (and 400 sent) when refused.
  auto apply = [this](Ctx& c, const json& body, WebhookEndpoint& e, bool creating) {
    std::vector<ApiError> errors;
    if (creating && !body.contains("url")) errors.push_back({ApiCode::required, "url", "the receiver's URL"});
    for (auto it = body.begin(); it != body.end(); ++it) {
      const auto& k = it.key();
      const auto& v = *it;
      if (k == "url") {
        if (!v.is_string())
          errors.push_back({ApiCode::invalid_type, k, "a URL"});
        else
          e.url = v.get<std::string>(); // checked below, by kind
      } else if (k == "kind") {
        if (!v.is_string() || (v != "standard" && v != "slack" && v != "teams" && v != "email"))
          errors.push_back({ApiCode::invalid_value, k, "standard, slack, teams or email"});
        else
          e.kind = v.get<std::string>();
      } else if (k == "locale") {
        const auto& known = nps::i18n::builtin_locales();
        if (v.is_null())
          e.locale.clear();
        else if (!v.is_string() || std::find(known.begin(), known.end(), v.get<std::string>()) == known.end())
          errors.push_back(
              {ApiCode::invalid_value, k, "one of the built-in languages (en, es, ru, zh-Hans, …)"});
        else
          e.locale = v.get<std::string>();
      } else if (k == "description") {
        if (!v.is_string() || v.get<std::string>().size() > 200 || !nps::is_valid_utf8(v.get<std::string>()))
          errors.push_back({ApiCode::invalid_value, k, "a text of at most 200 bytes"});
        else
          e.description = v.get<std::string>();
      } else if (k == "survey_id") {
        if (v.is_null())
          e.survey_id.reset();
        else if (!v.is_string() || !live(v.get<std::string>()))
          errors.push_back({ApiCode::invalid_value, k, "the id of a survey, or null for every survey"});
        else
          e.survey_id = v.get<std::string>();
      } else if (k == "categories") {
        read_list(v, k, one_of(kCategories), e.categories, errors);
      } else if (k == "event_types") {
        read_list(v, k, one_of(kEventTypes), e.event_types, errors);
      } else if (k == "channels") {
        read_list(
            v, k, [](const std::string& s) { return nps::channel_from_string(s).has_value(); }, e.channels,
            errors);
      } else if (k == "include_personal" || k == "enabled") {
        if (!v.is_boolean())
          errors.push_back({ApiCode::invalid_type, k, "true or false"});
        else if (k == "include_personal")
          e.include_personal = v.get<bool>();
        else {
          e.enabled = v.get<bool>();
          if (e.enabled) e.disabled_reason.clear();
        }
      } else
        errors.push_back({ApiCode::unknown_field, k,
                          "url, kind, description, survey_id, categories, event_types, channels, "
                          "include_personal, locale and enabled"});
    }
    // The URL by kind: alerts by e-mail go to a mailto: address through npsd's SMTP relay;
    // the others are HTTP receivers behind the SSRF guard.
    if (e.kind == "email") {
      if (alerts::mailto_address(e.url).empty())
        errors.push_back({ApiCode::invalid_value, "url", "mailto: and an e-mail address, for kind email"});
      else if (config_.smtp_url.empty() || config_.mail_from.empty())
        errors.push_back({ApiCode::invalid_value, "kind",
                          "alerts by e-mail need npsd's SMTP relay (NPSD_SMTP_URL and NPSD_MAIL_FROM)"});
      for (const auto& t : e.event_types)
        if (t != "response.created" && t != "response.updated" && t != digest::kEventType)
          errors.push_back({ApiCode::invalid_value, "event_types",
                            "an e-mail endpoint takes answers (response.created, response.updated) and "
                            "the weekly digest (digest.weekly)"});
      if (e.event_types.empty()) e.event_types = {"response.created"};
    } else if ((body.contains("url") && body["url"].is_string()) || body.contains("kind")) {
      if (e.kind == "slack" || e.kind == "teams")
        for (const auto& t : e.event_types)
          if (t == digest::kEventType)
            errors.push_back({ApiCode::invalid_value, "event_types",
                              "the weekly digest goes to e-mail and Standard Webhooks endpoints"});
      if (auto why = ssrf::check_url(e.url, config_.webhooks.allow_private))
        errors.push_back({ApiCode::invalid_value, "url", *why});
    }
    if (!errors.empty()) send_errors(c.res, errors);
    return errors.empty();
  };
  auto find = [this](Ctx& c) -> std::optional<WebhookEndpoint> {
    auto id = path_id(c, 0, "webhook_id");
    if (!id) return std::nullopt;
    auto e = storage_->webhooks().endpoint(*id);
    if (!e) send_error(c.res, ApiCode::not_found, "webhook_id", "no webhook endpoint with this id");
    return e;
  };

  route("GET", "/v1/admin/webhooks", Access::admin, [this](Ctx& c) {
    json out = json::array();
    for (const auto& e : storage_->webhooks().endpoints())
      out.push_back(endpoint_json(e, false));
    send_json(c.res, 200, {{"items", out}});
  });
  route(
      "POST", "/v1/admin/webhooks", Access::admin,
      [this, apply](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        WebhookEndpoint e;
        if (!apply(c, *body, e, true)) return;
        e.secret = standard_webhooks::new_secret();
        e.created_at = e.updated_at = config_.clock();
        send_json(c.res, 201, endpoint_json(storage_->webhooks().add_endpoint(e), true));
      },
      config_.public_body_max);
  // Without its secret: that is shown once, in the answer that made it (creation or rotation);
  // one that is lost is rotated (the old one keeps signing meanwhile), never read back.
  route("GET", "/v1/admin/webhooks/{webhook_id}", Access::admin, [find](Ctx& c) {
    if (auto e = find(c)) send_json(c.res, 200, endpoint_json(*e, false));
  });
  route(
      "PATCH", "/v1/admin/webhooks/{webhook_id}", Access::admin,
      [this, apply, find](Ctx& c) {
        auto e = find(c);
        if (!e) return;
        auto body = json_body(c);
        if (!body) return;
        if (!apply(c, *body, *e, false)) return;
        e->updated_at = config_.clock();
        if (!storage_->webhooks().update_endpoint(*e))
          return send_error(c.res, ApiCode::not_found, "webhook_id", "no webhook endpoint with this id");
        send_json(c.res, 200, endpoint_json(*e, false));
      },
      config_.public_body_max);
  route("DELETE", "/v1/admin/webhooks/{webhook_id}", Access::admin, [this, find](Ctx& c) {
    auto e = find(c);
    if (!e) return;
    storage_->webhooks().delete_endpoint(e->id);
    send_json(c.res, 200, {{"deleted", e->id}});
  });
  route(
      "POST", "/v1/admin/webhooks/{webhook_id}/rotate-secret", Access::admin,
      [this, find](Ctx& c) {
        auto e = find(c);
        if (!e) return;
        auto body = json_body(c);
        if (!body) return;
        std::int64_t hours = 24;
        for (auto it = body->begin(); it != body->end(); ++it) {
          if (it.key() != "keep_previous_hours")
            return send_error(c.res, ApiCode::unknown_field, it.key(), "keep_previous_hours");
          auto n = nps::as_integer(*it);
          if (!n || *n < 0 || *n > 168)
            return send_error(c.res, ApiCode::out_of_range, "keep_previous_hours",
                              "a whole number from 0 to 168");
          hours = *n;
        }
        const auto now = config_.clock();
        e->previous_secret = hours > 0 ? e->secret : std::string();
        e->previous_until = hours > 0 ? now + hours * kHour : 0;
        e->secret = standard_webhooks::new_secret();
        e->updated_at = now;
        if (!storage_->webhooks().update_endpoint(*e))
          return send_error(c.res, ApiCode::not_found, "webhook_id", "no webhook endpoint with this id");
        send_json(c.res, 200, endpoint_json(*e, true));
      },
      config_.public_body_max);
  route("GET", "/v1/admin/webhooks/{webhook_id}/deliveries", Access::admin, [this, find](Ctx& c) {
    auto e = find(c);
    if (!e) return;
    std::optional<DeliveryStatus> status;
    if (c.req.has_param("status")) {
      status = delivery_status_from(c.req.get_param_value("status"));
      if (!status) return send_error(c.res, ApiCode::invalid_value, "status", "pending, delivered or failed");
    }
    const auto paging = read_paging(c);
    if (!paging) return;
    auto items = storage_->webhooks().deliveries(e->id, status, paging->cursor, paging->limit + 1);
    std::optional<std::int64_t> next;
    if (items.size() > paging->limit) {
      items.pop_back();
      next = items.back().id;
    }
    json out = json::array();
    for (const auto& d : items)
      out.push_back(delivery_json(d));
    send_json(c.res, 200,
              {{"items", out}, {"next_cursor", next ? json(std::to_string(*next)) : json(nullptr)}});
  });
  route("POST", "/v1/admin/webhooks/{webhook_id}/deliveries/{delivery_id}/replay", Access::admin,
        [this, find](Ctx& c) {
          auto e = find(c);
          if (!e) return;
          auto id = path_id(c, 1, "delivery_id");
          if (!id) return;
          const auto mine = storage_->webhooks().deliveries(e->id, DeliveryStatus::failed, *id + 1, 1);
          if (mine.empty() || mine.front().id != *id)
            return send_error(c.res, ApiCode::not_found, "delivery_id",
                              "no failed delivery with this id for this endpoint");
          if (!storage_->webhooks().replay(*id, config_.clock()))
            return send_error(c.res, ApiCode::not_found, "delivery_id", "the delivery is no longer failed");
          if (webhook_worker_) webhook_worker_->wake();
          send_json(c.res, 202, {{"replayed", *id}, {"webhook_id", mine.front().event.msg_id}});
        });
}

} // namespace npsd
