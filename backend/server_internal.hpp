// npsd's inside, shared by the router and the route files: the Server class, the context a
// route handler gets (Ctx), the survey cache entry (LiveSurvey) and the helpers more than
// one route file uses. Each area's routes are in routes_<area>.cpp; the routing helper,
// body reading, CORS and the error handler in router.cpp; lifecycle, identity and the live
// feed in server.cpp.
#pragma once

#include "csv.hpp"
#include "digest.hpp"
#include "errors.hpp"
#include "http_policy.hpp"
#include "login_limits.hpp"
#include "metrics.hpp"
#include "nps/privacy.hpp"
#include "params.hpp"
#include "server.hpp"

#include "nps/json.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace npsd {

using nps::json;
using Clock = std::chrono::steady_clock;

// ---- survey cache ----------------------------------------------------------------------

// What the public endpoints need of a survey, served from memory.
struct LiveSurvey {
  std::string id;
  std::string config_body; // the normalised definition, as /config sends it
  std::string etag;
  std::vector<std::string> origins; // empty or "*": any
  std::uint32_t daily_cap = 0;
  bool archived = false;
  std::int64_t version = 0;
  nps::Privacy privacy; // personal attributes, whether pages keep their query (core/privacy)
};

[[nodiscard]] std::string etag_of(const std::string& body);
[[nodiscard]] std::shared_ptr<const LiveSurvey> make_live(const SurveyRecord& rec);
[[nodiscard]] bool origin_allowed(const std::vector<std::string>& origins, const std::string& origin);

// ---- routes ----------------------------------------------------------------------------

// Who may call a route: anyone, or a token/session with at least this role.
enum class Access { open, viewer, analyst, editor, admin };
[[nodiscard]] Role required_role(Access a);

struct Ctx {
  const httplib::Request& req;
  httplib::Response& res;
  std::vector<std::string> params; // path parameters in order
  std::string body;
  std::optional<TokenRecord> token;     // the caller: a token, or a session seen as one
  std::optional<SessionRecord> session; // set when the caller came with a session cookie
};

using RouteHandler = std::function<void(Ctx&)>;

// ---- helpers of several route files ------------------------------------------------------

[[nodiscard]] Millis system_millis();
[[nodiscard]] std::string random_hex(std::size_t bytes);
// A stored response as the admin API shows it (full: comment, respondent id, …).
[[nodiscard]] json response_json(const StoredResponse& s);
// The id at c.params[index], a whole number from 1, read strictly (params.hpp); sends the
// 400 naming `field` and returns nullopt otherwise.
[[nodiscard]] std::optional<std::int64_t> path_id(Ctx& c, std::size_t index, const std::string& field);
// The query parameter `name` as a whole number in [min, max], nullopt when absent or
// refused (the error then added to `errors`).
[[nodiscard]] std::optional<std::int64_t> query_int(const Ctx& c, const std::string& name, std::int64_t min,
                                                    std::int64_t max, std::vector<ApiError>& errors);
// The segment filters ?channel=, ?device=, ?locale= as params.hpp reads them strictly: the
// ones given, each refused one's error added to `errors` (query_segments), or the 400 sent
// and nullopt (read_segments).
[[nodiscard]] Segments query_segments(const Ctx& c, std::vector<ApiError>& errors);
[[nodiscard]] std::optional<Segments> read_segments(Ctx& c);
// The paging of a list: ?limit= (1 to 500, default 50) and ?cursor= (an id from a
// previous page's next_cursor).
struct Paging {
  std::size_t limit = 50;
  std::optional<std::int64_t> cursor;
};
// Sends the 400 and returns nullopt when a parameter is refused.
[[nodiscard]] std::optional<Paging> read_paging(Ctx& c);
// An export's spreadsheet options (answer_stream.cpp): flavour=excel (a BOM, local times and,
// with `attribute_columns`, attributes as columns: then attribute_columns holds one "" for the
// keys to be collected), separator=comma|semicolon|tab, utc_offset=+01:00 (with excel); with
// format=csv only (`csv`). Sends 400 naming the parameter and returns nullopt on error.
[[nodiscard]] std::optional<CsvFlavour> read_flavour(Ctx& c, bool csv, bool attribute_columns);
// The days of an analytics request: ?from= and ?to= (YYYY-MM-DD, inclusive; from the first
// day and to today by default). Sends the 400 and returns nullopt when one is refused.
struct DayRange {
  std::int32_t from = 0, to = 0;
};
[[nodiscard]] std::optional<DayRange> read_range(Ctx& c, Millis now);

