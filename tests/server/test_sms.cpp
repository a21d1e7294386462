// SMS replies (issue 15): Twilio's form and signature, the SMS store on both engines
// ([storage] runs again against PostgreSQL), and a real npsd answering signed and forged
// webhooks.
#include "http_support.hpp"
#include "sms_store.hpp"
#include "storage_support.hpp"
#include "twilio.hpp"

#include "nps/json.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

using npsd::SmsConversation;
using npsd::test::open_test_storage;
using npsd::test::Running;
using npsd::test::TempDir;
namespace twilio = npsd::twilio;

namespace {

constexpr const char* kToken = "twilio-auth-token-for-tests";
constexpr const char* kPublic = "https://nps.example.com";
constexpr const char* kPath = "/v1/sms/twilio?survey=shop";

std::string encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

std::string form(const std::map<std::string, std::string>& params) {
  std::string out;
  for (const auto& [k, v] : params)
    out += (out.empty() ? "" : "&") + encode(k) + "=" + encode(v);
  return out;
}

std::map<std::string, std::string> message(const std::string& from, const std::string& body,
                                           const std::string& sid) {
  return {{"AccountSid", "AC0123456789abcdef0123456789abcdef"},
          {"From", from},
          {"To", "+15557654321"},
          {"Body", body},
          {"MessageSid", sid},
          {"NumMedia", "0"}};
}

struct SmsServer {
  Running s;
  SmsServer() : s(config()) {
    REQUIRE(npsd::test::create_survey(
                s, nps::json::parse(R"({"id":"shop","name":"Shop","product":"Shop","default_locale":"en",
                                      "followup":{"promoter":{"text":{"es":"¿Qué le gustó más?"}}}})")) ==
            201);
  }
  static npsd::Config config() {
    npsd::Config c;
    c.twilio_auth_token = kToken;
    c.sms_public_url = std::string(kPublic) + "/";
    return c;
  }
  httplib::Result post(const std::map<std::string, std::string>& params, const std::string& path = kPath,
                       std::optional<std::string> signature = std::nullopt) {
    httplib::Headers h;
    const std::string sig = signature ? *signature : twilio::signature(kToken, kPublic + path, params);
    if (!sig.empty()) h.emplace("X-Twilio-Signature", sig);
    return s.client()->Post(path.c_str(), h, form(params), "application/x-www-form-urlencoded");
  }
  std::uint64_t stored() { return s.server->storage().count_responses("shop"); }
};

} // namespace

TEST_CASE("sms: the signature is the one Twilio's own library computes", "[sms]") {
  // Values printed by the twilio npm package (6.3.1): getExpectedTwilioSignature.
  const std::map<std::string, std::string> call = {{"CallSid", "CA1234567890ABCDE"},
                                                   {"Caller", "+12349013030"},
                                                   {"Digits", "1234"},
                                                   {"From", "+12349013030"},
                                                   {"To", "+18005551212"}};
  CHECK(twilio::signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", call) ==
        "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  const std::map<std::string, std::string> sms = {{"From", "+15551234567"},
                                                  {"To", "+15557654321"},
                                                  {"Body", "9 - très bien & <ok>"},
                                                  {"MessageSid", "SM0123456789abcdef0123456789abcdef"}};
  CHECK(twilio::signature("tok", "https://nps.example.com/v1/sms/twilio?survey=s1", sms) ==
        "FKzV/uV05g0NzoZsUDMIUsQe8Wc=");
  CHECK(twilio::verify(
      "tok", "FKzV/uV05g0NzoZsUDMIUsQe8Wc=", "https://nps.example.com:443/v1/sms/twilio?survey=s1", sms));
  CHECK_FALSE(twilio::verify(
      "tok", "FKzV/uV05g0NzoZsUDMIUsQe8Wc=", "https://nps.example.com/v1/sms/twilio?survey=s2", sms));
  CHECK_FALSE(twilio::verify("", "", "https://nps.example.com/", {}));
}

