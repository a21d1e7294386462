// Admin: /live, new answers as server-sent events, and the count of open streams (each
// holds a connection thread) per caller and in all.
#include "server_internal.hpp"

#include "dates.hpp"

namespace npsd {

std::shared_ptr<void> StreamSlots::acquire(const std::string& caller, Refusal& why) {
  std::lock_guard lock(mu_);
  auto& mine = open_[caller];
  if (mine >= per_caller_ || all_ >= total_) {
    why = mine >= per_caller_ ? Refusal::caller : Refusal::total;
    if (mine == 0) open_.erase(caller);
    return nullptr;
  }
  why = Refusal::none;
  ++mine;
  ++all_;
  auto self = shared_from_this();
  return std::shared_ptr<void>(nullptr, [self, caller](void*) { self->release(caller); });
}

std::size_t StreamSlots::open() const {
  std::lock_guard lock(mu_);
  return all_;
}

void StreamSlots::release(const std::string& caller) {
  std::lock_guard lock(mu_);
  --all_;
  if (auto it = open_.find(caller); it != open_.end() && --it->second == 0) open_.erase(it);
}

void Server::live_routes() {
  // Each new stored response of the survey as `event: response`; a comment line every
  // 15 s (Config::live_ping) keeps proxies from closing the stream and finds a client that
  // left; the stream ends after 10 minutes and the browser's EventSource reconnects.
  // Viewers get the score and segments only. The slot is held by the content provider and
  // given back when httplib is done with the response, however the stream ended.
  route("GET", "/v1/admin/surveys/{id}/live", Access::viewer, [this](Ctx& c) {
    if (!live(c.params[0])) return send_error(c.res, ApiCode::not_found, "", "no survey " + c.params[0]);
    // One user's sessions share a count; a token (or a session opened with it) has its own.
    const std::string caller = c.session && c.session->user_id ? "user:" + std::to_string(*c.session->user_id)
                                                               : "token:" + std::to_string(c.token->id);
    StreamSlots::Refusal why{};
    auto slot = stream_slots_->acquire(caller, why);
    if (why == StreamSlots::Refusal::caller) {
      c.res.set_header("Retry-After", "10");
      return send_error(c.res, ApiCode::rate_limited, "",
                        "this token or user has " + std::to_string(stream_slots_->per_caller()) +
                            " live streams open already; close one first");
    }
    if (why == StreamSlots::Refusal::total) {
      c.res.set_header("Retry-After", "10");
      return send_error(c.res, ApiCode::unavailable, "",
                        "the server has " + std::to_string(stream_slots_->total()) +
                            " live streams open, its most; retry later");
    }
    struct State {
      std::uint64_t seen = 0;
      bool started = false;
      Clock::time_point until;
    };
    auto state = std::make_shared<State>();
    {
      std::lock_guard lock(live_mu_);
      state->seen = live_seq_;
    }
    state->until = Clock::now() + std::chrono::minutes(10);
    const bool full = c.token->role >= Role::analyst;
    c.res.set_header("Cache-Control", "no-cache");
    c.res.set_header("X-Accel-Buffering", "no");
    c.res.set_chunked_content_provider("text/event-stream", [this, state, full, slot, survey = c.params[0]](
                                                                std::size_t, httplib::DataSink& sink) {
      std::string out;
      if (!state->started) {
        state->started = true;
        out = "retry: 1000\n: connected\n\n";
        return sink.write(out.data(), out.size());
      }
      std::vector<StoredResponse> fresh;
      {
        std::unique_lock lock(live_mu_);
        live_cv_.wait_for(lock, config_.live_ping,
                          [&] { return live_stop_.load() || live_seq_ > state->seen; });
        if (live_stop_) return false;
        for (const auto& [seq, r] : recent_)
          if (seq > state->seen && r.response.survey_id == survey) fresh.push_back(r);
        state->seen = live_seq_;
      }
      for (const auto& r : fresh) {
        json j =
            full ? response_json(r)
                 : json{{"id", r.id},
                        {"score", r.response.score.value()},
                        {"category", std::string(nps::to_string(r.response.category()))},
                        {"channel", std::string(nps::to_string(r.response.channel))},
                        {"locale", r.response.locale ? json(*r.response.locale) : json(nullptr)},
                        {"device", r.response.device ? json(std::string(nps::to_string(*r.response.device)))
                                                     : json(nullptr)},
                        {"received_at", iso_time(r.received_at)}};
        out += "event: response\ndata: " + nps::dump(j) + "\n\n";
      }
      if (out.empty()) out = ": ping\n\n";
      if (!sink.write(out.data(), out.size())) return false;
      if (Clock::now() >= state->until) sink.done();
      return true;
    });
  });
}

} // namespace npsd
