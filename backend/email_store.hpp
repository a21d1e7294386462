// The storage of e-mail and link surveys (issue 14), its own interface beside storage.hpp:
// the link secret and each survey's link settings, contacts and the suppression list. Implemented by
// sqlite_email.cpp and postgres_email.cpp on their engine's writer and readers; reached through
// Storage::email(). The same contract as storage.hpp: a write returns once durable, engine
// failures throw StorageError.
#pragma once

#include "storage.hpp"

#include "nps/json.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace npsd {

// A contact as imported (contacts_import.hpp reads and checks them). E-mail and name are
// personal data: only analysts and above see them.
struct ContactInput {
  std::string email;
  std::string name;                           // "" : none (an update keeps the stored one)
  std::string locale;                         // canonical tag; "" : none (an update keeps the stored one)
  std::string external_id;                    // the team's own id; "" : none (an update keeps the stored one)
  nps::json attributes = nps::json::object(); // merged into the stored ones on update
};
struct Contact : ContactInput {
  std::int64_t id = 0;
  Millis created_at = 0, updated_at = 0;
  std::optional<Millis> last_asked_at;   // the last time a campaign asked them
  std::optional<std::string> suppressed; // unsubscribed, bounced or complained
};
struct ContactsImported {
  std::size_t created = 0, updated = 0;
};
struct SuppressionRow {
  std::string email; // as matched: lower case
  std::string reason;
  Millis created_at = 0;
};

// A campaign: a survey sent to an audience (every contact, those whose attribute
// segment_key equals segment_value, or the contacts of an uploaded CSV), from a time on,
// skipping anyone asked within throttle_days by any campaign or who answered the widget
// (a response whose respondent id is the contact's external id), at most daily_limit
// messages a day (0: no limit), and one reminder to those who did not answer
// reminder_days after their message (0: none).
struct CampaignInput {
  std::string survey_id, name;
  std::string segment_key, segment_value; // "" : every contact
  std::string audience = "all";           // all, segment or csv (the members)
  int throttle_days = 90;
  int daily_limit = 0;
  int reminder_days = 0;
  Millis scheduled_at = 0;
};
struct Campaign : CampaignInput {
  std::int64_t id = 0;
  std::string status = "scheduled"; // scheduled → queued (its messages are in the outbox)
  Millis created_at = 0;
  std::optional<Millis> finished_at; // every first message reached its end (email_events.hpp)
};
// What became of a campaign's messages: the first messages by state, the reminders sent,
// the recipients whose link page saw a person (clicked), who answered, and who unsubscribed
// after their message.
struct CampaignFunnel {
  std::vector<std::pair<std::string, std::uint64_t>> states;
  std::uint64_t reminded = 0, clicked = 0, answered = 0, unsubscribed = 0;
};
// One message of the outbox: a campaign's first message to a contact (kind "survey") or
// its reminder ("reminder"). States: queued → sending → committing → sent; queued again
// (a 4xx, with a later next_attempt_at); bounced (5xx: the address is suppressed); failed
// (too many 4xx); skipped (suppressed, or answered before its reminder went out);
// uncertain (its sender stopped after the end of DATA was sent, before the reply was
// recorded: held, never re-sent on its own).
struct OutboxMessage {
  std::int64_t id = 0, campaign_id = 0, contact_id = 0;
  std::string survey_id, email, name, locale, kind = "survey";
  int attempts = 0;
};

// Copying (npsd migrate): one row of the outbox as stored (without the sender holding it),
// and what belongs to a campaign besides its own row.
struct OutboxRow {
  std::int64_t campaign_id = 0, contact_id = 0;
  std::string kind = "survey", email, state;
  int attempts = 0;
  Millis next_attempt_at = 0;
  std::optional<Millis> first_attempt_at, sent_at;
  std::optional<std::int64_t> last_code;
  std::optional<std::string> last_error;
  friend bool operator==(const OutboxRow&, const OutboxRow&) = default;
};
struct CampaignRows {
  std::vector<std::int64_t> members;                   // contact ids of a "csv" audience, by id
  std::vector<OutboxRow> outbox;                       // by contact, then kind
  std::vector<std::pair<std::int64_t, Millis>> clicks; // contact id, when; by contact
};
// A copied message's state on the database it is copied to: one left `sending` by a stopped
// sender is queued again (the end of DATA was never sent), one left `committing` is
// `uncertain` (held, never re-sent on its own), as recover_outbox would do; others stay.
[[nodiscard]] inline std::string copied_outbox_state(const std::string& state) {
  if (state == "sending") return "queued";
  if (state == "committing") return "uncertain";
  return state;
}

