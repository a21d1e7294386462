// Signed links and link surveys (issue 14): the landing pages (/r/{token} for a
// recipient's score link, /s/{id} for a survey's public link), the POSTs that record an
// answer and its follow-up, QR codes, and the admin calls that make links and set a
// survey's strict mode.
//
// A GET or HEAD of a page records nothing: the page's script POSTs the answer after a
// human signal (link_page.hpp). One answer per link: the idempotency key is the link's
// recipient ("r-<recipient>" for every score link of one message, "u-<nonce>" for a
// single-use link), so a replay, a second score or a second device changes nothing.
#include "server_internal.hpp"

#include "dates.hpp"
#include "email_store.hpp"
#include "link_flow.hpp"
#include "link_page.hpp"
#include "nps/email_texts.hpp"
#include "nps/flow.hpp"
#include "nps/i18n.hpp"
#include "qr.hpp"
#include "request_json.hpp"
#include "signed_links.hpp"

namespace npsd {

namespace {

using ET = nps::email_texts::Text;

std::string et(const std::string& locale, ET t) { return std::string(nps::email_texts::text(locale, t)); }

bool recipient_ok(const std::string& r) {
  if (r.empty() || r.size() > 100) return false;
  for (char ch : r)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-' && ch != '.' && ch != ':')
      return false;
  return true;
}

void send_page(Ctx& c, int status, const std::string& html, const std::string& nonce) {
  c.res.status = status;
  c.res.set_header("Content-Security-Policy", landing_csp(nonce));
  c.res.set_header("Cache-Control", "no-store");
  c.res.set_header("X-Robots-Tag", "noindex, nofollow");
  c.res.set_content(html, "text/html; charset=utf-8");
}

std::string browser_locale(const Ctx& c) {
  return nps::i18n::negotiate(accept_languages(c.req.get_header_value("Accept-Language")),
                              nps::i18n::builtin_locales(), "en");
}

// The link cannot be used: a friendly page in the browser's language, nothing stored.
void bad_link(Ctx& c, LinkCheck why) {
  const auto l = browser_locale(c);
  const auto nonce = random_hex(16);
  const bool expired = why == LinkCheck::expired;
  send_page(c, expired ? 410 : 400,
            render_notice(l, et(l, ET::link_invalid_title),
                          et(l, expired ? ET::link_expired_body : ET::link_invalid_body), "#3b5bdb", nonce),
            nonce);
}

struct Post {
  int score = -1;
  std::string signal, key, t, comment;
  bool quote_ok = false;
};

// The body of an answer or follow-up POST, strictly: only the fields the page sends.
std::optional<Post> read_post(Ctx& c, const nps::json& body, bool follow_up) {
  Post p;
  std::vector<ApiError> errors;
  for (auto it = body.begin(); it != body.end(); ++it) {
    const auto& k = it.key();
    const auto& v = *it;
    if (k == "key" || k == "t" || (!follow_up && k == "signal") || (follow_up && k == "comment")) {
      if (!v.is_string()) {
        errors.push_back({ApiCode::invalid_type, k, "must be a string"});
        continue;
      }
      const auto& s = v.get_ref<const std::string&>();
      (k == "key" ? p.key : k == "t" ? p.t : k == "signal" ? p.signal : p.comment) = s;
    } else if (!follow_up && k == "score") {
      if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 10)
        errors.push_back({ApiCode::out_of_range, k, "a whole number from 0 to 10"});
      else
        p.score = v.get<int>();
    } else if (follow_up && k == "quote_ok") {
      if (!v.is_boolean())
        errors.push_back({ApiCode::invalid_type, k, "must be true or false"});
      else
        p.quote_ok = v.get<bool>();
    } else {
      errors.push_back({ApiCode::unknown_field, k, "not a field of this request"});
    }
  }
  if (!follow_up && p.score < 0 && errors.empty()) errors.push_back({ApiCode::required, "score", "required"});
  if (!follow_up && p.signal != "interaction" && p.signal != "visible" && p.signal != "send" &&
      errors.empty())
    errors.push_back({ApiCode::invalid_value, "signal", "one of interaction, visible, send"});
  if (!errors.empty()) {
    send_errors(c.res, errors);
    return std::nullopt;
  }
  return p;
}

} // namespace

