// Writers racing on the same idempotency keys through two storages on one database (two npsd
// processes), shared by the storage race tests (test_storage_race.cpp, test_storage_ingest.cpp).
#pragma once

#include "storage.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace npsd::test {

using Outcomes = std::map<std::string, std::vector<Inserted>>;

// `threads` writers, alternately on `a` and `b`, each send every key 0..keys-1 once, in an
// order of its own (shuffled by its number), through send(db, k) -> (the key's name, the
// outcome). Returns what each key's attempts ended as.
template <class Send> Outcomes race_keys(Storage& a, Storage& b, int threads, int keys, Send send) {
  std::mutex mu;
  Outcomes outcomes;
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&, t] {
      std::vector<int> order(static_cast<std::size_t>(keys));
      for (int i = 0; i < keys; ++i)
        order[static_cast<std::size_t>(i)] = i;
      std::shuffle(order.begin(), order.end(), std::mt19937(static_cast<unsigned>(t)));
      Storage& db = t % 2 ? b : a;
      for (const int k : order) {
        auto [key, status] = send(db, k);
        std::lock_guard lock(mu);
        outcomes[key].push_back(status);
      }
    });
  }
  for (auto& th : running)
    th.join();
  return outcomes;
}

// What each key's `writers` attempts ended as: a key is stored by one writer and seen as a
// duplicate by every other, or refused by all. Returns how many keys were stored.
inline int stored_once(const Outcomes& outcomes, int writers) {
  int stored = 0;
  for (const auto& [key, seen] : outcomes) {
    const auto created = std::count(seen.begin(), seen.end(), Inserted::created);
    const auto duplicates = std::count(seen.begin(), seen.end(), Inserted::duplicate);
    INFO(key);
    CHECK(((created == 1 && duplicates == writers - 1) || (created == 0 && duplicates == 0)));
    stored += static_cast<int>(created);
  }
  return stored;
}

} // namespace npsd::test
