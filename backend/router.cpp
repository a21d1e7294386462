// npsd's router: route() registers a handler with its path template, role and body limit
// (authentication, CSRF, body size and type, exceptions → 503/500 are handled here once);
// the JSON body reader; CORS of the public endpoints; the pre-routing handler (folder
// redirects, the admin API's CORS), the error handler that turns httplib's statuses into
// the API's JSON errors, the request logger and the routes every server has (health,
// metrics, OpenAPI). The areas' routes are registered from routes_<area>.cpp.
#include "server_internal.hpp"

#include "dates.hpp"
#include "nps/text.hpp"
#include "params.hpp"
#include "request_json.hpp"

#include <cmath>
#include <filesystem>
#include <limits>

namespace npsd {

namespace {

// Whether `path` (safe, from the web root's top) is a folder of the web root with an
// index.html, after symbolic links are followed.
bool folder_with_index(const std::string& web_root, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto root = fs::weakly_canonical(web_root, ec);
  if (ec) return false;
  const auto index = fs::weakly_canonical(root / path.substr(1) / "index.html", ec);
  if (ec || !fs::is_regular_file(index, ec)) return false;
  const auto rel = index.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

} // namespace

// The routing helper: one template ("/v1/surveys/{id}/config") for httplib's regex, the
// route list and the OpenAPI check. Handles auth, body size and type, and errors.
void Server::route(const std::string& method, const std::string& path, Access access, RouteHandler h,
                   std::size_t body_max, std::string_view body_type) {
  routes_.push_back({method, path});
  const std::string pattern = std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "([^/]+)");
  route_patterns_.emplace_back(std::regex(pattern), method);
  auto run = [this, path, access, h, body_max, type = std::string(body_type)](
                 const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader) {
    t_route = path;
    try {
      Ctx ctx{req, res, {}, {}, std::nullopt, std::nullopt};
      for (std::size_t i = 1; i < req.matches.size(); ++i)
        ctx.params.push_back(req.matches[i].str());
      if (access != Access::open) {
        auto who = identify(req);
        if (!who.token) {
          res.set_header("WWW-Authenticate", "Bearer");
          return send_error(res, ApiCode::unauthorized, "",
                            "a valid API token (Authorization: Bearer …) or session is required");
        }
        if (who.bad_csrf)
          return send_error(res, ApiCode::forbidden, "X-CSRF-Token",
                            "a change made with a session cookie needs the X-CSRF-Token header from sign-in");
        ctx.token = std::move(who.token);
        ctx.session = std::move(who.session);
        if (ctx.token->role < required_role(access))
          return send_error(res, ApiCode::forbidden, "",
                            "this needs the " + std::string(to_string(required_role(access))) +
                                " role; the token has " + std::string(to_string(ctx.token->role)));
      }
      if (body_max > 0 && !read_body(ctx, reader, body_max, type)) return;
      h(ctx);
    } catch (...) {
      send_failure(res, std::current_exception(), t_request_id);
    }
  };
  const bool has_body = method == "POST" || method == "PUT" || method == "PATCH";
  auto plain = [run](const httplib::Request& req, httplib::Response& res) { run(req, res, nullptr); };
  auto streamed = [run](const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader& r) { run(req, res, &r); };
  if (method == "GET")
    http_.Get(pattern, plain);
  else if (method == "DELETE")
    http_.Delete(pattern, plain);
  else if (method == "OPTIONS")
    http_.Options(pattern, plain);
  else if (method == "POST")
    http_.Post(pattern, plain).Post(pattern, streamed);
  else if (method == "PUT")
    http_.Put(pattern, plain).Put(pattern, streamed);
  else if (method == "PATCH")
    http_.Patch(pattern, plain).Patch(pattern, streamed);
  (void)has_body;
}

// Reads a body of `body_type` (JSON unless the route says otherwise) up to `max` bytes,
// chunked or not. False when an error was sent.
bool Server::read_body(Ctx& ctx, const httplib::ContentReader* reader, std::size_t max,
                       std::string_view body_type) {
  const auto type = ctx.req.get_header_value("Content-Type");
  const auto base = type.substr(0, type.find(';'));
  // body_type may list several types, "text/csv|application/xliff+xml": the handler tells them apart.
  bool accepted = false;
  for (std::size_t at = 0; at <= body_type.size();) {
    const auto bar = std::min(body_type.find('|', at), body_type.size());
    accepted = accepted || body_type.substr(at, bar - at) == base;
    at = bar + 1;
  }
  if (!accepted) {
    HardenedServer::close_after_response(); // the body was not read
    send_error(ctx.res, ApiCode::unsupported_media_type, "",
               body_type == "application/json"
                   ? "the body must be JSON, sent with Content-Type: application/json"
                   : "the body must be sent with Content-Type: " +
                         std::regex_replace(std::string(body_type), std::regex("\\|"), " or "));
    return false;
  }
  if (!reader) {
    ctx.body = ctx.req.body;
    return true;
  }
  bool too_big = false;
  (*reader)([&](const char* data, std::size_t n) {
    if (ctx.body.size() + n > max) {
      too_big = true;
      return false;
    }
    ctx.body.append(data, n);
    return true;
  });
  if (too_big) {
    HardenedServer::close_after_response();
    send_error(ctx.res, ApiCode::payload_too_large, "",
               "the body is larger than " + std::to_string(max) + " bytes");
    return false;
  }
  return true;
}

// Parses the body as a JSON object; sends the error and returns nullopt otherwise.
std::optional<json> Server::json_body(Ctx& ctx) {
  if (auto at = nps::invalid_utf8_at(ctx.body)) {
    send_error(ctx.res, ApiCode::invalid_utf8, "",
               "the body is not valid UTF-8 (at byte " + std::to_string(*at) + ")");
    return std::nullopt;
  }
  auto j = nps::parse_json(ctx.body);
  if (!j) {
    send_error(ctx.res, ApiCode::parse_error, "",
               ctx.body.empty() ? "the body is empty" : "the body is not valid JSON");
    return std::nullopt;
  }
  // The JSON library keeps the last of two equal keys: {"score":11,"score":5} would read as 5.
  if (auto key = first_duplicate_key(ctx.body)) {
    send_error(ctx.res, ApiCode::duplicate_key, *key, "this key appears twice in its object");
    return std::nullopt;
  }
  if (!j->is_object()) {
    send_error(ctx.res, ApiCode::invalid_type, "",
               "expected an object, got " + std::string(nps::type_name(*j)));
    return std::nullopt;
  }
  return std::move(j).value();
}

// CORS for the public endpoints. False (and 403 sent) when the Origin is not allowed.
bool Server::cors(Ctx& ctx, const LiveSurvey& s) {
  if (!ctx.req.has_header("Origin")) return true;
  const auto origin = ctx.req.get_header_value("Origin");
  if (!origin_allowed(s.origins, origin)) {
    send_error(ctx.res, ApiCode::origin_not_allowed, "", origin + " may not send answers to this survey");
    return false;
  }
  ctx.res.set_header("Access-Control-Allow-Origin", origin);
  ctx.res.set_header("Vary", "Origin");
  ctx.res.set_header("Access-Control-Expose-Headers", "ETag, X-Request-Id");
  return true;
}

std::shared_ptr<const LiveSurvey> Server::public_survey(Ctx& ctx) {
  auto s = live(ctx.params.at(0));
  if (!s) {
    send_error(ctx.res, ApiCode::not_found, "survey_id", "no survey " + ctx.params.at(0));
    return nullptr;
  }
  if (s->archived) {
    send_error(ctx.res, ApiCode::archived, "survey_id", "the survey " + s->id + " is closed");
    return nullptr;
  }
  return s;
}

void Server::register_routes() {
  // The front refuses a body over its route's limit (413) before reading it.
  http_.set_body_limit([this](const std::string&, const std::string& path) {
    if (path.rfind("/v1/admin/", 0) == 0 && path.ends_with("/import"))
      return config_.import_body_max; // issue 15
    return path.rfind("/v1/admin/", 0) == 0 ? config_.admin_body_max : config_.public_body_max;
  });
  http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_route.clear();
    t_request_id = instance_ + "-" + std::to_string(++seq_);
    res.set_header("X-Request-Id", t_request_id);
    set_browser_headers(req.path, res);
    const bool api = req.path.rfind("/v1/", 0) == 0;
    if (!api && (req.method == "GET" || req.method == "HEAD") && !config_.web_root.empty()) {
      // Only the web root is looked into: "//usr/share", "/a/../b", backslashes and NUL are
      // nobody's file, whatever exists on the host.
      if (!safe_static_path(req.path)) {
        send_error(res, ApiCode::not_found, "", "nothing at this path");
        return httplib::Server::HandlerResponse::Handled;
      }
      // A folder of the web root asked for without its slash (/demo, /dashboard) is
      // redirected, so its page's relative links resolve. The Location is this same path
      // with a slash: same origin, and only for plain paths that need no escaping.
      if (req.path.size() > 1 && req.path.back() != '/' && plain_path(req.path) &&
          folder_with_index(config_.web_root, req.path)) {
        res.status = 301;
        res.set_header("Location", req.path + "/");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    // The admin API answers browsers only from the configured origins.
    if (!config_.allowed_origins.empty() && req.path.rfind("/v1/admin/", 0) == 0 &&
        req.has_header("Origin")) {
      const auto origin = req.get_header_value("Origin");
      if (origin_allowed(config_.allowed_origins, origin)) {
        res.set_header("Access-Control-Allow-Origin", origin);
        res.set_header("Vary", "Origin");
        if (req.method == "OPTIONS") {
          res.status = 204;
          res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
          res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-CSRF-Token");
          res.set_header("Access-Control-Max-Age", "600");
          return httplib::Server::HandlerResponse::Handled;
        }
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  http_.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404) {
          for (const auto& [re, method] : route_patterns_)
            if (std::regex_match(req.path, re)) {
              send_error(res, ApiCode::method_not_allowed, "", req.method + " is not allowed on " + req.path);
              return httplib::Server::HandlerResponse::Handled;
            }
          send_error(res, ApiCode::not_found, "", "nothing at " + req.path);
        } else if (res.status == 413) {
          send_error(res, ApiCode::payload_too_large, "", "the body is too large");
        } else if (res.status == 414) {
          send_error(res, ApiCode::uri_too_long, "", "the URL is too long");
        } else if (res.status == 431) {
          send_error(res, ApiCode::header_too_large, "", "the request's header lines are too large");
        } else if (res.status == 400) {
          send_error(res, ApiCode::bad_request, "", "the request is not valid HTTP");
        } else {
          const int status = res.status;
          send_error(res, ApiCode::internal, "", "HTTP " + std::to_string(status));
          res.status = status;
        }
        return httplib::Server::HandlerResponse::Handled;
      }));

  http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    if (HardenedServer::deferred()) return; // logged when its reply is given
    log_request(request_log(req, res.status), res.status, res.body.size());
  });

  if (!config_.web_root.empty() && std::filesystem::is_directory(config_.web_root)) {
    http_.set_mount_point("/", config_.web_root);
    // The widget's files are loaded by other sites' pages: the loader's import() of its
    // modules and the fetches of the Wasm and of the widget's texts (nps-texts-<tag>.json)
    // are cross-origin requests, so they must allow any origin. They carry no credentials
    // and nothing private.
    http_.set_file_request_handler([](const httplib::Request& req, httplib::Response& res) {
      const auto ends_with = [&](std::string_view ext) {
        return req.path.size() >= ext.size() &&
               req.path.compare(req.path.size() - ext.size(), ext.size(), ext) == 0;
      };
      if (ends_with(".js") || ends_with(".mjs") || ends_with(".wasm") || ends_with(".css") ||
          (req.path.rfind("/nps-texts-", 0) == 0 && ends_with(".json"))) {
        res.set_header("Access-Control-Allow-Origin", "*");
        res.set_header("Cache-Control", "public, max-age=300");
      }
    });
  }

  route("GET", "/healthz", Access::open, [this](Ctx& c) {
    (void)storage_->count_responses("");
    send_json(c.res, 200, {{"status", "ok"}});
  });
  route("GET", "/metrics", Access::open, [this](Ctx& c) {
    c.res.set_content(
        metrics_.render(storage_->pending_writes(), http_.open_connections(), http_.refused_connections()),
        "text/plain; version=0.0.4");
  });
  route("GET", "/v1/openapi.json", Access::open,
        [](Ctx& c) { c.res.set_content(openapi_document(), "application/json"); });

  public_routes();
  survey_routes();
  token_routes();
  response_routes();
  analytics_routes();
  privacy_routes();
  auth_routes();
  user_routes();
  follow_up_routes();
  live_routes();
  insights_routes(); // issue 17
  webhook_routes();
  link_routes();
  contact_routes();
  campaign_routes();
  ambassador_routes();
  themes_routes();       // issue 16
  sms_routes();          // issue 15
  import_routes();       // issue 15
  funnel_routes();       // issue 19
  survey_texts_routes(); // issue 19: the translation hand-off
  review_routes();       // issue 19: the draft-sharing link (after link_routes: the secret)
}

