// themes_bench: the themes route (issue 16) over many comments, answered from the term counts
// stored with each answer, against a recompute from the comments themselves (read every
// comment, tokenise, count, log-odds) in the same run. Not a test: figures vary ±20% run to
// run on a shared machine; each is the median of the rounds.
//
// The Why page filtered (issue 16): the route with one channel and one device, read from the
// segment rows (theme_seg_terms, theme_seg_comments); and the key that was not chosen, timed
// on the same file: the unfiltered terms read folded into the segment rows (summing every
// channel and device) against the unfiltered rows kept apart.
//
//   build/native/backend/themes_bench [--comments 1000000] [--rounds 5]
#include "nps/themes.hpp"
#include "server.hpp"
#include "text_terms.hpp"

#include <httplib.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace npsd;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kToken = "themes-bench-admin-token-0123456789";
constexpr Millis kNow = 1'750'000'000'000;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Comments as a product team gets them: a few themes that depend on the score, and a long
// tail of everyday words, in English and Spanish.
std::string comment_for(std::mt19937& rng, int score, bool spanish, bool app) {
  static const std::vector<std::string> en_words = {
      "app",   "website", "order", "account", "email", "phone",  "store",   "team",   "checkout", "search",
      "login", "profile", "cart",  "refund",  "size",  "colour", "quality", "return", "package",  "tracking"};
  static const std::vector<std::string> es_words = {
      "aplicación", "sitio", "pedido",   "cuenta",     "correo",  "teléfono",   "tienda",
      "equipo",     "pago",  "búsqueda", "sesión",     "perfil",  "carro",      "reembolso",
      "talla",      "color", "calidad",  "devolución", "paquete", "seguimiento"};
  const auto& words = spanish ? es_words : en_words;
  std::string out;
  if (score <= 6 && rng() % 3 == 0) out = spanish ? "la entrega no es rápida" : "the delivery was slow";
  // In the app only: detractors whose app crashes (the filtered page's own theme).
  if (app && score <= 6 && rng() % 2 == 0)
    out += std::string(out.empty() ? "" : ", ") + (spanish ? "la aplicación se cuelga" : "the app crashes");
  if (score >= 9 && rng() % 3 == 0)
    out += std::string(out.empty() ? "" : ", ") + (spanish ? "buenos precios" : "great prices");
  for (int i = 0; i < 3; ++i)
    out += std::string(out.empty() ? "" : ", ") + words[rng() % words.size()] + " " +
           words[rng() % words.size()];
  return out;
}

} // namespace

