// Sign-in and sessions (login with e-mail and password or with a token, logout, me), the
// sign-in rate limits, and the admin endpoints of users and API tokens.
#include "server_internal.hpp"

#include "auth.hpp"
#include "dates.hpp"
#include "nps/text.hpp"

#include <algorithm>

namespace npsd {

namespace {

// The required "role" of a token or user body; records the error and returns nullopt otherwise.
std::optional<Role> read_role(const json& body, std::vector<ApiError>& errors) {
  std::optional<Role> role;
  if (auto it = body.find("role"); it == body.end())
    errors.push_back({ApiCode::required, "role", "admin, editor, analyst or viewer"});
  else if (!it->is_string() || !(role = role_from_string(it->get<std::string>())))
    errors.push_back({ApiCode::invalid_value, "role", "admin, editor, analyst or viewer"});
  return role;
}

// A password: 10 to 200 characters (Unicode code points of valid UTF-8), said in plain words.
constexpr const char* kPasswordRule = "10 to 200 characters";
bool valid_password(const json& v) {
  if (!v.is_string() || !nps::is_valid_utf8(v.get<std::string>())) return false;
  std::size_t chars = 0;
  for (unsigned char ch : v.get<std::string>())
    chars += (ch & 0xC0) != 0x80;
  return chars >= 10 && chars <= 200;
}

} // namespace

void Server::token_routes() {
  route("GET", "/v1/admin/tokens", Access::admin, [this](Ctx& c) {
    json items = json::array();
    for (const auto& t : storage_->tokens())
      items.push_back({{"id", t.id},
                       {"role", to_string(t.role)},
                       {"name", t.name},
                       {"created_at", iso_time(t.created_at)}});
    send_json(c.res, 200, {{"items", items}});
  });
  route(
      "POST", "/v1/admin/tokens", Access::admin,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        std::string name;
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "role" && it.key() != "name")
            errors.push_back({ApiCode::unknown_field, it.key(), "not a token field"});
        const std::optional<Role> role = read_role(*body, errors);
        if (auto it = body->find("name"); it != body->end()) {
          if (!it->is_string() || it->get<std::string>().size() > 200 ||
              !nps::is_valid_utf8(it->get<std::string>()))
            errors.push_back({ApiCode::invalid_value, "name", "a text of at most 200 bytes"});
          else
            name = it->get<std::string>();
        }
        if (!errors.empty()) return send_errors(c.res, errors);
        auto secret = new_token_secret();
        auto t = storage_->add_token(TokenRecord{0, sha256_hex(secret), *role, name, config_.clock()});
        reload_tokens();
        send_json(c.res, 201,
                  {{"id", t.id}, {"role", to_string(t.role)}, {"name", t.name}, {"token", secret}});
      },
      config_.public_body_max);
  route("DELETE", "/v1/admin/tokens/{token_id}", Access::admin, [this](Ctx& c) {
    const auto parsed = path_id(c, 0, "token_id");
    if (!parsed) return;
    const std::int64_t id = *parsed;
    if (!storage_->delete_token(id))
      return send_error(c.res, ApiCode::not_found, "token_id", "no such token");
    reload_tokens();
    send_json(c.res, 200, {{"id", id}, {"deleted", true}});
  });
}

namespace {

// Secure when the browser reached npsd over HTTPS (--secure-cookies, or a trusted proxy's
// X-Forwarded-Proto), so the cookie is never sent over plain HTTP.
std::string session_cookie(const std::string& value, Millis max_age_ms, bool secure) {
  return std::string("npsd_session=") + value +
         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age_ms / 1000) +
         (secure ? "; Secure" : "");
}

json me_json(const TokenRecord& who, const std::optional<SessionRecord>& s) {
  json j = {{"role", to_string(who.role)}, {"email", who.name}, {"via", s ? "session" : "token"}};
  if (s) {
    j["csrf_token"] = s->csrf;
    j["expires_at"] = iso_time(s->expires_at);
    j["user_id"] = s->user_id ? json(*s->user_id) : json(nullptr);
  }
  return j;
}

} // namespace