Server::RequestLog Server::request_log(const httplib::Request& req, int status) const {
  return {req.method, req.path, t_route.empty() ? (status == 404 ? "unmatched" : "static") : t_route,
          t_request_id, HardenedServer::request_started()};
}

void Server::log_request(const RequestLog& r, int status, std::size_t bytes) {
  const double seconds = std::chrono::duration<double>(Clock::now() - r.started).count();
  metrics_.observe(r.route, r.method, status, seconds);
  if (config_.log_requests)
    log_line({{"ts", iso_time(config_.clock())},
              {"level", "info"},
              {"msg", "request"},
              {"request_id", r.request_id},
              {"method", r.method},
              {"path", r.path},
              {"route", r.route},
              {"status", status},
              {"ms", std::round(seconds * 1e5) / 100},
              {"bytes", bytes}});
}

void Server::send_failure(httplib::Response& res, std::exception_ptr error, const std::string& request_id) {
  try {
    std::rethrow_exception(error);
  } catch (const StorageError& e) {
    log_line({{"level", "error"}, {"msg", e.what()}, {"request_id", request_id}});
    send_error(res, ApiCode::unavailable, "", "storage is unavailable, retry later");
  } catch (const std::exception& e) {
    log_line({{"level", "error"}, {"msg", e.what()}, {"request_id", request_id}});
    send_error(res, ApiCode::internal, "", "internal error");
  } catch (...) {
    send_error(res, ApiCode::internal, "", "internal error");
  }
}

