#include "nps/tally.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using nps::Score;
using nps::Tally;

namespace {
Tally from(std::initializer_list<int> scores) {
  Tally t;
  for (int s : scores)
    t.add(*Score::from_int(s));
  return t;
}

Tally with_counts(std::uint64_t promoters, std::uint64_t passives, std::uint64_t detractors) {
  Tally t;
  t.add(*Score::from_int(10), promoters);
  t.add(*Score::from_int(8), passives);
  t.add(*Score::from_int(3), detractors);
  return t;
}

Tally random_tally(std::mt19937_64& rng, int n) {
  std::uniform_int_distribution<int> score(0, 10);
  Tally t;
  for (int i = 0; i < n; ++i)
    t.add(*Score::from_int(score(rng)));
  return t;
}
} // namespace

TEST_CASE("tally: NPS is promoters minus detractors in points", "[core][tally]") {
  auto s = nps::summarize(from({10, 9, 8, 7, 6, 0}));
  REQUIRE(s.ok());
  CHECK(s->n == 6);
  CHECK(s->promoters == 2);
  CHECK(s->passives == 2);
  CHECK(s->detractors == 2);
  CHECK(s->nps == 0);
  CHECK(nps::summarize(from({10, 10, 9})).value().nps == 100);
  CHECK(nps::summarize(from({0, 6})).value().nps == -100);
  CHECK(nps::summarize(from({10, 10, 0})).value().nps == 33.33);
}

TEST_CASE("tally: an empty tally has no NPS rather than 0", "[core][tally]") {
  auto s = nps::summarize(Tally{});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == nps::ErrorCode::no_data);
}

TEST_CASE("tally: adjusted-Wald interval matches a hand computation", "[core][tally]") {
  // 50 promoters, 30 passives, 20 detractors: n' = 103, p' = 50.75/103, d' = 20.75/103.
  auto s = nps::summarize(with_counts(50, 30, 20)).value();
  const double np = 103, p = 50.75 / np, d = 20.75 / np;
  const double se = std::sqrt((p + d - (p - d) * (p - d)) / np);
  CHECK(s.ci95.lo == Approx(100 * ((p - d) - 1.96 * se)).margin(0.005));
  CHECK(s.ci95.hi == Approx(100 * ((p - d) + 1.96 * se)).margin(0.005));
  CHECK(s.nps == 30);
  CHECK_FALSE(s.small_sample);
}

TEST_CASE("tally: the interval is clamped to [-100, 100]", "[core][tally]") {
  auto s = nps::summarize(with_counts(1, 0, 0)).value();
  CHECK(s.ci95.lo >= -100);
  CHECK(s.ci95.hi <= 100);
  CHECK(s.small_sample);
  auto all = nps::summarize(with_counts(100000, 0, 0)).value();
  CHECK(all.ci95.hi <= 100);
}

TEST_CASE("tally: property: NPS stays in [-100, 100] and inside its interval's reach",
          "[core][tally][property]") {
  std::mt19937_64 rng(20261123);
  for (int i = 0; i < 500; ++i) {
    const int n = std::uniform_int_distribution<int>(1, 400)(rng);
    auto s = nps::summarize(random_tally(rng, n)).value();
    CHECK(s.nps >= -100);
    CHECK(s.nps <= 100);
    CHECK(s.ci95.lo <= s.ci95.hi);
    CHECK(s.ci95.lo >= -100);
    CHECK(s.ci95.hi <= 100);
  }
}

TEST_CASE("tally: property: the order of answers never matters", "[core][tally][property]") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 100; ++round) {
    std::vector<int> scores(std::uniform_int_distribution<int>(1, 300)(rng));
    for (int& s : scores)
      s = std::uniform_int_distribution<int>(0, 10)(rng);
    Tally a, b;
    for (int s : scores)
      a.add(*Score::from_int(s));
    std::shuffle(scores.begin(), scores.end(), rng);
    for (int s : scores)
      b.add(*Score::from_int(s));
    CHECK(a == b);
    CHECK(nps::summarize(a).value().ci95 == nps::summarize(b).value().ci95);
  }
}

