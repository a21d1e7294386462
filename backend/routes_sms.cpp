// SMS replies in Twilio's webhook format (issue 15): POST /v1/sms/twilio?survey=ID.
//
// Twilio posts each inbound text as a form (From, To, Body, MessageSid, …) signed with the
// account's auth token (twilio.hpp); the URL it signs is the public one configured there
// (--sms-public-url + the request's path and query: a proxy in front of npsd may change
// what npsd sees). Unsigned or forged requests get 403 and nothing is read or stored.
//
// The reply is read by the core (nps/reply.hpp) and the exchange follows the survey's own
// flow (core flow: the language negotiated from the reply, the category's follow-up
// question, its thank-you):
//   score            → a response (channel "sms", respondent = the number, idempotency key
//                      "twilio:<MessageSid>", so a retried webhook stores nothing twice);
//                      the answer is the follow-up question, and the number's next message
//                      within --sms-followup-minutes is its comment. A reply that brings its
//                      comment ("9 - great service") is thanked at once.
//   ambiguous/invalid → a question back ("one number from 0 to 10"), nothing stored;
//   STOP and the like → the number is unsubscribed (kept in the SMS store), confirmed.
#include "nps/flow.hpp"
#include "nps/i18n.hpp"
#include "nps/reply.hpp"
#include "nps/survey.hpp"
#include "server_internal.hpp"
#include "sms_store.hpp"
#include "sms_texts.hpp"
#include "twilio.hpp"

#include <cctype>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace npsd {

namespace {

void send_twiml(httplib::Response& res, std::string_view text) {
  res.status = 200;
  res.set_content(twilio::twiml_message(text), "text/xml; charset=utf-8");
}

// A phone number or channel address as Twilio gives it: "+15551234567", "whatsapp:+1…".
bool plausible_address(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '+' && ch != ':' && ch != '.' && ch != '_' &&
        ch != '-' && ch != '@')
      return false;
  return true;
}

bool plausible_sid(const std::string& s) {
  if (s.size() < 10 || s.size() > 64) return false;
  for (char ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch))) return false;
  return true;
}

// The text trimmed and cut to the core's comment limit on a character boundary.
std::string comment_of(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.size() > nps::ResponseLimits::comment) {
    std::size_t n = nps::ResponseLimits::comment;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
      --n;
    text = text.substr(0, n);
  }
  return std::string(text);
}

// The flow of one SMS answer: started in the reply's language, the score chosen.
struct SmsFlow {
  nps::FlowState state;
  nps::json view;
};
std::optional<SmsFlow> score_flow(const nps::Survey& survey, const std::string& language,
                                  const std::string& key, const std::string& phone, nps::Score score) {
  nps::FlowStart start;
  start.idempotency_key = key;
  if (!language.empty()) start.languages.push_back(language);
  start.channel = nps::Channel::sms;
  start.respondent_id = phone;
  auto st = nps::start_flow(survey, start);
  if (!st) return std::nullopt;
  auto t = nps::apply(survey, *st, nps::FlowEvent{nps::EventType::choose_score, score.value()});
  if (!t) return std::nullopt;
  return SmsFlow{t->state, nps::view(survey, t->state)};
}

// The thank-you after `comment`: the category's own when the flow reaches it, else the
// built-in one (an SMS exchange asks no extra questions).
std::string thanks_after(const nps::Survey& survey, const SmsFlow& flow, const std::string& comment) {
  const nps::FlowState& state = flow.state;
  if (flow.view.value("step", "") == "thanks" && flow.view["thanks"].contains("text"))
    return flow.view["thanks"]["text"].get<std::string>();
  auto t = nps::apply(survey, state, nps::FlowEvent{nps::EventType::answer, comment});
  if (t) {
    const auto v = nps::view(survey, t->state);
    if (v.value("step", "") == "thanks" && v.contains("thanks") && v["thanks"].contains("text"))
      return v["thanks"]["text"].get<std::string>();
  }
  return std::string(nps::i18n::builtin(state.locale, nps::i18n::Text::thanks));
}

} // namespace

