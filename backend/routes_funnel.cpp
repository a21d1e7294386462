// issue 19: the funnel. The widget (and the native view) count each time a survey is shown
// or dismissed — a count, nothing about who —; the admin API adds the answers (tallies) and
// the e-mail campaigns' messages, and the core's funnel.summary gives the rates and their
// intervals.
#include "server_internal.hpp"

#include "dates.hpp"
#include "email_store.hpp"
#include "funnel_store.hpp"
#include "nps/funnel.hpp"

#include <map>

namespace npsd {

namespace {

// The channels whose clients count impressions.
bool counts_impressions(const std::string& channel) { return channel == "web" || channel == "app"; }

} // namespace

void Server::funnel_routes() {
  // {"event":"shown"|"dismissed","channel"?:"web"|"app"}. Sent by navigator.sendBeacon as
  // text/plain (no preflight); an Origin, when there is one, must be one of the survey's.
  route(
      "POST", "/v1/surveys/{id}/impressions", Access::open,
      [this](Ctx& c) {
        auto s = public_survey(c);
        if (!s || !cors(c, *s)) return;
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        std::string event, channel = "web";
        for (auto it = body->begin(); it != body->end(); ++it) {
          const auto& k = it.key();
          if (k == "event") {
            if (it->is_string() && is_funnel_event(it->get_ref<const std::string&>()))
              event = it->get<std::string>();
            else
              errors.push_back({ApiCode::invalid_value, "event", "\"shown\" or \"dismissed\""});
          } else if (k == "channel") {
            if (it->is_string() && counts_impressions(it->get_ref<const std::string&>()))
              channel = it->get<std::string>();
            else
              errors.push_back({ApiCode::invalid_value, "channel", "\"web\" or \"app\""});
          } else {
            errors.push_back({ApiCode::unknown_field, k, "an impression has only event and channel"});
          }
        }
        if (errors.empty() && event.empty()) errors.push_back({ApiCode::required, "event", "required"});
        if (!errors.empty()) return send_errors(c.res, errors);
        storage_->funnel().count(s->id, day_of(config_.clock()), channel, event);
        c.res.status = 204;
      },
      256, "application/json|text/plain");

  // Per channel over ?from=&to= (days, UTC): shown and dismissed (the counters), answered (the
  // tallies); for e-mail, the campaigns scheduled in the range: messages sent, links opened
  // by a person, and their answers.
  route("GET", "/v1/admin/surveys/{id}/funnel", Access::viewer, [this](Ctx& c) {
    const auto& id = c.params.at(0);
    if (!live(id)) return send_error(c.res, ApiCode::not_found, "", "no survey " + id);
    auto range = read_range(c, config_.clock());
    if (!range) return;
    std::map<std::string, nps::FunnelCounts> by;
    auto at = [&by](const std::string& ch) -> nps::FunnelCounts& {
      auto& f = by[ch];
      f.channel = ch;
      return f;
    };
    TallyQuery q;
    q.survey_id = id;
    q.from_day = range->from;
    q.to_day = range->to;
    q.group = TallyGroup::channel;
    for (const auto& row : storage_->tally_groups(q))
      at(row.key.empty() ? "other" : row.key).answered += row.tally.n();
    for (const auto& t : storage_->funnel().totals(id, range->from, range->to))
      (t.event == "shown" ? at(t.channel).shown : at(t.channel).dismissed) += t.count;
    bool campaigns = false;
    nps::FunnelCounts email{"email"};
    for (const auto& m : storage_->email().campaigns()) {
      if (m.survey_id != id || day_of(m.scheduled_at) < range->from || day_of(m.scheduled_at) > range->to)
        continue;
      campaigns = true;
      const auto f = storage_->email().funnel(m);
      for (const auto& [state, n] : f.states)
        if (state == "sent") email.sent += n;
      email.shown += f.clicked;
      email.answered += f.answered;
    }
    if (campaigns) by["email"] = email;
    std::vector<nps::FunnelCounts> list;
    for (auto& [_, f] : by)
      list.push_back(f);
    auto out = nps::funnel(list);
    if (!out) return send_core_errors(c.res, out.errors());
    json j = json(nps::to_json(*out));
    j["from"] = date_text(range->from);
    j["to"] = date_text(range->to);
    send_json(c.res, 200, j);
  });
}

} // namespace npsd
