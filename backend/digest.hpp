// The weekly digest (issue 15): once a week, for each survey, the week's NPS with its 95%
// interval and whether the change from the week before is significant (the core's two-sample
// test), the week's new detractor comments and the open follow-up items.
//
// A digest is a webhook event of type "digest.weekly" that goes only to endpoints naming that
// type: an e-mail endpoint (mailto:, with a language) gets it as an e-mail in its language
// (digest_email.cpp), a Standard Webhooks endpoint as signed JSON. Each user who wants one
// adds such an endpoint with their own address and language.
//
// Weeks are ISO weeks in UTC (Monday to Sunday). Once a week has ended, the scheduler emits
// that week's digest for every survey with a subscriber; its webhook-id is derived from the
// survey and the week, and WebhookStore::emit_once stores it once however many npsd processes
// race (several on one PostgreSQL) and however often the scheduler wakes. Delivery, retries
// and replay are the webhook worker's.
#pragma once

#include "email_render.hpp"
#include "storage.hpp"
#include "webhook_store.hpp"

#include "nps/json.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace npsd::digest {

inline constexpr const char* kEventType = "digest.weekly";

// The Monday (day number since 1970-01-01) of the ISO week that holds `day`.
[[nodiscard]] std::int32_t week_start(std::int32_t day);
// "2026-W48": the ISO year and week of the week starting on `monday`.
[[nodiscard]] std::string week_label(std::int32_t monday);

// The digest's data for one survey and the week starting on `monday`:
//   {survey_id, survey_name, week, from, to, this_week: {n, nps, ci95, small_sample} | null,
//    previous_week: {n, nps} | null, change: {difference, z, p, significant} | null,
//    detractor_comments: [{response_id, score, comment}] (newest first, at most 5),
//    open_follow_ups}
[[nodiscard]] nps::json week_data(const Storage& s, const SurveyRecord& survey, std::int32_t monday);

// Emits the digest of the last ended week for each live survey that an enabled endpoint takes
// digests for. Returns how many were stored now (0 when they already were).
std::size_t emit_due(Storage& s, Millis now);

// Subject, HTML and plain text of a digest event for an e-mail endpoint, in e.locale, with a
// link to the survey in the dashboard when npsd knows its public URL (digest_email.cpp).
[[nodiscard]] EmailContent digest_email(const OutboxEvent& ev, const WebhookEndpoint& e,
                                        const std::string& public_url);

// Calls emit_due at start and every `interval` until stopped.
class Scheduler {
public:
  Scheduler(Storage& s, std::function<Millis()> clock, std::chrono::milliseconds interval);
  ~Scheduler();
  void start();
  void stop();

private:
  void loop();
  Storage& storage_;
  std::function<Millis()> clock_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

} // namespace npsd::digest