int main(int argc, char** argv) {
  std::size_t comments = 1'000'000;
  int rounds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--comments")
      comments = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--rounds")
      rounds = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: themes_bench [--comments N] [--rounds R]\n");
      return 2;
    }
  }
  const auto dir = std::filesystem::temp_directory_path() / ("themes-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Config c;
  c.host = "127.0.0.1";
  c.port = 0;
  c.database = (dir / "npsd.sqlite3").string();
  const std::string c_database = c.database;
  c.admin_token = kToken;
  c.log_requests = false;
  c.clock = [] { return kNow; };
  auto server = make_server(std::move(c));
  server->start();
  httplib::Client client("127.0.0.1", server->port());
  client.set_read_timeout(600, 0);
  const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + kToken}};
  client.Post("/v1/admin/surveys", auth, R"({"id":"bench","name":"Bench"})", "application/json");

  // Ingest: the answers and their term counts, in batches of 10,000 per transaction.
  std::mt19937 rng(16);
  const auto t_ingest = Clock::now();
  for (std::size_t done = 0; done < comments;) {
    std::vector<std::pair<nps::Response, Millis>> batch;
    for (; batch.size() < 10'000 && done < comments; ++done) {
      nps::Response r;
      r.survey_id = "bench";
      r.score = nps::Score::from_int(static_cast<int>(rng() % 11)).value();
      r.idempotency_key = "bench-" + std::to_string(100000000 + done);
      const bool spanish = rng() % 4 == 0;
      r.locale = spanish ? "es" : "en";
      // Channels and devices as a product team gets them: web 50%, app 30%, email 10%, link 10%;
      // desktop 45%, mobile 40%, tablet 10%, none 5%.
      const auto ch = rng() % 10;
      r.channel = ch < 5   ? nps::Channel::web
                  : ch < 8 ? nps::Channel::app
                  : ch < 9 ? nps::Channel::email
                           : nps::Channel::link;
      const auto dev = rng() % 20;
      if (dev < 9)
        r.device = nps::Device::desktop;
      else if (dev < 17)
        r.device = nps::Device::mobile;
      else if (dev < 19)
        r.device = nps::Device::tablet;
      r.comment = comment_for(rng, r.score.value(), spanish, r.channel == nps::Channel::app);
      batch.emplace_back(std::move(r), kNow - static_cast<Millis>(done % 90) * 86'400'000LL);
    }
    (void)server->storage().import_responses(batch);
  }
  const double ingest_ms = ms_since(t_ingest);
  std::printf("ingested %zu comments with their term counts in %.1f s (%.0f answers/s)\n", comments,
              ingest_ms / 1000, static_cast<double>(comments) / (ingest_ms / 1000));

  // One query on the bench's file, read-only, beside the server: its median time.
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(c_database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "cannot open %s\n", c_database.c_str());
    return 1;
  }
  std::uint64_t folded_rows = 0, kept_rows = 0;
  auto time_sql = [&](const std::string& sql, std::uint64_t* rows) {
    const auto t0 = Clock::now();
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "%s: %s\n", sql.c_str(), sqlite3_errmsg(db));
      std::exit(1);
    }
    sqlite3_bind_text(st, 1, "bench", -1, SQLITE_STATIC);
    std::uint64_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
      n += static_cast<std::uint64_t>(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    if (rows) *rows = n;
    return ms_since(t0);
  };
  const std::string sums = "sum(c0 + c1 + c2 + c3 + c4 + c5 + c6), sum(c7 + c8), sum(c9 + c10)";
  const std::string terms_read =
      "SELECT count(*), term, min(form), " + sums +
      " FROM %s WHERE survey_id = ?1 AND "
      "day BETWEEN 0 AND 100000 GROUP BY term HAVING sum(c0 + c1 + c2 + c3 + c4 + c5 + "
      "c6 + c7 + c8 + c9 + c10) >= 3 ORDER BY term";
  auto terms_from = [&](const char* table) {
    std::string sql = terms_read;
    sql.replace(sql.find("%s"), 2, table);
    return sql;
  };

  std::vector<double> route_ms, filtered_ms, recompute_ms, kept_ms, folded_ms;
  std::string top_route, top_filtered, top_recompute;
  for (int round = 0; round < rounds; ++round) {
    auto t0 = Clock::now();
    auto res = client.Get("/v1/admin/surveys/bench/themes?from=2025-01-01", auth);
    route_ms.push_back(ms_since(t0));
    if (!res || res->status != 200) {
      std::fprintf(stderr, "themes route failed\n");
      return 1;
    }
    auto j = nps::json::parse(res->body);
    top_route = j["detractors"].empty() ? "" : j["detractors"][0]["term"].get<std::string>();

    t0 = Clock::now();
    res = client.Get("/v1/admin/surveys/bench/themes?from=2025-01-01&channel=app&device=mobile", auth);
    filtered_ms.push_back(ms_since(t0));
    if (!res || res->status != 200) {
      std::fprintf(stderr, "filtered themes route failed\n");
      return 1;
    }
    j = nps::json::parse(res->body);
    top_filtered = j["detractors"].empty() ? "" : j["detractors"][0]["term"].get<std::string>();

    kept_ms.push_back(time_sql(terms_from("theme_terms"), &kept_rows));
    folded_ms.push_back(time_sql(terms_from("theme_seg_terms"), &folded_rows));

    // The recompute: every comment read back, tokenised and counted; the same log-odds and the
    // same phrase rule.
    t0 = Clock::now();
    nps::TermCounts det, pro, all;
    std::optional<std::int64_t> before;
    for (;;) {
      ResponseFilter f;
      f.survey_id = "bench";
      auto page = server->storage().list_responses(f, before, 500);
      for (const auto& s : page.items) {
        if (!s.response.comment) continue;
        const int score = s.response.score.value();
        for (const auto& t : comment_terms(*s.response.comment, s.response.locale.value_or(""))) {
          all[t.key]++;
          if (score <= 6) det[t.key]++;
          if (score >= 9) pro[t.key]++;
        }
      }
      if (!page.next) break;
      before = *page.next;
    }
    for (auto it = all.begin(); it != all.end();)
      it = it->second < 3 ? all.erase(it) : std::next(it);
    for (auto* m : {&det, &pro})
      for (auto it = m->begin(); it != m->end();)
        it = all.count(it->first) ? std::next(it) : m->erase(it);
    auto scores = nps::log_odds(det, pro, &all);
    auto pruned = scores ? nps::prune_phrases(*scores) : nps::Result<nps::Pruning>(scores.errors());
    recompute_ms.push_back(ms_since(t0));
    top_recompute = pruned && !pruned->kept.empty() ? pruned->kept.front().score.term : "";
  }
  sqlite3_close(db);
  std::printf("themes route from stored counts: median %.1f ms over %d rounds (top detractor theme \"%s\")\n",
              median(route_ms), rounds, top_route.c_str());
  std::printf("  filtered channel=app&device=mobile: median %.1f ms (top detractor theme \"%s\")\n",
              median(filtered_ms), top_filtered.c_str());
  std::printf("recompute from the comments:     median %.1f ms over %d rounds (top detractor theme \"%s\")\n",
              median(recompute_ms), rounds, top_recompute.c_str());
  std::printf("ratio: %.0fx\n", median(recompute_ms) / median(route_ms));
  std::printf(
      "the key: the unfiltered terms read over the rows kept apart (theme_terms) %.1f ms, %llu rows;\n"
      "         folded into the segment rows (theme_seg_terms, every channel and device) %.1f ms, "
      "%llu rows\n",
      median(kept_ms), static_cast<unsigned long long>(kept_rows), median(folded_ms),
      static_cast<unsigned long long>(folded_rows));
  server->stop();
  std::filesystem::remove_all(dir);
  return 0;
}