void Server::link_routes() {
  // The secret: the operator's (NPSD_LINK_SECRET), else the one stored in the database.
  link_secret_ =
      config_.link_secret.size() >= 32 ? config_.link_secret : storage_->email().link_secret(random_hex(32));

  // What a link stands for, checked; nullopt after the friendly page was sent.
  struct Target {
    std::shared_ptr<const LiveSurvey> live;
    nps::Survey survey;
    std::string key;
    std::optional<std::string> respondent;
    std::vector<std::string> languages;
    LinkClaims claims;
  };
  auto resolve_token = [this](Ctx& c, const std::string& token, char kind,
                              const std::string& survey_id) -> std::optional<Target> {
    const auto v = verify_link(link_secret_, token, config_.clock() / 1000);
    if (v.status != LinkCheck::ok) {
      bad_link(c, v.status);
      return std::nullopt;
    }
    // A link of another kind or another survey is a foreign one.
    if (v.claims.kind != kind || (!survey_id.empty() && v.claims.survey != survey_id)) {
      bad_link(c, LinkCheck::bad_signature);
      return std::nullopt;
    }
    auto l = live(v.claims.survey);
    if (!l || l->archived) {
      bad_link(c, LinkCheck::bad_signature);
      return std::nullopt;
    }
    Target t{l,       nps::read_normalized_survey(nps::json::parse(l->config_body)), "", std::nullopt, {},
             v.claims};
    t.key = kind == 'r' ? link_answer_key(v.claims.recipient) : "u-" + v.claims.recipient;
    if (kind == 'r') t.respondent = v.claims.recipient;
    if (!v.claims.locale.empty()) t.languages.push_back(v.claims.locale);
    for (auto& a : accept_languages(c.req.get_header_value("Accept-Language")))
      t.languages.push_back(a);
    return t;
  };
  auto resolve_survey = [this](Ctx& c, const std::string& id, const std::string& t,
                               const std::string& key) -> std::optional<Target> {
    if (!t.empty()) return std::nullopt; // handled by the caller through resolve_token
    auto l = live(id);
    if (!l || l->archived) {
      bad_link(c, LinkCheck::bad_signature);
      return std::nullopt;
    }
    Target r{l, nps::read_normalized_survey(nps::json::parse(l->config_body)), "", std::nullopt, {}, {}};
    r.key = "s-" + key;
    r.languages = accept_languages(c.req.get_header_value("Accept-Language"));
    return r;
  };

  // A person was seen on a campaign's link (an answer, or the human signal of a strict page).
  auto clicked = [this](const Target& t) {
    if (t.claims.kind != 'r') return;
    if (auto who = parse_campaign_recipient(t.claims.recipient))
      storage_->email().record_click(who->first, who->second, config_.clock());
  };

  auto show = [this](Ctx& c, const Target& t, int score, const std::string& post, nps::json extra) {
    LandingPage p;
    p.survey = &t.survey;
    p.languages = t.languages;
    p.score = score;
    p.strict = storage_->email().link_settings(t.live->id).strict;
    if (auto existing = storage_->find_response(t.live->id, t.key)) {
      p.answered = true;
      p.answered_score = existing->response.score.value();
    }
    p.post_url = post;
    if (t.claims.kind == 'r' && p.strict) p.seen_url = post + "/seen";
    p.extra = std::move(extra);
    p.nonce = random_hex(16);
    send_page(c, 200, render_landing(p), p.nonce);
  };

  // Records the answer once; the reply tells the page the category to follow up.
  auto record = [this, clicked](Ctx& c, const Target& t, const Post& p) {
    if (storage_->email().link_settings(t.live->id).strict && p.signal != "send")
      return send_error(c.res, ApiCode::forbidden, "signal", "this survey records an answer only on Send");
    clicked(t);
    nps::Response r;
    r.survey_id = t.live->id;
    r.score = *nps::Score::from_int(p.score);
    r.channel = t.claims.kind == 'r' ? nps::Channel::email : nps::Channel::link;
    r.idempotency_key = t.key;
    r.respondent_id = t.respondent;
    nps::FlowStart start;
    start.idempotency_key = t.key;
    start.languages = t.languages;
    if (auto st = nps::start_flow(t.survey, start)) r.locale = st->locale;
    const auto out = storage_->insert_response(r, config_.clock(), t.live->daily_cap);
    if (out.status == Inserted::cap_reached)
      return send_error(c.res, ApiCode::daily_cap_reached, "", "this survey takes no more answers today");
    const bool created = out.status == Inserted::created;
    (created ? metrics_.stored : metrics_.duplicates)++;
    if (created) on_stored(out.stored);
    send_json(c.res, created ? 201 : 200,
              {{"duplicate", !created},
               {"score", out.stored.response.score.value()},
               {"category", std::string(nps::to_string(out.stored.response.category()))}});
  };

  // The follow-up of a recorded answer, once: the comment (and a promoter's permission to
  // quote it); the reply carries the thank-you text and the review link.
  auto follow_up = [this](Ctx& c, const Target& t, const Post& p) {
    auto existing = storage_->find_response(t.live->id, t.key);
    if (!existing)
      return send_error(c.res, ApiCode::not_found, "", "no answer was recorded through this link");
    if (existing->response.comment || existing->response.answers.contains("quote_permission"))
      return send_error(c.res, ApiCode::duplicate, "comment", "the follow-up was already given");
    nps::json merged = nps::to_json(existing->response);
    if (!p.comment.empty()) merged["comment"] = p.comment;
    if (p.quote_ok && existing->response.category() == nps::Category::promoter)
      merged["answers"]["quote_permission"] = "yes";
    std::vector<ApiError> errors;
    control_character_errors(merged, errors);
    if (!errors.empty()) return send_errors(c.res, errors);
    auto parsed = nps::parse_response(merged);
    if (!parsed) return send_core_errors(c.res, parsed.errors());
    auto updated = storage_->update_response(*parsed);
    if (!updated)
      return send_error(c.res, ApiCode::not_found, "", "no answer was recorded through this link");
    on_stored(*updated); // the live page shows the comment given on the landing page
    // The core's flow goes on: the category's first additional question, or the thanks.
    const auto state = replay_link_flow(t.survey, updated->response);
    if (!state) return send_error(c.res, ApiCode::internal, "", "the survey's flow could not be replayed");
    send_json(c.res, 200, link_step_reply(t.survey, *state));
  };

  // One additional question's answer {question, value} or skip {question, skip: true}: the
  // core's flow checks it as the widget's would; the reply is the next question or the thanks.
  auto answer_question = [this](Ctx& c, const Target& t, const nps::json& body) {
    std::string question;
    std::optional<nps::json> value;
    bool skip = false;
    std::vector<ApiError> errors;
    for (auto it = body.begin(); it != body.end(); ++it) {
      const auto& k = it.key();
      if (k == "key" || k == "t") continue; // the link survey's target, read by the caller
      if (k == "question" && it->is_string() && !it->get_ref<const std::string&>().empty())
        question = it->get<std::string>();
      else if (k == "question")
        errors.push_back({ApiCode::invalid_type, k, "the id of the question answered"});
      else if (k == "value")
        value = *it;
      else if (k == "skip" && it->is_boolean())
        skip = it->get<bool>();
      else if (k == "skip")
        errors.push_back({ApiCode::invalid_type, k, "must be true or false"});
      else
        errors.push_back({ApiCode::unknown_field, k, "not a field of this request"});
    }
    if (question.empty() && errors.empty()) errors.push_back({ApiCode::required, "question", "required"});
    if (errors.empty() && skip == value.has_value())
      errors.push_back({ApiCode::required, "value", "give the value, or skip: true"});
    if (!errors.empty()) return send_errors(c.res, errors);
    auto existing = storage_->find_response(t.live->id, t.key);
    if (!existing)
      return send_error(c.res, ApiCode::not_found, "", "no answer was recorded through this link");
    const auto state = replay_link_flow(t.survey, existing->response, question);
    if (!state || state->step != nps::Step::question ||
        t.survey.flow_for(existing->response.category())
                .questions[static_cast<std::size_t>(state->question)]
                .id != question)
      return send_error(c.res, ApiCode::invalid_value, "question", "not the question this answer is at");
    auto next = skip ? nps::apply(t.survey, *state, {nps::EventType::skip, nullptr})
                     : nps::apply(t.survey, *state, {nps::EventType::answer, *value});
    if (!next) return send_core_errors(c.res, next.errors(), "value");
    // Only this question's answer changes (as the core's flow took it); the others stay.
    nps::json merged = nps::to_json(existing->response);
    if (!merged.contains("answers")) merged["answers"] = nps::json::object();
    const auto taken = next->state.response.answers.find(question);
    if (skip || taken == next->state.response.answers.end())
      merged["answers"].erase(question);
    else
      merged["answers"][question] = *taken;
    std::vector<ApiError> control;
    control_character_errors(merged, control);
    if (!control.empty()) return send_errors(c.res, control);
    auto parsed = nps::parse_response(merged);
    if (!parsed) return send_core_errors(c.res, parsed.errors());
    auto updated = storage_->update_response(*parsed);
    if (!updated)
      return send_error(c.res, ApiCode::not_found, "", "no answer was recorded through this link");
    on_stored(*updated);
    send_json(c.res, 200, link_step_reply(t.survey, next->state));
  };

  // ---- a recipient's score links ----
  route("GET", "/r/{token}", Access::open, [=](Ctx& c) {
    auto t = resolve_token(c, c.params.at(0), 'r', "");
    if (t) show(c, *t, t->claims.score, "/r/" + c.params.at(0), nps::json::object());
  });
  route(
      "POST", "/r/{token}", Access::open,
      [=, this](Ctx& c) {
        auto t = resolve_token(c, c.params.at(0), 'r', "");
        if (!t) return;
        auto body = json_body(c);
        if (!body) return;
        if (auto p = read_post(c, *body, false)) record(c, *t, *p);
      },
      config_.public_body_max);
  route(
      "POST", "/r/{token}/follow-up", Access::open,
      [=, this](Ctx& c) {
        auto t = resolve_token(c, c.params.at(0), 'r', "");
        if (!t) return;
        auto body = json_body(c);
        if (!body) return;
        if (auto p = read_post(c, *body, true)) follow_up(c, *t, *p);
      },
      config_.public_body_max);
  route(
      "POST", "/r/{token}/answer", Access::open,
      [=](Ctx& c) {
        auto t = resolve_token(c, c.params.at(0), 'r', "");
        if (!t) return;
        auto body = json_body(c);
        if (!body) return;
        if (body->contains("key") || body->contains("t"))
          return send_error(c.res, ApiCode::unknown_field, body->contains("key") ? "key" : "t",
                            "not a field of this request");
        answer_question(c, *t, *body);
      },
      config_.public_body_max);

  // A strict page saw a person (no answer yet): counted in the campaign's funnel as a click.
  route(
      "POST", "/r/{token}/seen", Access::open,
      [=](Ctx& c) {
        auto t = resolve_token(c, c.params.at(0), 'r', "");
        if (!t) return;
        auto body = json_body(c);
        if (!body) return;
        if (!body->empty())
          return send_error(c.res, ApiCode::unknown_field, body->begin().key(), "this request has no fields");
        clicked(*t);
        c.res.status = 204;
      },
      config_.public_body_max);

  // ---- link surveys: /s/{id}, or /s/{id}?t=<single-use token> ----
  route("GET", "/s/{id}", Access::open, [=](Ctx& c) {
    const auto& id = c.params.at(0);
    const auto token = c.req.get_param_value("t");
    if (!token.empty()) {
      auto t = resolve_token(c, token, 'u', id);
      if (t) show(c, *t, -1, "/s/" + id, {{"t", token}});
      return;
    }
    const auto key = random_hex(16);
    auto t = resolve_survey(c, id, "", key);
    if (t) show(c, *t, -1, "/s/" + id, {{"key", key}});
  });
  auto survey_target = [=](Ctx& c, const Post& p) -> std::optional<Target> {
    const auto& id = c.params.at(0);
    if (!p.t.empty()) return resolve_token(c, p.t, 'u', id);
    if (p.key.size() < 16 || p.key.size() > 64 || !std::all_of(p.key.begin(), p.key.end(), [](char ch) {
          return std::isxdigit(static_cast<unsigned char>(ch));
        })) {
      send_error(c.res, ApiCode::invalid_format, "key", "16 to 64 hexadecimal digits");
      return std::nullopt;
    }
    return resolve_survey(c, id, "", p.key);
  };
  route(
      "POST", "/s/{id}", Access::open,
      [=, this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        auto p = read_post(c, *body, false);
        if (!p) return;
        if (auto t = survey_target(c, *p)) record(c, *t, *p);
      },
      config_.public_body_max);
  route(
      "POST", "/s/{id}/follow-up", Access::open,
      [=, this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        auto p = read_post(c, *body, true);
        if (!p) return;
        if (auto t = survey_target(c, *p)) follow_up(c, *t, *p);
      },
      config_.public_body_max);
  route(
      "POST", "/s/{id}/answer", Access::open,
      [=](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        Post p;
        for (const char* k : {"key", "t"})
          if (auto it = body->find(k); it != body->end()) {
            if (!it->is_string()) return send_error(c.res, ApiCode::invalid_type, k, "must be a string");
            (std::string(k) == "key" ? p.key : p.t) = it->get<std::string>();
          }
        if (auto t = survey_target(c, p)) answer_question(c, *t, *body);
      },
      config_.public_body_max);

  auto survey_url = [this](const Ctx& c, const std::string& id) { return link_base(c) + "/s/" + id; };
  route("GET", "/s/{id}/qr.svg", Access::open, [=, this](Ctx& c) {
    auto l = live(c.params.at(0));
    if (!l) return send_error(c.res, ApiCode::not_found, "id", "no such survey");
    auto svg = qr_svg(survey_url(c, l->id));
    if (!svg) return send_error(c.res, ApiCode::internal, "", "the address does not fit a QR code");
    c.res.set_header("Cache-Control", "public, max-age=3600");
    c.res.set_content(*svg, "image/svg+xml");
  });
  route("GET", "/s/{id}/qr.png", Access::open, [=, this](Ctx& c) {
    auto l = live(c.params.at(0));
    if (!l) return send_error(c.res, ApiCode::not_found, "id", "no such survey");
    std::vector<ApiError> errors;
    const auto scale = query_int(c, "scale", 1, 40, errors);
    if (!errors.empty()) return send_errors(c.res, errors);
    auto png = qr_png(survey_url(c, l->id), static_cast<int>(scale.value_or(8)));
    if (!png) return send_error(c.res, ApiCode::internal, "", "the address does not fit a QR code");
    c.res.set_header("Cache-Control", "public, max-age=3600");
    c.res.set_content(*png, "image/png");
  });

  // ---- admin: make links, strict mode ----
  route(
      "POST", "/v1/admin/surveys/{id}/links", Access::editor,
      [this](Ctx& c) {
        auto l = live(c.params.at(0));
        if (!l) return send_error(c.res, ApiCode::not_found, "id", "no such survey");
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        std::string recipient, locale;
        std::int64_t days = 30, single = 0;
        for (auto it = body->begin(); it != body->end(); ++it) {
          const auto& k = it.key();
          if (k == "recipient" || k == "locale") {
            if (!it->is_string())
              errors.push_back({ApiCode::invalid_type, k, "must be a string"});
            else
              (k == "recipient" ? recipient : locale) = it->get<std::string>();
          } else if (k == "expires_in_days" || k == "single_use") {
            const std::int64_t max = k == "single_use" ? 1000 : 3650;
            if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > max)
              errors.push_back({ApiCode::out_of_range, k, "a whole number from 1 to " + std::to_string(max)});
            else
              (k == "single_use" ? single : days) = it->get<std::int64_t>();
          } else {
            errors.push_back({ApiCode::unknown_field, k, "not a field of this request"});
          }
        }
        if (errors.empty() && recipient.empty() == (single == 0))
          errors.push_back({ApiCode::required, "recipient", "give either recipient or single_use"});
        if (!recipient.empty() && !recipient_ok(recipient))
          errors.push_back({ApiCode::invalid_format, "recipient", "1 to 100 of A-Z a-z 0-9 _ - . :"});
        if (locale.size() > 35 || !std::all_of(locale.begin(), locale.end(), [](char ch) {
              return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-';
            }))
          errors.push_back({ApiCode::invalid_format, "locale", "a language tag (letters, digits, -)"});
        if (!errors.empty()) return send_errors(c.res, errors);
        const std::int64_t expires = config_.clock() / 1000 + days * 86'400;
        nps::json links = nps::json::array();
        if (!recipient.empty()) {
          for (int s = 0; s <= 10; ++s)
            links.push_back(link_base(c) + "/r/" +
                            sign_link(link_secret_, {'r', l->id, recipient, s, expires, locale}));
        } else {
          for (std::int64_t i = 0; i < single; ++i)
            links.push_back(link_base(c) + "/s/" + l->id + "?t=" +
                            sign_link(link_secret_, {'u', l->id, random_hex(12), -1, expires, locale}));
        }
        send_json(c.res, 201, {{"links", links}, {"expires_at", iso_time(expires * 1000)}});
      },
      config_.admin_body_max);

  route("GET", "/v1/admin/surveys/{id}/link-settings", Access::viewer, [this](Ctx& c) {
    if (!live(c.params.at(0))) return send_error(c.res, ApiCode::not_found, "id", "no such survey");
    send_json(c.res, 200, {{"strict", storage_->email().link_settings(c.params.at(0)).strict}});
  });
  route(
      "PUT", "/v1/admin/surveys/{id}/link-settings", Access::editor,
      [this](Ctx& c) {
        if (!live(c.params.at(0))) return send_error(c.res, ApiCode::not_found, "id", "no such survey");
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        LinkSettings s;
        for (auto it = body->begin(); it != body->end(); ++it) {
          if (it.key() != "strict")
            errors.push_back({ApiCode::unknown_field, it.key(), "not a link setting"});
          else if (!it->is_boolean())
            errors.push_back({ApiCode::invalid_type, "strict", "must be true or false"});
          else
            s.strict = it->get<bool>();
        }
        if (!body->contains("strict") && errors.empty())
          errors.push_back({ApiCode::required, "strict", "required"});
        if (!errors.empty()) return send_errors(c.res, errors);
        storage_->email().put_link_settings(c.params.at(0), s);
        send_json(c.res, 200, {{"strict", s.strict}});
      },
      config_.admin_body_max);
}

std::string Server::link_base(const Ctx& c) const {
  if (!config_.public_url.empty()) return config_.public_url;
  return std::string(reached_over_https(c.req, proxy_) ? "https://" : "http://") +
         c.req.get_header_value("Host");
}

} // namespace npsd
