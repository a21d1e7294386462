// The events of the outbox (webhook_store.hpp): their ids, bodies and the data of each type.
// Engine-neutral: both engines' emit_event store what make_event builds.
#include "webhook_store.hpp"

#include "dates.hpp"

#include <sodium.h>

#include <array>
#include <chrono>

namespace npsd {

std::string_view to_string(DeliveryStatus s) noexcept {
  switch (s) {
  case DeliveryStatus::pending: return "pending";
  case DeliveryStatus::delivered: return "delivered";
  case DeliveryStatus::failed: return "failed";
  }
  return "pending";
}

std::optional<DeliveryStatus> delivery_status_from(std::string_view s) noexcept {
  if (s == "pending") return DeliveryStatus::pending;
  if (s == "delivered") return DeliveryStatus::delivered;
  if (s == "failed") return DeliveryStatus::failed;
  return std::nullopt;
}

std::string join_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v)
    out += (out.empty() ? "" : ",") + x;
  return out;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

namespace {

// n random bytes: ChaCha20's keystream under a key drawn once per thread from the system
// (randombytes_buf), one nonce per call. The same strength for an id as randombytes_buf each
// time, without its getrandom system call per event (one per stored answer, issue 18).
void random_bits(unsigned char* out, std::size_t n) {
  struct Stream {
    std::array<unsigned char, crypto_stream_chacha20_KEYBYTES> key{};
    std::uint64_t calls = 0;
    Stream() { randombytes_buf(key.data(), key.size()); }
  };
  thread_local Stream stream;
  std::array<unsigned char, crypto_stream_chacha20_NONCEBYTES> nonce{};
  const std::uint64_t call = stream.calls++;
  for (std::size_t i = 0; i < 8; ++i)
    nonce[i] = static_cast<unsigned char>(call >> (8 * i));
  crypto_stream_chacha20(out, n, nonce.data(), stream.key.data());
}

// "msg_" + 128 bits as 26 base32 characters (no '.', as the signature scheme needs): the time
// in milliseconds (48 bits, as a ULID) then 80 random bits. Ids sort by time, so the unique
// index on them grows at its end: a batch of events dirties one page of it, not one each.
std::string new_msg_id() {
  if (sodium_init() < 0) throw StorageError("libsodium could not be initialised");
  std::array<unsigned char, 17> b{};
  const auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 std::chrono::system_clock::now().time_since_epoch())
                                                 .count());
  for (std::size_t i = 0; i < 6; ++i)
    b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  random_bits(b.data() + 6, 10);
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  std::string out = "msg_";
  unsigned acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < 17 && out.size() < 30; ++i) {
    acc = (acc << 8) | b[i];
    bits += 8;
    while (bits >= 5 && out.size() < 30) {
      out += kAlphabet[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

} // namespace

OutboxEvent make_event(const std::string& type, const nps::json& data, EventTags tags, Millis now) {
  OutboxEvent e;
  e.msg_id = new_msg_id();
  e.type = type;
  e.tags = std::move(tags);
  e.created_at = now;
  nps::ordered_json body;
  body["type"] = type;
  body["timestamp"] = iso_time(now);
  body["data"] = data;
  e.body = body.dump(-1, ' ', false, nps::ordered_json::error_handler_t::replace);
  return e;
}

nps::json response_event_data(const StoredResponse& s) {
  nps::json j = nps::to_json(s.response);
  j["id"] = s.id;
  j["category"] = std::string(nps::to_string(s.response.category()));
  j["received_at"] = iso_time(s.received_at);
  return j;
}

nps::json updated_event_data(const StoredResponse& now, const nps::Response& before) {
  auto j = response_event_data(now);
  if (before.score != now.response.score)
    j["previous"] = {{"score", before.score.value()},
                     {"category", std::string(nps::to_string(before.category()))}};
  return j;
}

Millis system_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

EventTags response_tags(const nps::Response& r) {
  return EventTags{r.survey_id, std::string(nps::to_string(r.category())),
                   std::string(nps::to_string(r.channel)), r.respondent_id.value_or("")};
}

nps::json follow_up_event_data(const FollowUp& f) {
  return {{"response", response_event_data(f.response)},
          {"status", f.status},
          {"assignee", f.assignee_id ? nps::json{{"id", *f.assignee_id}, {"email", f.assignee_email}}
                                     : nps::json(nullptr)},
          {"notes", f.notes.size()},
          {"updated_at", iso_time(f.updated_at)}};
}

std::string without_personal_data(const std::string& body, const nps::Privacy& survey_privacy) {
  auto j = nps::ordered_json::parse(body, nullptr, false); // the body's key order is kept
  if (!j.is_object() || !j.contains("data") || !j["data"].is_object()) return body;
  auto& data = j["data"];
  auto strip_answer = [&](nps::ordered_json& r) {
    if (!r.is_object()) return;
    r.erase("respondent_id");
    if (r.contains("attributes") && r["attributes"].is_object()) {
      const auto kept = nps::without_personal(survey_privacy, nps::json::parse(r["attributes"].dump()));
      r["attributes"] = nps::ordered_json::parse(kept.dump());
    }
  };
  strip_answer(data);
  if (data.contains("response")) strip_answer(data["response"]);
  if (data.contains("assignee") && data["assignee"].is_object()) data["assignee"].erase("email");
  if (j.value("type", "") == "contact.unsubscribed") data.erase("email");
  return j.dump(-1, ' ', false, nps::ordered_json::error_handler_t::replace);
}

} // namespace npsd