// How a survey's links behave.
struct LinkSettings {
  bool strict = false; // record only on an explicit Send, never on the page's human signal
  friend bool operator==(const LinkSettings&, const LinkSettings&) = default;
};

class EmailStore {
public:
  virtual ~EmailStore() = default;

  // The secret that signs links: the stored one, or `fresh` stored now when there is none
  // (the first caller wins, also across several npsd processes on one database).
  virtual std::string link_secret(const std::string& fresh) = 0;

  [[nodiscard]] virtual LinkSettings link_settings(const std::string& survey_id) const = 0;
  virtual void put_link_settings(const std::string& survey_id, const LinkSettings& s) = 0;

  // Contacts, matched by e-mail in any case. An import is one transaction: all or none.
  virtual ContactsImported import_contacts(const std::vector<ContactInput>& rows, Millis now) = 0;
  // At most `limit` contacts with ids above `after`, by id.
  [[nodiscard]] virtual std::vector<Contact> contacts(std::optional<std::int64_t> after,
                                                      std::size_t limit) const = 0;
  [[nodiscard]] virtual std::optional<Contact> contact(std::int64_t id) const = 0;
  [[nodiscard]] virtual std::uint64_t count_contacts() const = 0;
  // Deletes the contact and its e-mail everywhere else (its messages keep their state for
  // the funnels, without the address; those still queued are skipped; its clicks and
  // audience memberships go). Its answers stay, under the recipient id "c<campaign>.k<id>",
  // which nothing links to a person any more. The suppression list keeps the address, so
  // an unsubscribed person is never asked again after a new import.
  virtual bool delete_contact(std::int64_t id) = 0;

  // The suppression list: every send skips these addresses. Suppressing again keeps the
  // first reason; returns true when the address was not suppressed before.
  virtual bool suppress(const std::string& email, const std::string& reason, Millis now) = 0;
  [[nodiscard]] virtual std::vector<SuppressionRow> suppressions() const = 0;

  // Campaigns and their outbox. An audience "csv" imports `members` as contacts (as
  // import_contacts) and makes them the audience, in the campaign's transaction.
  virtual Campaign add_campaign(const CampaignInput& c, const std::vector<ContactInput>& members,
                                Millis now) = 0;
  [[nodiscard]] virtual std::vector<Campaign> campaigns() const = 0;
  [[nodiscard]] virtual std::optional<Campaign> campaign(std::int64_t id) const = 0;
  // Scheduled campaigns due at `now`, oldest first.
  [[nodiscard]] virtual std::vector<std::int64_t> due_campaigns(Millis now) const = 0;
  // In one transaction: one queued message per eligible contact (in the audience, not
  // suppressed, not asked since now - throttle_days, no widget answer since then), each
  // contact marked asked now, the campaign queued. Returns the number of messages; 0 for a
  // campaign not scheduled.
  virtual std::size_t enqueue_campaign(std::int64_t id, Millis now) = 0;
  // One queued reminder per first message sent at least reminder_days before `now` whose
  // recipient has not answered and is not suppressed. Returns how many were queued.
  virtual std::size_t enqueue_reminders(Millis now) = 0;
  // Several senders (npsd processes) share the outbox: each names itself (`owner`) and
  // keeps a heartbeat; a message claimed by a sender whose heartbeat ran out is recovered.
  virtual void heartbeat(const std::string& owner, Millis alive_until) = 0;
  // The next queued message due at `now` whose campaign is under its daily limit for the
  // UTC day of `now`, claimed for `owner` in its own transaction: sending, attempts + 1.
  // A reminder whose recipient answered since it was queued is skipped.
  virtual std::optional<OutboxMessage> claim_next(Millis now, const std::string& owner) = 0;
  // sending → committing, only while `owner` still holds the message; false: it was
  // recovered by another sender (this one must not finish sending it).
  virtual bool mark_committing(std::int64_t id, const std::string& owner) = 0;
  virtual void mark_sent(std::int64_t id, Millis now, long code) = 0;
  virtual void mark_retry(std::int64_t id, Millis next_at, long code, const std::string& error) = 0;
  // bounced: the address joins the suppression list in the same transaction.
  virtual void mark_failed(std::int64_t id, bool bounced, long code, const std::string& error,
                           Millis now) = 0;
  // Messages held by a sender whose heartbeat ended before `now` (it stopped or was killed):
  // those left sending go back to queued (the end of DATA was never sent), those left
  // committing become uncertain. Returns {requeued, uncertain}.
  virtual std::pair<std::size_t, std::size_t> recover_outbox(Millis now) = 0;
  // A person's click on one of the campaign's links (the first one counts).
  virtual void record_click(std::int64_t campaign, std::int64_t contact, Millis now) = 0;
  [[nodiscard]] virtual CampaignFunnel funnel(const Campaign& c) const = 0;