void Server::auth_routes() {
  route(
      "POST", "/v1/auth/login", Access::open,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        auto text = [&](const char* k, std::size_t max) -> std::optional<std::string> {
          auto it = body->find(k);
          if (it == body->end()) return std::nullopt;
          if (!it->is_string() || it->get<std::string>().empty() || it->get<std::string>().size() > max) {
            errors.push_back({ApiCode::invalid_value, k, "a text of 1 to " + std::to_string(max) + " bytes"});
            return std::nullopt;
          }
          return it->get<std::string>();
        };
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "email" && it.key() != "password" && it.key() != "token")
            errors.push_back({ApiCode::unknown_field, it.key(), "email and password, or token"});
        const auto email = text("email", 254), password = text("password", 200), token = text("token", 200);
        if (errors.empty() && !token && !(email && password))
          errors.push_back({ApiCode::required, email ? "password" : "email", "email and password, or token"});
        if (!errors.empty()) return send_errors(c.res, errors);
        const Millis now = config_.clock();
        // The credential tried, for the limits: the e-mail in lower case, or a prefix of the
        // token's hash (the token itself is not kept, even in memory).
        std::string credential = token ? "token:" + sha256_hex(*token).substr(0, 16) : "email:" + *email;
        std::transform(credential.begin(), credential.end(), credential.begin(),
                       [](unsigned char ch) { return std::tolower(ch); });
        const std::string client = client_address(c.req, proxy_);
        if (const Millis wait = login_limits_.wait(client, credential, now); wait > 0) {
          c.res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
          return send_error(c.res, ApiCode::rate_limited, "",
                            "too many failed sign-ins from this address; wait a minute");
        }
        SessionRecord s;
        if (token) {
          httplib::Request fake;
          fake.headers.emplace("Authorization", "Bearer " + *token);
          auto t = authenticate(fake);
          if (!t) {
            login_limits_.failed(client, credential, now);
            return send_error(c.res, ApiCode::unauthorized, "token", "unknown token");
          }
          s.token_id = t->id;
          s.role = t->role;
          s.email = t->name.empty() ? "token " + std::to_string(t->id) : t->name;
        } else {
          auto user = storage_->user_by_email(*email);
          bool ok = false;
          if (user)
            ok = verify_password(user->password_hash, *password);
          else {
            std::call_once(dummy_once_, [this] { dummy_hash_ = hash_password(new_token_secret()); });
            (void)verify_password(dummy_hash_, *password);
          }
          if (!ok) {
            login_limits_.failed(client, credential, now);
            return send_error(c.res, ApiCode::unauthorized, "", "wrong e-mail or password");
          }
          s.user_id = user->id;
          s.role = user->role;
          s.email = user->email;
        }
        const auto secret = new_token_secret();
        s.hash = sha256_hex(secret);
        s.csrf = new_token_secret().substr(5);
        s.created_at = now;
        s.expires_at = now + kSessionMillis;
        storage_->add_session(s);
        c.res.set_header("Set-Cookie",
                         session_cookie(secret, kSessionMillis, reached_over_https(c.req, proxy_)));
        c.res.set_header("Cache-Control", "no-store");
        TokenRecord who{s.token_id.value_or(0), "", s.role, s.email, now};
        send_json(c.res, 200, me_json(who, s));
      },
      config_.public_body_max);
  route("POST", "/v1/auth/logout", Access::viewer, [this](Ctx& c) {
    if (c.session) storage_->delete_session(c.session->hash);
    c.res.set_header("Set-Cookie", session_cookie("", 0, reached_over_https(c.req, proxy_)));
    send_json(c.res, 200, {{"signed_out", true}});
  });
  route("GET", "/v1/auth/me", Access::viewer, [](Ctx& c) {
    c.res.set_header("Cache-Control", "no-store");
    send_json(c.res, 200, me_json(*c.token, c.session));
  });
}

