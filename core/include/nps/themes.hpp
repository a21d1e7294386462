// Comment themes: which terms one group of respondents uses more than another, what a theme
// costs in NPS, and whether it is rising. Pure statistics on counts; tokenising and stemming
// live beside the server (backend/text_terms.*), the core gets terms.
//
// Sections: log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
// "Fightin' Words", Political Analysis 16(4), eq. 16–22) · phrases (one row per theme) ·
// impact (the two-sample test of tally.hpp, reused; its interval by MOVER) · trend
// (Cochran–Armitage test for a trend in the share of comments).
#pragma once

#include "nps/result.hpp"
#include "nps/tally.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nps {

using TermCounts = std::map<std::string, std::uint64_t>;

struct TermScore {
  std::string term;
  std::uint64_t a = 0, b = 0; // occurrences in group a and in group b
  double delta = 0;           // log-odds ratio of a against b, with the prior (eq. 16)
  double se = 0;              // its approximate standard deviation, sqrt of eq. 20
  double z = 0;               // delta / se (eq. 22): > 1.96 means over-represented in a
};

// With counts y_w^a, y_w^b (totals n_a, n_b) and prior counts α_w (α_0 = Σ α_w):
//   δ_w = log[(y_w^a + α_w) / (n_a + α_0 − y_w^a − α_w)] − log[(y_w^b + α_w) / (n_b + α_0 − y_w^b − α_w)]
//   σ²(δ_w) ≈ 1/(y_w^a + α_w) + 1/(y_w^b + α_w),  z_w = δ_w / σ(δ_w).
// The informative prior is the background: `prior` counts when given (every term counted in a
// or b needs one above 0), else the pooled counts a + b (as tidylo does), times prior_scale.
// Sorted by z, highest first, then by term. Errors: invalid_value for prior_scale <= 0 or a
// term without prior; no_data when a or b has no term at all.
[[nodiscard]] Result<std::vector<TermScore>> log_odds(const TermCounts& a, const TermCounts& b,
                                                      const TermCounts* prior = nullptr,
                                                      double prior_scale = 1.0);

// ---- phrases: one row per theme ----------------------------------------------------------
// A term's key is its words joined by ' ' ("app keep crash"); a comment that holds a phrase
// holds each of its words, so a phrase's count never exceeds a shorter term it contains. Two
// rules keep the most informative form of a theme, with `a` as the count (the comments of the
// group whose themes are listed):
//   - fold: a shorter term is not listed when a listed phrase containing it (contiguous words)
//     holds at least `fold` of its comments: its row would repeat the phrase's row (the two
//     share ≥ fold of their respondents, so their impacts too), with ≤ 1 − fold left over.
//     Longer phrases decide first (a two-word phrase folded into a three-word one swallows
//     nothing); a term that could go into several phrases goes into the one with the most
//     comments, then the one ranked first.
//   - drop: a phrase that swallowed nothing is not listed when a listed shorter term inside it
//     has more than 1 / `rare` times its comments and a δ at least as high: a rare way of
//     saying the word that is no more typical of the group than the word itself.
//   - overlap: two listed phrases sharing a shorter term s have at least a(p) + a(q) − a(s)
//     comments in common (both lie inside s's); when that bound is at least `fold` of q's
//     comments, q is folded into p (the one with more comments, then the one ranked first),
//     with what it held: one sentence's overlapping three-word windows become one row.
// Why fold = 0.8 and not 0.9: counts are samples. A word that truly goes with its phrase 90%
// of the time shows a share below 0.9 about 4 times in 10, but ≥ 0.8 in 99% of cases at 50
// comments (binomial); a share of 0.8 still means the two rows share 80% of their respondents
// and the word's own rest is at most a quarter of the phrase's count. rare = 0.2 = 1 − fold
// mirrors it: a phrase truly 10% of its word reads under 0.2 in 97% of cases at 50 comments.
// The order of `ranked` is kept.
struct PhraseRule {
  double fold = 0.8; // 0 < fold <= 1
  double rare = 0.2; // 0 <= rare < fold; 0 never drops
};
struct PrunedTerm {
  TermScore score;
  std::vector<std::string> folded; // the shorter terms listed under it, most comments first
};
struct Pruning {
  std::vector<PrunedTerm> kept;                   // in the order of `ranked`
  std::map<std::string, std::string> folded_into; // shorter term → the phrase that holds it
  std::map<std::string, std::string> dropped_for; // phrase → the shorter term listed instead
};
// Errors: invalid_value for thresholds outside their ranges (path "fold" or "rare"),
// duplicate for a term given twice.
[[nodiscard]] Result<Pruning> prune_phrases(const std::vector<TermScore>& ranked, PhraseRule rule = {});