// Counts open event streams per caller and in all; a slot is given back when the last copy
// of what acquire() returned is destroyed (the stream's response is done with).
class StreamSlots : public std::enable_shared_from_this<StreamSlots> {
public:
  StreamSlots(std::size_t per_caller, std::size_t total) : per_caller_(per_caller), total_(total) {}
  enum class Refusal { none, caller, total };
  [[nodiscard]] std::shared_ptr<void> acquire(const std::string& caller, Refusal& why);
  [[nodiscard]] std::size_t per_caller() const { return per_caller_; }
  [[nodiscard]] std::size_t total() const { return total_; }
  [[nodiscard]] std::size_t open() const; // streams open now, all callers together

private:
  void release(const std::string& caller);
  const std::size_t per_caller_, total_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::size_t> open_;
  std::size_t all_ = 0;
};

// ---- the server --------------------------------------------------------------------------

class Server final : public NpsServer {
public:
  explicit Server(Config config);
  ~Server() override;

  void start() override;
  bool run() override;
  void stop() override;

  int port() const override { return port_; }
  Storage& storage() override { return *storage_; }
  const std::vector<RouteInfo>& routes() const override { return routes_; }
  std::optional<std::string> created_admin_token() const override { return created_token_; }

private:
  // server.cpp: lifecycle, tokens and sessions, the survey cache, the live feed.
  void bind();
  void bootstrap_tokens();
  void reload_tokens();
  struct Identity {
    std::optional<TokenRecord> token;
    std::optional<SessionRecord> session;
    bool bad_csrf = false;
  };
  std::optional<TokenRecord> authenticate(const httplib::Request& req) const;
  Identity identify(const httplib::Request& req) const;
  static std::string cookie_value(const httplib::Request& req, std::string_view name);
  void announce(const StoredResponse& r);
  // An answer stored or changed through this process: announced to the live streams here,
  // unless the engine's change feed announces it (on every process, this one included).
  void on_stored(const StoredResponse& r) {
    if (!watching_) announce(r);
  }
  std::shared_ptr<const LiveSurvey> live(const std::string& id) const;
  void publish(const SurveyRecord& rec);
  void on_change(const Change& change); // from other npsd processes (PostgreSQL)
  void retention_loop();

  // router.cpp: the routing helper, bodies, CORS, the routes every server has.
  // A request's log line and metrics, also once a deferred reply is given (routes_public.cpp).
  struct RequestLog {
    std::string method, path, route, request_id;
    Clock::time_point started;
  };
  RequestLog request_log(const httplib::Request& req, int status) const; // on the request's thread
  void log_request(const RequestLog& r, int status, std::size_t bytes);
  // The error a handler's exception is answered with (503 for storage, 500 otherwise), logged.
  void send_failure(httplib::Response& res, std::exception_ptr error, const std::string& request_id);
  void route(const std::string& method, const std::string& path, Access access, RouteHandler h,
             std::size_t body_max = 0, std::string_view body_type = "application/json");
  bool read_body(Ctx& ctx, const httplib::ContentReader* reader, std::size_t max,
                 std::string_view body_type = "application/json");
  std::optional<json> json_body(Ctx& ctx);
  bool cors(Ctx& ctx, const LiveSurvey& s);
  std::shared_ptr<const LiveSurvey> public_survey(Ctx& ctx);
  void register_routes();

  // routes_public.cpp: the reply to a stored (or capped) answer.
  void answer_stored(httplib::Response& res, const InsertOutcome& out, std::uint32_t daily_cap);

