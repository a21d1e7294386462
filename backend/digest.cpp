// The weekly digest: its data and its scheduler (see digest.hpp).
#include "digest.hpp"

#include "auth.hpp"
#include "dates.hpp"
#include "webhook_store.hpp"

#include "nps/tally.hpp"

#include <algorithm>
#include <cstdio>

namespace npsd::digest {

using nps::json;

std::int32_t week_start(std::int32_t day) {
  // 1970-01-01 was a Thursday: days since the last Monday are (day + 3) mod 7.
  const std::int32_t since_monday = ((day + 3) % 7 + 7) % 7;
  return day - since_monday;
}

std::string week_label(std::int32_t monday) {
  // The ISO year is the year of the week's Thursday; the week number counts Thursdays.
  const std::int32_t thursday = monday + 3;
  const auto c = civil_from_days(thursday);
  const std::int32_t jan1 = days_from_civil(c.y, 1, 1);
  const int week = (thursday - jan1) / 7 + 1;
  char out[16];
  std::snprintf(out, sizeof out, "%04d-W%02d", c.y, week);
  return out;
}

namespace {

nps::Tally week_tally(const Storage& s, const std::string& survey, std::int32_t monday) {
  nps::Tally t;
  for (const auto& row : s.tallies(survey, monday, monday + 6))
    t.merge(row.tally);
  return t;
}

std::string survey_name(const SurveyRecord& survey) {
  const auto def = json::parse(survey.definition, nullptr, false);
  if (def.is_object() && def.contains("name") && def["name"].is_string())
    return def["name"].get<std::string>();
  return survey.id;
}

bool has_subscriber(const std::vector<WebhookEndpoint>& endpoints, const std::string& survey) {
  return std::any_of(endpoints.begin(), endpoints.end(), [&](const WebhookEndpoint& e) {
    return e.enabled && (!e.survey_id || *e.survey_id == survey) &&
           std::find(e.event_types.begin(), e.event_types.end(), kEventType) != e.event_types.end();
  });
}

} // namespace

json week_data(const Storage& s, const SurveyRecord& survey, std::int32_t monday) {
  const auto now = week_tally(s, survey.id, monday);
  const auto before = week_tally(s, survey.id, monday - 7);
  json out{{"survey_id", survey.id},      {"survey_name", survey_name(survey)},
           {"week", week_label(monday)},  {"from", date_text(monday)},
           {"to", date_text(monday + 6)}, {"this_week", nullptr},
           {"previous_week", nullptr},    {"change", nullptr}};
  if (auto sum = nps::summarize(now))
    out["this_week"] = {{"n", sum->n},
                        {"nps", sum->nps},
                        {"ci95", {sum->ci95.lo, sum->ci95.hi}},
                        {"small_sample", sum->small_sample}};
  if (auto sum = nps::summarize(before)) out["previous_week"] = {{"n", sum->n}, {"nps", sum->nps}};
  if (auto c = nps::compare(now, before))
    out["change"] = {
        {"difference", c->difference}, {"z", c->z}, {"p", c->p}, {"significant", c->significant}};

  // The week's newest detractor comments: a few, read a page at a time.
  ResponseFilter f;
  f.survey_id = survey.id;
  f.category = nps::Category::detractor;
  f.from = static_cast<Millis>(monday) * 86'400'000;
  f.to = static_cast<Millis>(monday + 7) * 86'400'000;
  json comments = json::array();
  std::optional<std::int64_t> cursor;
  for (int pages = 0; pages < 10 && comments.size() < 5; ++pages) {
    const auto page = s.list_responses(f, cursor, 100);
    for (const auto& r : page.items)
      if (r.response.comment && !r.response.comment->empty() && comments.size() < 5)
        comments.push_back(
            {{"response_id", r.id}, {"score", r.response.score.value()}, {"comment", *r.response.comment}});
    if (!page.next) break;
    cursor = page.next;
  }
  out["detractor_comments"] = comments;

  FollowUpFilter open;
  open.survey_id = survey.id;
  open.open_only = true;
  std::size_t n = 0;
  for (std::optional<std::int64_t> before_id;;) {
    const auto items = s.follow_ups(open, before_id, 1000);
    n += items.size();
    if (items.size() < 1000) break;
    before_id = items.back().response.id;
  }
  out["open_follow_ups"] = n;
  return out;
}

std::size_t emit_due(Storage& s, Millis now) {
  const auto endpoints = s.webhooks().endpoints();
  const std::int32_t last_monday = week_start(static_cast<std::int32_t>(now / 86'400'000)) - 7;
  std::size_t stored = 0;
  for (const auto& survey : s.surveys()) {
    if (survey.archived || !has_subscriber(endpoints, survey.id)) continue;
    EventTags tags;
    tags.survey_id = survey.id;
    auto ev = make_event(kEventType, week_data(s, survey, last_monday), tags, now);
    // The same id for the same survey and week in every process: stored once.
    ev.msg_id = "msg_digest" + sha256_hex(survey.id + "\n" + week_label(last_monday)).substr(0, 24);
    stored += s.webhooks().emit_once(ev) ? 1 : 0;
  }
  return stored;
}

Scheduler::Scheduler(Storage& s, std::function<Millis()> clock, std::chrono::milliseconds interval)
    : storage_(s), clock_(std::move(clock)), interval_(interval) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    try {
      (void)emit_due(storage_, clock_());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n",
                   nps::dump(json{{"level", "error"}, {"msg", std::string("digest: ") + e.what()}}).c_str());
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [&] { return stop_; });
  }
}

} // namespace npsd::digest
