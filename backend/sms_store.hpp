// What the SMS reply endpoint (routes_sms.cpp, issue 15) keeps besides the answers: the
// open conversations (a score was stored and its follow-up question sent: the number's
// next message within the window is the comment) and the numbers that opted out (STOP and
// its equivalents). Phone numbers are personal data: only the endpoint and the privacy
// routes read them; nothing a viewer can call shows them.
//
// Implemented by both engines (sqlite_sms.cpp, postgres_sms.cpp); Storage::sms() gives it.
#pragma once

#include "storage.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace npsd {

struct SmsConversation {
  std::string survey_id;
  std::string phone;           // the respondent's number, as Twilio's From gives it
  std::string idempotency_key; // of the stored response the follow-up completes
  std::string locale;          // the language the follow-up was asked in
  Millis asked_at = 0;
  std::optional<std::string> followup_sid; // the message that answered it, once it has
};

class SmsStore {
public:
  virtual ~SmsStore() = default;

  // Opens the conversation of `c.phone` on `c.survey_id`, replacing an earlier one — unless
  // the stored one is for the same response (a retried webhook never reopens a
  // conversation its follow-up already closed). True when it was written.
  virtual bool open_conversation(const SmsConversation& c) = 0;
  [[nodiscard]] virtual std::optional<SmsConversation> conversation(const std::string& survey_id,
                                                                    const std::string& phone) const = 0;
  // Records that message `sid` answered the conversation. False when it was already
  // answered (by this message or another).
  virtual bool close_conversation(const std::string& survey_id, const std::string& phone,
                                  const std::string& sid) = 0;

  // Opt-outs, for every survey. unsubscribe is true when the number was not listed yet.
  virtual bool unsubscribe(const std::string& phone, Millis at) = 0;
  [[nodiscard]] virtual bool unsubscribed(const std::string& phone) const = 0;
  [[nodiscard]] virtual std::uint64_t unsubscribed_count() const = 0;

  // Forgets a number's conversations (privacy: one respondent's data deleted). The opt-out
  // stays: it is what keeps the number from being texted again.
  virtual std::size_t forget(const std::string& phone) = 0;

  // Copying (npsd migrate): every conversation (by survey, then number) and every opt-out
  // (number, when) as stored; put_conversation stores one exactly as given, its followup_sid
  // included, in place of the number's conversation on that survey.
  [[nodiscard]] virtual std::vector<SmsConversation> conversations() const = 0;
  [[nodiscard]] virtual std::vector<std::pair<std::string, Millis>> opt_outs() const = 0;
  virtual void put_conversation(const SmsConversation& c) = 0;
};

namespace sqlite {
class Writer;
class ReadPool;
[[nodiscard]] std::unique_ptr<SmsStore> make_sms_store(Writer& writer, const ReadPool& readers);
} // namespace sqlite
namespace pg {
class Writer;
class Pool;
[[nodiscard]] std::unique_ptr<SmsStore> make_sms_store(Writer& writer, Pool& readers);
} // namespace pg

} // namespace npsd