TEST_CASE("tally: property: merge is commutative and associative", "[core][tally][property]") {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; ++round) {
    const Tally a = random_tally(rng, 50), b = random_tally(rng, 70), c = random_tally(rng, 3);
    CHECK(merged(a, b) == merged(b, a));
    CHECK(merged(merged(a, b), c) == merged(a, merged(b, c)));
    CHECK(merged(a, b).n() == a.n() + b.n());
    CHECK(merged(a, Tally{}) == a);
  }
}

TEST_CASE("tally: 24 vs 32 with 500 answers each is not significant", "[core][tally]") {
  // FIELD_NOTES: a jump from 24 to 32 with 500 answers each has p ≈ 0.1.
  Tally a = with_counts(230, 160, 110); // 46% − 22% = 24
  Tally b = with_counts(250, 160, 90);  // 50% − 18% = 32
  auto c = nps::compare(b, a).value();
  CHECK(c.difference == 8);
  CHECK(c.p > 0.05);
  CHECK(c.p < 0.2);
  CHECK_FALSE(c.significant);
  // The same jump with 5,000 answers each is.
  auto big = nps::compare(with_counts(2500, 1600, 900), with_counts(2300, 1600, 1100)).value();
  CHECK(big.significant);
  CHECK(big.p < 0.001);
}

TEST_CASE("tally: comparing with an empty group is an error", "[core][tally]") {
  CHECK_FALSE(nps::compare(Tally{}, from({9})).ok());
  CHECK(nps::compare(from({9}), Tally{}).error().path == "b");
}

TEST_CASE("tally: two-sided p of the normal at known points", "[core][tally]") {
  CHECK(nps::two_sided_p(0) == Approx(1).margin(1e-6));
  CHECK(nps::two_sided_p(1.959964) == Approx(0.05).margin(1e-6));
  CHECK(nps::two_sided_p(-1.959964) == Approx(0.05).margin(1e-6));
  CHECK(nps::two_sided_p(2.575829) == Approx(0.01).margin(1e-6));
  CHECK(nps::two_sided_p(1) == Approx(0.317311).margin(1e-6));
  CHECK(nps::two_sided_p(40) == Approx(0).margin(1e-12));
}

TEST_CASE("tally: simulation: the 95% interval covers the true NPS 93-97% of the time",
          "[core][tally][simulation]") {
  struct Truth {
    double promoters, passives, detractors;
  };
  const auto truth =
      GENERATE(Truth{0.5, 0.3, 0.2}, Truth{0.3, 0.3, 0.4}, Truth{0.7, 0.2, 0.1}, Truth{0.25, 0.5, 0.25});
  const int n = GENERATE(20, 100, 1000);
  const double true_nps = 100 * (truth.promoters - truth.detractors);
  std::mt19937_64 rng(static_cast<std::uint64_t>(n * 1000 + truth.promoters * 100));
  std::uniform_real_distribution<double> u(0, 1);
  constexpr int trials = 4000;
  int covered = 0;
  for (int t = 0; t < trials; ++t) {
    std::uint64_t p = 0, pa = 0, d = 0;
    for (int i = 0; i < n; ++i) {
      const double x = u(rng);
      if (x < truth.promoters)
        ++p;
      else if (x < truth.promoters + truth.passives)
        ++pa;
      else
        ++d;
    }
    auto s = nps::summarize(with_counts(p, pa, d)).value();
    if (s.ci95.lo <= true_nps && true_nps <= s.ci95.hi) ++covered;
  }
  const double coverage = static_cast<double>(covered) / trials;
  INFO("n=" << n << " true NPS=" << true_nps << " coverage=" << coverage);
  CHECK(coverage >= 0.93);
  CHECK(coverage <= 0.97);
}
