// One row per theme: phrases and the shorter terms inside them (themes.hpp, "phrases").
#include "nps/themes.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace nps {

namespace {

std::vector<std::string_view> words_of(std::string_view key) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos <= key.size()) {
    const std::size_t end = std::min(key.find(' ', pos), key.size());
    if (end > pos) out.push_back(key.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::string joined(const std::vector<std::string_view>& w, std::size_t from, std::size_t n) {
  std::string out;
  for (std::size_t k = 0; k < n; ++k) {
    if (k) out += ' ';
    out += w[from + k];
  }
  return out;
}

enum class State { listed, folded, dropped };

} // namespace

Result<Pruning> prune_phrases(const std::vector<TermScore>& ranked, PhraseRule rule) {
  Errors errors;
  if (!(rule.fold > 0 && rule.fold <= 1))
    errors.push_back(Error{ErrorCode::invalid_value, "fold", "a share above 0, at most 1"});
  if (!(rule.rare >= 0 && rule.rare < rule.fold))
    errors.push_back(Error{ErrorCode::invalid_value, "rare", "a share from 0, below fold"});
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ranked.size(); ++i)
    if (!index.emplace(ranked[i].term, i).second)
      errors.push_back(
          Error{ErrorCode::duplicate, join_path("", i), "the term \"" + ranked[i].term + "\" twice"});
  if (!errors.empty()) return errors;

  const std::size_t n = ranked.size();
  std::vector<std::vector<std::string_view>> words(n);
  std::size_t longest = 1;
  for (std::size_t i = 0; i < n; ++i) {
    words[i] = words_of(ranked[i].term);
    longest = std::max(longest, words[i].size());
  }
  // The shorter terms inside phrase j (contiguous words) that are in the list.
  auto inside = [&](std::size_t j) {
    std::vector<std::size_t> out;
    const auto& w = words[j];
    for (std::size_t len = 1; len < w.size(); ++len)
      for (std::size_t from = 0; from + len <= w.size(); ++from)
        if (auto it = index.find(joined(w, from, len)); it != index.end()) out.push_back(it->second);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  const auto a_of = [&](std::size_t i) { return static_cast<double>(ranked[i].a); };

  std::vector<State> state(n, State::listed);
  std::vector<std::size_t> into(n, n), dropped_for(n, n);
  // Fold, longest phrases first: a phrase of `len` words takes the shorter terms it holds at
  // least `fold` of; only a listed phrase takes any, and every longer one has decided already.
  std::vector<std::vector<std::size_t>> candidates(n);
  for (std::size_t len = longest; len >= 2; --len) {
    for (std::size_t j = 0; j < n; ++j) {
      if (words[j].size() != len || state[j] != State::listed) continue;
      for (std::size_t i : inside(j))
        if (a_of(i) > 0 && a_of(j) >= rule.fold * a_of(i)) candidates[i].push_back(j);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (words[i].size() != len - 1 || candidates[i].empty()) continue;
      // The phrase with the most comments, then the one ranked first.
      std::size_t best = candidates[i].front();
      for (std::size_t j : candidates[i])
        if (ranked[j].a > ranked[best].a || (ranked[j].a == ranked[best].a && j < best)) best = j;
      state[i] = State::folded;
      into[i] = best;
    }
  }
  // Drop, shortest phrases first: a phrase that swallowed nothing, rare next to a listed
  // shorter term inside it and no more typical of the group (δ no higher), gives way to it.
  std::vector<bool> swallowed(n, false);
  for (std::size_t i = 0; i < n; ++i)
    if (state[i] == State::folded) swallowed[into[i]] = true;
  for (std::size_t len = 2; len <= longest; ++len)
    for (std::size_t j = 0; j < n; ++j) {
      if (words[j].size() != len || state[j] != State::listed || swallowed[j]) continue;
      std::size_t best = n;
      for (std::size_t i : inside(j))
        if (state[i] == State::listed && a_of(j) < rule.rare * a_of(i) &&
            ranked[j].delta <= ranked[i].delta && (best == n || ranked[i].a > ranked[best].a))
          best = i;
      if (best != n) {
        state[j] = State::dropped;
        dropped_for[j] = best;
      }
    }

  // Overlap: two listed phrases that share a term s (a word or a shorter phrase inside both)
  // have at least a(p) + a(q) − a(s) comments in common, both being inside s's comments. When
  // that is at least `fold` of q's, q is folded into p, the phrase with more comments (then the
  // one ranked first): one sentence's overlapping phrases ("付款时总是", "时总是出", "总是出错")
  // become one row. Only the counts are known, so this is the bound, never a guess.
  std::vector<std::size_t> phrases;
  for (std::size_t j = 0; j < n; ++j)
    if (words[j].size() >= 2 && state[j] == State::listed) phrases.push_back(j);
  std::stable_sort(phrases.begin(), phrases.end(),
                   [&](std::size_t x, std::size_t y) { return ranked[x].a > ranked[y].a; });
  std::unordered_map<std::size_t, std::vector<std::size_t>> heads; // s → listed phrases holding it
  for (std::size_t q : phrases) {
    auto shared = inside(q);
    std::stable_sort(shared.begin(), shared.end(),
                     [&](std::size_t x, std::size_t y) { return a_of(x) < a_of(y); });
    std::size_t best = n;
    for (std::size_t s : shared) {
      auto it = heads.find(s);
      if (it == heads.end()) continue;
      for (std::size_t p : it->second) { // most comments first
        if (a_of(p) + a_of(q) - a_of(s) < rule.fold * a_of(q)) break;
        if (best == n || ranked[p].a > ranked[best].a || (ranked[p].a == ranked[best].a && p < best))
          best = p;
        break;
      }
    }
    if (best == n) {
      for (std::size_t s : shared)
        heads[s].push_back(q);
      continue;
    }
    state[q] = State::folded;
    into[q] = best;
  }
  for (std::size_t i = 0; i < n; ++i) // what q held goes with it
    while (state[i] == State::folded && state[into[i]] == State::folded)
      into[i] = into[into[i]];

  Pruning out;
  std::vector<std::size_t> pos(n, n);
  for (std::size_t i = 0; i < n; ++i)
    if (state[i] == State::listed) {
      pos[i] = out.kept.size();
      out.kept.push_back(PrunedTerm{ranked[i], {}});
    }
  std::vector<std::size_t> by_count(n);
  for (std::size_t i = 0; i < n; ++i)
    by_count[i] = i;
  std::stable_sort(by_count.begin(), by_count.end(),
                   [&](std::size_t x, std::size_t y) { return ranked[x].a > ranked[y].a; });
  for (std::size_t i : by_count) {
    if (state[i] == State::folded) {
      out.kept[pos[into[i]]].folded.push_back(ranked[i].term);
      out.folded_into[ranked[i].term] = ranked[into[i]].term;
    } else if (state[i] == State::dropped) {
      out.dropped_for[ranked[i].term] = ranked[dropped_for[i]].term;
    }
  }
  return out;
}

} // namespace nps