void Server::sms_routes() {
  route(
      "POST", "/v1/sms/twilio", Access::open,
      [this](Ctx& c) {
        if (config_.twilio_auth_token.empty() || config_.sms_public_url.empty())
          return send_error(c.res, ApiCode::unavailable, "",
                            "SMS replies are not configured: start npsd with --twilio-auth-token (or "
                            "NPSD_TWILIO_AUTH_TOKEN) and --sms-public-url");
        const auto signature = c.req.get_header_value("X-Twilio-Signature");
        if (signature.empty())
          return send_error(c.res, ApiCode::forbidden, "X-Twilio-Signature",
                            "only requests signed by Twilio are accepted");
        if (c.req.has_header("X-Twilio-Webhooks-Signature-Settings"))
          return send_error(c.res, ApiCode::forbidden, "X-Twilio-Webhooks-Signature-Settings",
                            "only the auth token's signature (HMAC-SHA1) is supported");
        std::string problem;
        auto form = twilio::parse_form(c.body, problem);
        if (!form) return send_error(c.res, ApiCode::invalid_format, "", "the form body: " + problem);
        std::string base = config_.sms_public_url;
        while (!base.empty() && base.back() == '/')
          base.pop_back();
        if (!twilio::verify(config_.twilio_auth_token, signature, base + c.req.target, *form))
          return send_error(c.res, ApiCode::forbidden, "X-Twilio-Signature",
                            "does not match this request (auth token, public URL or parameters)");

        // Signed: from here on the request is Twilio's.
        const auto qmark = c.req.target.find('?');
        auto query =
            twilio::parse_form(qmark == std::string::npos ? "" : c.req.target.substr(qmark + 1), problem);
        if (!query) return send_error(c.res, ApiCode::invalid_format, "survey", "the query: " + problem);
        const auto survey_id = query->find("survey");
        if (survey_id == query->end())
          return send_error(c.res, ApiCode::required, "survey",
                            "the webhook URL names its survey: /v1/sms/twilio?survey=ID");
        auto s = live(survey_id->second);
        if (!s) return send_error(c.res, ApiCode::not_found, "survey", "no survey " + survey_id->second);
        if (s->archived)
          return send_error(c.res, ApiCode::archived, "survey", "the survey " + s->id + " is closed");
        const auto field = [&](const char* name) -> const std::string* {
          auto it = form->find(name);
          return it == form->end() ? nullptr : &it->second;
        };
        const std::string* from = field("From");
        const std::string* body = field("Body");
        const std::string* sid = field("MessageSid") ? field("MessageSid") : field("SmsSid");
        if (!from) return send_error(c.res, ApiCode::required, "From", "the sender's number");
        if (!body) return send_error(c.res, ApiCode::required, "Body", "the message text");
        if (!sid) return send_error(c.res, ApiCode::required, "MessageSid", "the message's id");
        if (!plausible_address(*from))
          return send_error(c.res, ApiCode::invalid_format, "From", "a phone number such as +15551234567");
        if (!plausible_sid(*sid))
          return send_error(c.res, ApiCode::invalid_format, "MessageSid", "10 to 64 letters and digits");

        auto parsed_json = nps::parse_json(s->config_body);
        if (!parsed_json) throw std::runtime_error("stored survey " + s->id + " is not JSON");
        auto survey = nps::parse_survey(*parsed_json);
        if (!survey) throw std::runtime_error("stored survey " + s->id + " no longer validates");
        SmsStore& sms = storage_->sms();
        const Millis now = config_.clock();
        const nps::Reply reply = nps::read_reply(*body);
        const std::string fallback_locale =
            reply.language.empty() ? survey->default_locale : std::string(reply.language);

        if (reply.kind == nps::ReplyKind::unsubscribe) {
          sms.unsubscribe(*from, now);
          return send_twiml(c.res, sms::text(fallback_locale, sms::SmsText::unsubscribed));
        }

        // The follow-up: the number's next message after its score, within the window.
        if (auto conv = sms.conversation(s->id, *from)) {
          if (conv->followup_sid == *sid) // a retried follow-up
            return send_twiml(c.res, nps::i18n::builtin(conv->locale, nps::i18n::Text::thanks));
          // Not a retry of the score's own message, and within the window.
          const bool waiting = !conv->followup_sid && conv->idempotency_key != "twilio:" + *sid &&
                               now - conv->asked_at <= config_.sms_followup_window.count();
          if (waiting) {
            if (auto stored = storage_->find_response(s->id, conv->idempotency_key)) {
              nps::Response r = stored->response;
              const std::string comment = comment_of(*body);
              if (!comment.empty()) r.comment = comment;
              auto updated = storage_->update_response(r);
              if (!updated) throw std::runtime_error("the response of a conversation vanished");
              on_stored(*updated); // the live page shows the reply
              sms.close_conversation(s->id, *from, *sid);
              auto flow = score_flow(*survey, conv->locale, r.idempotency_key, *from, r.score);
              return send_twiml(
                  c.res, flow ? thanks_after(*survey, *flow, comment)
                              : std::string(nps::i18n::builtin(conv->locale, nps::i18n::Text::thanks)));
            }
          }
        }

        if (reply.kind != nps::ReplyKind::score)
          return send_twiml(c.res, sms::text(fallback_locale, sms::SmsText::clarify));

        const std::string key = "twilio:" + *sid;
        auto flow = score_flow(*survey, reply.language, key, *from, *reply.score);
        if (!flow) throw std::runtime_error("the survey's flow refused a score");
        nps::Response record = flow->state.response;
        if (!reply.comment.empty()) record.comment = comment_of(reply.comment);
        const auto out = storage_->insert_response(record, now, s->daily_cap);
        if (out.status == Inserted::cap_reached) {
          metrics_.capped++;
          return send_twiml(c.res, ""); // nothing stored, nothing more to ask
        }
        const bool created = out.status == Inserted::created;
        (created ? metrics_.stored : metrics_.duplicates)++;
        if (created) on_stored(out.stored);
        const bool opted_out = sms.unsubscribed(*from);
        if (record.comment)
          return send_twiml(c.res, opted_out ? "" : thanks_after(*survey, *flow, *record.comment));
        if (flow->view.value("step", "") != "followup") // the category asks no follow-up
          return send_twiml(c.res, opted_out ? "" : thanks_after(*survey, *flow, ""));
        sms.open_conversation(SmsConversation{s->id, *from, key, flow->state.locale, now, std::nullopt});
        send_twiml(c.res, opted_out ? "" : flow->view["followup"]["question"].get<std::string>());
      },
      16 * 1024, "application/x-www-form-urlencoded");
}

} // namespace npsd
