// issue 19, item 13b: a draft-sharing link. An editor makes a signed link
// (POST /v1/admin/surveys/{id}/share) that a colleague opens without an account
// (GET /review/{token}) to read the survey in every language before it goes live.
//
// The token is a signed link of kind 'v' (signed_links.hpp, the server's link secret):
// the survey's id, its version at sharing time (in the recipient field) and the expiry.
// Nothing is stored: a forged, altered or foreign token fails its signature, an expired one
// is refused with 410. There is no revocation list; the token names the version, and the
// page shows the survey as it is now with a notice when the version changed since the link
// was made. Deleting (archiving) the survey ends every link to it.
#include "server_internal.hpp"

#include "dates.hpp"
#include "link_page.hpp"
#include "nps/i18n.hpp"
#include "nps/review_texts.hpp"
#include "review_page.hpp"
#include "signed_links.hpp"

namespace npsd {

namespace {

using RT = nps::review_texts::Text;

constexpr std::int64_t kDefaultDays = 14, kMaxDays = 90;

void send_review(Ctx& c, int status, const std::string& html, const std::string& nonce) {
  c.res.status = status;
  c.res.set_header("Content-Security-Policy", review_csp(nonce));
  c.res.set_header("Cache-Control", "no-store");
  c.res.set_header("Referrer-Policy", "no-referrer");
  c.res.set_header("X-Robots-Tag", "noindex, nofollow");
  c.res.set_content(html, "text/html; charset=utf-8");
}

std::string page_locale(const Ctx& c) {
  return nps::i18n::negotiate(accept_languages(c.req.get_header_value("Accept-Language")),
                              nps::i18n::builtin_locales(), "en");
}

void refuse(Ctx& c, bool expired) {
  const auto l = page_locale(c);
  const auto nonce = random_hex(16);
  const std::string title(nps::review_texts::text(l, RT::invalid_title));
  const std::string body(nps::review_texts::text(l, expired ? RT::expired_body : RT::invalid_body));
  send_review(c, expired ? 410 : 404, render_review_notice(l, title, body, nonce), nonce);
}

bool decimal(const std::string& s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

} // namespace

void Server::review_routes() {
  route(
      "POST", "/v1/admin/surveys/{id}/share", Access::editor,
      [this](Ctx& c) {
        auto l = live(c.params.at(0));
        if (!l || l->archived) return send_error(c.res, ApiCode::not_found, "id", "no such survey");
        std::int64_t days = kDefaultDays;
        if (!c.body.empty()) { // the body is optional: {"days": 1..90}
          auto body = json_body(c);
          if (!body) return;
          std::vector<ApiError> errors;
          for (auto it = body->begin(); it != body->end(); ++it) {
            if (it.key() != "days")
              errors.push_back({ApiCode::unknown_field, it.key(), "not a field of this request"});
            else if (!it->is_number_integer() || it->get<std::int64_t>() < 1 ||
                     it->get<std::int64_t>() > kMaxDays)
              errors.push_back({ApiCode::out_of_range, "days", "a whole number from 1 to 90"});
            else
              days = it->get<std::int64_t>();
          }
          if (!errors.empty()) return send_errors(c.res, errors);
        }
        const std::int64_t expires = config_.clock() / 1000 + days * 86'400;
        const auto token = sign_link(link_secret_, {'v', l->id, std::to_string(l->version), -1, expires, ""});
        send_json(c.res, 201,
                  {{"url", link_base(c) + "/review/" + token},
                   {"expires_at", iso_time(expires * 1000)},
                   {"version", l->version}});
      },
      config_.admin_body_max);

  // Open: the token is the permission. GET only; HEAD is answered by the server as for any GET.
  route("GET", "/review/{token}", Access::open, [this](Ctx& c) {
    const auto v = verify_link(link_secret_, c.params.at(0), config_.clock() / 1000);
    if (v.status == LinkCheck::expired && v.claims.kind == 'v') return refuse(c, true);
    if (v.status != LinkCheck::ok || v.claims.kind != 'v' || !decimal(v.claims.recipient))
      return refuse(c, false);
    auto l = live(v.claims.survey);
    if (!l || l->archived) return refuse(c, false);
    const auto survey = nps::read_normalized_survey(nps::json::parse(l->config_body));
    ReviewPage p;
    p.survey = &survey;
    p.locale = page_locale(c);
    p.changed = v.claims.recipient != std::to_string(l->version);
    p.expires_date = iso_time(v.claims.expires * 1000).substr(0, 10);
    p.nonce = random_hex(16);
    send_review(c, 200, render_review(p), p.nonce);
  });
}

} // namespace npsd
