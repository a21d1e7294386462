// The background sender of survey e-mails (issue 14): queues the campaigns that are due,
// then sends the outbox one message at a time through the SMTP relay (smtp_sender.hpp).
//
// Every message is a row of the outbox before it is attempted. Each attempt:
//   1. claim: queued → sending (its own transaction, attempts + 1);
//   2. the body is handed to libcurl; before the end of DATA is sent: sending → committing
//      (durable, its own transaction);
//   3. the relay's reply: sent; 4xx → queued again with backoff (1, 4, 16, 64 minutes, then
//      failed); 5xx → bounced, and the address suppressed in the same transaction.
// Several npsd may send from one database (PostgreSQL): each sender names itself (a random
// owner id) on the messages it claims and keeps a heartbeat (every 3 s, valid 15 s) from a
// thread of its own, so a slow relay does not let it lapse. When a sender stops or is
// killed, its heartbeat runs out and any sender recovers its messages: one left `sending`
// never reached the end of DATA, so the relay cannot have accepted it: it is queued again.
// One left `committing` may or may not have been accepted: it becomes `uncertain` and is
// never re-sent on its own (a second copy of a survey annoys a customer and costs the
// sender's reputation more than one missing e-mail); the campaign's funnel shows it. At
// most one message (the one in flight) can be uncertain per sender. A sender whose message
// was recovered meanwhile (its heartbeat could not be written in time) learns it at
// sending → committing and drops the connection before the end of DATA.
//
// Reminders: a campaign's one reminder per contact who has not answered reminder_days
// after the first message is queued here and sent like the first (the same e-mail and
// links, so the answer is the same one through either message).
#include "server_internal.hpp"

#include "email_render.hpp"
#include "email_store.hpp"
#include "signed_links.hpp"
#include "smtp_sender.hpp"

namespace npsd {

namespace {

constexpr int kMaxAttempts = 5;
constexpr std::int64_t kLinkDays = 90;
constexpr std::int64_t kUnsubscribeDays = 400;
constexpr Millis kHeartbeatEvery = 3'000, kHeartbeatValid = 15'000;

Millis backoff(int attempts) {
  Millis m = 60'000;
  for (int i = 1; i < attempts; ++i)
    m *= 4;
  return m;
}

} // namespace

void Server::sender_loop() {
  auto& store = storage_->email();
  const auto stopping = [this] {
    std::lock_guard l(sender_mu_);
    return sender_stop_;
  };
  SmtpConfig smtp_config;
  smtp_config.url = config_.smtp_url;
  smtp_config.username = config_.smtp_username;
  smtp_config.password = config_.smtp_password;
  smtp_config.starttls = config_.smtp_starttls;
  SmtpClient smtp(smtp_config); // may throw: before the heartbeat thread, which must be joined
  const std::string owner = random_hex(16);
  const auto beat = [&](Millis until) {
    try {
      store.heartbeat(owner, until);
    } catch (const std::exception& e) {
      log_line({{"level", "error"}, {"msg", std::string("sender heartbeat: ") + e.what()}});
    }
  };
  beat(config_.clock() + kHeartbeatValid);
  std::thread heart([&] {
    std::unique_lock lock(sender_mu_);
    while (!sender_stop_) {
      sender_cv_.wait_for(lock, std::chrono::milliseconds(kHeartbeatEvery), [&] { return sender_stop_; });
      if (sender_stop_) break;
      lock.unlock();
      beat(config_.clock() + kHeartbeatValid);
      lock.lock();
    }
  });
  const auto recover = [&] {
    try {
      const auto [requeued, uncertain] = store.recover_outbox(config_.clock());
      if (requeued + uncertain > 0)
        log_line({{"level", "warn"},
                  {"msg", "outbox recovered from a sender that stopped"},
                  {"requeued", requeued},
                  {"uncertain", uncertain}});
    } catch (const std::exception& e) {
      log_line({{"level", "error"}, {"msg", std::string("outbox recovery: ") + e.what()}});
    }
  };
  const std::string base = !config_.public_url.empty()
                               ? config_.public_url
                               : "http://" + config_.host + ":" + std::to_string(port_);
  const std::string from_domain = config_.mail_from.substr(config_.mail_from.find('@') + 1);

  while (!stopping()) {
    bool worked = false;
    try {
      recover();
      const Millis now = config_.clock();
      for (auto id : store.due_campaigns(now))
        (void)store.enqueue_campaign(id, now);
      (void)store.enqueue_reminders(now);
      while (!stopping()) {
        auto m = store.claim_next(config_.clock(), owner);
        if (!m) break;
        worked = true;
        const Millis t = config_.clock();
        auto l = live(m->survey_id);
        if (!l) {
          store.mark_failed(m->id, false, 0, "the survey no longer exists", t);
          continue;
        }
        const nps::Survey survey = nps::read_normalized_survey(nps::json::parse(l->config_body));
        const std::string recipient = campaign_recipient(m->campaign_id, m->contact_id);
        std::vector<std::string> urls;
        for (int s = 0; s <= 10; ++s)
          urls.push_back(base + "/r/" +
                         sign_link(link_secret_,
                                   {'r', survey.id, recipient, s, t / 1000 + kLinkDays * 86'400, m->locale}));
        const std::string unsubscribe =
            base + "/u/" +
            sign_link(link_secret_, {'x', survey.id, std::to_string(m->contact_id), -1,
                                     t / 1000 + kUnsubscribeDays * 86'400, m->locale});
        std::vector<std::string> languages;
        if (!m->locale.empty()) languages.push_back(m->locale);
        const auto content = render_email(survey, languages, urls, unsubscribe);
        const Envelope env{config_.mail_from_name,
                           config_.mail_from,
                           m->name,
                           m->email,
                           "nps." + std::to_string(m->campaign_id) + "." + std::to_string(m->id) + "@" +
                               from_domain,
                           t,
                           unsubscribe};
        const std::string message = build_message(env, content, "=_nps_" + random_hex(12));
        const std::int64_t id = m->id;
        const auto r =
            smtp.send(config_.mail_from, m->email, message, [&] { return store.mark_committing(id, owner); });
        const Millis done = config_.clock();
        if (r.outcome == SmtpOutcome::abandoned)
          log_line({{"level", "warn"}, {"msg", "a message was recovered by another sender; not sent twice"}});
        else if (r.outcome == SmtpOutcome::sent)
          store.mark_sent(id, done, r.code);
        else if (r.outcome == SmtpOutcome::permanent)
          store.mark_failed(id, true, r.code, r.error, done);
        else if (m->attempts >= kMaxAttempts)
          store.mark_failed(id, false, r.code, r.error, done);
        else
          store.mark_retry(id, done + backoff(m->attempts), r.code, r.error);
      }
    } catch (const std::exception& e) {
      log_line({{"level", "error"}, {"msg", std::string("sender: ") + e.what()}});
    }
    std::unique_lock lock(sender_mu_);
    if (!worked) sender_cv_.wait_for(lock, config_.sender_idle, [&] { return sender_stop_; });
  }
  heart.join(); // sender_stop_ is set and the condition notified by the caller
  beat(0);      // nothing in flight: this sender's heartbeat ends now
}

} // namespace npsd