  // One per routes_<area>.cpp.
  void public_routes();
  void survey_routes();
  void token_routes();
  void response_routes();
  void analytics_routes();
  void privacy_routes();
  void auth_routes();
  void user_routes();
  void follow_up_routes();
  void live_routes();
  void insights_routes();   // issue 17
  void webhook_routes();    // issue 15
  void link_routes();       // issue 14: routes_links.cpp
  void contact_routes();    // issue 14: routes_contacts.cpp
  void campaign_routes();   // issue 14: routes_campaigns.cpp
  void ambassador_routes(); // issue 14: routes_ambassadors.cpp
  // Streams the answers `f` selects, a page of 1,000 at a time (memory stays flat however many
  // there are): CSV in `flavour` (`csv_header`, then `row`'s cells, each line's cells quoted
  // and separated as the flavour says) or JSON {"items":[...]} (`item`'s objects); nullopt
  // from either leaves the answer out. answer_stream.cpp.
  using AnswerCsvRow =
      std::function<std::optional<std::vector<std::string>>(const StoredResponse&, const CsvFlavour&)>;
  using AnswerJsonItem = std::function<std::optional<json>(const StoredResponse&)>;
  void stream_answers(Ctx& c, const ResponseFilter& f, const std::string& filename, bool csv,
                      const CsvFlavour& flavour, const std::vector<std::string>& csv_header, AnswerCsvRow row,
                      AnswerJsonItem item);
  void sender_loop(); // issue 14: email_sender.cpp
  [[nodiscard]] std::string link_base(const Ctx& c) const;
  void themes_routes();       // issue 16
  void sms_routes();          // routes_sms.cpp (issue 15)
  void import_routes();       // routes_import.cpp (issue 15)
  void funnel_routes();       // routes_funnel.cpp (issue 19)
  void survey_texts_routes(); // routes_survey_texts.cpp (issue 19: the translation hand-off)
  void review_routes();       // routes_review.cpp (issue 19: the draft-sharing link)

  static constexpr const char* kSessionCookie = "npsd_session";
  static constexpr Millis kSessionMillis = 12LL * 3'600'000;

  Config config_;
  std::unique_ptr<Storage> storage_;
  HardenedServer http_;
  std::thread thread_;
  int port_ = -1;
  std::string instance_;
  std::atomic<std::uint64_t> seq_{0};
  Metrics metrics_;

  std::vector<RouteInfo> routes_;
  std::vector<std::pair<std::regex, std::string>> route_patterns_;

  mutable std::shared_mutex surveys_mu_;
  std::unordered_map<std::string, std::shared_ptr<const LiveSurvey>> surveys_;
  // The engine's change feed is on (PostgreSQL): surveys, tokens and live events follow what
  // any npsd sharing the database commits, and answers are announced from the feed only.
  bool watching_ = false;
  mutable std::shared_mutex tokens_mu_;
  mutable std::vector<TokenRecord> tokens_;
  // A token not known here is looked up in the database again, at most once a second, so a
  // token made by `npsd token create` while the server runs works at once (issue 19).
  mutable std::atomic<std::int64_t> tokens_reread_at_{0};
  std::optional<std::string> created_token_;

  std::mutex stop_mu_;
  bool stopped_ = false;
  std::thread retention_thread_;
  std::mutex retention_mu_;
  std::condition_variable retention_cv_;
  bool retention_stop_ = false;

  ProxyPolicy proxy_;
  LoginLimiter login_limits_;
  std::once_flag dummy_once_;
  std::string dummy_hash_; // verified against for unknown e-mails, so timing does not tell

  std::mutex live_mu_;
  std::condition_variable live_cv_;
  std::deque<std::pair<std::uint64_t, StoredResponse>> recent_;
  std::uint64_t live_seq_ = 0;
  std::atomic<bool> live_stop_{false};
  std::shared_ptr<StreamSlots> stream_slots_;

  std::unique_ptr<WebhookWorker> webhook_worker_; // issue 15; stops before the storage closes
  std::unique_ptr<digest::Scheduler> digest_;     // issue 15: the weekly digest; the same
  std::string link_secret_;                       // issue 14: signs links (routes_links.cpp)
  std::thread sender_thread_;                     // issue 14: sends the outbox (email_sender.cpp)
  std::mutex sender_mu_;
  std::condition_variable sender_cv_;
  bool sender_stop_ = false;
};

} // namespace npsd
