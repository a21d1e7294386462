// npsd migrate: SMS conversations and opt-outs (sms_store.hpp); webhook and alert endpoints
// (Slack, Teams, e-mail alerts are endpoints of other kinds) with their signing secrets, and
// the outbox of events with each delivery's state (webhook_store.hpp).
//
// Endpoints are matched by their secret (random, so unique) and get new ids on the target;
// deliveries follow through the source id → target id map. An event is matched by its
// webhook-id (msg_id), which receivers deduplicate on, so it is never stored twice and a
// delivered one stays delivered. Event bodies name answers by id: answers get new ids on the
// target, so response.* and follow_up.changed bodies are rewritten with the target's answer
// id (found by the answer's idempotency key) and the assignee's target user id.
#include "migrate_parts.hpp"
#include "sms_store.hpp"
#include "webhook_store.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace npsd::migration {

namespace {

constexpr std::size_t kPage = 500;

using EndpointIds = std::map<std::int64_t, std::int64_t>;

bool same_endpoint(WebhookEndpoint a, WebhookEndpoint b) {
  a.id = b.id = 0;
  return std::tie(a.url, a.kind, a.description, a.secret, a.previous_secret, a.previous_until, a.survey_id,
                  a.categories, a.event_types, a.channels, a.include_personal, a.locale, a.enabled,
                  a.disabled_reason, a.created_at, a.updated_at) ==
         std::tie(b.url, b.kind, b.description, b.secret, b.previous_secret, b.previous_until, b.survey_id,
                  b.categories, b.event_types, b.channels, b.include_personal, b.locale, b.enabled,
                  b.disabled_reason, b.created_at, b.updated_at);
}

EndpointIds copy_endpoints(WebhookStore& src, WebhookStore& dst, MigrationReport& rep) {
  EndpointIds ids;
  const auto there = dst.endpoints();
  std::size_t n = 0;
  for (const auto& e : src.endpoints()) {
    const auto t =
        std::find_if(there.begin(), there.end(), [&](const auto& x) { return x.secret == e.secret; });
    if (t == there.end()) {
      ids[e.id] = dst.add_endpoint(e).id;
      ++n;
      continue;
    }
    ids[e.id] = t->id;
    if (!same_endpoint(*t, e)) {
      auto changed = e;
      changed.id = t->id;
      dst.update_endpoint(changed);
      ++n;
    }
  }
  added(rep, "webhook endpoints", n);
  return ids;
}

// The target's answer id of the answer `r` (a response as the event shows it), if stored.
void remap_answer(nps::ordered_json& r, const std::string& survey_id, Storage& to, bool& changed) {
  if (!r.is_object() || !r.contains("idempotency_key") || !r["idempotency_key"].is_string()) return;
  const auto target =
      to.find_response(r.value("survey_id", survey_id), r["idempotency_key"].get<std::string>());
  if (!target || (r.contains("id") && r["id"] == target->id)) return;
  r["id"] = target->id;
  changed = true;
}

std::string remap_body(const OutboxEvent& e, Storage& to, const UserIds& users) {
  auto j = nps::ordered_json::parse(e.body, nullptr, false);
  if (!j.is_object() || !j.contains("data") || !j["data"].is_object()) return e.body;
  auto& data = j["data"];
  bool changed = false;
  if (e.type.rfind("response.", 0) == 0) remap_answer(data, e.tags.survey_id, to, changed);
  if (e.type == "follow_up.changed") {
    if (data.contains("response")) remap_answer(data["response"], e.tags.survey_id, to, changed);
    if (data.contains("assignee") && data["assignee"].is_object() && data["assignee"].contains("id") &&
        data["assignee"]["id"].is_number_integer())
      if (auto u = users.find(data["assignee"]["id"].get<std::int64_t>());
          u != users.end() && u->first != u->second) {
        data["assignee"]["id"] = u->second;
        changed = true;
      }
  }
  return changed ? j.dump(-1, ' ', false, nps::ordered_json::error_handler_t::replace) : e.body;
}

// The target's events by msg_id: how many deliveries each has.
std::map<std::string, std::size_t> target_events(WebhookStore& dst) {
  std::map<std::string, std::size_t> out;
  std::int64_t after = 0;
  for (;;) {
    const auto page = dst.event_copies(after, kPage);
    for (const auto& e : page)
      out[e.event.msg_id] = e.deliveries.size();
    if (page.size() < kPage) break;
    after = page.back().event.id;
  }
  return out;
}

void copy_events(WebhookStore& src, WebhookStore& dst, Storage& to, const EndpointIds& endpoints,
                 const UserIds& users, MigrationReport& rep) {
  const auto there = target_events(dst);
  std::size_t n = 0;
  std::int64_t after = 0;
  for (;;) {
    const auto page = src.event_copies(after, kPage);
    for (auto e : page) {
      std::vector<WebhookDelivery> deliveries;
      for (auto d : e.deliveries)
        if (auto t = endpoints.find(d.endpoint_id); t != endpoints.end()) {
          d.endpoint_id = t->second;
          deliveries.push_back(std::move(d));
        }
      e.deliveries = std::move(deliveries);
      if (auto t = there.find(e.event.msg_id); t != there.end() && t->second >= e.deliveries.size()) continue;
      e.event.body = remap_body(e.event, to, users);
      n += dst.import_event(e); // one transaction: the event and its deliveries
    }
    if (page.size() < kPage) break;
    after = page.back().event.id;
  }
  added(rep, "webhook events and deliveries", n);
}

} // namespace