std::optional<std::int64_t> path_id(Ctx& c, std::size_t index, const std::string& field) {
  std::vector<ApiError> errors;
  auto id = read_int(c.params.at(index), field, 1, std::numeric_limits<std::int64_t>::max(), errors);
  if (!id) send_errors(c.res, errors);
  return id;
}

std::optional<std::int64_t> query_int(const Ctx& c, const std::string& name, std::int64_t min,
                                      std::int64_t max, std::vector<ApiError>& errors) {
  if (!c.req.has_param(name.c_str())) return std::nullopt;
  return read_int(c.req.get_param_value(name.c_str()), name, min, max, errors);
}

Segments query_segments(const Ctx& c, std::vector<ApiError>& errors) {
  Segments s;
  if (c.req.has_param("channel")) s.channel = read_channel(c.req.get_param_value("channel"), errors);
  if (c.req.has_param("device")) s.device = read_device(c.req.get_param_value("device"), errors);
  if (c.req.has_param("locale")) s.locale = read_locale_tag(c.req.get_param_value("locale"), errors);
  return s;
}

std::optional<Segments> read_segments(Ctx& c) {
  std::vector<ApiError> errors;
  auto s = query_segments(c, errors);
  if (errors.empty()) return s;
  send_errors(c.res, errors);
  return std::nullopt;
}

std::optional<Paging> read_paging(Ctx& c) {
  Paging p;
  std::vector<ApiError> errors;
  if (auto limit = query_int(c, "limit", 1, 500, errors)) p.limit = static_cast<std::size_t>(*limit);
  p.cursor = query_int(c, "cursor", 1, std::numeric_limits<std::int64_t>::max(), errors);
  if (errors.empty()) return p;
  send_errors(c.res, errors);
  return std::nullopt;
}

} // namespace npsd