struct Impact {
  Summary with, without; // NPS of respondents who mention the theme, and of those who don't
  Comparison test;       // tally.hpp's compare(with, without): difference, z, p, significant
  Interval ci95;         // the difference's 95% interval by MOVER (themes.cpp), in [-200, 200]
};
// ci95 combines each side's own 95% interval (summarize()'s adjusted Wald, [l_i, u_i] around
// NPS_i, widened to hold NPS_i) by MOVER (Zou & Donner 2008), with d = NPS_with − NPS_without:
//   [d − sqrt((NPS_w − l_w)² + (u_wo − NPS_wo)²),  d + sqrt((u_w − NPS_w)² + (NPS_wo − l_wo)²)]
// It holds d and stays within [-200, 200] (n = 6 against 6, all detractors against all
// promoters: "-200 [-200 … -95]", where d ± 1.96 · se read "[-258 … -142]"); at large n it
// comes close to d ± 1.96 · sqrt(se_w² + se_wo²). Each side's interval is asymmetric near
// ±100, and so is the difference's.
// The test (z, p) is still compare()'s; at small n (small_sample) the two may disagree near
// 0.05, which is why the page marks "too few answers".

// Errors (from summarize/compare) name "with" or "without" when a side is empty.
[[nodiscard]] Result<Impact> impact(const Tally& with, const Tally& without);

struct Period {
  std::uint64_t mentions = 0; // comments in the period that mention the theme
  std::uint64_t comments = 0; // comments in the period
};

struct Trend {
  std::vector<double> shares; // percent of comments mentioning the theme, per period (0 if none)
  double z = 0;               // Cochran–Armitage statistic, scores 0, 1, 2, … per period
  double p = 1;               // two-sided
  bool rising = false;        // z > 0 and p < 0.05
  bool falling = false;       // z < 0 and p < 0.05
};

// Cochran–Armitage: with t_i = i, N = Σ n_i, p̄ = Σ k_i / N,
//   z = Σ t_i (k_i − n_i p̄) / sqrt(p̄ (1 − p̄) (Σ n_i t_i² − (Σ n_i t_i)² / N)).
// Errors: invalid_value when mentions exceed comments in a period (path "[i].mentions"),
// no_data with fewer than two periods that have comments. A constant share gives z = 0.
[[nodiscard]] Result<Trend> trend(const std::vector<Period>& periods);

// ---- sentiment: what the words say against what the score says ----------------------------
// `sum` is a lexicon's score of a comment (AFINN's −5…+5 per word, summed, negation applied;
// backend/sentiment.*). The tone is its sign. A comment disagrees with its score when a
// promoter's words are clearly negative (sum ≤ −2: one strongly negative word, "terrible", or
// two mild ones) or a detractor's clearly positive (sum ≥ +2); a passive never disagrees.
enum class Tone { negative, neutral, positive };
[[nodiscard]] std::string_view to_string(Tone t);
inline constexpr int kDisagreeSum = 2;
struct SentimentVerdict {
  Tone tone = Tone::neutral;
  bool disagrees = false;
};
[[nodiscard]] SentimentVerdict sentiment_verdict(Score score, int sum);

} // namespace nps
