// themes_bench: the themes route (issue 16) over many comments, answered from the term counts
// stored with each answer, against a recompute from the comments themselves (read every
// comment, tokenise, count, log-odds) in the same run. Not a test: figures vary ±20% run to
// run on a shared machine; each is the median of the rounds.
//
//   build/native/backend/themes_bench [--comments 1000000] [--rounds 5]
#include "nps/themes.hpp"
#include "server.hpp"
#include "text_terms.hpp"

#include <httplib.h>

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
std::string comment_for(std::mt19937& rng, int score, bool spanish) {
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
      r.comment = comment_for(rng, r.score.value(), spanish);
      batch.emplace_back(std::move(r), kNow - static_cast<Millis>(done % 90) * 86'400'000LL);
    }
    (void)server->storage().import_responses(batch);
  }
  const double ingest_ms = ms_since(t_ingest);
  std::printf("ingested %zu comments with their term counts in %.1f s (%.0f answers/s)\n", comments,
              ingest_ms / 1000, static_cast<double>(comments) / (ingest_ms / 1000));

  std::vector<double> route_ms, recompute_ms;
  std::string top_route, top_recompute;
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

    // The recompute: every comment read back, tokenised and counted; the same log-odds.
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
    recompute_ms.push_back(ms_since(t0));
    top_recompute = scores && !scores->empty() ? scores->front().term : "";
  }
  std::printf("themes route from stored counts: median %.1f ms over %d rounds (top detractor theme \"%s\")\n",
              median(route_ms), rounds, top_route.c_str());
  std::printf("recompute from the comments:     median %.1f ms over %d rounds (top detractor theme \"%s\")\n",
              median(recompute_ms), rounds, top_recompute.c_str());
  std::printf("ratio: %.0fx\n", median(recompute_ms) / median(route_ms));
  server->stop();
  std::filesystem::remove_all(dir);
  return 0;
}