TEST_CASE("sms: a form body is read strictly and every problem names its parameter", "[sms]") {
  std::string error;
  auto ok = twilio::parse_form("Body=9+-+great%21&From=%2B1555", error);
  REQUIRE(ok);
  CHECK(ok->at("Body") == "9 - great!");
  CHECK(ok->at("From") == "+1555");
  CHECK(twilio::parse_form("", error)->empty());
  CHECK_FALSE(twilio::parse_form("Body=%2", error));
  CHECK(error.find("Body") != std::string::npos);
  CHECK_FALSE(twilio::parse_form("Body=a&Body=b", error));
  CHECK(error.find("twice") != std::string::npos);
  CHECK_FALSE(twilio::parse_form("Body", error));
  CHECK_FALSE(twilio::parse_form("Body=%FF", error));
  CHECK(
      twilio::twiml_message("a & <b>") ==
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>a &amp; &lt;b&gt;</Message></Response>");
}

TEST_CASE("storage: an SMS conversation opens once per response and its follow-up closes it once",
          "[storage][sms]") {
  TempDir dir;
  auto db = open_test_storage(dir, "sms");
  auto& sms = db->sms();
  CHECK_FALSE(sms.conversation("shop", "+1555"));
  CHECK(sms.open_conversation(SmsConversation{"shop", "+1555", "twilio:SM1", "es", 1000, std::nullopt}));
  auto c = sms.conversation("shop", "+1555");
  REQUIRE(c);
  CHECK(c->idempotency_key == "twilio:SM1");
  CHECK(c->locale == "es");
  CHECK(c->asked_at == 1000);
  CHECK_FALSE(c->followup_sid);
  CHECK(sms.close_conversation("shop", "+1555", "SM2"));
  CHECK_FALSE(sms.close_conversation("shop", "+1555", "SM3"));
  CHECK(sms.conversation("shop", "+1555")->followup_sid == "SM2");
  // A retried score webhook does not reopen what its follow-up closed...
  CHECK_FALSE(
      sms.open_conversation(SmsConversation{"shop", "+1555", "twilio:SM1", "es", 2000, std::nullopt}));
  CHECK(sms.conversation("shop", "+1555")->followup_sid == "SM2");
  // ...a new score does.
  CHECK(sms.open_conversation(SmsConversation{"shop", "+1555", "twilio:SM4", "en", 3000, std::nullopt}));
  CHECK_FALSE(sms.conversation("shop", "+1555")->followup_sid);
  CHECK_FALSE(sms.conversation("other", "+1555"));

  CHECK_FALSE(sms.unsubscribed("+1555"));
  CHECK(sms.unsubscribe("+1555", 5000));
  CHECK_FALSE(sms.unsubscribe("+1555", 6000));
  CHECK(sms.unsubscribed("+1555"));
  CHECK(sms.unsubscribed_count() == 1);
  CHECK(sms.forget("+1555") == 1);
  CHECK_FALSE(sms.conversation("shop", "+1555"));
  CHECK(sms.unsubscribed("+1555")); // the opt-out outlives the deleted data
}

TEST_CASE("sms: a signed score is stored once and answered with the follow-up question, and the next "
          "message is its comment",
          "[server][sms]") {
  SmsServer t;
  auto r = t.post(message("+15551234567", "nueve", "SM00000000000000000000000000000001"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type").find("text/xml") == 0);
  CHECK(r->body.find("<Message>¿Qué le gustó más?</Message>") != std::string::npos);
  CHECK(t.stored() == 1);
  // Twilio retries: nothing more stored.
  r = t.post(message("+15551234567", "nueve", "SM00000000000000000000000000000001"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(t.stored() == 1);

  r = t.post(message("+15551234567", "La entrega fue rápida", "SM00000000000000000000000000000002"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("¡Gracias por sus comentarios!") != std::string::npos);
  CHECK(t.stored() == 1);
  auto stored = t.s.server->storage().find_response("shop", "twilio:SM00000000000000000000000000000001");
  REQUIRE(stored);
  CHECK(stored->response.score.value() == 9);
  CHECK(stored->response.comment == "La entrega fue rápida");
  CHECK(stored->response.channel == nps::Channel::sms);
  CHECK(stored->response.locale == "es");
  CHECK(stored->response.respondent_id == "+15551234567");

  // A score with its comment in one message is thanked at once; no conversation waits.
  r = t.post(message("+15550000002", "6 - the app keeps crashing", "SM00000000000000000000000000000003"));
  REQUIRE(r);
  CHECK(r->body.find("Thank you for your feedback!") != std::string::npos);
  stored = t.s.server->storage().find_response("shop", "twilio:SM00000000000000000000000000000003");
  REQUIRE(stored);
  CHECK(stored->response.score.value() == 6);
  CHECK(stored->response.comment == "the app keeps crashing");

  // After the window, a number's message is read as a new reply.
  t.post(message("+15550000003", "8", "SM00000000000000000000000000000004"));
  *t.s.now += 25LL * 3'600'000;
  r = t.post(message("+15550000003", "great", "SM00000000000000000000000000000005"));
  REQUIRE(r);
  CHECK(r->body.find("0 (not at all likely) to 10 (extremely likely)") != std::string::npos);
  CHECK_FALSE(t.s.server->storage()
                  .find_response("shop", "twilio:SM00000000000000000000000000000004")
                  ->response.comment);

  // An administrator's export of the number shows its conversation; deleting the respondent
  // deletes the conversation with the answers.
  auto exported = npsd::test::body_of(t.s.client()->Get("/v1/admin/respondents/%2B15551234567", t.s.admin()));
  CHECK(exported["responses"].size() == 1);
  REQUIRE(exported["sms"]["conversations"].size() == 1);
  CHECK(exported["sms"]["conversations"][0]["answered"] == true);
  CHECK(exported["sms"]["opted_out"] == false);
  auto erased =
      npsd::test::body_of(t.s.client()->Delete("/v1/admin/respondents/%2B15551234567", t.s.admin()));
  CHECK(erased["deleted"] == 1);
  CHECK(erased["sms_conversations_deleted"] == 1);
  CHECK_FALSE(t.s.server->storage().sms().conversation("shop", "+15551234567"));

  // The number is personal data: a viewer's summary does not carry it.
  auto viewer = npsd::test::body_of(
      t.s.client()->Post("/v1/admin/tokens", t.s.admin(), R"({"role":"viewer"})", "application/json"));
  httplib::Headers vh = {{"Authorization", "Bearer " + viewer["token"].get<std::string>()}};
  auto summary = t.s.client()->Get("/v1/admin/surveys/shop/summary", vh);
  REQUIRE(summary);
  CHECK(summary->status == 200);
  CHECK(summary->body.find("5551234567") == std::string::npos);
}

TEST_CASE("sms: unsigned, forged or re-addressed webhooks are refused with 403 and store nothing",
          "[server][sms]") {
  SmsServer t;
  const auto msg = message("+15551234567", "10", "SM00000000000000000000000000000010");
  auto r = t.post(msg, kPath, std::string());
  REQUIRE(r);
  CHECK(r->status == 403);
  r = t.post(msg, kPath, std::string("FKzV/uV05g0NzoZsUDMIUsQe8Wc="));
  REQUIRE(r);
  CHECK(r->status == 403);
  // Signed for other parameters (a changed score), another survey, or with another token.
  auto changed = msg;
  changed["Body"] = "0";
  r = t.post(changed, kPath, twilio::signature(kToken, std::string(kPublic) + kPath, msg));
  REQUIRE(r);
  CHECK(r->status == 403);
  r = t.post(msg, kPath,
             twilio::signature(kToken, std::string(kPublic) + "/v1/sms/twilio?survey=other", msg));
  REQUIRE(r);
  CHECK(r->status == 403);
  r = t.post(msg, kPath, twilio::signature("another-token", std::string(kPublic) + kPath, msg));
  REQUIRE(r);
  CHECK(r->status == 403);
  CHECK(t.stored() == 0);
  // The same message, signed: stored.
  r = t.post(msg);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(t.stored() == 1);
}

TEST_CASE("sms: an ambiguous reply gets a question back and no guessed score, and STOP unsubscribes",
          "[server][sms]") {
  SmsServer t;
  auto r = t.post(message("+15551234567", "7 or 8", "SM00000000000000000000000000000020"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("<Message>Please reply with one number from 0 (not at all likely) to 10 (extremely "
                     "likely).</Message>") != std::string::npos);
  r = t.post(message("+15551234567", "семь или восемь", "SM00000000000000000000000000000021"));
  REQUIRE(r);
  CHECK(r->body.find("Пожалуйста, ответьте одним числом") != std::string::npos);
  CHECK(t.stored() == 0);

  r = t.post(message("+15551234567", "СТОП", "SM00000000000000000000000000000022"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("Вы отписались") != std::string::npos);
  CHECK(t.s.server->storage().sms().unsubscribed("+15551234567"));
  CHECK(t.stored() == 0);
}

TEST_CASE("sms: a malformed or incomplete signed webhook is refused, naming the field", "[server][sms]") {
  SmsServer t;
  auto msg = message("+15551234567", "9", "SM00000000000000000000000000000030");
  msg.erase("From");
  auto r = t.post(msg);
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(npsd::test::body_of(r)["error"]["path"] == "From");
  msg = message("+15551234567", "9", "SM00000000000000000000000000000030");
  r = t.post(msg, "/v1/sms/twilio?survey=nope");
  REQUIRE(r);
  CHECK(r->status == 404);
  r = t.s.client()->Post(kPath, {{"X-Twilio-Signature", "x"}}, R"({"Body":"9"})", "application/json");
  REQUIRE(r);
  CHECK(r->status == 415);
  CHECK(t.stored() == 0);

  npsd::test::Running off; // no token configured: the endpoint says so
  r = off.client()->Post(kPath, {{"X-Twilio-Signature", "x"}}, form(msg),
                         "application/x-www-form-urlencoded");
  REQUIRE(r);
  CHECK(r->status == 503);
}