  // ---- copying (npsd migrate): the same data on another database, under the same ids ----
  // Contacts and campaigns keep their ids: a link already e-mailed names its recipient
  // "c<campaign>.k<contact>", and its answer's idempotency key is made from them.

  // The stored link secret, without making one (nullopt: none yet); put replaces it.
  [[nodiscard]] virtual std::optional<std::string> stored_link_secret() const = 0;
  virtual void put_link_secret(const std::string& secret) = 0;
  // Stores the contact under its id with its times (last asked included); false when the
  // same contact (id and e-mail) is there already; StorageError when its id or its e-mail
  // is another contact's here.
  virtual bool import_contact(const Contact& c) = 0;
  // Adds a suppression as it was (reason, time) without an event; false when listed already.
  virtual bool import_suppression(const SuppressionRow& s) = 0;
  [[nodiscard]] virtual CampaignRows campaign_rows(std::int64_t campaign) const = 0;
  // In one transaction: the campaign under its id (with its status and times) unless the same
  // campaign (id, survey, name, creation time) is there (StorageError when the id is another
  // campaign's), then each member, outbox row (in copied_outbox_state, matched by campaign,
  // contact and kind) and click not there yet. Returns the rows added.
  virtual std::size_t import_campaign(const Campaign& c, const CampaignRows& rows) = 0;
};

// The e-mail as stored for matching: trimmed, lower case; "" when it is not an address
// (one @, a local part of 1 to 64 bytes, a domain with a dot, no space, control character
// or one of , < > " ( ) ; \\ [ ], valid UTF-8, at most 254 bytes). email_address.cpp.
[[nodiscard]] std::string email_key(std::string_view email);

// The recipient of a campaign's message in its links: "c<campaign>.k<contact>".
[[nodiscard]] inline std::string campaign_recipient(std::int64_t campaign, std::int64_t contact) {
  return "c" + std::to_string(campaign) + ".k" + std::to_string(contact);
}

// The idempotency key of the answer given through a recipient's score links: "r-<recipient>",
// padded with "_" to the 8 characters every idempotency key has at least (the core's
// rule): "r-c1.k1_". The engines compute the same for a campaign's message in SQL.
[[nodiscard]] inline std::string link_answer_key(std::string_view recipient) {
  std::string key = "r-" + std::string(recipient);
  if (key.size() < 8) key.append(8 - key.size(), '_');
  return key;
}

// The campaign and contact a recipient names; nullopt for any other text.
[[nodiscard]] inline std::optional<std::pair<std::int64_t, std::int64_t>>
parse_campaign_recipient(std::string_view r) {
  const auto dot = r.find(".k");
  if (r.size() < 5 || r[0] != 'c' || dot == std::string_view::npos) return std::nullopt;
  const auto number = [](std::string_view s) -> std::optional<std::int64_t> {
    std::int64_t v = 0;
    if (s.empty() || s.size() > 18 || s[0] == '0') return std::nullopt;
    for (char ch : s) {
      if (ch < '0' || ch > '9') return std::nullopt;
      v = v * 10 + (ch - '0');
    }
    return v;
  };
  auto campaign = number(r.substr(1, dot - 1));
  auto contact = number(r.substr(dot + 2));
  if (!campaign || !contact) return std::nullopt;
  return std::pair{*campaign, *contact};
}

// The engines' factories (sqlite_email.cpp, postgres_email.cpp).
namespace sqlite {
class Writer;
class ReadPool;
[[nodiscard]] std::unique_ptr<EmailStore> make_email_store(Writer& w, const ReadPool& r);
} // namespace sqlite
namespace pg {
class Writer;
class Pool;
[[nodiscard]] std::unique_ptr<EmailStore> make_email_store(Writer& w, Pool& r);
} // namespace pg

} // namespace npsd