void Server::user_routes() {
  route("GET", "/v1/admin/users", Access::admin, [this](Ctx& c) {
    json items = json::array();
    for (const auto& u : storage_->users())
      items.push_back({{"id", u.id},
                       {"email", u.email},
                       {"role", to_string(u.role)},
                       {"created_at", iso_time(u.created_at)}});
    send_json(c.res, 200, {{"items", items}});
  });
  route(
      "POST", "/v1/admin/users", Access::admin,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        std::string email, password;
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "email" && it.key() != "role" && it.key() != "password")
            errors.push_back({ApiCode::unknown_field, it.key(), "email, role and password"});
        if (auto it = body->find("email"); it == body->end())
          errors.push_back({ApiCode::required, "email", "an e-mail address"});
        else if (!it->is_string() || it->get<std::string>().size() > 254 ||
                 it->get<std::string>().find('@') == std::string::npos ||
                 !nps::is_valid_utf8(it->get<std::string>()))
          errors.push_back({ApiCode::invalid_format, "email", "an e-mail address"});
        else
          email = it->get<std::string>();
        const std::optional<Role> role = read_role(*body, errors);
        if (auto it = body->find("password"); it == body->end())
          errors.push_back({ApiCode::required, "password", kPasswordRule});
        else if (!valid_password(*it))
          errors.push_back({ApiCode::invalid_value, "password", kPasswordRule});
        else
          password = it->get<std::string>();
        if (!errors.empty()) return send_errors(c.res, errors);
        auto u = storage_->add_user(UserRecord{0, email, *role, hash_password(password), config_.clock()});
        if (!u) return send_error(c.res, ApiCode::duplicate, "email", "a user with this e-mail exists");
        send_json(c.res, 201,
                  {{"id", u->id},
                   {"email", u->email},
                   {"role", to_string(u->role)},
                   {"created_at", iso_time(u->created_at)}});
      },
      config_.public_body_max);
  // issue 19: a role change and a password reset by an administrator.
  route(
      "PATCH", "/v1/admin/users/{user_id}", Access::admin,
      [this](Ctx& c) {
        const auto id = path_id(c, 0, "user_id");
        if (!id) return;
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "role" && it.key() != "password")
            errors.push_back({ApiCode::unknown_field, it.key(), "role and password"});
        std::optional<Role> role;
        if (body->contains("role")) role = read_role(*body, errors);
        std::optional<std::string> hash;
        if (auto it = body->find("password"); it != body->end()) {
          if (!valid_password(*it))
            errors.push_back({ApiCode::invalid_value, "password", kPasswordRule});
          else
            hash = hash_password(it->get<std::string>());
        }
        if (errors.empty() && !role && !hash)
          errors.push_back({ApiCode::required, "", "a new role, a new password, or both"});
        if (!errors.empty()) return send_errors(c.res, errors);
        if (!storage_->update_user(*id, role, hash))
          return send_error(c.res, ApiCode::not_found, "user_id", "no such user");
        for (const auto& u : storage_->users())
          if (u.id == *id)
            return send_json(c.res, 200,
                             {{"id", u.id},
                              {"email", u.email},
                              {"role", to_string(u.role)},
                              {"created_at", iso_time(u.created_at)},
                              {"password_reset", hash.has_value()}});
        send_error(c.res, ApiCode::not_found, "user_id", "no such user"); // deleted meanwhile
      },
      config_.public_body_max);
  route("DELETE", "/v1/admin/users/{user_id}", Access::admin, [this](Ctx& c) {
    const auto parsed = path_id(c, 0, "user_id");
    if (!parsed) return;
    const std::int64_t id = *parsed;
    if (!storage_->delete_user(id)) return send_error(c.res, ApiCode::not_found, "user_id", "no such user");
    send_json(c.res, 200, {{"id", id}, {"deleted", true}});
  });
}

} // namespace npsd
