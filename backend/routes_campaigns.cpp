// Campaigns (issue 14): create one (a survey, an audience: every contact, a segment or an
// uploaded CSV; a schedule, throttling, a daily limit, a reminder), list them with their
// funnel, preview the e-mail in any language, and the unsubscribe link every e-mail carries
// (GET: a page with one button; POST: RFC 8058 one-click, also what the button sends).
#include "server_internal.hpp"

#include "contacts_import.hpp"
#include "dates.hpp"
#include "email_render.hpp"
#include "email_store.hpp"
#include "link_page.hpp"
#include "nps/email_texts.hpp"
#include "nps/i18n.hpp"
#include "signed_links.hpp"

namespace npsd {

namespace {

using ET = nps::email_texts::Text;

json campaign_json(const Campaign& m, EmailStore& store) {
  const auto f = store.funnel(m);
  json funnel = {{"queued", 0},  {"sending", 0}, {"committing", 0}, {"sent", 0},
                 {"bounced", 0}, {"failed", 0},  {"skipped", 0},    {"uncertain", 0}};
  std::uint64_t total = 0, sent = 0;
  for (const auto& [state, n] : f.states) {
    funnel[state] = n;
    total += n;
    if (state == "sent") sent = n;
  }
  funnel["messages"] = total;
  funnel["answered"] = f.answered;
  funnel["clicked"] = f.clicked;
  funnel["unsubscribed"] = f.unsubscribed;
  funnel["reminded"] = f.reminded;
  // Answers per message delivered (the relay accepted it); none delivered: no rate.
  funnel["response_rate"] = sent == 0 ? json(nullptr) : json(static_cast<double>(f.answered) / sent);
  return {{"id", m.id},
          {"survey_id", m.survey_id},
          {"name", m.name},
          {"audience", m.audience},
          {"segment",
           m.segment_key.empty() ? json(nullptr) : json{{"key", m.segment_key}, {"value", m.segment_value}}},
          {"throttle_days", m.throttle_days},
          {"daily_limit", m.daily_limit},
          {"reminder_days", m.reminder_days},
          {"scheduled_at", iso_time(m.scheduled_at)},
          {"status", m.status},
          {"created_at", iso_time(m.created_at)},
          {"finished_at", m.finished_at ? json(iso_time(*m.finished_at)) : json(nullptr)},
          {"funnel", funnel}};
}

constexpr std::size_t kMaxAudience = 100'000;

} // namespace

void Server::campaign_routes() {
  route(
      "POST", "/v1/admin/campaigns", Access::editor,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        CampaignInput in;
        std::vector<ContactInput> members;
        in.scheduled_at = config_.clock();
        for (auto it = body->begin(); it != body->end(); ++it) {
          const auto& k = it.key();
          const auto& v = *it;
          if (k == "survey_id" || k == "name") {
            if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
                v.get_ref<const std::string&>().size() > 200)
              errors.push_back({ApiCode::invalid_value, k, "1 to 200 characters"});
            else
              (k == "survey_id" ? in.survey_id : in.name) = v.get<std::string>();
          } else if (k == "throttle_days" || k == "daily_limit" || k == "delay_minutes" ||
                     k == "reminder_days") {
            const std::int64_t max = k == "daily_limit"     ? 1'000'000
                                     : k == "throttle_days" ? 3650
                                     : k == "reminder_days" ? 60
                                                            : 525'600;
            if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > max)
              errors.push_back({ApiCode::out_of_range, k, "a whole number from 0 to " + std::to_string(max)});
            else if (k == "throttle_days")
              in.throttle_days = v.get<int>();
            else if (k == "daily_limit")
              in.daily_limit = v.get<int>();
            else if (k == "reminder_days")
              in.reminder_days = v.get<int>();
            else
              in.scheduled_at += v.get<std::int64_t>() * 60'000;
          } else if (k == "segment") {
            if (!v.is_object() || v.size() != 2 || !v.contains("key") || !v.contains("value") ||
                !v["key"].is_string() || !v["value"].is_string() ||
                v["key"].get_ref<const std::string&>().empty())
              errors.push_back(
                  {ApiCode::invalid_value, k, "{key, value}: contacts whose attribute key is value"});
            else {
              in.segment_key = v["key"].get<std::string>();
              in.segment_value = v["value"].get<std::string>();
              if (!std::all_of(in.segment_key.begin(), in.segment_key.end(), [](char ch) {
                    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' ||
                           ch == '.';
                  }))
                errors.push_back({ApiCode::invalid_format, "segment.key", "A-Z a-z 0-9 _ - ."});
            }
          } else if (k == "audience_csv") {
            // The audience from a file: its lines are imported as contacts (the same columns
            // and checks as the contacts import) and only they are asked.
            if (!v.is_string()) {
              errors.push_back({ApiCode::invalid_type, k, "must be a string (the CSV file's text)"});
              continue;
            }
            auto read = read_contacts_csv(v.get_ref<const std::string&>(), kMaxAudience);
            for (auto& e : read.errors) {
              e.path = "audience_csv: " + e.path;
              errors.push_back(std::move(e));
            }
            if (read.errors.empty() && read.contacts.empty())
              errors.push_back({ApiCode::invalid_value, k, "the file names no contact"});
            members = std::move(read.contacts);
            in.audience = "csv";
          } else {
            errors.push_back({ApiCode::unknown_field, k, "not a field of a campaign"});
          }
        }
        if (!in.segment_key.empty()) {
          if (in.audience == "csv")
            errors.push_back({ApiCode::invalid_value, "segment", "give a segment or audience_csv, not both"});
          else
            in.audience = "segment";
        }
        if (in.survey_id.empty() && errors.empty())
          errors.push_back({ApiCode::required, "survey_id", "required"});
        if (!in.survey_id.empty() && !live(in.survey_id) && errors.empty())
          errors.push_back({ApiCode::invalid_value, "survey_id", "no such survey"});
        if (in.name.empty()) in.name = in.survey_id;
        if (!errors.empty()) return send_errors(c.res, errors);
        if (config_.smtp_url.empty() || config_.mail_from.empty())
          return send_error(c.res, ApiCode::invalid_value, "",
                            "npsd has no SMTP relay (NPSD_SMTP_URL and NPSD_MAIL_FROM)");
        const auto made = storage_->email().add_campaign(in, members, config_.clock());
        sender_cv_.notify_all();
        send_json(c.res, 201, campaign_json(made, storage_->email()));
      },
      config_.admin_body_max);

  route("GET", "/v1/admin/campaigns", Access::viewer, [this](Ctx& c) {
    json items = json::array();
    for (const auto& m : storage_->email().campaigns())
      items.push_back(campaign_json(m, storage_->email()));
    send_json(
        c.res, 200,
        {{"items", items}, {"smtp_configured", !config_.smtp_url.empty() && !config_.mail_from.empty()}});
  });

  // The e-mail a contact would receive, in one language: subject, HTML and plain text, with
  // links that lead nowhere (#).
  route("GET", "/v1/admin/email-preview", Access::viewer, [this](Ctx& c) {
    const auto survey_id = c.req.get_param_value("survey_id");
    const auto lang = c.req.get_param_value("lang");
    const auto& known = nps::i18n::builtin_locales();
    std::vector<ApiError> errors;
    for (const auto& [k, v] : c.req.params)
      if (k != "survey_id" && k != "lang")
        errors.push_back({ApiCode::unknown_field, k, "survey_id and lang only"});
    auto l = survey_id.empty() ? nullptr : live(survey_id);
    if (survey_id.empty())
      errors.push_back({ApiCode::required, "survey_id", "required"});
    else if (!l)
      errors.push_back({ApiCode::invalid_value, "survey_id", "no such survey"});
    if (!lang.empty() && std::find(known.begin(), known.end(), lang) == known.end())
      errors.push_back({ApiCode::invalid_value, "lang", "one of the languages this npsd writes e-mails in"});
    if (!errors.empty()) return send_errors(c.res, errors);
    const nps::Survey survey = nps::read_normalized_survey(nps::json::parse(l->config_body));
    std::vector<std::string> languages;
    if (!lang.empty()) languages.push_back(lang);
    const auto content = render_email(survey, languages, std::vector<std::string>(11, "#"), "#");
    send_json(c.res, 200,
              {{"survey_id", survey.id},
               {"lang", content.locale},
               {"dir", std::string(nps::i18n::to_string(nps::i18n::direction(content.locale)))},
               {"subject", content.subject},
               {"html", content.html},
               {"text", content.text},
               {"languages", known}});
  });

  route("GET", "/v1/admin/campaigns/{campaign_id}", Access::viewer, [this](Ctx& c) {
    auto id = path_id(c, 0, "campaign_id");
    if (!id) return;
    auto m = storage_->email().campaign(*id);
    if (!m) return send_error(c.res, ApiCode::not_found, "campaign_id", "no such campaign");
    send_json(c.res, 200, campaign_json(*m, storage_->email()));
  });

  // ---- unsubscribe ----
  // The contact the token names, or the friendly page when it cannot be used.
  auto unsubscriber = [this](Ctx& c) -> std::optional<std::pair<Contact, std::string>> {
    const auto v = verify_link(link_secret_, c.params.at(0), config_.clock() / 1000);
    std::int64_t id = 0;
    if (v.status == LinkCheck::ok && v.claims.kind == 'x') id = std::atoll(v.claims.recipient.c_str());
    auto contact = id > 0 ? storage_->email().contact(id) : std::nullopt;
    const std::string l = v.claims.locale.empty() ? "en" : v.claims.locale;
    if (!contact) {
      const auto nonce = random_hex(16);
      c.res.status = 400;
      c.res.set_header("Content-Security-Policy", landing_csp(nonce));
      c.res.set_content(render_notice(l, std::string(nps::email_texts::text(l, ET::link_invalid_title)),
                                      std::string(nps::email_texts::text(l, ET::link_invalid_body)),
                                      "#3b5bdb", nonce),
                        "text/html; charset=utf-8");
      return std::nullopt;
    }
    return std::pair{*contact, l};
  };
  route("GET", "/u/{token}", Access::open, [=](Ctx& c) {
    auto who = unsubscriber(c);
    if (!who) return;
    // Not a structured binding: clang 14 (the fuzzing build) cannot capture one in a lambda.
    const auto& contact = who->first;
    const auto& l = who->second;
    const auto nonce = random_hex(16);
    const auto t = [&](ET x) { return html_escape(nps::email_texts::text(l, x)); };
    std::string html =
        render_notice(l, std::string(nps::email_texts::text(l, ET::unsubscribe)), "", "#3b5bdb", nonce);
    const std::string form = contact.suppressed
                                 ? "<p>" + t(ET::unsubscribed) + "</p>"
                                 : "<form method=\"post\"><button type=\"submit\" class=\"primary\">" +
                                       t(ET::unsubscribe_confirm) + "</button></form>";
    html.replace(html.find("<p></p>"), 7, form);
    c.res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce +
                                                    "'; form-action 'self'; "
                                                    "base-uri 'none'; frame-ancestors 'none'");
    c.res.set_header("Cache-Control", "no-store");
    c.res.set_content(html, "text/html; charset=utf-8");
  });
  // One-click (RFC 8058: a POST with List-Unsubscribe=One-Click) and the page's button.
  route("POST", "/u/{token}", Access::open, [=, this](Ctx& c) {
    auto who = unsubscriber(c);
    if (!who) return;
    const auto& [contact, l] = *who;
    storage_->email().suppress(contact.email, "unsubscribed", config_.clock());
    const auto nonce = random_hex(16);
    c.res.set_header("Content-Security-Policy", landing_csp(nonce));
    c.res.set_header("Cache-Control", "no-store");
    c.res.set_content(render_notice(l, std::string(nps::email_texts::text(l, ET::unsubscribe)),
                                    std::string(nps::email_texts::text(l, ET::unsubscribed)), "#3b5bdb",
                                    nonce),
                      "text/html; charset=utf-8");
  });
}

} // namespace npsd