void copy_integrations(Storage& from, Storage& to, const UserIds& users, MigrationReport& rep) {
  std::size_t n = 0;
  for (const auto& c : from.sms().conversations()) {
    const auto t = to.sms().conversation(c.survey_id, c.phone);
    if (t && t->idempotency_key == c.idempotency_key && t->locale == c.locale && t->asked_at == c.asked_at &&
        t->followup_sid == c.followup_sid)
      continue;
    to.sms().put_conversation(c);
    ++n;
  }
  added(rep, "SMS conversations", n);
  n = 0;
  for (const auto& [phone, at] : from.sms().opt_outs())
    n += to.sms().unsubscribe(phone, at) ? 1 : 0;
  added(rep, "SMS opt-outs", n);
  const auto endpoints = copy_endpoints(from.webhooks(), to.webhooks(), rep);
  copy_events(from.webhooks(), to.webhooks(), to, endpoints, users, rep);
}

void check_integrations(Storage& from, Storage& to, MigrationReport& rep) {
  std::uint64_t convs = 0, convs_there = 0;
  for (const auto& c : from.sms().conversations()) {
    ++convs;
    const auto t = to.sms().conversation(c.survey_id, c.phone);
    convs_there += t && t->idempotency_key == c.idempotency_key && t->followup_sid == c.followup_sid ? 1 : 0;
  }
  compare(rep, "SMS conversations", "", convs, convs_there);
  std::uint64_t outs = 0, outs_there = 0;
  for (const auto& [phone, at] : from.sms().opt_outs()) {
    ++outs;
    outs_there += to.sms().unsubscribed(phone) ? 1 : 0;
  }
  compare(rep, "SMS opt-outs", "", outs, outs_there);
  const auto dst_endpoints = to.webhooks().endpoints();
  std::uint64_t eps = 0, eps_there = 0;
  for (const auto& e : from.webhooks().endpoints()) {
    ++eps;
    eps_there += std::any_of(dst_endpoints.begin(), dst_endpoints.end(),
                             [&](const auto& x) { return same_endpoint(x, e); });
  }
  compare(rep, "webhook endpoints", "", eps, eps_there);
  // Events by msg_id, and their deliveries by status, on both sides.
  std::map<std::string, std::map<std::string, std::size_t>> target;
  std::int64_t after = 0;
  for (;;) {
    const auto page = to.webhooks().event_copies(after, kPage);
    for (const auto& e : page)
      for (auto& slot = target[e.event.msg_id]; const auto& d : e.deliveries)
        ++slot[std::string(to_string(d.status))];
    if (page.size() < kPage) break;
    after = page.back().event.id;
  }
  std::uint64_t events = 0, events_there = 0;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> by_status;
  after = 0;
  for (;;) {
    const auto page = from.webhooks().event_copies(after, kPage);
    for (const auto& e : page) {
      ++events;
      const auto t = target.find(e.event.msg_id);
      if (t != target.end()) {
        ++events_there;
        for (const auto& [status, count] : t->second)
          by_status[status].second += count;
      }
      for (const auto& d : e.deliveries)
        ++by_status[std::string(to_string(d.status))].first;
    }
    if (page.size() < kPage) break;
    after = page.back().event.id;
  }
  compare(rep, "webhook events", "", events, events_there);
  for (const auto& [status, counts] : by_status)
    compare(rep, "webhook deliveries " + status, "", counts.first, counts.second);
}

} // namespace npsd::migration
